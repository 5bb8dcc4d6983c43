"""Typed views of an event's data: what ``DagsterEvent.event_specific_data`` returns.

Events carry their facts as a JSON-able mapping (cheap to make, easy to store). After a
run, users read them as the reference's typed values: ``StepFailureData`` with its
``error`` and ``user_failure_data``, ``StepMaterializationData`` with its
``AssetMaterialization``, ``AssetCheckEvaluation``... These are built here, on read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.assets.checks import AssetCheckKey
from headwater.assets.results import (
    AssetCheckSeverity,
    AssetMaterialization,
    AssetObservation,
    ExpectationResult,
)
from headwater.events import ErrorInfo, EventType, RunEvent
from headwater.metadata import metadata_from_wire

_NO_METADATA: Mapping[str, Any] = MappingProxyType({})

__all__ = [
    "AssetCheckEvaluation",
    "AssetMaterializationPlannedData",
    "AssetObservationData",
    "StepExpectationResultData",
    "ComputeLogsCaptureData",
    "EngineEventData",
    "HandledOutputData",
    "JobFailureData",
    "NodeHandle",
    "StepHandle",
    "LoadedInputData",
    "StepFailureData",
    "StepInputData",
    "StepMaterializationData",
    "StepOutputData",
    "StepOutputHandle",
    "StepRetryData",
    "StepSuccessData",
    "TypeCheckData",
    "UserFailureData",
    "event_asset_key",
    "node_handle",
    "step_handle",
    "specific_data",
]


class TypeCheckData(NamedTuple):
    """The outcome of an input's or output's type check."""

    success: bool
    label: str
    description: str | None = None
    metadata: Mapping[str, Any] = _NO_METADATA


class StepOutputHandle(NamedTuple):
    """One output of one step."""

    step_key: str
    output_name: str = "result"
    mapping_key: str | None = None


class StepOutputData(NamedTuple):
    """``STEP_OUTPUT``: which output, its type check and metadata."""

    step_output_handle: StepOutputHandle
    type_check_data: TypeCheckData | None = None
    version: str | None = None
    metadata: Mapping[str, Any] = _NO_METADATA

    @property
    def output_name(self) -> str:
        """The output's name."""
        return self.step_output_handle.output_name

    @property
    def mapping_key(self) -> str | None:
        """The dynamic mapping key, if any."""
        return self.step_output_handle.mapping_key


class StepInputData(NamedTuple):
    """``STEP_INPUT``: which input, and its type check."""

    input_name: str
    type_check_data: TypeCheckData | None = None


class HandledOutputData(NamedTuple):
    """``HANDLED_OUTPUT``: the output and the IO manager that stored it."""

    output_name: str
    manager_key: str
    metadata: Mapping[str, Any] = _NO_METADATA


class LoadedInputData(NamedTuple):
    """``LOADED_INPUT``: the input, the manager that loaded it and where it came from."""

    input_name: str
    manager_key: str
    upstream_output_name: str | None = None
    upstream_step_key: str | None = None
    metadata: Mapping[str, Any] = _NO_METADATA


class StepSuccessData(NamedTuple):
    """``STEP_SUCCESS``: how long the step took."""

    duration_ms: float


class UserFailureData(NamedTuple):
    """What a ``Failure`` raised by user code said about itself."""

    label: str
    description: str | None = None
    metadata: Mapping[str, Any] = _NO_METADATA


class StepFailureData(NamedTuple):
    """``STEP_FAILURE``: the error, and what a raised ``Failure`` described."""

    error: ErrorInfo | None
    user_failure_data: UserFailureData | None = None
    error_source: str | None = None


class StepRetryData(NamedTuple):
    """``STEP_UP_FOR_RETRY``: the error of the attempt and the wait before the next."""

    error: ErrorInfo | None
    seconds_to_wait: float | None = None


class StepExpectationResultData(NamedTuple):
    """``STEP_EXPECTATION_RESULT``: the expectation's outcome."""

    expectation_result: ExpectationResult


class StepMaterializationData(NamedTuple):
    """``ASSET_MATERIALIZATION``: the materialization recorded."""

    materialization: AssetMaterialization
    asset_lineage: Sequence[Any] = ()


class AssetObservationData(NamedTuple):
    """``ASSET_OBSERVATION``: the observation recorded."""

    asset_observation: AssetObservation


class AssetMaterializationPlannedData(NamedTuple):
    """``ASSET_MATERIALIZATION_PLANNED``: an asset (and partition) the run will materialize."""

    asset_key: AssetKey
    partition: str | None = None
    partitions_subset: Any = None


class EngineEventData(NamedTuple):
    """Engine and resource events: facts about the run's machinery, and an error if any."""

    metadata: Mapping[str, Any] = _NO_METADATA
    error: ErrorInfo | None = None
    marker_start: str | None = None
    marker_end: str | None = None


class ComputeLogsCaptureData(NamedTuple):
    """``LOGS_CAPTURED``: the steps whose output is captured."""

    file_key: str
    step_keys: Sequence[str] = ()


class JobFailureData(NamedTuple):
    """A run's ``PIPELINE_FAILURE``: the error that ended it, if not a step's failure."""

    error: ErrorInfo | None = None
    failure_reason: str | None = None
    first_step_failure_event: RunEvent | None = None


@dataclass(frozen=True, slots=True)
class AssetCheckEvaluation:
    """The recorded outcome of one asset check (``result.get_asset_check_evaluations()``).

    Attributes:
        asset_key: the asset checked.
        check_name: the check.
        passed: whether it passed.
        metadata: facts the check reported.
        severity: how bad a failure is.
        description: the check's description of the outcome.
        blocking: whether a failure stops downstream assets.
        target_materialization_data: the materialization the check evaluated, if known.
        partition: the partition checked (``None`` for a check of the whole asset).
    """

    asset_key: AssetKey
    check_name: str
    passed: bool
    metadata: Mapping[str, Any] | None = None
    target_materialization_data: Any = None
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    description: str | None = None
    blocking: bool | None = None
    partition: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", dict(self.metadata or {}))

    @property
    def asset_check_key(self) -> AssetCheckKey:
        """The asset and the check's name."""
        return AssetCheckKey(self.asset_key, self.check_name)


def _key(value: Any) -> AssetKey | None:
    if isinstance(value, str):
        return AssetKey.from_user_string(value)
    if isinstance(value, (list, tuple)):
        return AssetKey([str(part) for part in value])
    return value if isinstance(value, AssetKey) else None


class NodeHandle(NamedTuple):
    """A node's name and the graph node it sits in (``None`` at the top)."""

    name: str
    parent: NodeHandle | None = None


class StepHandle(NamedTuple):
    """A step: its node and its key."""

    node_handle: NodeHandle
    key: str


def node_handle(step_key: str | None) -> NodeHandle | None:
    """The handle of the node a step key names (``"g.op"``: ``op`` inside ``g``)."""
    if step_key is None:
        return None
    handle: NodeHandle | None = None
    for name in step_key.split("."):
        handle = NodeHandle(name, handle)
    return handle


def step_handle(step_key: str | None) -> StepHandle | None:
    """The handle of a step, from its key."""
    handle = node_handle(step_key)
    return None if handle is None or step_key is None else StepHandle(handle, step_key)


def event_asset_key(event: RunEvent) -> AssetKey | None:
    """The asset an asset event concerns, else ``None``."""
    if event.event_type in (
        EventType.ASSET_MATERIALIZATION,
        EventType.ASSET_OBSERVATION,
        EventType.ASSET_MATERIALIZATION_PLANNED,
        EventType.ASSET_FAILED_TO_MATERIALIZE,
    ):
        return _key(event.data.get("asset_key"))
    return None


def _materialization(event: RunEvent) -> AssetMaterialization:
    data = event.data
    key = _key(data.get("asset_key"))
    return AssetMaterialization(
        key if key is not None else AssetKey("unknown"),
        description=data.get("description"),
        metadata=metadata_from_wire(data.get("metadata") or {}),
        partition=data.get("partition"),
        tags=_materialization_tags(event),
    )


def _materialization_tags(event: RunEvent) -> dict[str, str]:
    """The user's tags, plus Dagster's data-version tags when the run derived or was given
    a data version (an asset's materialization; not one an op logged)."""
    data = event.data
    tags: dict[str, str] = {}
    version = data.get("data_version")
    if version is not None:
        provenance = data.get("provenance") or {}
        tags["dagster/code_version"] = str(data.get("code_version") or event.run_id)
        for upstream, upstream_version in (provenance.get("input_data_versions") or {}).items():
            tags[f"dagster/input_data_version/{upstream}"] = str(upstream_version)
        tags["dagster/data_version"] = str(version)
        if provenance.get("is_user_provided"):
            tags["dagster/data_version_is_user_provided"] = "true"
    tags.update({str(k): str(v) for k, v in (data.get("tags") or {}).items()})
    return tags


def _check_evaluation(event: RunEvent) -> AssetCheckEvaluation:
    data = event.data
    key = _key(data.get("asset_key"))
    return AssetCheckEvaluation(
        asset_key=key if key is not None else AssetKey("unknown"),
        check_name=str(data.get("check_name")),
        passed=bool(data.get("passed")),
        metadata=metadata_from_wire(data.get("metadata") or {}),
        severity=AssetCheckSeverity(data.get("severity", AssetCheckSeverity.ERROR.value)),
        description=data.get("description"),
        blocking=data.get("blocking"),
        target_materialization_data=data.get("target_materialization"),
        partition=data.get("partition"),
    )


def _failure(event: RunEvent) -> StepFailureData:
    data = event.data
    user = None
    if data.get("user_failure"):
        user = UserFailureData(
            label="intentional-failure",
            description=data.get("description"),
            metadata=metadata_from_wire(data.get("metadata") or {}),
        )
    source = "FRAMEWORK_ERROR" if user is not None else "USER_CODE_ERROR"
    return StepFailureData(error=event.error, user_failure_data=user, error_source=source)


def _output(event: RunEvent) -> StepOutputData:
    name = event.data.get("output_name", "result")
    return StepOutputData(
        StepOutputHandle(event.step_key or "", name, event.data.get("mapping_key")),
        TypeCheckData(success=True, label=name),
        metadata=metadata_from_wire(event.data.get("metadata") or {}),
    )


def _engine(event: RunEvent) -> EngineEventData:
    return EngineEventData(
        metadata=metadata_from_wire(event.data.get("metadata") or {}),
        error=event.error,
        marker_start=event.data.get("marker_start"),
        marker_end=event.data.get("marker_end"),
    )


def _input(event: RunEvent) -> StepInputData:
    name = event.data.get("input_name", "")
    return StepInputData(name, TypeCheckData(success=True, label=name))


def _handled(event: RunEvent) -> HandledOutputData:
    data = event.data
    return HandledOutputData(
        data.get("output_name", "result"),
        data.get("manager_key", "io_manager"),
        metadata_from_wire(data.get("metadata") or {}),
    )


def _loaded(event: RunEvent) -> LoadedInputData:
    data = event.data
    return LoadedInputData(
        data.get("input_name", ""),
        data.get("manager_key", "io_manager"),
        data.get("upstream_output_name"),
        data.get("upstream_step_key"),
        metadata_from_wire(data.get("metadata") or {}),
    )


def _observation(event: RunEvent) -> AssetObservationData:
    data = event.data
    key = _key(data.get("asset_key"))
    return AssetObservationData(
        AssetObservation(
            key if key is not None else AssetKey("unknown"),
            description=data.get("description"),
            metadata=metadata_from_wire(data.get("metadata") or {}),
            partition=data.get("partition"),
            tags={str(k): str(v) for k, v in (data.get("tags") or {}).items()},
        )
    )


_BUILDERS: dict[EventType, Callable[[RunEvent], Any]] = {
    EventType.STEP_SUCCESS: lambda e: StepSuccessData(float(e.data.get("duration_ms", 0.0))),
    EventType.STEP_FAILURE: _failure,
    EventType.STEP_OUTPUT: _output,
    EventType.STEP_INPUT: _input,
    EventType.HANDLED_OUTPUT: _handled,
    EventType.LOADED_INPUT: _loaded,
    EventType.STEP_UP_FOR_RETRY: lambda e: StepRetryData(e.error, e.data.get("delay")),
    EventType.ASSET_MATERIALIZATION: lambda e: StepMaterializationData(_materialization(e)),
    EventType.ASSET_OBSERVATION: _observation,
    EventType.STEP_EXPECTATION_RESULT: lambda e: StepExpectationResultData(
        ExpectationResult(
            bool(e.data.get("success")),
            e.data.get("label"),
            e.data.get("description"),
            metadata_from_wire(e.data.get("metadata") or {}),
        )
    ),
    EventType.ASSET_CHECK_EVALUATION: _check_evaluation,
    EventType.RUN_FAILURE: lambda e: JobFailureData(
        error=e.error, failure_reason=e.data.get("failure_reason")
    ),
    EventType.LOGS_CAPTURED: lambda e: ComputeLogsCaptureData(
        e.data.get("file_key", ""), tuple(e.data.get("step_keys", ()))
    ),
    EventType.ASSET_MATERIALIZATION_PLANNED: lambda e: AssetMaterializationPlannedData(
        _key(e.data.get("asset_key")) or AssetKey("unknown"), e.data.get("partition")
    ),
    EventType.ENGINE_EVENT: _engine,
    EventType.RESOURCE_INIT_STARTED: _engine,
    EventType.RESOURCE_INIT_SUCCESS: _engine,
    EventType.RESOURCE_INIT_FAILURE: _engine,
}


def specific_data(event: RunEvent) -> Any:
    """The typed payload of ``event`` (``None`` for kinds that carry none)."""
    build = _BUILDERS.get(event.event_type)
    return build(event) if build is not None else None
