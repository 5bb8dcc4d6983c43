"""``AssetExecutionContext``: what an asset function sees as ``context``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.errors import InvariantViolationError
from headwater.execution.context import OpExecutionContext

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.definition import AssetsDefinition

__all__ = ["AssetExecutionContext"]


class AssetExecutionContext(OpExecutionContext):
    """The context of a step that materializes assets.

    Everything an op's context has, plus the assets in play: ``asset_key``,
    ``selected_asset_keys``, ``assets_def`` and the partition being materialized.
    """

    def __init__(
        self,
        *,
        assets_def: AssetsDefinition,
        selected_asset_keys: frozenset[AssetKey],
        partition_key_range: Any = None,
        input_partition_keys: Callable[[str], list[str]] | None = None,
        output_keys: Mapping[str, AssetKey] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # An op inside a graph-backed asset: its own outputs that materialize assets.
        self._output_keys = dict(output_keys) if output_keys is not None else None
        self._input_partition_keys = input_partition_keys
        self.assets_def = assets_def
        self._key_range = partition_key_range
        self._selected = frozenset(selected_asset_keys) & assets_def.keys

    @property
    def has_assets_def(self) -> bool:
        """Always true here: this step computes assets."""
        return True

    @property
    def op_execution_context(self) -> OpExecutionContext:
        """The op-level view of this context (here the same object: it is one)."""
        return self

    @property
    def selected_output_names(self) -> set[str]:
        """The op outputs of the selected assets (a subset run computes only these)."""
        if self._output_keys is not None:
            return {name for name, key in self._output_keys.items() if key in self._selected}
        return {self.assets_def.output_name_for_key(k) for k in self._selected}

    @property
    def selected_asset_check_keys(self) -> set[Any]:
        """The keys of the checks of the selected assets that this step evaluates."""
        return {s.key for s in self.assets_def.check_specs if s.asset_key in self._selected}

    @property
    def asset_key(self) -> AssetKey:
        """The key of the asset being materialized (single-asset steps only).

        Raises:
            InvariantViolationError: the step materializes several assets.
        """
        keys = self.assets_def.keys
        if len(keys) != 1:
            raise InvariantViolationError(
                f"context.asset_key is ambiguous in '{self.op_def.name}', which materializes "
                f"{sorted(k.to_user_string() for k in keys)}; use "
                "context.asset_key_for_output(name) or context.selected_asset_keys"
            )
        return next(iter(keys))

    @property
    def selected_asset_keys(self) -> frozenset[AssetKey]:
        """The assets this run asks the step to materialize."""
        return self._selected

    def asset_key_for_output(self, output_name: str = "result") -> AssetKey:
        """The asset produced by ``output_name``."""
        if self._output_keys is not None:
            return self._output_keys[output_name]
        return self.assets_def.specs_by_output[output_name].key

    @property
    def partition_key_range(self) -> Any:
        """The range of partitions being materialized (one key gives a one-key range).

        Raises:
            InvariantViolationError: the run targets no partitions.
        """
        if self._key_range is None:
            raise InvariantViolationError(
                f"asset step '{self.op_def.name}' asked for context.partition_key_range, but "
                "this run targets no partitions"
            )
        return self._key_range

    @property
    def partition_keys(self) -> list[str]:
        """Every partition key being materialized."""
        partitions_def = self.assets_def.partitions_def
        keys = partitions_def.get_partition_keys_in_range(
            self.partition_key_range, dynamic_partitions_store=self.instance
        )
        return list(keys)

    @property
    def partition_time_window(self) -> Any:
        """The time window of the partition being materialized (time partitions only)."""
        partitions_def = self.assets_def.partitions_def
        if partitions_def is None or not hasattr(partitions_def, "time_window_for_partition_key"):
            raise InvariantViolationError(
                f"asset step '{self.op_def.name}' has no time-window partitions; "
                "context.partition_time_window needs a time-based partitions definition"
            )
        key_range = self.partition_key_range
        first = partitions_def.time_window_for_partition_key(key_range.start)
        last = partitions_def.time_window_for_partition_key(key_range.end)
        return type(first)(first.start, last.end)

    def asset_partition_keys_for_input(self, input_name: str) -> list[str]:
        """The upstream partition keys that input ``input_name`` reads in this run.

        Raises:
            InvariantViolationError: the input reads no partitioned asset.
        """
        if self._input_partition_keys is None:
            raise InvariantViolationError(
                f"asset step '{self.op_def.name}' is not running in a job; "
                "asset_partition_keys_for_input needs a run"
            )
        return self._input_partition_keys(input_name)

    def asset_partition_key_for_input(self, input_name: str) -> str:
        """The one upstream partition key that input ``input_name`` reads.

        Raises:
            InvariantViolationError: it reads several partitions (or none).
        """
        keys = self.asset_partition_keys_for_input(input_name)
        if len(keys) != 1:
            raise InvariantViolationError(
                f"input '{input_name}' of '{self.op_def.name}' reads {len(keys)} partitions; "
                "use asset_partition_keys_for_input"
            )
        return keys[0]

    def asset_partition_key_range_for_input(self, input_name: str) -> Any:
        """The range from the first to the last upstream partition key the input reads."""
        keys = self.asset_partition_keys_for_input(input_name)
        from headwater.partitions.definition import PartitionKeyRange  # partitioned runs

        return PartitionKeyRange(keys[0], keys[-1])

    @property
    def asset_partition_key_range(self) -> Any:
        """The same as ``partition_key_range``."""
        return self.partition_key_range
