"""What ``OutputContext`` and ``InputContext`` share: the asset, its partitions, resources.

The executor builds the contexts; tests build them with ``build_output_context`` and
``build_input_context``. Partition objects (key ranges, time windows, partitions
definitions) come from the caller and are passed through untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Any, TypeVar

from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.errors import InvariantViolationError
from headwater.metadata import MetadataValue, normalize_metadata
from headwater.partitions.definition import PartitionKeyRange
from headwater.resources.context import Resources
from headwater.resources.testing import build_resources

__all__ = ["IO_LOGGER", "IOContext", "open_test_resources"]

IO_LOGGER = logging.getLogger("headwater").getChild("io")
"""The default ``log`` of the IO contexts: a child of the ``headwater`` logger."""

_Context = TypeVar("_Context", bound="IOContext")


class IOContext:
    """The attributes common to ``OutputContext`` and ``InputContext``; not built directly."""

    io_action = "store"
    """The verb for messages: ``"store"`` (outputs) or ``"load"`` (inputs)."""

    builder_name = ""
    """The ``build_*_context`` function that tests call, named in messages."""

    _step_context: Any = None  # the subclasses' constructors take it

    def __init__(
        self,
        *,
        name: str | None,
        job_name: str | None,
        op_def: Any,
        config: Any,
        metadata: Mapping[str, Any] | None,
        definition_metadata: Mapping[str, Any] | None,
        resources: Resources | Mapping[str, Any] | None,
        resource_config: Mapping[str, Any] | None,
        log: Any,
        asset_key: CoercibleToAssetKey | None,
        partition_key: str | None,
        asset_partition_keys: Sequence[str] | None,
        asset_partition_key_range: Any,
        asset_partitions_time_window: Any,
        asset_partitions_def: Any,
        dagster_type: Any,
        instance: Any,
    ) -> None:
        self._name = name
        self._job_name = job_name
        self._op_def = op_def
        self._config = config
        # ``definition_metadata`` is the newer name and wins when both are given.
        self._definition_metadata: dict[str, Any] = dict(definition_metadata or metadata or {})
        self._resources = resources if isinstance(resources, Resources) else Resources(resources)
        self._resource_config = resource_config
        self._log: Any = log if log is not None else IO_LOGGER
        self._asset_key = None if asset_key is None else AssetKey.from_coercible(asset_key)
        self._partition_key = partition_key
        keys = list(asset_partition_keys) if asset_partition_keys is not None else None
        if keys is None and partition_key is not None:
            keys = [partition_key]
        if keys is None and asset_partition_key_range is not None and asset_partitions_def:
            # A test context given a range and a definition: the keys the range spans.
            keys = list(asset_partitions_def.get_partition_keys_in_range(asset_partition_key_range))
        self._asset_partition_keys: list[str] = keys or []
        self._key_range = asset_partition_key_range
        self._time_window = asset_partitions_time_window
        self._partitions_def = asset_partitions_def
        self._dagster_type = dagster_type
        self._instance = instance
        self._logged_metadata: dict[str, MetadataValue] = {}
        self._stack: ExitStack | None = None  # resources opened by build_*_context

    # -- plain attributes -------------------------------------------------------------

    @property
    def job_name(self) -> str | None:
        """The name of the job of the run."""
        return self._job_name

    @property
    def op_def(self) -> Any:
        """The definition of the op (or asset) of the step."""
        return self._op_def

    @property
    def config(self) -> Any:
        """The per-output or per-input config, if any."""
        return self._config

    @property
    def definition_metadata(self) -> dict[str, Any]:
        """Metadata given where the output or input (or asset) was defined."""
        return self._definition_metadata

    @property
    def metadata(self) -> dict[str, Any]:
        """The same as ``definition_metadata`` (Dagster's older name)."""
        return self._definition_metadata

    @property
    def resources(self) -> Resources:
        """The resources the IO manager requires, by attribute."""
        return self._resources

    @property
    def resource_config(self) -> Mapping[str, Any] | None:
        """The IO manager's own config, if the caller gave it."""
        return self._resource_config

    @property
    def log(self) -> Any:
        """Where to log; defaults to the ``headwater.io`` logger."""
        return self._log

    @property
    def dagster_type(self) -> Any:
        """The declared type of the output or input, if any."""
        return self._dagster_type

    @property
    def step_context(self) -> Any:
        """The step's execution context, when the context was built with one.

        Raises:
            InvariantViolationError: it was not given.
        """
        if self._step_context is None:
            raise InvariantViolationError(
                "Attempting to access step_context, but it was not provided when constructing "
                f"the {type(self).__name__}"
            )
        return self._step_context

    @property
    def instance(self) -> Any:
        """The instance of the run, if any."""
        return self._instance

    def _require(self, value: str | None, attribute: str) -> str:
        if value is None:
            raise InvariantViolationError(
                f"this {type(self).__name__} has no {attribute}; pass {attribute}=... to "
                f"{self.builder_name} (the executor always sets it)"
            )
        return value

    # -- assets -----------------------------------------------------------------------

    @property
    def has_asset_key(self) -> bool:
        """Whether the value is an asset."""
        return self._asset_key is not None

    @property
    def asset_key(self) -> AssetKey:
        """The asset's key.

        Raises:
            InvariantViolationError: the value is not an asset (check ``has_asset_key``).
        """
        if self._asset_key is None:
            raise InvariantViolationError(
                f"{self.describe_subject()} is not an asset, so it has no asset key; "
                "check context.has_asset_key first"
            )
        return self._asset_key

    @property
    def asset_partitions_def(self) -> Any:
        """The asset's partitions definition, if the caller gave one."""
        return self._partitions_def

    # -- partitions -------------------------------------------------------------------

    @property
    def has_partition_key(self) -> bool:
        """Whether the run targets one partition key."""
        return self._partition_key is not None

    @property
    def partition_key(self) -> str:
        """The partition key of the run.

        Raises:
            InvariantViolationError: the run has no partition key.
        """
        if self._partition_key is None:
            raise InvariantViolationError(
                f"{self.describe_subject()} has no partition key: the run is not partitioned "
                "(check context.has_partition_key first)"
            )
        return self._partition_key

    @property
    def has_asset_partitions(self) -> bool:
        """Whether the asset is partitioned in this run (one key or several)."""
        return self._asset_key is not None and bool(self._asset_partition_keys)

    @property
    def asset_partition_keys(self) -> list[str]:
        """Every partition key of the asset this step reads or writes (may be empty)."""
        return list(self._asset_partition_keys)

    @property
    def asset_partition_key(self) -> str:
        """The asset's single partition key.

        Raises:
            InvariantViolationError: no partition key, or several (use
                ``asset_partition_keys``).
        """
        keys = self._asset_partition_keys
        if len(keys) != 1:
            found = "none" if not keys else f"{len(keys)} ({keys[0]!r} ... {keys[-1]!r})"
            raise InvariantViolationError(
                f"{self.describe_subject()} needs exactly one partition key for "
                f"asset_partition_key, found {found}; use asset_partition_keys for a range"
            )
        return keys[0]

    @property
    def asset_partition_key_range(self) -> Any:
        """The first and last partition keys: the caller's range, else a ``PartitionKeyRange``.

        Raises:
            InvariantViolationError: the asset is not partitioned in this run.
        """
        if self._key_range is not None:
            return self._key_range
        keys = self._asset_partition_keys
        if not keys:
            raise InvariantViolationError(
                f"{self.describe_subject()} has no partition key range: not partitioned"
            )
        return PartitionKeyRange(keys[0], keys[-1])

    @property
    def partition_key_range(self) -> Any:
        """The same as ``asset_partition_key_range``."""
        return self.asset_partition_key_range

    @property
    def asset_partitions_time_window(self) -> Any:
        """The time window the partitions cover (time-partitioned assets only).

        Raises:
            InvariantViolationError: the caller gave no window and the partitions
                definition cannot compute one.
        """
        if self._time_window is not None:
            return self._time_window
        window_for = getattr(self._partitions_def, "time_window_for_partition_key", None)
        if window_for is None or not self._asset_partition_keys:
            raise InvariantViolationError(
                f"{self.describe_subject()} has no partition time window: the asset is not "
                "partitioned by time in this run"
            )
        first = window_for(self._asset_partition_keys[0])
        last = window_for(self._asset_partition_keys[-1])
        return type(first)(first.start, last.end)

    def get_identifier(self) -> list[str]:
        """The path parts naming the step output (``[run_id, step_key, output name]``)."""
        raise NotImplementedError

    def get_asset_identifier(self) -> list[str]:
        """The asset key's parts, then the partition key if the asset is partitioned.

        ``AssetKey(["sales", "orders"])`` with partition ``"2024-01-01"`` gives
        ``["sales", "orders", "2024-01-01"]``.

        Raises:
            InvariantViolationError: not an asset, or several partition keys.
        """
        parts = list(self.asset_key.path)
        if self.has_asset_partitions:
            parts.append(self.asset_partition_key)
        return parts

    # -- metadata and messages --------------------------------------------------------

    def _log_metadata(self, metadata: Mapping[str, Any]) -> None:
        self._logged_metadata.update(normalize_metadata(metadata))

    def get_logged_metadata(self) -> dict[str, MetadataValue]:
        """Metadata added by the IO manager so far (normalized), without clearing it."""
        return dict(self._logged_metadata)

    def consume_logged_metadata(self) -> dict[str, MetadataValue]:
        """Metadata added by the IO manager, normalized; clears it.

        The executor puts it on the output (or input-loaded) event.
        """
        logged, self._logged_metadata = self._logged_metadata, {}
        return logged

    def describe_subject(self) -> str:
        """What the context is about, for messages: the step's output or input."""
        raise NotImplementedError

    def describe_asset(self) -> str:
        """``asset 'sales/orders'`` plus ``partition '…'`` / ``partitions '…' to '…'``."""
        if self._asset_key is None:
            return ""
        text = f"asset '{self._asset_key.to_user_string()}'"
        keys = self._asset_partition_keys
        if len(keys) == 1:
            text += f", partition '{keys[0]}'"
        elif keys:
            text += f", {len(keys)} partitions '{keys[0]}' to '{keys[-1]}'"
        return text

    # -- as a context manager (resources initialized by build_*_context) -------------

    def __enter__(self: _Context) -> _Context:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.close()


def open_test_resources(
    resources: Resources | Mapping[str, Any] | None, stack: ExitStack
) -> Resources | None:
    """Initialize resources given to a ``build_*_context`` helper, torn down with ``stack``."""
    if resources is None or isinstance(resources, Resources):
        return resources
    return stack.enter_context(build_resources(resources))
