"""Running one step: gather inputs, call the op (with retries), record its outputs."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.errors import (
    AssetCheckFailedError,
    Failure,
    RetryRequested,
    StepExecutionError,
    TypeCheckFailedError,
)
from headwater.events import ErrorInfo, EventType, RunEvent, make_event
from headwater.execution.asset_context import AssetExecutionContext
from headwater.execution.asset_events import (
    CheckScope,
    check_data,
    derive_data_version,
    is_blocking_failure,
    logged_event_data,
    materialization_data,
    observation_events,
    validate_check_results,
)
from headwater.execution.check_context import context_for_check
from headwater.execution.compute import call_compute
from headwater.execution.context import CURRENT_CONTEXT, OpExecutionContext, RunLog
from headwater.execution.dynamic_step import piece_input_value, record_dynamic_outputs
from headwater.execution.hooks import run_hooks
from headwater.execution.io import (
    DEFAULT_IO_MANAGER,
    handle_output,
    input_partition_keys,
    load_asset_input,
    load_from_upstream,
    load_with_input_manager,
    loaded_input_event,
)
from headwater.execution.skips import record_skip, skip_reason
from headwater.execution.step_messages import (
    format_duration,
    retry_error_info,
    step_error_fields,
    step_error_info,
    type_label,
)
from headwater.execution.typecheck import (
    DagsterTypeLoaderContext,
    TypeCheckContext,
    check_input_values,
    check_output_value,
    input_type,
    op_types,
)
from headwater.execution.yields import Collected, collect, take_check_outputs
from headwater.jobs.io import NoValue, Output
from headwater.loggers.builtin import STEP_LOG

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.definition import AssetsDefinition
    from headwater.assets.results import (
        AssetMaterialization,
        AssetObservation,
        DataVersion,
        ExpectationResult,
        ObserveResult,
    )
    from headwater.execution.plan import Step, StepInput
    from headwater.execution.state import RunState

__all__ = ["RetryLater", "config_input_value", "record_skip", "run_step", "skip_reason"]

_NOT_PRODUCED = object()
_DEBUG = logging.DEBUG
# The events of every step's path, as module globals: an enum member read as a class
# attribute goes through the enum's metaclass (several times the cost of a global).
_STEP_START = EventType.STEP_START
_STEP_INPUT = EventType.STEP_INPUT
_STEP_OUTPUT = EventType.STEP_OUTPUT
_HANDLED_OUTPUT = EventType.HANDLED_OUTPUT
_STEP_SUCCESS = EventType.STEP_SUCCESS


def _normalized(metadata: Mapping[str, Any]) -> Mapping[str, Any]:
    if not metadata:  # most outputs: the metadata package is not loaded for them
        return {}
    from headwater.metadata import normalize_metadata

    return normalize_metadata(metadata)


def _is_check_result(value: Any) -> bool:
    from headwater.assets.results import AssetCheckResult  # steps with asset checks only

    return isinstance(value, AssetCheckResult)


def config_input_value(value: Any) -> Any:
    """An input value given in run config: a plain value, or ``{"value": v}``."""
    if isinstance(value, Mapping) and len(value) == 1 and "value" in value:
        return value["value"]
    return value


def _input_value(state: RunState, step: Step, step_input: StepInput, node_config: Any) -> Any:
    manager_key = step.op_def.input_defs[step_input.name].input_manager_key
    if manager_key is not None and not step_input.is_fan_in:
        source = step_input.sources[0] if step_input.sources else None
        return load_with_input_manager(state, step, step_input.name, manager_key, source)
    sources = step_input.sources
    if len(sources) == 1 and not step_input.is_fan_in:  # the common case: one upstream output
        return _source_value(state, step, step_input.name, sources[0])
    return _wired_input_value(state, step, step_input, node_config)


def _piece_or_input_value(
    state: RunState, step: Step, step_input: StepInput, node_config: Any
) -> Any:
    # A mapped copy's value of a dynamic output, or a collector's list of all its values.
    root = step_input.collect_of
    if step_input.mapping_key is not None or (root is not None and step_input.sources == (root,)):
        return piece_input_value(state, step, step_input)
    if root is not None and not step_input.sources:  # mapped over no value at all
        return []
    return _input_value(state, step, step_input, node_config)


def _wired_input_value(state: RunState, step: Step, step_input: StepInput, node_config: Any) -> Any:
    if step_input.sources:
        values = [_source_value(state, step, step_input.name, src) for src in step_input.sources]
        produced = [v for v in values if v is not _NOT_PRODUCED]
        if step_input.is_fan_in:
            return produced
        return produced[0] if produced else _NOT_PRODUCED
    layer = state.job.asset_layer
    upstream = layer.upstream_by_input.get((step.handle, step_input.name)) if layer else None
    if upstream is not None and step_input.from_job_input is None:
        return load_asset_input(state, step, step_input.name, upstream)
    if step_input.from_job_input is not None and step_input.from_job_input in state.job_inputs:
        return state.job_inputs[step_input.from_job_input]
    given = (node_config or {}).get("inputs") or {}
    if step_input.name in given:
        return _config_input(state, step, step_input.name, given[step_input.name])
    if step_input.default is not NoValue:
        return step_input.default
    raise StepExecutionError(
        f"input '{step_input.name}' of op '{step.key}' has no value: nothing is connected "
        f"to it and it has no default; give it under ops.{'.ops.'.join(step.path)}"
        f".inputs.{step_input.name} in run config",
        **step_error_fields(step),
        user_exception=None,
        original_exc_info=None,
    )


def _config_input(state: RunState, step: Step, input_name: str, value: Any) -> Any:
    """An input given in run config: built by its type's loader, or the value itself."""
    loader = input_type(step.op_def, input_name).loader
    if loader is None:
        return config_input_value(value)
    return _load_from_config(state, step, input_name, loader, value)


def _load_from_config(
    state: RunState, step: Step, input_name: str, loader: Any, config_value: Any
) -> Any:
    """An input built by its type's loader from its (validated) run config value."""
    context = DagsterTypeLoaderContext(
        run_id=state.run_id,
        log=RunLog(
            state.events.emit, run_id=state.run_id, job_name=state.job_name, step_key=step.key
        ),
        resources=state.type_check_resources(
            frozenset(step.op_def.required_resource_keys) | loader.required_resource_keys()
        ),
        job_name=state.job_name,
        step_key=step.key,
        op_def=step.op_def,
        run_config=state.run_config,
    )
    was_live = state.events.enter_user_code()
    try:
        return loader.construct_from_config_value(context, config_value)
    except Exception as exc:
        # The run raises the loader's own exception, as for an op's (see `fail`).
        raise StepExecutionError(
            f'Error occurred while loading input "{input_name}" of step "{step.key}":',
            **step_error_fields(step),
            user_exception=exc,
            original_exc_info=(type(exc), exc, exc.__traceback__),
        ) from exc
    finally:
        state.events.leave_user_code(was_live)


def _source_value(state: RunState, step: Step, input_name: str, source: tuple[str, str]) -> Any:
    outputs = state.outputs
    if source in outputs.io_outputs:
        return load_from_upstream(state, step, input_name, source)
    kept = outputs.kept
    if source in kept:
        loaded_input_event(state, step.key, input_name, DEFAULT_IO_MANAGER, source)
        return kept[source]
    if source in outputs.produced:  # materialized without a value here: its manager holds it
        key = state.asset_key_for(source[0], source[1])
        if key is not None:
            return load_asset_input(state, step, input_name, key)
    return _NOT_PRODUCED


class _NoContext:
    """What recording an attempt reads from the context (its log, the events it logged,
    the metadata added to outputs), for an op whose function takes no context: none is
    built for it, on every step's path, that nothing could reach."""

    __slots__ = ("log",)
    logged_events: tuple[()] = ()

    def __init__(self, log: RunLog) -> None:
        self.log = log

    def output_metadata(self, output_name: str) -> dict[str, Any]:
        """Nothing was added: only a context adds output metadata."""
        return {}


class _StepRun:
    """One step's attempt loop; keeps ``run_step`` short and the hot path flat."""

    def __init__(self, state: RunState, step: Step) -> None:
        self.state = state
        self.step = step
        self.key = step.key
        self._emit = state.events.emit
        self._run_id = state.run_id
        self._job_name = state.job_name
        # Set per attempt, only for ops with a type whose check can fail.
        self.type_context: TypeCheckContext | None = None
        self.types = op_types(step.op_def)

    def event(
        self,
        event_type: EventType,
        message: str,
        *,
        level: int = logging.DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
    ) -> None:
        self._emit(
            make_event(
                event_type,
                self._run_id,
                self._job_name,
                time.time(),
                message,
                self.key,
                level,
                {} if data is None else data,
                error,
            )
        )

    def note(self, event_type: EventType, message: str, data: Mapping[str, Any]) -> None:
        """Record a DEBUG event of the step: the several events of every step's path, made
        here rather than through run_event, with positional arguments only (a step
        process's state still sees each one in emit, to write what matters at once)."""
        self._emit(
            make_event(
                event_type,
                self._run_id,
                self._job_name,
                time.time(),
                message,
                self.key,
                _DEBUG,
                data,
                None,
            )
        )

    def inputs(self, node_config: Any) -> dict[str, Any]:
        """The step's input values; records ``LOADED_INPUT`` as each is loaded, then a
        ``STEP_INPUT`` for each, as the reference does."""
        state, step = self.state, self.step
        read = _piece_or_input_value if step.reads_pieces else _input_value
        inputs = {
            i.name: read(state, step, i, node_config) for i in step.inputs if not i.is_nothing
        }
        if inputs:
            in_defs = step.op_def.input_defs
            for name in inputs:
                in_def = in_defs.get(name)
                label = type_label(in_def.dagster_type if in_def is not None else None)
                self.note(
                    _STEP_INPUT,
                    f'Got input "{name}" of type "{label}". (Type check passed).',
                    {"input_name": name},
                )
        return inputs

    def context(
        self,
        retry_number: int,
        op_config: Any,
        log: RunLog,
        assets_def: AssetsDefinition | None,
        view: Any,
    ) -> OpExecutionContext:
        """The ``context`` the op's function receives (an asset step's, for assets)."""
        state, key = self.state, self.key
        if assets_def is None:  # arguments spelled out: the per-step path
            return OpExecutionContext(
                op_def=self.step.op_def,
                op_config=op_config,
                resources=view,
                log=log,
                run=state.run,
                run_config=state.run_config,
                job_def=state.job,
                step_key=key,
                instance=state.instance,
                retry_number=retry_number,
                partition_key=state.partition_key,
                mapping_key=self.step.mapping_key,
            )
        step = self.step
        return AssetExecutionContext(
            assets_def=assets_def,
            selected_asset_keys=state.selected_keys,
            partition_key_range=state.partitions.key_range,
            input_partition_keys=lambda name: input_partition_keys(state, step, name),
            output_keys=state.output_keys(step) if assets_def.is_graph_backed else None,
            op_def=step.op_def,
            op_config=op_config,
            resources=view,
            log=log,
            run=state.run,
            run_config=state.run_config,
            job_def=state.job,
            step_key=key,
            instance=state.instance,
            retry_number=retry_number,
            partition_key=state.partition_key,
            mapping_key=step.mapping_key,
        )

    def attempt(self, retry_number: int, inputs: dict[str, Any], node_config: Any) -> None:
        state, step = self.state, self.step
        op_def = step.op_def
        assets_def = state.assets_def_for(step)
        resources, view = state.op_resources(op_def)
        log = RunLog(self._emit, run_id=self._run_id, job_name=self._job_name, step_key=self.key)
        op_config = node_config.get("config") if node_config else None
        context: OpExecutionContext | _NoContext
        if op_def.signature.has_context:
            context = self.context(retry_number, op_config, log, assets_def, view)
            layer = state.job.asset_layer
            is_check = layer is not None and step.handle in layer.check_def_by_node
            given: Any = context_for_check(op_def, context) if is_check else context
        else:
            context = given = _NoContext(log)
        # OpExecutionContext.get(): the context, or how to build it when the function
        # takes none (built only if the function asks).
        current: Any = (
            context
            if isinstance(context, OpExecutionContext)
            else lambda: self.context(retry_number, op_config, log, assets_def, view)
        )
        types = self.types
        if types.checks_anything:
            self.type_context = TypeCheckContext(
                state.run_id, log, state.type_check_resources(types.resource_keys), None
            )
            check_input_values(types, self.type_context, inputs)
        # get_dagster_logger() lines go to this step's log while the function runs (a
        # context variable, set inline: this is on every step's path).
        token = STEP_LOG.set(log)
        current_token = CURRENT_CONTEXT.set(current)
        # What the step recorded so far is written before the body runs (and while it
        # runs, what it records); a generator body runs inside `collect`.
        events = state.events
        was_live = events.enter_user_code()
        try:
            result = call_compute(op_def, given, inputs, resources, op_config)
            # An op inside a graph-backed asset is an op: its outputs are its own, and
            # those the graph maps to assets are materialized through the asset layer.
            own = None if assets_def is None or assets_def.is_graph_backed else assets_def
            check_outputs = state.check_outputs(step) if own is None else {}
            if check_outputs and _is_check_result(result):
                # A check result returned by the op is the value of its one output.
                result = Output(result, next(iter(op_def.output_defs)))
            collected = collect(self.key, op_def, own, result)
        finally:
            events.leave_user_code(was_live)
            STEP_LOG.reset(token)
            CURRENT_CONTEXT.reset(current_token)
        check_names = take_check_outputs(self.key, collected, check_outputs)
        scope = state.check_scope(step)
        # An asset's own checks must all have results before anything is recorded; a check
        # step records the results it has, then fails for the missing ones (as the reference).
        is_asset = own is not None
        error = collected.error
        validate_check_results(
            self.key, collected.checks, scope, complete=is_asset and error is None
        )
        # Outputs are recorded once the body is done; a body that failed part-way still
        # leaves what it produced before its error (each attempt of a retried step too).
        if error is not None:
            # A failed blocking check among them: the body's own error is why the step fails.
            with contextlib.suppress(AssetCheckFailedError):
                self.record(collected, context, assets_def, scope, check_names)
            raise error
        self.record(collected, context, assets_def, scope, check_names)
        if not is_asset and scope.specs:
            validate_check_results(self.key, collected.checks, scope, complete=True)

    def record(
        self,
        collected: Collected,
        context: OpExecutionContext | _NoContext,
        assets_def: AssetsDefinition | None,
        scope: CheckScope,
        check_names: Mapping[Any, str],
    ) -> None:
        # Events the body logged come first: the reference records them as they happen,
        # before the outputs it returns.
        if context.logged_events or collected.logged:
            for logged in (*context.logged_events, *collected.logged):
                self.logged(logged)
        for name, output in collected.outputs.items():
            self.output(name, output, context, assets_def)
        if collected.dynamic:
            record_dynamic_outputs(self, collected.dynamic, context)
        for name, materialized in collected.materialized.items():
            self.state.outputs.mark_produced((self.key, name))
            if assets_def is not None and not assets_def.is_graph_backed:
                key = assets_def.specs_by_output[name].key
                # What the body added with context.add_output_metadata counts too.
                metadata = {**context.output_metadata(name), **(materialized.metadata or {})}
                out_def = self.step.op_def.output_defs.get(name)
                self.output_event(name, {}, out_def.dagster_type if out_def else None)
                self.materialized(
                    assets_def, key, metadata, materialized.data_version, materialized.tags
                )
        for name, observed in collected.observed.items():
            self.observed(name, observed)
        self.checks(
            collected,
            scope,
            inline=assets_def is not None and not assets_def.is_graph_backed,
            output_names=check_names,
        )

    def observed(self, name: str, result: ObserveResult) -> None:
        """Record an observable asset's observation(s) and its (valueless) output: the
        observation first when a source asset's function made it (as its own event)."""
        state = self.state
        state.outputs.mark_produced((self.key, name))
        key = state.asset_key_for(self.step.handle, name) or result.asset_key
        assert key is not None  # an observable asset's outputs are its keys
        out_def = self.step.op_def.output_defs.get(name)
        if not result.from_source_function:
            self.output_event(name, {}, out_def.dagster_type if out_def else None)
        partitions = state.partitions.keys or (state.partition_key,)
        for version, data in observation_events(key, result, partitions):
            if version is not None:
                state.outputs.versioned(key.to_user_string(), version)
            self.event(EventType.ASSET_OBSERVATION, "", data=data)
        if result.from_source_function:
            self.output_event(name, {}, out_def.dagster_type if out_def else None)

    def logged(self, logged: AssetMaterialization | AssetObservation | ExpectationResult) -> None:
        from headwater.assets.results import AssetObservation, ExpectationResult

        if isinstance(logged, ExpectationResult):
            from headwater.metadata import metadata_to_wire  # only runs with metadata load it

            verdict = "passed" if logged.success else "failed"
            self.event(
                EventType.STEP_EXPECTATION_RESULT,
                logged.description or f"Expectation {logged.label} {verdict}",
                data={
                    "success": logged.success,
                    "label": logged.label,
                    "description": logged.description,
                    "metadata": metadata_to_wire(logged.metadata),
                },
            )
            return
        observed = isinstance(logged, AssetObservation)
        message = ""
        if not observed:
            message = logged.description or f"Materialized value {logged.asset_key.path[-1]}."
        self.event(
            EventType.ASSET_OBSERVATION if observed else EventType.ASSET_MATERIALIZATION,
            message,
            data=logged_event_data(logged, self.state.partition_key),
        )

    def output(
        self,
        name: str,
        output: Output[Any],
        context: OpExecutionContext | _NoContext,
        assets_def: AssetsDefinition | None,
    ) -> None:
        state, step = self.state, self.step
        state.outputs.keep((self.key, name), output.value)
        added = context.output_metadata(name)
        metadata = {**added, **output.metadata} if added else output.metadata
        out_def = step.op_def.output_defs.get(name)
        self.output_event(name, metadata, out_def.dagster_type if out_def else None)
        if self.type_context is not None:
            check_output_value(self.types, self.type_context, name, output.value)
        if out_def is not None and out_def.is_nothing:
            # No IO manager stores it; an asset annotated `-> None` still materializes.
            key = state.asset_key_for(step.handle, name)
            if key is not None and assets_def is not None and assets_def.is_materializable:
                self.materialized(assets_def, key, metadata, output.data_version, output.tags)
            return
        manager_key, io_metadata = handle_output(
            state,
            step,
            name,
            output.value,
            context.log,
            output_metadata=_normalized(metadata),
        )
        key = state.asset_key_for(step.handle, name)
        if key is not None and assets_def is not None:
            self.materialized(
                assets_def, key, {**metadata, **io_metadata}, output.data_version, output.tags
            )
        manager_key = manager_key or DEFAULT_IO_MANAGER
        self.note(
            _HANDLED_OUTPUT,
            f'Handled output "{name}" using IO manager "{manager_key}"',
            {"output_name": name, "manager_key": manager_key, "metadata": io_metadata}
            if io_metadata
            else {"output_name": name, "manager_key": manager_key},
        )

    def checks(
        self,
        collected: Collected,
        scope: CheckScope,
        *,
        inline: bool,
        output_names: Mapping[Any, str] | None = None,
    ) -> None:
        """Record the check evaluations; a failed blocking check then fails the step.

        Raises:
            AssetCheckFailedError: a blocking check failed with ERROR severity.
        """
        failed_blocking: dict[str, list[str]] = {}
        for check in collected.checks:
            data = check_data(check, scope)
            if self.state.partition_key is not None and _partitioned_check(scope, data):
                data["partition"] = self.state.partition_key
            passed = "passed." if check.passed else "did not pass."
            from_output = (output_names or {}).get((data["asset_key"], data["check_name"]))
            if from_output is not None:  # an op's output returned it (graph-backed assets)
                self.output_event(from_output, {}, None)
            elif inline:
                asset = str(data["asset_key"] or "").replace("/", "_")
                self.output_event(f"{asset}_{data['check_name']}", {}, None)
            else:
                self.output_event("result", {}, None)
            described = f" Description: '{check.description}'" if check.description else ""
            self.event(
                EventType.ASSET_CHECK_EVALUATION,
                f"Asset check '{data['check_name']}' on '{data['asset_key']}' {passed}{described}",
                level=logging.DEBUG if check.passed else logging.WARNING,
                data=data,
            )
            if is_blocking_failure(check, data):
                failed_blocking.setdefault(str(data["asset_key"]), []).append(data["check_name"])
        if failed_blocking:
            # As in the reference: the step fails, so nothing downstream of it runs.
            count = sum(len(names) for names in failed_blocking.values())
            lines = "\n".join(f"{key}: {','.join(names)}" for key, names in failed_blocking.items())
            raise AssetCheckFailedError(
                f"{count} blocking asset check{'s' if count > 1 else ''} failed with ERROR "
                f"severity:\n{lines}"
            )

    def output_event(self, name: str, metadata: Mapping[str, Any], dagster_type: Any) -> None:
        if self.step.hooks:  # a hook's context shows each output's metadata
            self.state.outputs.keep_metadata((self.key, name), metadata)
        self.note(
            _STEP_OUTPUT,
            f'Yielded output "{name}" of type "{type_label(dagster_type)}". (Type check passed).',
            # Plain values, as given (``Output`` normalizes to MetadataValues): event data
            # stays JSON-able.
            {
                "output_name": name,
                "metadata": {k: getattr(v, "value", v) for k, v in metadata.items()},
            }
            if metadata
            else {"output_name": name},
        )

    def materialized(
        self,
        assets_def: AssetsDefinition,
        key: AssetKey,
        metadata: Mapping[str, Any],
        data_version: DataVersion | None,
        tags: Mapping[str, str] | None,
    ) -> None:
        state = self.state
        spec = assets_def.spec_for_key(key)
        input_versions = state.input_data_versions(spec.dep_keys)
        version: str = (
            data_version.value
            if data_version is not None
            else derive_data_version(
                key.to_user_string(), spec.code_version or state.run_id, input_versions
            )
        )
        state.outputs.versioned(key.to_user_string(), version)
        # A range run materializes every partition of the range: one event each.
        for partition in state.partitions.keys or (None,):
            self.event(
                EventType.ASSET_MATERIALIZATION,
                f"Materialized value {key.path[-1]}.",
                data=materialization_data(
                    key=key,
                    metadata=metadata,
                    partition=partition,
                    code_version=spec.code_version,
                    data_version=version,
                    input_versions=input_versions,
                    tags=tags,
                    user_provided=data_version is not None,
                ),
            )

    def retry_delay(self, exc: Exception, retry_number: int) -> float | None:
        """Seconds to wait before retrying after ``exc``, or ``None`` not to retry."""
        if not self.state.retries_enabled or isinstance(
            exc, (TypeCheckFailedError, AssetCheckFailedError)
        ):
            return None
        if isinstance(exc, RetryRequested):
            return (exc.seconds_to_wait or 0) if retry_number < exc.max_retries else None
        policy = self.step.retry_policy
        if policy is None or retry_number >= policy.max_retries:
            return None
        if isinstance(exc, Failure) and not exc.allow_retries:
            return None
        if isinstance(exc, AssetCheckFailedError):
            return None
        return policy.delay_for(retry_number + 1)

    def fail(self, exc: Exception) -> None:
        data: dict[str, Any] = {}
        if isinstance(exc, Failure):
            from headwater.metadata import metadata_to_wire

            data = {
                "user_failure": True,
                "description": exc.description,
                "metadata": metadata_to_wire(exc.metadata),
            }
            error = ErrorInfo.from_exception(exc)
        else:
            error = step_error_info(self.step, exc)
        self.event(
            EventType.STEP_FAILURE,
            f'Execution of step "{self.key}" failed.',
            level=logging.ERROR,
            data=data,
            error=error,
        )
        # An IO manager's own exception is what the run raises, as the reference does with
        # the user code error inside its step error.
        raised = exc.user_exception if type(exc) is StepExecutionError else None
        self.state.outcomes.fail(self.key, raised if raised is not None else exc)


@dataclass(frozen=True, slots=True)
class RetryLater:
    """A step whose attempt failed and asked for another, to run in a new process.

    Attributes:
        retry_number: the next attempt's ``context.retry_number``.
        delay: seconds to wait before it starts.
    """

    retry_number: int
    delay: float


def run_step(
    state: RunState,
    step: Step,
    sleep: Callable[[float], None] = time.sleep,
    *,
    first_attempt: int = 0,
    single_attempt: bool = False,
) -> RetryLater | None:
    """Run ``step`` to success, failure or skip, recording its events in ``state``.

    Args:
        state: the run.
        step: the step.
        sleep: how to wait out a retry's delay.
        first_attempt: the ``retry_number`` of the first attempt made here (a retry
            started in a new process records ``STEP_RESTARTED``, not ``STEP_START``).
        single_attempt: make one attempt only; a retry it asks for is returned, for the
            caller to run in a new process after its delay (the multiprocess executor).

    Returns:
        The retry to run elsewhere, with ``single_attempt``; otherwise ``None``.
    """
    skip = skip_reason(state, step)
    if skip is not None:
        record_skip(state, step, skip[0], announced=skip[1])
        return None
    runner = _StepRun(state, step)
    started = time.perf_counter()
    retry_number = first_attempt
    if retry_number:
        runner.event(
            EventType.STEP_RESTARTED,
            f'Started re-execution (attempt # {retry_number + 1}) of step "{step.key}".',
        )
    else:
        runner.note(_STEP_START, f'Started execution of step "{step.key}".', {})
    node_config = state.node_config(step.path)
    while True:
        try:
            inputs = runner.inputs(node_config)
            runner.attempt(retry_number, inputs, node_config)
            break
        except Exception as exc:
            delay = runner.retry_delay(exc, retry_number)
            if delay is None:
                runner.fail(exc)
                if step.hooks:
                    run_hooks(state, step, _outcome(state, step, EventType.STEP_FAILURE), exc)
                return None
            runner.event(
                EventType.STEP_UP_FOR_RETRY,
                f'Execution of step "{step.key}" failed and has requested a retry'
                f"{f' in {delay:.3g} seconds' if delay else ''}.",
                level=logging.WARNING,
                data={"retry_number": retry_number + 1, "delay": delay},
                error=retry_error_info(exc, delay),
            )
            if step.hooks:  # as in the reference, each attempt's end triggers the hooks
                run_hooks(state, step, _outcome(state, step, EventType.STEP_UP_FOR_RETRY), exc)
            if single_attempt:
                return RetryLater(retry_number + 1, float(delay or 0.0))
            if delay:
                sleep(delay)
            retry_number += 1
            runner.event(
                EventType.STEP_RESTARTED,
                f'Started re-execution (attempt # {retry_number + 1}) of step "{step.key}".',
            )
    elapsed_ms = (time.perf_counter() - started) * 1000
    runner.note(
        _STEP_SUCCESS,
        f'Finished execution of step "{step.key}" in {format_duration(elapsed_ms)}.',
        {"duration_ms": elapsed_ms},
    )
    if step.hooks:
        run_hooks(state, step, _outcome(state, step, EventType.STEP_SUCCESS), None)
    return None


def _outcome(state: RunState, step: Step, event_type: EventType) -> RunEvent:
    # What a hook's event list holds: the event that ended the step (hooks test its type).
    return RunEvent(event_type, state.run_id, state.job_name, time.time(), "", step.key)


def _partitioned_check(scope: CheckScope, data: Mapping[str, Any]) -> bool:
    """Whether the check an evaluation reports is partitioned (``partitions_def=``)."""
    return any(
        spec.partitions_def is not None
        and spec.name == data["check_name"]
        and spec.asset_key.to_user_string() == data["asset_key"]
        for spec in scope.specs
    )
