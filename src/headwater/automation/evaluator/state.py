"""What an evaluation reads from the instance, read once into plain values.

The evaluator is a pure function of the asset graph, this snapshot, the evaluation time and
the cursor; :func:`read_instance_state` is the only place it touches storage, so the daemon
can take a snapshot, evaluate, and record the result without the evaluator doing I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.assets.checks import AssetCheckKey
from headwater.automation.evaluator.subset import PartitionKey
from headwater.events import EventType
from headwater.partitions.dynamic import DynamicPartitionsDefinition
from headwater.partitions.multi import MultiPartitionsDefinition
from headwater.storage.backfill_units import unit_states
from headwater.storage.backfills import BackfillRecord, claims_of_many, requested_backfills
from headwater.storage.instance import Instance
from headwater.storage.queries import EventRecordsFilter
from headwater.storage.runs import RunStatus

__all__ = [
    "AssetUpdate",
    "BackfillTarget",
    "CheckEvaluation",
    "InstanceState",
    "PartitionRef",
    "RunInfo",
    "read_instance_state",
]


@dataclass(frozen=True, slots=True)
class AssetUpdate:
    """One stored materialization or observation of an asset partition."""

    storage_id: int
    timestamp: float
    run_id: str


@dataclass(frozen=True, slots=True)
class CheckEvaluation:
    """One stored evaluation of an asset check."""

    storage_id: int
    timestamp: float
    run_id: str
    passed: bool


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What conditions read of a run: its status, tags and the assets it was launched for.

    ``targets`` is the run's explicit asset selection; runs of a whole asset job (what
    ``materialize`` makes) have none, so nothing counts as their "root target".
    """

    status: RunStatus
    tags: Mapping[str, str]
    targets: frozenset[Any] = frozenset()


@dataclass(frozen=True, slots=True)
class BackfillTarget:
    """What one run (unit) of a requested backfill materializes.

    Attributes:
        backfill_id: the backfill.
        assets: the assets the run materializes; ``None``: every asset of the code.
        partition: the run's one partition.
        range: ``(first, last)`` of the run's partitions. Neither: the run of the
            backfill's unpartitioned assets.
        pending: whether the backfill will still run it: it is in flight, or still to run
            and not blocked by a failed run it waits for (a run that succeeded, or failed
            in the current generation, is done).
    """

    backfill_id: str
    assets: frozenset[AssetKey] | None
    partition: str | None = None
    range: tuple[str, str] | None = None
    pending: bool = True


PartitionRef = tuple[AssetKey, PartitionKey]


@dataclass(frozen=True)
class InstanceState:
    """The instance's asset state at one moment, as plain values.

    Attributes:
        max_storage_id: the newest stored event's id (0 when none): the next evaluation's
            "since" mark.
        materializations: every materialization of each asset partition, oldest first.
        observations: every observation of each asset partition, oldest first.
        planned: the newest planned materialization of each asset partition.
        planned_run_ids: the runs that planned to materialize each asset (any partition):
            tells a parent update that came with its child from one that did not.
        runs: the runs those events belong to.
        check_evaluations: every evaluation of each check, oldest first.
        dynamic_partitions: the keys of each dynamic partitions definition the graph uses.
        backfill_targets: the runs of the backfills being worked through (``REQUESTED``).
    """

    max_storage_id: int = 0
    materializations: Mapping[PartitionRef, Sequence[AssetUpdate]] = field(default_factory=dict)
    observations: Mapping[PartitionRef, Sequence[AssetUpdate]] = field(default_factory=dict)
    planned: Mapping[PartitionRef, AssetUpdate] = field(default_factory=dict)
    planned_run_ids: Mapping[AssetKey, frozenset[str]] = field(default_factory=dict)
    runs: Mapping[str, RunInfo] = field(default_factory=dict)
    check_evaluations: Mapping[AssetCheckKey, Sequence[CheckEvaluation]] = field(
        default_factory=dict
    )
    dynamic_partitions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    backfill_targets: Sequence[BackfillTarget] = ()

    # A DynamicPartitionsStore, so partitions definitions read their keys from the snapshot.
    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        """The keys of the dynamic partitions definition named so."""
        return self.dynamic_partitions.get(partitions_def_name, ())

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether that dynamic partitions definition holds the key."""
        return partition_key in self.get_dynamic_partitions(partitions_def_name)

    def latest_update(self, ref: PartitionRef, *, observations: bool) -> AssetUpdate | None:
        """The newest materialization (or observation, when asked) of one partition."""
        found = list(self.materializations.get(ref, ())[-1:])
        if observations:
            found += self.observations.get(ref, ())[-1:]
        return max(found, key=lambda u: u.storage_id, default=None)

    def planned_run(self, ref: PartitionRef) -> tuple[AssetUpdate, RunInfo] | None:
        """The newest planned materialization of one partition and its run, or ``None``."""
        planned = self.planned.get(ref)
        run = None if planned is None else self.runs.get(planned.run_id)
        return None if planned is None or run is None else (planned, run)

    def materialized_by(self, ref: PartitionRef, planned: AssetUpdate) -> bool:
        """Whether the run that planned the partition went on to materialize it (a failed
        run may have, before failing)."""
        later = self.updates_after(ref, planned.storage_id, observations=False)
        return any(u.run_id == planned.run_id for u in later)

    def updates_after(
        self, ref: PartitionRef, storage_id: int, *, observations: bool
    ) -> list[AssetUpdate]:
        """The materializations (and observations, when asked) stored after ``storage_id``."""
        found = [u for u in self.materializations.get(ref, ()) if u.storage_id > storage_id]
        if observations:
            found += [u for u in self.observations.get(ref, ()) if u.storage_id > storage_id]
        return sorted(found, key=lambda u: u.storage_id)


def _dynamic_names(partitions_defs: Iterable[Any]) -> set[str]:
    names: set[str] = set()
    for pdef in partitions_defs:
        inner = (
            [d.partitions_def for d in pdef.partitions_defs]
            if isinstance(pdef, MultiPartitionsDefinition)
            else [pdef]
        )
        names.update(d.name for d in inner if isinstance(d, DynamicPartitionsDefinition) and d.name)
    return names


def read_instance_state(instance: Instance, partitions_defs: Iterable[Any] = ()) -> InstanceState:
    """Read what conditions need from ``instance``: asset events, their runs, dynamic keys,
    the requested backfills.

    Args:
        instance: the instance to read.
        partitions_defs: the graph's partitions definitions (their dynamic keys are read).
    """
    # Backfills first: a unit's claim is committed with its run, so every run claimed here
    # is among the runs read below (a claimed run missing would count as failed).
    backfills = requested_backfills(instance)
    claims = claims_of_many(instance, backfills)
    by_type = {
        t: instance.get_event_records(EventRecordsFilter(event_type=t), ascending=True)
        for t in (
            EventType.ASSET_MATERIALIZATION,
            EventType.ASSET_OBSERVATION,
            EventType.ASSET_MATERIALIZATION_PLANNED,
            EventType.ASSET_CHECK_EVALUATION,
        )
    }
    updates: dict[EventType, dict[PartitionRef, list[AssetUpdate]]] = {
        t: defaultdict(list) for t in by_type
    }
    checks: dict[AssetCheckKey, list[CheckEvaluation]] = defaultdict(list)
    max_id = 0
    for event_type, records in by_type.items():
        for record in records:
            max_id = max(max_id, record.storage_id)
            data = record.event.data
            key = AssetKey.from_user_string(str(data.get("asset_key")))
            if event_type is EventType.ASSET_CHECK_EVALUATION:
                check_key = AssetCheckKey(key, str(data.get("check_name")))
                checks[check_key].append(
                    CheckEvaluation(
                        record.storage_id,
                        record.timestamp,
                        record.run_id,
                        bool(data.get("passed")),
                    )
                )
                continue
            ref = (key, data.get("partition"))
            updates[event_type][ref].append(
                AssetUpdate(record.storage_id, record.timestamp, record.run_id)
            )
    planned = updates[EventType.ASSET_MATERIALIZATION_PLANNED]
    # Runs record no asset selection yet (the automation daemon's runs will): `targets` is
    # left empty, as the reference's is for runs of whole asset jobs.
    planned_run_ids: dict[AssetKey, set[str]] = defaultdict(set)
    for (key, _), found in planned.items():
        planned_run_ids[key].update(u.run_id for u in found)
    runs = {run.run_id: RunInfo(run.status, dict(run.tags)) for run in instance.get_runs()}
    statuses = {run_id: info.status for run_id, info in runs.items()}
    targets = [
        target
        for record in backfills
        for target in _targets(record, claims.get(record.backfill_id, {}), statuses)
    ]
    return InstanceState(
        max_storage_id=max_id,
        materializations=dict(updates[EventType.ASSET_MATERIALIZATION]),
        observations=dict(updates[EventType.ASSET_OBSERVATION]),
        planned={ref: found[-1] for ref, found in planned.items()},
        planned_run_ids={k: frozenset(v) for k, v in planned_run_ids.items()},
        runs=runs,
        check_evaluations=dict(checks),
        dynamic_partitions={
            name: list(instance.get_dynamic_partitions(name))
            for name in _dynamic_names(partitions_defs)
        },
        backfill_targets=tuple(targets),
    )


def _targets(
    record: BackfillRecord,
    claims: Mapping[tuple[int, str], str],
    statuses: Mapping[str, RunStatus],
) -> list[BackfillTarget]:
    pending = unit_states(record, claims, statuses).pending
    found = []
    for unit in record.units:
        selection = record.unit_selection(unit)
        assets = (
            None
            if selection is None
            else frozenset(AssetKey.from_user_string(name) for name in selection)
        )
        found.append(
            BackfillTarget(
                record.backfill_id, assets, unit.partition, unit.range, unit.key in pending
            )
        )
    return found
