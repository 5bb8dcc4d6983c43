"""Running one step: gather inputs, call the op (with retries), record its outputs."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.errors import (
    AssetCheckFailedError,
    Failure,
    RetryRequested,
    StepExecutionError,
    TypeCheckFailedError,
)
from headwater.events import (
    DEBUG,
    ERROR,
    WARNING,
    ErrorInfo,
    EventType,
    RunEvent,
    event_from_fields,
)
from headwater.execution.asset_context import AssetExecutionContext
from headwater.execution.asset_events import CheckScope, validate_check_results
from headwater.execution.check_context import context_for_check
from headwater.execution.compute import call_compute
from headwater.execution.context import CURRENT_CONTEXT, OpExecutionContext, RunLog
from headwater.execution.dynamic_step import record_dynamic_outputs
from headwater.execution.io import (
    DEFAULT_IO_MANAGER,
    handle_output,
    input_partition_keys,
    loaded_input_event,
)
from headwater.execution.skips import record_skip, skip_reason
from headwater.execution.step_assets import AssetRecording
from headwater.execution.step_facts import facts_for
from headwater.execution.step_inputs import config_input_value, input_value
from headwater.execution.step_messages import format_duration, retry_error_info, step_error_info
from headwater.execution.typecheck import TypeCheckContext, check_input_values, check_output_value
from headwater.execution.yields import Collected, collect, take_check_outputs
from headwater.jobs.io import Output
from headwater.loggers.builtin import STEP_LOG

if TYPE_CHECKING:
    from headwater.assets.definition import AssetsDefinition
    from headwater.execution.plan import Step
    from headwater.execution.state import RunState

__all__ = ["RetryLater", "config_input_value", "record_skip", "run_step", "skip_reason"]

_now = time.time
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


class _NoContext:
    """What recording an attempt reads from the context (its log, the metadata added to
    outputs), for an op whose function takes no context: none is
    built for it, on every step's path, unless the function asks for it with
    ``OpExecutionContext.get()``, which calls this to build it."""

    __slots__ = ("_args", "_runner", "log")

    def __init__(self, runner: _StepRun, args: tuple[Any, ...], log: RunLog) -> None:
        self._runner = runner
        self._args = args  # those of _StepRun.context
        self.log = log

    def output_metadata(self, output_name: str) -> dict[str, Any]:
        """Nothing was added: only a context adds output metadata."""
        return {}

    def __call__(self) -> OpExecutionContext:
        return self._runner.context(*self._args)


class _StepRun(AssetRecording):
    """One step's attempt loop; keeps ``run_step`` short and the hot path flat."""

    def __init__(self, state: RunState, step: Step) -> None:
        self.state = state
        self.step = step
        self.key = step.key
        self.facts = facts_for(state, step)
        self.types = self.facts.types
        self._emit = state.events.emit
        self._run_id = state.run_id
        self._job_name = state.job_name
        # The attempt's log, and the context of its type checks (built when one runs).
        self.log: RunLog | None = None
        self._type_context: TypeCheckContext | None = None

    def event(
        self,
        event_type: EventType,
        message: str,
        *,
        level: int = DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
    ) -> None:
        self.state.events.run_event(
            event_type, message, level=level, data=data, error=error, step_key=self.key
        )

    def note(self, event_type: EventType, message: str, data: Mapping[str, Any]) -> None:
        """Record a DEBUG event of the step: the several events of every step's path, made
        here as a tuple of its fields rather than through run_event or make_event (a step
        process's state still sees each one in emit, to write what matters at once)."""
        fields = (
            event_type,
            self._run_id,
            self._job_name,
            _now(),
            message,
            self.key,
            DEBUG,
            data,
            None,
        )
        self._emit(event_from_fields(fields))

    def inputs(self, node_config: Any) -> dict[str, Any]:
        """The step's input values; records ``LOADED_INPUT`` as each is loaded, then a
        ``STEP_INPUT`` for each, as the reference does."""
        specs = self.facts.inputs
        if not specs:
            return {}
        state, step = self.state, self.step
        outputs = state.outputs
        kept, stored = outputs.kept, outputs.io_outputs
        inputs: dict[str, Any] = {}
        for spec in specs:
            source = spec.source
            if source is not None and source in kept and source not in stored:
                # A value passed in memory (step_inputs has the other cases), its message
                # at hand.
                loaded_input_event(
                    state, self.key, spec.name, DEFAULT_IO_MANAGER, source, spec.loaded_message
                )
                inputs[spec.name] = kept[source]
            else:
                inputs[spec.name] = input_value(state, step, spec, node_config)
        for spec in specs:
            self.note(_STEP_INPUT, spec.got_message, {"input_name": spec.name})
        return inputs

    def type_check_context(self) -> TypeCheckContext:
        """The context of the attempt's type checks (built when one first runs: most values
        pass at once, by their class)."""
        context = self._type_context
        if context is None:
            resources = self.state.type_check_resources(self.types.resource_keys)
            context = self._type_context = TypeCheckContext(self._run_id, self.log, resources, None)
        return context

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
        state, step, facts = self.state, self.step, self.facts
        op_def = step.op_def
        assets_def = facts.assets_def
        resources, view = state.op_resources(op_def)
        log = self.log = RunLog(
            self._emit, run_id=self._run_id, job_name=self._job_name, step_key=self.key
        )
        self._type_context = None
        op_config = node_config.get("config") if node_config else None
        context: OpExecutionContext | _NoContext
        current: Any
        # OpExecutionContext.get() finds the context, or how to build it when the function
        # takes none (built only if the function asks).
        if facts.has_context:
            context = current = self.context(retry_number, op_config, log, assets_def, view)
            given: Any = context_for_check(op_def, context) if facts.is_check else context
        else:
            context = given = current = _NoContext(
                self, (retry_number, op_config, log, assets_def, view), log
            )
        types = self.types
        if types.checks_anything:
            check_input_values(types, self.type_check_context, inputs)
        # get_dagster_logger() lines go to this step's log while the function runs (a
        # context variable, set inline: this is on every step's path).
        token = STEP_LOG.set(log)
        current_token = CURRENT_CONTEXT.set(current)
        # What the step recorded so far is written before the body runs (and while it
        # runs, what it records); a generator body runs inside `collect`.
        events = state.events
        was_live = events.enter_user_code()
        # An op inside a graph-backed asset is an op: its outputs are its own, and those
        # the graph maps to assets are materialized through the asset layer.
        own = facts.own_assets_def
        check_outputs = facts.check_outputs
        try:
            result = call_compute(op_def, given, inputs, resources, op_config)
            if check_outputs and _is_check_result(result):
                # A check result returned by the op is the value of its one output.
                result = Output(result, next(iter(op_def.output_defs)))
            collected = collect(self.key, op_def, own, result)
        finally:
            events.leave_user_code(was_live)
            STEP_LOG.reset(token)
            CURRENT_CONTEXT.reset(current_token)
        check_names = (
            take_check_outputs(self.key, collected, check_outputs) if check_outputs else {}
        )
        scope = facts.check_scope
        # An asset's own checks must all have results before anything is recorded; a check
        # step records the results it has, then fails for the missing ones (as the reference).
        is_asset = own is not None
        error = collected.error
        if collected.checks or scope.specs:  # most steps evaluate no check
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
        # Events the body yielded come first, before the outputs it returns (those it
        # logged with context.log_event are recorded already, as they were logged).
        if collected.logged:
            for logged in collected.logged:
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
                self.output_event(name, {}, self.facts.yielded(name))
                self.materialized(key, metadata, materialized.data_version, materialized.tags)
        for name, observed in collected.observed.items():
            self.observed(name, observed)
        if collected.checks:
            self.checks(
                collected,
                scope,
                inline=assets_def is not None and not assets_def.is_graph_backed,
                output_names=check_names,
            )

    def output(
        self,
        name: str,
        output: Output[Any],
        context: OpExecutionContext | _NoContext,
        assets_def: AssetsDefinition | None,
    ) -> None:
        state, step = self.state, self.step
        spec = self.facts.output(step, name)
        value = output.value
        state.outputs.keep(spec.handle, value)
        added = context.output_metadata(name)
        metadata = {**added, **output.metadata} if added else output.metadata
        self.output_event(name, metadata, spec.yielded_message)
        if self.types.checks_anything:
            check_output_value(self.types, self.type_check_context, name, value)
        key = spec.asset_key
        if spec.is_nothing:
            # No IO manager stores it; an asset annotated `-> None` still materializes.
            if key is not None and assets_def is not None and assets_def.is_materializable:
                self.materialized(key, metadata, output.data_version, output.tags)
            return
        output_metadata = _normalized(metadata)
        if spec.target is None and spec.out_def is not None:  # kept in memory only
            manager_key: str | None = DEFAULT_IO_MANAGER
            io_metadata: dict[str, Any] = {}
        else:
            manager_key, io_metadata = handle_output(
                state, step, name, value, context.log, None, output_metadata, spec.target
            )
        if key is not None and assets_def is not None:
            self.materialized(key, {**metadata, **io_metadata}, output.data_version, output.tags)
        manager_key = manager_key or DEFAULT_IO_MANAGER
        self.note(
            _HANDLED_OUTPUT,
            spec.handled_message,
            {"output_name": name, "manager_key": manager_key, "metadata": io_metadata}
            if io_metadata
            else {"output_name": name, "manager_key": manager_key},
        )

    def output_event(self, name: str, metadata: Mapping[str, Any], message: str) -> None:
        """Record ``STEP_OUTPUT`` for output ``name`` (``message``: see ``yielded_message``)."""
        if self.step.hooks:  # a hook's context shows each output's metadata
            self.state.outputs.keep_metadata((self.key, name), metadata)
        self.note(
            _STEP_OUTPUT,
            message,
            # Plain values, as given (``Output`` normalizes to MetadataValues): event data
            # stays JSON-able.
            {
                "output_name": name,
                "metadata": {k: getattr(v, "value", v) for k, v in metadata.items()},
            }
            if metadata
            else {"output_name": name},
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
            level=ERROR,
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
        runner.note(_STEP_START, runner.facts.start_message, {})
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
                    _run_hooks(state, step, _outcome(state, step, EventType.STEP_FAILURE), exc)
                return None
            runner.event(
                EventType.STEP_UP_FOR_RETRY,
                f'Execution of step "{step.key}" failed and has requested a retry'
                f"{f' in {delay:.3g} seconds' if delay else ''}.",
                level=WARNING,
                data={"retry_number": retry_number + 1, "delay": delay},
                error=retry_error_info(exc, delay),
            )
            if step.hooks:  # as in the reference, each attempt's end triggers the hooks
                _run_hooks(state, step, _outcome(state, step, EventType.STEP_UP_FOR_RETRY), exc)
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
        _run_hooks(state, step, _outcome(state, step, EventType.STEP_SUCCESS), None)
    return None


def _run_hooks(state: RunState, step: Step, outcome: RunEvent, error: BaseException | None) -> None:
    # Deferred: the hooks machinery (and the jobs' hook API) loads only for steps with hooks.
    from headwater.execution.hooks import run_hooks

    run_hooks(state, step, outcome, error)


def _outcome(state: RunState, step: Step, event_type: EventType) -> RunEvent:
    # What a hook's event list holds: the event that ended the step (hooks test its type).
    return RunEvent(event_type, state.run_id, state.job_name, time.time(), "", step.key)
