"""``OutputContext``: what an IO manager's ``handle_output`` receives."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from typing import Any

from headwater.asset_key import CoercibleToAssetKey
from headwater.errors import InvalidInvocationError, InvariantViolationError
from headwater.io.context import IOContext, open_test_resources
from headwater.resources.context import Resources

__all__ = ["EPHEMERAL_RUN_ID", "OutputContext", "build_output_context"]

# The run id of an output no run of this instance produced: one built for a test, or the
# upstream of an asset a run loads but does not materialize (the reference's spelling).
EPHEMERAL_RUN_ID = "__EPHEMERAL_RUN_ID"


class OutputContext(IOContext):
    """Describes one output being stored: its step, name, asset, partition and metadata.

    The executor builds it for each output; build one in tests with
    ``build_output_context``. Every argument is keyword-only and optional.

    Args:
        step_key: the step that produced the output.
        name: the output's name (``"result"`` by default in ops and assets).
        job_name: the job of the run.
        run_id: the run's id.
        metadata: the definition metadata of the ``Out`` or asset (older name).
        definition_metadata: the same; wins over ``metadata`` when both are given.
        mapping_key: the dynamic mapping key, if the step is a mapped copy.
        op_def: the op (or asset) definition.
        config: per-output config, usually ``None``.
        dagster_type: the output's declared type.
        version: the output's version, only in memoized runs (it changes op paths).
        code_version: the asset's or op's code version, informational.
        resources: the resources the IO manager requires.
        resource_config: the IO manager's config.
        log: where to log.
        asset_key: the asset's key, or ``None`` for a plain op output.
        partition_key: the run's partition key.
        asset_partition_keys: the asset's partition keys in this run (default:
            ``[partition_key]`` when one is given).
        asset_partition_key_range: the caller's key-range object.
        asset_partitions_time_window: the caller's time-window object.
        asset_partitions_def: the asset's partitions definition.
        instance: the instance of the run.
        asset_spec: the stored asset's spec (``.asset_spec``).
        output_metadata: metadata given to the output at run time.
        step_context: the step's execution context, if any.
    """

    io_action = "store"
    builder_name = "build_output_context"

    def __init__(
        self,
        *,
        step_key: str | None = None,
        name: str | None = None,
        job_name: str | None = None,
        run_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        definition_metadata: Mapping[str, Any] | None = None,
        mapping_key: str | None = None,
        op_def: Any = None,
        config: Any = None,
        dagster_type: Any = None,
        version: str | None = None,
        code_version: str | None = None,
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
        asset_spec: Any = None,
        output_metadata: Mapping[str, Any] | None = None,
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
        self._step_key = step_key
        self._run_id = run_id
        self._mapping_key = mapping_key
        self._version = version
        self._code_version = code_version
        self._events: list[Any] = []
        # Every event logged, never consumed: what `get_logged_events` shows a test.
        self._logged_events: list[Any] = []
        # Set by the executor while a manager stores a run's output: each logged event is
        # recorded as it is logged, among the manager's log lines (as the reference does).
        self.record_event: Callable[[Any], None] | None = None
        self._asset_spec = asset_spec
        self._output_metadata = dict(output_metadata or {})
        self._step_context = step_context

    @property
    def asset_spec(self) -> Any:
        """The ``AssetSpec`` of the asset being stored.

        Raises:
            InvariantViolationError: the context was built without one.
        """
        if self._asset_spec is None:
            raise InvariantViolationError(
                "Attempting to access asset_spec, but it was not provided when constructing "
                "the OutputContext"
            )
        return self._asset_spec

    @property
    def output_metadata(self) -> Mapping[str, Any]:
        """The metadata given to the output at run time (``Output(metadata=...)``)."""
        return self._output_metadata

    @property
    def step_key(self) -> str:
        """The key of the step that produced the output.

        Raises:
            InvariantViolationError: the context was built without one.
        """
        return self._require(self._step_key, "step_key")

    @property
    def name(self) -> str:
        """The output's name.

        Raises:
            InvariantViolationError: the context was built without one.
        """
        return self._require(self._name, "name")

    @property
    def run_id(self) -> str:
        """The id of the run that produced the output.

        Raises:
            InvariantViolationError: the context was built without one.
        """
        return self._require(self._run_id, "run_id")

    @property
    def mapping_key(self) -> str | None:
        """The dynamic mapping key, if any."""
        return self._mapping_key

    @property
    def version(self) -> str | None:
        """The output's version in a memoized run; ``None`` otherwise."""
        return self._version

    @property
    def code_version(self) -> str | None:
        """The code version of the asset or op, if declared."""
        return self._code_version

    def get_identifier(self) -> list[str]:
        """The path parts naming this output of this run.

        ``[run_id, step_key, name]`` (plus the mapping key of a mapped step); in a memoized
        run ``["versioned_outputs", version, step_key, name]``.

        Raises:
            InvariantViolationError: run id, step key or name missing.
        """
        if self._version is not None:
            return ["versioned_outputs", self._version, self.step_key, self.name]
        parts = [self.run_id, self.step_key, self.name]
        if self._mapping_key is not None:
            parts.append(self._mapping_key)
        return parts

    def get_output_identifier(self) -> list[str]:
        """The same as ``get_identifier`` (Dagster's older name)."""
        return self.get_identifier()

    def add_output_metadata(self, metadata: Mapping[str, Any]) -> None:
        """Attach metadata to the output's event (and its materialization, for an asset).

        Values are normalized now, so an unsupported value fails here, naming its key.

        Args:
            metadata: key → plain value or ``MetadataValue``.

        Raises:
            InvalidMetadataError: a value cannot be recorded.
        """
        self._log_metadata(metadata)

    def log_event(self, event: Any) -> None:
        """Record an ``AssetMaterialization`` or ``AssetObservation``: in a run, at once;
        in a context built for a test, kept for ``consume_events``.

        Raises:
            DagsterInvalidInvocationError: ``event`` is of another kind.
        """
        from headwater.assets.results import AssetMaterialization, AssetObservation

        if not isinstance(event, (AssetMaterialization, AssetObservation)):
            raise InvalidInvocationError(
                "OutputContext.log_event takes an AssetMaterialization or an AssetObservation, "
                f"got {type(event).__name__}"
            )
        self._logged_events.append(event)
        if self.record_event is not None:
            self.record_event(event)
        else:
            self._events.append(event)

    def get_logged_events(self) -> list[Any]:
        """Every ``AssetMaterialization`` and ``AssetObservation`` logged with
        ``log_event``, in order (``consume_events`` does not clear them)."""
        return list(self._logged_events)

    def consume_events(self) -> list[Any]:
        """Events logged with ``log_event``; clears them (the executor emits them)."""
        events, self._events = self._events, []
        return events

    def describe_subject(self) -> str:
        """``output 'result' of step 'orders'`` (what is known of it)."""
        text = f"output '{self._name or '?'}'"
        return f"{text} of step '{self._step_key}'" if self._step_key else text

    def __repr__(self) -> str:
        return f"OutputContext({self.describe_subject()})"


def build_output_context(
    step_key: str | None = None,
    name: str | None = None,
    definition_metadata: Mapping[str, Any] | None = None,
    run_id: str | None = None,
    mapping_key: str | None = None,
    config: Any = None,
    dagster_type: Any = None,
    version: str | None = None,
    resource_config: Mapping[str, Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    op_def: Any = None,
    asset_key: CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partitions_def: Any = None,
    asset_partition_key_range: Any = None,
    instance: Any = None,
    asset_spec: Any = None,
    metadata: Mapping[str, Any] | None = None,
    output_metadata: Mapping[str, Any] | None = None,
) -> OutputContext:
    """Build an ``OutputContext`` to test an IO manager's ``handle_output``.

    Resources given as definitions (or ``ConfigurableResource``) are initialized now; use
    the context in a ``with`` block to tear them down. Arguments as ``OutputContext``;
    ``run_id`` defaults to ``"__EPHEMERAL_RUN_ID"``, as in the reference;
    several partitions are given as ``asset_partition_key_range`` with
    ``asset_partitions_def``.

    Example:
        ``context = build_output_context(asset_key="orders", partition_key="2024-01-01")
        manager.handle_output(context, rows)``
    """
    stack = ExitStack()
    context = OutputContext(
        step_key=step_key,
        name=name,
        run_id=EPHEMERAL_RUN_ID if run_id is None else run_id,
        metadata=metadata,
        definition_metadata=definition_metadata,
        mapping_key=mapping_key,
        op_def=op_def,
        config=config,
        dagster_type=dagster_type,
        version=version,
        resources=open_test_resources(resources, stack),
        resource_config=resource_config,
        asset_key=asset_key,
        partition_key=partition_key,
        asset_partition_key_range=asset_partition_key_range,
        asset_partitions_def=asset_partitions_def,
        instance=instance,
        asset_spec=asset_spec,
        output_metadata=output_metadata,
    )
    context._stack = stack
    return context
