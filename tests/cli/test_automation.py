from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

SOURCE = """
import headwater as hw
from headwater.automation import RunRequest, SkipReason, schedule, sensor


class Api(hw.ConfigurableResource):
    prefix: str = "item"

    def items(self):
        return [f"{self.prefix}-1", f"{self.prefix}-2"]


@hw.op(config_schema={"day": int})
def load(context):
    pass


@hw.job
def daily():
    load()


@schedule(cron_schedule="0 2 * * *", job=daily, execution_timezone="Europe/Paris")
def nightly(context):
    return {"ops": {"load": {"config": {"day": context.scheduled_execution_time.day}}}}


@sensor(job=daily, minimum_interval_seconds=60)
def items(context, api: Api):
    for i, key in enumerate(api.items()):
        yield RunRequest(run_key=key, run_config={"ops": {"load": {"config": {"day": i or "x"}}}})


@sensor(job=daily)
def quiet(context):
    context.update_cursor("7")
    return SkipReason("nothing new")


defs = hw.Definitions(
    jobs=[daily], schedules=[nightly], sensors=[items, quiet], resources={"api": Api(prefix="p")}
)
"""


@pytest.fixture
def code(write: Callable[[str, str], Path]) -> Path:
    return write("automation_defs.py", SOURCE)


def test_schedule_list(invoke: Callable[..., Result], code: Path) -> None:
    out = invoke("schedule", "list", "-f", str(code)).stdout
    assert out.startswith(
        'nightly  cron="0 2 * * *"  timezone=Europe/Paris  job=daily  default=STOPPED  next='
    )


def test_sensor_list(invoke: Callable[..., Result], code: Path) -> None:
    assert invoke("sensor", "list", "-f", str(code)).stdout == (
        "items  targets=daily  interval=60s  default=STOPPED\n"
        "quiet  targets=daily  interval=30s  default=STOPPED\n"
    )


def test_schedule_preview_prints_the_request(invoke: Callable[..., Result], code: Path) -> None:
    result = invoke("schedule", "preview", "nightly", "-f", str(code), "--time", "2024-03-05T02:00")
    assert result.exit_code == 0
    assert result.stdout == (
        "schedule 'nightly' at 2024-03-05T02:00:00+01:00\n"
        "run request for job 'daily'\n"
        '  tags: {"dagster/schedule_name": "nightly"}\n'
        '  run config: {"ops": {"load": {"config": {"day": 5}}}}\n'
    )


def test_sensor_preview_uses_definitions_resources_and_reports_invalid_requests(
    invoke: Callable[..., Result], code: Path
) -> None:
    result = invoke("sensor", "preview", "items", "-f", str(code))
    assert result.exit_code == 1
    assert result.stdout == "sensor 'items'\nrun request for job 'daily' run_key='p-2'\n" + (
        '  tags: {"dagster/sensor_name": "items"}\n'
        '  run config: {"ops": {"load": {"config": {"day": 1}}}}\n'
        "cursor: (none)\n"
    )
    assert result.stderr == (
        "invalid: run request 0 (run_key 'p-1') for job 'daily': 1 problem(s) in run config:\n"
        '  ops.load.config.day: expected int, got str "x"\n'
    )


def test_sensor_preview_skip_and_cursor(invoke: Callable[..., Result], code: Path) -> None:
    result = invoke("sensor", "preview", "quiet", "-f", str(code), "--cursor", "3")
    assert result.stdout == "sensor 'quiet'\nskipped: nothing new\ncursor: 7\n"


def test_unknown_name_lists_what_exists(invoke: Callable[..., Result], code: Path) -> None:
    result = invoke("sensor", "preview", "nope", "-f", str(code))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no sensor named 'nope' in {code}; sensors found: items, quiet\n"
    )


def test_module_level_schedules_and_sensors_are_found_without_definitions(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    bare = write("bare_automation.py", SOURCE.split("defs = ", maxsplit=1)[0])
    assert invoke("sensor", "list", "-f", str(bare)).stdout == (
        "items  targets=daily  interval=60s  default=STOPPED\n"
        "quiet  targets=daily  interval=30s  default=STOPPED\n"
    )
    result = invoke("schedule", "list", "-f", str(bare), "-a", "nightly")
    assert result.stdout.startswith('nightly  cron="0 2 * * *"')


def test_missing_attribute_lists_what_could_be_loaded(
    invoke: Callable[..., Result], code: Path
) -> None:
    result = invoke("schedule", "list", "-f", str(code), "-a", "nope")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {code} (attribute 'nope'): the module has no attribute 'nope'; "
        "attributes headwater can load: daily, defs, items, nightly, quiet\n"
    )
