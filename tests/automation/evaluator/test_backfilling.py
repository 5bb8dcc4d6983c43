"""Conditions that read the instance's backfills: ``backfill_in_progress`` (so ``in_progress``
and ``eager``) and the legacy ``skip_on_backfill_in_progress`` rule, against backfills
launched and worked through by the daemon's duty, as ``headwater backfill launch`` does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.automation.evaluator import read_instance_state
from headwater.daemon.backfills import BackfillDuty, cancel_backfill, launch_backfill, plan_backfill
from headwater.daemon.worker import start_queued_run
from headwater.location.code import CodePointer, import_code
from headwater.storage import Instance, RunStatus
from headwater.storage.backfills import read_backfill

pytestmark = pytest.mark.filterwarnings(
    "ignore::headwater.BetaWarning", "ignore::DeprecationWarning"
)

T0 = datetime(2024, 1, 5, 10, 30, tzinfo=timezone.utc)

DEFS = """
import headwater as dg

AC = dg.AutomationCondition
ABC = dg.StaticPartitionsDefinition(["a", "b", "c"])
EAGER = dg.AutoMaterializePolicy.eager(max_materializations_per_minute=None)
ALL = EAGER.with_rules(dg.AutoMaterializeRule.skip_on_backfill_in_progress(all_partitions=True))

@dg.asset(partitions_def=ABC)
def up():
    return 1

@dg.asset(partitions_def=ABC, deps=[up], automation_condition=AC.eager())
def down():
    return 1

@dg.asset(partitions_def=ABC, automation_condition=AC.backfill_in_progress())
def probe(context):
    if context.partition_key == "b":
        raise RuntimeError("b fails")
    return 1

@dg.asset(partitions_def=ABC, deps=[up], auto_materialize_policy=EAGER)
def legacy():
    return 1

@dg.asset(partitions_def=ABC, deps=[up], auto_materialize_policy=ALL)
def legacy_all():
    return 1

defs = dg.Definitions(assets=[up, down, probe, legacy, legacy_all])
"""


class Setup:
    """A SQLite instance, the definitions above in a file, and evaluations carrying the
    cursor."""

    def __init__(self, instance: Instance, code: CodePointer) -> None:
        self.instance, self.code = instance, code
        self.defs = import_code(code)[0].defs
        self.cursor: Any = None
        self.minutes = 0

    def launch(self, select: str, partitions: list[str]) -> str:
        job, selection, final, units = plan_backfill(
            self.defs, select=select, partition_keys=partitions, instance=self.instance
        )
        record = launch_backfill(
            self.instance,
            code=self.code,
            job_name=job,
            asset_selection=selection,
            final_selection=final,
            units=units,
        )
        return record.backfill_id

    def tick(self) -> dict[str, list[str]]:
        """What one evaluation requests, by asset."""
        self.minutes += 1
        result = hw.evaluate_automation_conditions(
            defs=self.defs,
            instance=self.instance,
            evaluation_time=T0 + timedelta(minutes=self.minutes),
            cursor=self.cursor,
        )
        self.cursor = result.cursor
        found = {
            k.to_user_string(): sorted(str(p) for p in result.get_requested_partitions(k))
            for k in self.defs.resolve_asset_graph().all_keys
        }
        return {k: v for k, v in found.items() if v}

    def materialize_up(self, *partitions: str) -> None:
        up = self.defs.resolve_asset_graph().def_by_key[hw.AssetKey("up")]
        for p in partitions:
            hw.materialize([up], instance=self.instance, partition_key=p)

    def run_queued(self, partition: str | None = None) -> None:
        """Run the queued runs (of one partition only, if given) in this process."""
        for run in self.instance.get_runs(statuses=[RunStatus.QUEUED], ascending=True):
            if partition is None or run.tags.get("dagster/partition") == partition:
                start_queued_run(self.instance, run.run_id)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    (tmp_path / "defs.py").write_text(DEFS)
    with Instance.from_config(tmp_path / "home") as instance:
        yield Setup(instance, CodePointer.for_file(str(tmp_path / "defs.py")))


def test_eager_waits_for_a_backfill_of_the_asset_and_requests_again_once_it_is_canceled(
    setup: Setup,
) -> None:
    setup.tick()
    backfill_id = setup.launch("down", ["a", "b"])
    setup.materialize_up("a", "b", "c")
    # Only `c`: the backfill is about to materialize `a` and `b`.
    assert setup.tick() == {"down": ["c"], "legacy": ["a", "b", "c"], "legacy_all": ["a", "b", "c"]}
    assert setup.tick() == {}
    cancel_backfill(setup.instance, backfill_id)
    # The parents' updates still wait to be handled: now they are.
    assert setup.tick() == {"down": ["a", "b"]}


def test_eager_does_not_repeat_what_a_completed_backfill_materialized(setup: Setup) -> None:
    setup.tick()
    setup.materialize_up("a", "b", "c")
    backfill_id = setup.launch("down", ["a", "b"])
    duty = BackfillDuty(setup.instance)
    duty.run_once(0.0)
    setup.run_queued("a")
    # `b` is still queued: still waited for; `a` was materialized by the backfill, after
    # its parent, so it is not requested either.
    assert setup.tick().get("down") == ["c"]
    setup.run_queued()
    duty.run_once(0.0)
    record = read_backfill(setup.instance, backfill_id)
    assert record is not None and record.status == "COMPLETED_SUCCESS"
    assert "down" not in setup.tick()


def test_backfill_in_progress_is_what_the_backfill_will_still_materialize(setup: Setup) -> None:
    backfill_id = setup.launch("probe", ["a", "b", "c"])
    duty = BackfillDuty(setup.instance, max_queued=1)
    assert setup.tick()["probe"] == ["a", "b", "c"]
    duty.run_once(0.0)
    setup.run_queued()  # `a` succeeds
    assert setup.tick()["probe"] == ["b", "c"]
    duty.run_once(0.0)
    setup.run_queued()  # `b` fails: the backfill will not run it again
    assert setup.tick()["probe"] == ["c"]
    duty.run_once(0.0)
    setup.run_queued()
    # Nothing is left, though the duty has not marked the backfill completed yet.
    record = read_backfill(setup.instance, backfill_id)
    assert record is not None and record.status == "REQUESTED"
    assert "probe" not in setup.tick()


def test_the_legacy_rule_skips_what_a_requested_backfill_targets(setup: Setup) -> None:
    setup.tick()
    backfill_id = setup.launch("legacy legacy_all", ["a"])
    setup.materialize_up("a", "b", "c")
    # One partition targeted: `legacy` skips it; `legacy_all` skips every partition.
    assert setup.tick() == {"down": ["a", "b", "c"], "legacy": ["b", "c"]}
    duty = BackfillDuty(setup.instance)
    duty.run_once(0.0)
    setup.run_queued()
    # Materialized by the backfill, still targeted while the backfill is requested.
    assert setup.tick() == {}
    cancel_backfill(setup.instance, backfill_id)
    # As in the reference, what the rules skipped while the backfill ran is requested once
    # it ends, also `a`, which the backfill materialized meanwhile: the materialize rules
    # carry their answer forward until a request handles it.
    assert setup.tick() == {"legacy": ["a"], "legacy_all": ["a", "b", "c"]}
    assert setup.tick() == {}


def test_a_resumed_backfill_counts_its_failed_units_again(setup: Setup) -> None:
    from headwater.daemon.backfills import resume_backfill

    backfill_id = setup.launch("probe", ["b"])
    duty = BackfillDuty(setup.instance)
    duty.run_once(0.0)
    setup.run_queued()
    duty.run_once(0.0)  # completed failed
    assert "probe" not in setup.tick()
    resume_backfill(setup.instance, backfill_id)
    assert setup.tick()["probe"] == ["b"]


def test_the_backfills_are_read_in_a_few_reads_whatever_the_number_of_assets(
    setup: Setup,
) -> None:
    for partitions in (["a"], ["b"], ["c"]):
        setup.launch("probe", partitions)
    calls: list[int] = []
    kv_get = setup.instance.kv_get

    def counted(keys: Any) -> Any:
        calls.append(len(list(keys)))
        return kv_get(keys)

    setup.instance.kv_get = counted  # type: ignore[method-assign]
    graph = setup.defs.resolve_asset_graph()
    state = read_instance_state(setup.instance, graph.partitions_def_by_key.values())
    # The index, the records, every backfill's claims: three reads for three backfills.
    assert len(calls) == 3
    assert sorted(t.partition for t in state.backfill_targets if t.partition) == ["a", "b", "c"]
    assert all(t.pending for t in state.backfill_targets)


def test_finished_backfills_are_not_in_the_snapshot(setup: Setup) -> None:
    backfill_id = setup.launch("probe", ["a"])
    cancel_backfill(setup.instance, backfill_id)
    state = read_instance_state(setup.instance)
    assert state.backfill_targets == ()
