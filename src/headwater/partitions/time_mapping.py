"""Map time windows to the upstream windows they overlap, optionally shifted."""

from __future__ import annotations

from collections.abc import Iterable

from headwater._warnings import beta_param_warning
from headwater.errors import InvalidDefinitionError
from headwater.partitions.definition import PartitionsDefinition
from headwater.partitions.mapping import MappingScope, PartitionMapping
from headwater.partitions.time_window import TimeWindow, TimeWindowPartitionsDefinition

__all__ = ["TimeWindowPartitionMapping"]


class TimeWindowPartitionMapping(PartitionMapping):
    """Each time window reads the upstream windows that overlap it.

    A daily partition reads the 24 hourly partitions of its day; an hourly partition reads
    the daily partition holding it. Offsets, in units of downstream windows, widen or move
    the window: ``start_offset=-1`` makes ``2024-01-02`` read ``2024-01-01`` and
    ``2024-01-02``. Upstream windows before the upstream's first or after its last one are
    dropped when only an offset reaches them (so the first day can still run); when the
    window itself has no upstream partition they are reported as required but nonexistent,
    unless ``allow_nonexistent_upstream_partitions``.

    Args:
        start_offset: shift the start by this many downstream windows.
        end_offset: shift the end by this many downstream windows.
        allow_nonexistent_upstream_partitions: drop missing upstream windows silently.

    Example:
        ``AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-1))``
    """

    def __init__(
        self,
        start_offset: int = 0,
        end_offset: int = 0,
        allow_nonexistent_upstream_partitions: bool = False,
    ) -> None:
        if allow_nonexistent_upstream_partitions:
            beta_param_warning(
                "allow_nonexistent_upstream_partitions",
                "initializer `TimeWindowPartitionMapping.__init__`",
            )
        if start_offset > end_offset:
            raise InvalidDefinitionError(
                f"TimeWindowPartitionMapping: start_offset={start_offset} is after "
                f"end_offset={end_offset}; the start may not come after the end"
            )
        self.start_offset = start_offset
        self.end_offset = end_offset
        self.allow_nonexistent_upstream_partitions = allow_nonexistent_upstream_partitions

    def upstream_keys_for(
        self,
        keys: list[str],
        downstream_def: PartitionsDefinition | None,
        upstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> tuple[Iterable[str], Iterable[str]]:
        """Existing and missing upstream windows overlapping each (shifted) window."""
        down = _time_def(downstream_def, "downstream")
        up = _time_def(upstream_def, "upstream")
        existing: list[str] = []
        missing: list[str] = []
        for key in keys:
            own = set(up.get_partition_keys_overlapping(down.time_window_for_partition_key(key)))
            shifted = down.get_shifted_time_window(key, self.start_offset, self.end_offset)
            for candidate in up.get_partition_keys_overlapping(shifted):
                if scope.has(up, candidate):
                    existing.append(candidate)
                elif candidate in own and not self.allow_nonexistent_upstream_partitions:
                    missing.append(candidate)
        return existing, missing

    def downstream_keys_for(
        self,
        keys: list[str],
        upstream_def: PartitionsDefinition | None,
        downstream_def: PartitionsDefinition,
        scope: MappingScope,
    ) -> Iterable[str]:
        """Existing downstream windows whose shifted windows overlap each upstream window."""
        up = _time_def(upstream_def, "upstream")
        down = _time_def(downstream_def, "downstream")
        found: list[str] = []
        for key in keys:
            overlapping = down.get_partition_keys_overlapping(up.time_window_for_partition_key(key))
            if not overlapping:
                continue
            # Downstream window i reads windows i+start_offset .. i+end_offset, so the ones
            # reading [first, last] run from first-end_offset to last-start_offset.
            start = down.get_shifted_time_window(overlapping[0], -self.end_offset, -self.end_offset)
            end = down.get_shifted_time_window(
                overlapping[-1], -self.start_offset, -self.start_offset
            )
            candidates = down.get_partition_keys_overlapping(TimeWindow(start.start, end.end))
            found.extend(scope.existing(down, candidates))
        return found


def _time_def(pdef: PartitionsDefinition | None, end: str) -> TimeWindowPartitionsDefinition:
    if not isinstance(pdef, TimeWindowPartitionsDefinition):
        got = "no partitions" if pdef is None else pdef.describe()
        raise InvalidDefinitionError(
            f"TimeWindowPartitionMapping maps time windows to time windows, but the {end} "
            f"asset has {got}; use a time-window partitions definition or another mapping"
        )
    return pdef
