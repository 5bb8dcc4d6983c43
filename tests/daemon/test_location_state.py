"""Schedule and sensor state kept per code location: two locations may each have a sensor of
one name, state stored by name alone (before locations) is still read, and the CLI finds the
location or asks for ``--location``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from headwater.cli import cli
from headwater.daemon.sensors import SensorDuty
from headwater.daemon.store import (
    Tick,
    read_instigator,
    read_instigators,
    read_ticks,
    record_tick,
    write_instigator,
)
from headwater.daemon.workspace import load_workspace
from headwater.storage import Instance

LOCATION = """
import headwater as dg

@dg.op
def work():
    pass

@dg.job
def {name}_job():
    work()

RUNNING = dg.DefaultSensorStatus.RUNNING

@dg.sensor(job={name}_job, minimum_interval_seconds=1, default_status=RUNNING)
def orders(context):
    count = int(context.cursor or 0) + 1
    context.update_cursor(str(count) + "{name}")
    return dg.RunRequest(run_key="once")

defs = dg.Definitions(jobs=[{name}_job], sensors=[orders])
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    for name in ("sales", "finance"):
        (tmp_path / f"{name}.py").write_text(LOCATION.format(name=name))
    path = tmp_path / "workspace.yaml"
    path.write_text("load_from:\n  - python_file: sales.py\n  - python_file: finance.py\n")
    return path


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Instance]:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    with Instance.from_config(tmp_path / "home") as opened:
        yield opened


def test_two_locations_keep_their_own_cursor_ticks_and_run_keys(
    workspace: Path, instance: Instance
) -> None:
    for code in load_workspace(workspace):
        SensorDuty(instance, code).run_once(100.0)
    states = {
        loc: read_instigator(instance, "sensor", loc, "orders") for loc in ("sales", "finance")
    }
    assert {loc: s.cursor for loc, s in states.items()} == {
        "sales": "1sales",
        "finance": "1finance",
    }
    # One run each: a run key is claimed within its location, never across locations.
    runs = instance.get_runs()
    assert sorted(r.job_name for r in runs) == ["finance_job", "sales_job"]
    for loc in ("sales", "finance"):
        [tick] = read_ticks(instance, "sensor", loc, "orders")
        assert tick.status == "SUCCESS"


def _legacy(instance: Instance, kind: str, name: str, body: object) -> None:
    """State as it was stored before locations: under the name alone."""
    instance.kv_set({f"daemon/{kind}/sensor/{name}": json.dumps(body)})


def test_state_stored_by_name_alone_is_still_read_and_carried_on(instance: Instance) -> None:
    _legacy(instance, "instigator", "orders", {"status": "STOPPED", "cursor": "41"})
    _legacy(instance, "ticks", "orders", [Tick(1.0, "SKIPPED", skip_reason="old").to_dict()])
    state = read_instigator(instance, "sensor", "sales", "orders")
    assert (state.status, state.cursor) == ("STOPPED", "41")
    assert [t.skip_reason for t in read_ticks(instance, "sensor", "sales", "orders")] == ["old"]
    # The first write of the location's own state carries the old on.
    write_instigator(instance, "sensor", "sales", "orders", replace(state, cursor="42"))
    record_tick(instance, "sensor", "sales", "orders", Tick(2.0, "SKIPPED", skip_reason="new"))
    assert read_instigators(instance, "sensor", "sales", ["orders"])["orders"].cursor == "42"
    ticks = read_ticks(instance, "sensor", "sales", "orders")
    assert [t.skip_reason for t in ticks] == ["new", "old"]
    # Once the location has its own, the old state is not read any more.
    _legacy(instance, "instigator", "orders", {"status": "RUNNING", "cursor": "0"})
    assert read_instigator(instance, "sensor", "sales", "orders").cursor == "42"


def test_a_run_key_claimed_by_name_alone_makes_no_run_again(
    workspace: Path, instance: Instance
) -> None:
    # What a daemon that kept state by name left: the sensor's state and its claimed key.
    _legacy(instance, "instigator", "orders", {"cursor": "1", "last_tick": 1.0})
    instance.kv_set({"daemon/run_key/sensor:orders/once": "an-old-run"})
    [sales, _] = load_workspace(workspace)
    SensorDuty(instance, sales).run_once(100.0)
    assert instance.get_runs() == []
    [tick] = read_ticks(instance, "sensor", "sales", "orders")
    assert tick.status == "SKIPPED"


def _cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_the_cli_names_the_location_or_asks_which(workspace: Path, instance: Instance) -> None:
    ambiguous = _cli("sensor", "stop", "orders", "-w", str(workspace))
    assert ambiguous.exit_code == 1
    assert ambiguous.output == (
        f"Error: sensor 'orders' is defined by several code locations of workspace {workspace}: "
        "'sales', 'finance'; say which with --location NAME\n"
    )
    stopped = _cli("sensor", "stop", "orders", "-w", str(workspace), "--location", "finance")
    assert stopped.exit_code == 0, stopped.output
    assert read_instigator(instance, "sensor", "finance", "orders").status == "STOPPED"
    assert read_instigator(instance, "sensor", "sales", "orders").status is None
    unknown = _cli("sensor", "stop", "orders", "-w", str(workspace), "--location", "ops")
    assert "no code location named 'ops'; its locations: 'sales', 'finance'" in unknown.output
    # ticks and cursor read the state of a location named without loading its code
    record_tick(instance, "sensor", "sales", "orders", Tick(3.0, "SKIPPED", skip_reason="quiet"))
    ticks = _cli("sensor", "ticks", "orders", "--location", "sales")
    assert ticks.exit_code == 0 and "quiet" in ticks.output
    cursor = _cli("sensor", "cursor", "orders", "-w", str(workspace), "--location", "finance")
    assert cursor.output == "(none)\n"
    nowhere = _cli("sensor", "cursor", "orders")
    assert "state is kept per code location" in nowhere.output


def test_a_file_location_is_named_as_the_web_server_names_it(
    workspace: Path, instance: Instance
) -> None:
    from headwater.location.code import CodePointer
    from headwater.webserver.workspace import location_name

    sales = workspace.parent / "sales.py"
    started = _cli("sensor", "start", "orders", "-f", str(sales))
    assert started.exit_code == 0, started.output
    assert "code location 'sales.py'" in started.output
    name = location_name(CodePointer.for_file(str(sales)))
    assert read_instigator(instance, "sensor", name, "orders").status == "RUNNING"


def test_a_location_that_is_not_the_codes_is_refused(workspace: Path, instance: Instance) -> None:
    sales = workspace.parent / "sales.py"
    # 'sales' is what the workspace calls this file; with -f it is 'sales.py'.
    wrong = _cli("sensor", "start", "orders", "-f", str(sales), "--location", "sales")
    assert wrong.exit_code == 1
    assert "--location 'sales' is not the code location of" in wrong.output
    assert "which is named 'sales.py'" in wrong.output and "give -w WORKSPACE" in wrong.output
    assert read_instigator(instance, "sensor", "sales", "orders").status is None
    same = _cli("sensor", "start", "orders", "-f", str(sales), "--location", "sales.py")
    assert same.exit_code == 0, same.output
    assert read_instigator(instance, "sensor", "sales.py", "orders").status == "RUNNING"
    through = _cli("sensor", "start", "orders", "-w", str(workspace), "--location", "sales")
    assert through.exit_code == 0, through.output
    assert read_instigator(instance, "sensor", "sales", "orders").status == "RUNNING"
