"""Which partitions a run targets, and which upstream partitions each input reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.errors import InvalidInvocationError

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.definition import AssetsDefinition
    from headwater.jobs.job import JobDefinition

__all__ = [
    "PARTITION_TAG",
    "PYTHON_PARTITION_ADVICE",
    "RANGE_END_TAG",
    "RANGE_START_TAG",
    "UNPARTITIONED",
    "PartitionAdvice",
    "RunPartitions",
    "check_partition_request",
    "resolve_run_partitions",
    "upstream_partition_facts",
]

# The partition arguments of an IO context for an unpartitioned asset (the most common;
# shared, so read only).
UNPARTITIONED: Mapping[str, Any] = MappingProxyType(
    {"partition_key": None, "asset_partitions_def": None}
)

# The reference's tag names, so tools that read them (and Dagster users) find them.
PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


@dataclass(frozen=True)
class RunPartitions:
    """The partitions one run materializes.

    Attributes:
        key: the partition key, when the run targets exactly one.
        key_range: the range targeted (one key gives a one-key range).
        keys: every key of the range, in order.
        partitions_def: the job's partitions definition.
    """

    key: str | None = None
    key_range: Any = None
    keys: tuple[str, ...] = ()
    partitions_def: Any = None

    @property
    def tags(self) -> dict[str, str]:
        """Run tags that record the target."""
        if self.key is not None:
            return {PARTITION_TAG: self.key}
        if self.key_range is not None:
            return {RANGE_START_TAG: self.key_range.start, RANGE_END_TAG: self.key_range.end}
        return {}


NO_PARTITIONS = RunPartitions()


@dataclass(frozen=True, slots=True)
class PartitionAdvice:
    """How a caller asks a run for partitions, so that an error's fix names what it types.

    Attributes:
        give: how to give a partition (a keyword for Python, a flag for the CLI).
        drop: how to stop asking for one.
    """

    give: str
    drop: str


PYTHON_PARTITION_ADVICE = PartitionAdvice(
    give=(
        f"partition_key=... (or a range with the tags '{RANGE_START_TAG}' and '{RANGE_END_TAG}')"
    ),
    drop="drop partition_key",
)


def check_partition_request(
    job: JobDefinition,
    partition_key: str | None,
    tags: Mapping[str, str],
    *,
    subject: str | None = None,
    advice: PartitionAdvice = PYTHON_PARTITION_ADVICE,
) -> None:
    """Check that a run of ``job`` asks for partitions exactly when the job has them.

    Args:
        job: the job to run.
        partition_key: the partition asked for, if any.
        tags: the run's tags (a range is asked for with the range tags).
        subject: how the caller names what runs (``"asset 'daily'"``); the job by default.
        advice: how the caller gives a partition, for the fix the message suggests.

    Raises:
        InvalidInvocationError: no partition for a partitioned job, or one for an
            unpartitioned job.
    """
    start, end = tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG)
    partition_key = _asked_key(job, partition_key, tags)
    asked = partition_key is not None or start is not None or end is not None
    subject = subject or f"job '{job.name}'"
    if not asked and job.partitions_def is not None:
        raise InvalidInvocationError(
            f"{subject} is partitioned; give the partition to run with {advice.give}"
        )
    if asked and job.partitions_def is None:
        raise InvalidInvocationError(
            f"{subject} has no partitions, but the run asks for partition "
            f"{partition_key or f'{start}...{end}'!r}; {advice.drop}"
        )


def resolve_run_partitions(
    job: JobDefinition, partition_key: str | None, tags: Mapping[str, str], instance: Any
) -> RunPartitions:
    """The partitions a run of ``job`` targets, from ``partition_key`` or the run's tags.

    Raises:
        InvalidInvocationError: a key for an unpartitioned job, or no key for a
            partitioned one.
        UnknownPartitionError: a key that is not in the job's partitions (naming the
            nearest valid keys).
    """
    partition_key = _asked_key(job, partition_key, tags)
    check_partition_request(job, partition_key, tags)
    start, end = tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG)
    partitions_def = job.partitions_def
    if partitions_def is None:
        return NO_PARTITIONS
    from headwater.partitions import PartitionKeyRange  # deferred: most runs are unpartitioned

    if partition_key is not None:
        partitions_def.validate_partition_key(partition_key, dynamic_partitions_store=instance)
        # A multi-partitioned run's key knows its parts (context.partition_key.keys_by_dimension).
        as_multi = getattr(partitions_def, "get_partition_key_from_str", None)
        if as_multi is not None:
            partition_key = as_multi(partition_key)
        return RunPartitions(
            partition_key,
            PartitionKeyRange(partition_key, partition_key),
            (partition_key,),
            partitions_def,
        )
    if start is None or end is None:
        raise InvalidInvocationError(
            f"a partition range needs both tags '{RANGE_START_TAG}' and '{RANGE_END_TAG}'"
        )
    for key in (start, end):
        partitions_def.validate_partition_key(key, dynamic_partitions_store=instance)
    key_range = PartitionKeyRange(start, end)
    keys = tuple(
        partitions_def.get_partition_keys_in_range(key_range, dynamic_partitions_store=instance)
    )
    return RunPartitions(keys[0] if len(keys) == 1 else None, key_range, keys, partitions_def)


def _asked_key(job: JobDefinition, partition_key: str | None, tags: Mapping[str, str]) -> Any:
    if partition_key is None and job.partitions_def is not None:
        # As the reference: a partitioned job's run reads its partition from this tag too
        # (how its CLI gives one); an unpartitioned job's run ignores the tag.
        return tags.get(PARTITION_TAG)
    return partition_key


def upstream_partition_facts(
    run: RunPartitions,
    downstream: AssetsDefinition | None,
    upstream_key: AssetKey,
    upstream_def: Any,
    instance: Any,
) -> Mapping[str, Any]:
    """``InputContext`` partition arguments for reading ``upstream_key``'s value."""
    if upstream_def is None:
        return UNPARTITIONED
    explicit = downstream.partition_mappings.get(upstream_key) if downstream else None
    if (
        not run.keys
        and explicit is not None
        and type(explicit).__name__ != "IdentityPartitionMapping"
    ):
        # An unpartitioned asset with a mapping (last, specific, all) reads what it says.
        picked = explicit.get_upstream_partition_keys(
            [], None, upstream_def, dynamic_partitions_store=instance
        ).partition_keys
        return {
            "partition_key": picked[0] if len(picked) == 1 else None,
            "asset_partition_keys": list(picked),
            "asset_partitions_def": upstream_def,
        }
    if not run.keys:
        # An unpartitioned asset reads every partition of a partitioned upstream.
        every = list(upstream_def.get_partition_keys(dynamic_partitions_store=instance))
        return {
            "partition_key": every[0] if len(every) == 1 else None,
            "asset_partition_keys": every,
            "asset_partitions_def": upstream_def,
        }
    from headwater.partitions import infer_partition_mapping

    mapping = infer_partition_mapping(explicit, run.partitions_def, upstream_def)
    result = mapping.get_upstream_partition_keys(
        list(run.keys), run.partitions_def, upstream_def, dynamic_partitions_store=instance
    )
    keys: Sequence[str] = result.partition_keys
    return {
        "partition_key": keys[0] if len(keys) == 1 else None,
        "asset_partition_keys": list(keys),
        "asset_partitions_def": upstream_def,
    }
