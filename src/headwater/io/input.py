"""``InputContext``: what an IO manager's ``load_input`` receives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import Any

from headwater.asset_key import CoercibleToAssetKey
from headwater.errors import InvariantViolationError
from headwater.io.context import IOContext, open_test_resources
from headwater.io.output import OutputContext
from headwater.resources.context import Resources

__all__ = ["InputContext", "build_input_context"]


class InputContext(IOContext):
    """Describes one input being loaded: its name, the upstream output, asset and partitions.

    The executor builds it for each input loaded through an IO manager; build one in tests
    with ``build_input_context``. Every argument is keyword-only and optional.

    Args:
        name: the input's name.
        job_name: the job of the run.
        op_def: the op (or asset) definition that reads the input.
        config: per-input config, usually ``None``.
        metadata: the definition metadata of the ``In`` (older name).
        definition_metadata: the same; wins over ``metadata`` when both are given.
        upstream_output: the ``OutputContext`` of the output this input reads.
        dagster_type: the input's declared type.
        resources: the resources the IO manager requires.
        resource_config: the IO manager's config.
        log: where to log.
        asset_key: the key of the upstream asset, or ``None`` for an op output.
        partition_key: the run's partition key.
        asset_partition_keys: the upstream asset's partition keys to load (default:
            ``[partition_key]`` when one is given).
        asset_partition_key_range: the caller's key-range object.
        asset_partitions_time_window: the caller's time-window object.
        asset_partitions_def: the upstream asset's partitions definition.
        instance: the instance of the run.
        step_context: the step's execution context (``.step_context``), if any.
    """

    io_action = "load"
    builder_name = "build_input_context"

    def __init__(
        self,
        *,
        name: str | None = None,
        job_name: str | None = None,
        op_def: Any = None,
        config: Any = None,
        metadata: Mapping[str, Any] | None = None,
        definition_metadata: Mapping[str, Any] | None = None,
        upstream_output: OutputContext | None = None,
        dagster_type: Any = None,
        resources: Resources | Mapping[str, Any] | None = None,
        resource_config: Mapping[str, Any] | None = None,
        log: Any = None,
        asset_key: CoercibleToAssetKey | None = None,
        partition_key: str | None = None,
        asset_partition_keys: Sequence[str] | None = None,
        asset_partition_key_range: Any = None,
        asset_partitions_time_window: Any = None,
        asset_partitions_def: Any = None,
        instance: Any = None,
        step_context: Any = None,
    ) -> None:
        super().__init__(
            name=name,
            job_name=job_name,
            op_def=op_def,
            config=config,
            metadata=metadata,
            definition_metadata=definition_metadata,
            resources=resources,
            resource_config=resource_config,
            log=log,
            asset_key=asset_key,
            partition_key=partition_key,
            asset_partition_keys=asset_partition_keys,
            asset_partition_key_range=asset_partition_key_range,
            asset_partitions_time_window=asset_partitions_time_window,
            asset_partitions_def=asset_partitions_def,
            dagster_type=dagster_type,
            instance=instance,
        )
        self._upstream_output = upstream_output
        self._step_context = step_context

    @property
    def has_input_name(self) -> bool:
        """Whether the context names an input (a loader called outside a step has none)."""
        return self._name is not None

    @property
    def name(self) -> str:
        """The input's name.

        Raises:
            InvariantViolationError: the context was built without one.
        """
        return self._require(self._name, "name")

    @property
    def upstream_output(self) -> OutputContext | None:
        """The context of the output this input reads, if it comes from a step."""
        return self._upstream_output

    def get_identifier(self) -> list[str]:
        """The identifier of the upstream output (``[run_id, step_key, name]``).

        Raises:
            InvariantViolationError: the input has no upstream output.
        """
        if self._upstream_output is None:
            raise InvariantViolationError(
                f"{self.describe_subject()} has no upstream output to identify; pass "
                "upstream_output=build_output_context(...) to build_input_context"
            )
        return self._upstream_output.get_identifier()

    def add_input_metadata(
        self, metadata: Mapping[str, Any], description: str | None = None
    ) -> None:
        """Attach metadata to the event of loading this input.

        Args:
            metadata: key → plain value or ``MetadataValue``.
            description: unused; kept for signature compatibility.

        Raises:
            InvalidMetadataError: a value cannot be recorded.
        """
        self._log_metadata(metadata)

    def describe_subject(self) -> str:
        """``input 'orders' of step 'summary'`` (what is known of it)."""
        text = f"input '{self._name or '?'}'"
        op_name = getattr(self._op_def, "name", None)
        return f"{text} of step '{op_name}'" if isinstance(op_name, str) else text

    def __repr__(self) -> str:
        return f"InputContext({self.describe_subject()})"


def build_input_context(
    name: str | None = None,
    config: Any = None,
    definition_metadata: Mapping[str, Any] | None = None,
    upstream_output: OutputContext | None = None,
    dagster_type: Any = None,
    resource_config: Mapping[str, Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    op_def: Any = None,
    step_context: Any = None,
    asset_key: CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partition_key_range: Any = None,
    asset_partitions_def: Any = None,
    instance: Any = None,
    metadata: Mapping[str, Any] | None = None,
) -> InputContext:
    """Build an ``InputContext`` to test an IO manager's ``load_input``.

    Resources given as definitions (or ``ConfigurableResource``) are initialized now; use
    the context in a ``with`` block to tear them down. Arguments as ``InputContext``;
    ``step_context`` is kept as ``.step_context``. Several partitions are given as
    ``asset_partition_key_range`` with ``asset_partitions_def``.

    Example:
        ``context = build_input_context(asset_key="orders", partition_key="2024-01-01")
        rows = manager.load_input(context)``
    """
    stack = ExitStack()
    context = InputContext(
        name=name,
        op_def=op_def,
        step_context=step_context,
        config=config,
        metadata=metadata,
        definition_metadata=definition_metadata,
        upstream_output=upstream_output,
        dagster_type=dagster_type,
        resources=open_test_resources(resources, stack),
        resource_config=resource_config,
        asset_key=asset_key,
        partition_key=partition_key,
        asset_partition_key_range=asset_partition_key_range,
        asset_partitions_def=asset_partitions_def,
        instance=instance,
    )
    context._stack = stack
    return context
