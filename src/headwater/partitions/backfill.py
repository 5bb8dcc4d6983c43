"""How a backfill over many partitions is split into runs."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError
from headwater.partitions.definition import (
    DynamicPartitionsStore,
    PartitionKeyRange,
    PartitionsDefinition,
)

__all__ = ["BackfillPolicy", "BackfillPolicyType", "plan_backfill_runs"]


class BackfillPolicyType(enum.Enum):
    """Whether a backfill runs once over its partitions or in several runs."""

    SINGLE_RUN = "SINGLE_RUN"
    MULTI_RUN = "MULTI_RUN"


@dataclass(frozen=True, slots=True)
class BackfillPolicy:
    """How many partitions of an asset one backfill run covers.

    Build it with :meth:`single_run` or :meth:`multi_run` (or, as in Dagster,
    ``BackfillPolicy(max_partitions_per_run)``: ``None`` is single run).

    Attributes:
        policy_type: single or multi run.
        max_partitions_per_run: at most this many partitions per run; ``None`` for single
            run (no limit).

    Example:
        ``@asset(partitions_def=daily, backfill_policy=BackfillPolicy.single_run())``
    """

    policy_type: BackfillPolicyType
    max_partitions_per_run: int | None

    def __init__(self, max_partitions_per_run: int | None = 1) -> None:
        kind = BackfillPolicyType.SINGLE_RUN
        if max_partitions_per_run is not None:
            kind = BackfillPolicyType.MULTI_RUN
        object.__setattr__(self, "policy_type", kind)
        object.__setattr__(self, "max_partitions_per_run", max_partitions_per_run)

    @classmethod
    def single_run(cls) -> BackfillPolicy:
        """One run per range of partitions: the asset reads ``context.partition_key_range``."""
        return cls(None)

    @classmethod
    def multi_run(cls, max_partitions_per_run: int = 1) -> BackfillPolicy:
        """Runs of at most ``max_partitions_per_run`` consecutive partitions each.

        Raises:
            InvalidDefinitionError: ``max_partitions_per_run`` is below 1.
        """
        if max_partitions_per_run < 1:
            raise InvalidDefinitionError(
                f"BackfillPolicy.multi_run: max_partitions_per_run={max_partitions_per_run} "
                "must be at least 1"
            )
        return cls(max_partitions_per_run)

    def __repr__(self) -> str:
        if self.policy_type is BackfillPolicyType.SINGLE_RUN:
            return "BackfillPolicy.single_run()"
        return f"BackfillPolicy.multi_run(max_partitions_per_run={self.max_partitions_per_run})"


def plan_backfill_runs(
    policy: BackfillPolicy | None,
    partition_keys: Sequence[str],
    partitions_def: PartitionsDefinition,
    *,
    current_time: datetime | None = None,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
) -> list[PartitionKeyRange]:
    """Split the partitions of a backfill into runs, each a range of consecutive keys.

    A run never spans a gap: keys are put in the definition's order and split where a key
    of the definition is missing from ``partition_keys``. Then a single-run policy makes
    one run per unbroken range, a multi-run policy cuts ranges into runs of at most
    ``max_partitions_per_run`` keys, and no policy makes one run per key. A run of one key
    has ``start == end``. Pure: nothing is launched.

    Args:
        policy: the asset's ``backfill_policy`` (``None``: one run per partition).
        partition_keys: the keys to backfill, in any order; repeats are ignored.
        partitions_def: the definition the keys belong to.
        current_time: the moment to evaluate time windows at; now when ``None``.
        dynamic_partitions_store: the instance, for dynamic partitions.

    Returns:
        The runs' key ranges, in the definition's order.

    Raises:
        UnknownPartitionError: a key is not in ``partitions_def`` (nearest keys listed).
    """
    wanted = dict.fromkeys(partition_keys)  # ordered, so the first bad key is reported
    for key in wanted:
        partitions_def.validate_partition_key(key, current_time, dynamic_partitions_store)
    all_keys = partitions_def.get_partition_keys(current_time, dynamic_partitions_store)
    limit = _run_size(policy, len(all_keys))
    runs: list[PartitionKeyRange] = []
    chunk: list[str] = []
    for key in all_keys:
        if key in wanted:
            chunk.append(key)
            if len(chunk) == limit:
                runs.append(PartitionKeyRange(chunk[0], chunk[-1]))
                chunk = []
        elif chunk:  # a gap ends the run
            runs.append(PartitionKeyRange(chunk[0], chunk[-1]))
            chunk = []
    if chunk:
        runs.append(PartitionKeyRange(chunk[0], chunk[-1]))
    return runs


def _run_size(policy: BackfillPolicy | None, total: int) -> int:
    if policy is None:
        return 1
    return policy.max_partitions_per_run or max(total, 1)
