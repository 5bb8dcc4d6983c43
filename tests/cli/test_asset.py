"""``headwater asset list|materialize`` through CliRunner, against a temporary instance."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from headwater.execution.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from headwater.storage import Instance, RunStatus

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]

ASSETS_SOURCE = """
import headwater as dg

days = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-05")
fruits = dg.DynamicPartitionsDefinition(name="fruits")
landing = dg.AssetSpec("landing", group_name="ext")


@dg.asset(partitions_def=days, group_name="daily", code_version="1")
def per_day(context):
    return context.partition_key


@dg.asset(partitions_def=days, group_name="daily", backfill_policy=dg.BackfillPolicy.single_run())
def one_shot(context):
    return dg.MaterializeResult(metadata={"days": len(context.partition_keys)})


@dg.asset(partitions_def=days, group_name="daily", backfill_policy=dg.BackfillPolicy.multi_run(3))
def triples(context):
    return dg.MaterializeResult(metadata={"days": len(context.partition_keys)})


@dg.asset(deps=[landing], config_schema={"scale": dg.Field(int, default_value=1)})
def summary(context, per_day: dict):
    return len(per_day) * context.op_config["scale"]


@dg.asset(partitions_def=fruits)
def fruit(context):
    return context.partition_key


@dg.asset_check(asset=summary, blocking=True)
def summary_counts_days(summary):
    return dg.AssetCheckResult(passed=summary < 10, metadata={"value": summary})
"""


@pytest.fixture
def assets_file(write: Write) -> Path:
    return write("cli_assets.py", ASSETS_SOURCE)


def runs(home: Path) -> list[Any]:
    with Instance.from_config(home) as instance:
        return list(reversed(list(instance.get_runs())))


def range_of(run: Any) -> tuple[str | None, str | None]:
    return run.tags.get(RANGE_START_TAG), run.tags.get(RANGE_END_TAG)


def materialize(invoke: Invoke, path: Path, *args: str) -> Result:
    return invoke("asset", "materialize", "-f", str(path), *args)


def last_line(result: Result) -> str:
    """The backfill's last line without its (random) id: ``STATUS: n of m runs succeeded``."""
    line = result.stdout.splitlines()[-1]
    assert line.startswith("backfill "), line
    return line.split(" ", 2)[2]


def listed(invoke: Invoke, path: Path, *args: str) -> dict[str, dict[str, Any]]:
    result = invoke("asset", "list", "-f", str(path), "--json", *args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return {row["asset_key"]: row for row in rows}


def test_asset_list_prints_each_asset_with_group_and_freshness(
    invoke: Invoke, assets_file: Path
) -> None:
    result = invoke("asset", "list", "-f", str(assets_file))
    assert result.exit_code == 0, result.output
    never = "stale (never materialized)"
    assert result.stdout.splitlines() == [
        f"{'per_day':<32} {'daily':<12} {'-':<20} {never}",
        f"{'one_shot':<32} {'daily':<12} {'-':<20} {never}",
        f"{'triples':<32} {'daily':<12} {'-':<20} {never}",
        f"{'landing':<32} {'ext':<12} {'-':<20} external",
        f"{'summary':<32} {'default':<12} {'-':<20} {never}",
        f"{'fruit':<32} {'default':<12} {'-':<20} {never}",
    ]


def test_asset_list_json_describes_partitions_and_kind(invoke: Invoke, assets_file: Path) -> None:
    rows = listed(invoke, assets_file)
    assert rows["per_day"] == {
        "asset_key": "per_day",
        "group": "daily",
        "kind": "asset",
        "partitions": "daily partitions starting 2024-01-01 (UTC) and ending before 2024-01-05",
        "last_materialized": None,
        "last_run_id": None,
        "last_partition": None,
        "stale": True,
        "stale_reasons": ["never materialized"],
    }
    assert rows["landing"]["kind"] == "external"
    assert rows["landing"]["stale"] is False
    assert rows["summary"]["partitions"] is None


def test_asset_list_select_narrows_the_rows(invoke: Invoke, assets_file: Path) -> None:
    assert list(listed(invoke, assets_file, "--select", "group:daily")) == [
        "per_day",
        "one_shot",
        "triples",
    ]
    # As in the reference, an upstream selection leaves external assets out.
    assert list(listed(invoke, assets_file, "--select", "*summary")) == ["per_day", "summary"]
    assert list(listed(invoke, assets_file, "--select", "landing")) == ["landing"]


def test_materialize_one_partition_records_one_tagged_run(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(invoke, assets_file, "--select", "per_day", "--partition", "2024-01-02")
    assert result.exit_code == 0, result.output
    assert "ASSET_MATERIALIZATION  Materialized value per_day." in (result.stdout)
    [run] = runs(home)
    assert run.status is RunStatus.SUCCESS
    assert run.tags[PARTITION_TAG] == "2024-01-02"
    row = listed(invoke, assets_file)["per_day"]
    assert (row["last_partition"], row["last_run_id"], row["stale"]) == (
        "2024-01-02",
        run.run_id,
        False,
    )


def test_partition_range_without_policy_runs_once_per_partition(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke, assets_file, "--select", "per_day", "--partition-range", "2024-01-01...2024-01-03"
    )
    assert result.exit_code == 0, result.output
    assert last_line(result) == "COMPLETED_SUCCESS: 3 of 3 runs succeeded"
    assert [r.tags[PARTITION_TAG] for r in runs(home)] == ["2024-01-01", "2024-01-02", "2024-01-03"]


def test_partition_range_with_single_run_policy_is_one_range_run(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke, assets_file, "--select", "one_shot", "--partition-range", "2024-01-01...2024-01-04"
    )
    assert result.exit_code == 0, result.output
    assert last_line(result) == "COMPLETED_SUCCESS: 1 of 1 runs succeeded"
    [run] = runs(home)
    assert range_of(run) == ("2024-01-01", "2024-01-04")
    assert PARTITION_TAG not in run.tags
    with Instance.from_config(home) as instance:
        events = instance.run_events(run.run_id)
    days = [e.data["partition"] for e in events if e.event_type.name == "ASSET_MATERIALIZATION"]
    assert days == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]


def test_partition_range_with_multi_run_policy_is_cut_into_chunks(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke, assets_file, "--select", "triples", "--partition-range", "2024-01-01...2024-01-04"
    )
    assert result.exit_code == 0, result.output
    assert last_line(result) == "COMPLETED_SUCCESS: 2 of 2 runs succeeded"
    found = runs(home)
    assert range_of(found[0]) == ("2024-01-01", "2024-01-03")
    assert found[1].tags[PARTITION_TAG] == "2024-01-04"  # a chunk of one is a plain key run


def test_mixed_policies_take_the_smallest_runs(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke,
        assets_file,
        "--select",
        "one_shot triples",
        "--partition-range",
        "2024-01-01...2024-01-04",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert [range_of(r) for r in runs(home)] == [("2024-01-01", "2024-01-03"), (None, None)]


def test_backfill_runs_unpartitioned_downstream_once_after_every_partition(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke, assets_file, "--select", "per_day+", "--partition-range", "2024-01-01...2024-01-04"
    )
    assert result.exit_code == 0, result.output
    assert last_line(result) == "COMPLETED_SUCCESS: 5 of 5 runs succeeded"
    found = runs(home)
    assert [r.tags.get(PARTITION_TAG) for r in found] == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
        None,
    ]
    rows = listed(invoke, assets_file)
    assert (rows["per_day"]["stale"], rows["summary"]["stale"]) == (False, False)


def test_failed_run_of_a_backfill_exits_1_after_running_the_rest(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke,
        assets_file,
        "--select",
        "per_day+",
        "--partition-range",
        "2024-01-01...2024-01-04",
        "--config-json",
        '{"ops": {"summary": {"config": {"scale": 3}}}}',
    )
    assert result.exit_code == 1
    # a failed blocking check fails the step that evaluated it, as in the reference
    assert "failed. Steps failed: ['summary" in result.stdout
    assert last_line(result) == "COMPLETED_FAILED: 4 of 5 runs succeeded"
    assert [r.status for r in runs(home)][-1] is RunStatus.FAILURE


def test_backfill_config_for_ops_of_no_run_is_still_refused(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke,
        assets_file,
        "--select",
        "per_day+",
        "--partition-range",
        "2024-01-01...2024-01-04",
        "--config-json",
        '{"ops": {"sumary": {"config": {"scale": 3}}}}',
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 problem(s) in run config for job '__ASSET_JOB':\n"
        '  ops: unknown field "sumary"; expected one of "per_day"\n'
    )
    assert runs(home) == []


def test_dynamic_partition_range_reads_keys_from_the_instance(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    with Instance.from_config(home) as instance:
        instance.add_dynamic_partitions("fruits", ["apple", "banana", "cherry"])
    result = materialize(
        invoke, assets_file, "--select", "fruit", "--partition-range", "apple...banana"
    )
    assert result.exit_code == 0, result.output
    assert [r.tags[PARTITION_TAG] for r in runs(home)] == ["apple", "banana"]


@pytest.mark.parametrize("bad", ["2024-01-01..2024-01-03", "2024-01-01...", "2024-01-01"])
def test_bad_range_syntax_exits_1_saying_the_form(
    invoke: Invoke, assets_file: Path, home: Path, bad: str
) -> None:
    result = materialize(invoke, assets_file, "--select", "per_day", "--partition-range", bad)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: --partition-range {bad!r} is not FIRST...LAST (three dots between two "
        "partition keys)\n"
    )
    assert runs(home) == []


def test_unknown_key_in_a_range_names_the_nearest(invoke: Invoke, assets_file: Path) -> None:
    result = materialize(
        invoke, assets_file, "--select", "per_day", "--partition-range", "2024-01-01...2024-01-09"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: partition key '2024-01-09' is not in daily partitions starting 2024-01-01 (UTC) "
        "and ending before 2024-01-05; nearest valid keys: '2024-01-02', '2024-01-03', "
        "'2024-01-04'\n"
    )


def test_partition_and_partition_range_together_are_refused(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke,
        assets_file,
        "--select",
        "per_day",
        "--partition",
        "2024-01-01",
        "--partition-range",
        "2024-01-01...2024-01-02",
    )
    assert result.exit_code == 1
    assert result.stderr == "Error: give --partition or --partition-range, not both\n"
    assert runs(home) == []


def test_range_over_unpartitioned_assets_is_refused(invoke: Invoke, assets_file: Path) -> None:
    result = materialize(
        invoke, assets_file, "--select", "summary", "--partition-range", "2024-01-01...2024-01-02"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --partition-range needs partitioned assets; the selected assets have no "
        "partitions\n"
    )


def test_selecting_an_external_asset_is_refused(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(
        invoke, assets_file, "--select", "landing summary", "--partition", "2024-01-01"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the selection includes external assets ['landing'], which headwater cannot "
        "materialize; leave them out of --select\n"
    )
    assert runs(home) == []


def test_selection_of_an_unknown_group_is_refused_with_a_suggestion(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(invoke, assets_file, "--select", "group:dialy")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --select 'group:dialy' matches no asset; did you mean 'group:daily'? "
        "(groups: daily, default, ext)\n"
    )
    assert runs(home) == []


def test_partitioned_selection_without_a_partition_says_how_to_give_one(
    invoke: Invoke, assets_file: Path
) -> None:
    result = materialize(invoke, assets_file, "--select", "per_day")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: asset 'per_day' is partitioned; give the partition to run with "
        "--partition KEY or --partition-range FIRST...LAST\n"
    )
    several = materialize(invoke, assets_file, "--select", "group:daily")
    assert several.stderr.startswith(
        "Error: the selection (assets 'one_shot', 'per_day', 'triples') is partitioned; give"
    )


def test_partition_for_unpartitioned_assets_says_to_drop_the_flag(
    invoke: Invoke, assets_file: Path, home: Path
) -> None:
    result = materialize(invoke, assets_file, "--select", "summary", "--partition", "2024-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: asset 'summary' has no partitions, but the run asks for partition "
        "'2024-01-01'; drop --partition\n"
    )
    assert runs(home) == []


def test_materialize_takes_run_config_and_tags(
    invoke: Invoke, assets_file: Path, write: Write, home: Path
) -> None:
    for day in ("2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"):
        assert (
            materialize(invoke, assets_file, "--select", "per_day", "--partition", day).exit_code
            == 0
        )
    config = write("scale.yaml", "ops:\n  summary:\n    config:\n      scale: 2\n")
    result = materialize(
        invoke,
        assets_file,
        "--select",
        "summary",
        "-c",
        str(config),
        "--tags",
        '{"team": "wx"}',
        "--json",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    check = next(line for line in lines if line.get("event_type") == "ASSET_CHECK_EVALUATION")
    assert check["data"]["metadata"]["value"]["raw_value"] == 8
    assert lines[-1]["kind"] == "summary"
    assert runs(home)[-1].tags["team"] == "wx"


def test_module_level_spec_of_a_multi_asset_is_not_taken_for_an_external_asset(
    invoke: Invoke, write: Write
) -> None:
    path = write(
        "multi.py",
        """
        import headwater as dg

        left = dg.AssetSpec("left")
        outside = dg.AssetSpec("outside")

        @dg.multi_asset(specs=[left, dg.AssetSpec("right", deps=[outside])])
        def pair():
            yield dg.MaterializeResult(asset_key="left")
            yield dg.MaterializeResult(asset_key="right")
        """,
    )
    rows = listed(invoke, path)
    assert {key: row["kind"] for key, row in rows.items()} == {
        "outside": "external",
        "left": "asset",
        "right": "asset",
    }


def test_select_star_materializes_every_executable_asset(
    invoke: Invoke, write: Write, home: Path
) -> None:
    path = write(
        "star.py",
        "import headwater as dg\n\n"
        "@dg.asset(deps=['outside'])\ndef a():\n    return 1\n\n"
        "@dg.asset\ndef b(a):\n    return a + 1\n",
    )
    result = materialize(invoke, path, "--select", "*", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    materialized = [
        line["data"]["asset_key"]
        for line in lines
        if line.get("event_type") == "ASSET_MATERIALIZATION"
    ]
    # 'outside' is an external asset (a dependency nothing defines): '*' leaves it out.
    assert sorted(materialized) == ["a", "b"]
    assert [run.status for run in runs(home)] == [RunStatus.SUCCESS]
