"""Running one step: gather inputs, call the op (with retries), record its outputs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.definitions.io import NoValue, Output
from headwater.errors import Failure, RetryRequested, StepExecutionError
from headwater.events import ErrorInfo, EventType, RunEvent
from headwater.execution.compute import call_compute, iter_outputs
from headwater.execution.context import OpExecutionContext, RunLog
from headwater.resources import Resources

if TYPE_CHECKING:
    from headwater.execution.plan import Step, StepInput
    from headwater.execution.run import RunState

__all__ = ["run_step"]

_NOT_PRODUCED = object()


def _unwrap_input(value: Any) -> Any:
    # Run config may give an input as a plain value or as {"value": v}.
    if isinstance(value, Mapping) and len(value) == 1 and "value" in value:
        return value["value"]
    return value


def _input_value(state: RunState, step: Step, step_input: StepInput, node_config: Any) -> Any:
    if step_input.sources:
        values = [state.outputs.get(src, _NOT_PRODUCED) for src in step_input.sources]
        produced = [v for v in values if v is not _NOT_PRODUCED]
        if step_input.is_fan_in:
            return produced
        return produced[0] if produced else _NOT_PRODUCED
    if step_input.from_job_input is not None and step_input.from_job_input in state.job_inputs:
        return state.job_inputs[step_input.from_job_input]
    given = (node_config or {}).get("inputs") or {}
    if step_input.name in given:
        return _unwrap_input(given[step_input.name])
    if step_input.default is not NoValue:
        return step_input.default
    raise StepExecutionError(
        f"input '{step_input.name}' of op '{step.key}' has no value: nothing is connected "
        f"to it and it has no default; give it under ops.{'.ops.'.join(step.path)}"
        f".inputs.{step_input.name} in run config"
    )


def _skip_reason(state: RunState, step: Step) -> str | None:
    bad = sorted(k for k in step.upstream if k in state.failed or k in state.skipped)
    if bad:
        return f"upstream step(s) {bad} did not succeed"
    for step_input in step.inputs:
        if step_input.is_fan_in or not step_input.sources:
            continue
        if not any(src in state.outputs for src in step_input.sources):
            key, out = step_input.sources[0]
            return f"optional output '{out}' of step '{key}' was not produced"
    return None


class _StepRun:
    """One step's attempt loop; keeps ``run_step`` short and the hot path flat."""

    def __init__(self, state: RunState, step: Step) -> None:
        self.state = state
        self.step = step
        self.key = step.key

    def event(
        self,
        event_type: EventType,
        message: str,
        *,
        level: int = logging.DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
    ) -> None:
        state = self.state
        state.emit(
            RunEvent(
                event_type,
                state.run_id,
                state.job_name,
                time.time(),
                message,
                self.key,
                level,
                data if data is not None else {},
                error,
            )
        )

    def attempt(self, retry_number: int, inputs: dict[str, Any], node_config: Any) -> None:
        state, step = self.state, self.step
        op_def = step.op_def
        resources = Resources(
            {k: getattr(state.resources, k) for k in op_def.required_resource_keys}
        )
        context = OpExecutionContext(
            op_def=op_def,
            op_config=(node_config or {}).get("config"),
            resources=resources,
            log=RunLog(state.emit, run_id=state.run_id, job_name=state.job_name, step_key=self.key),
            run=state.run,
            run_config=state.run_config,
            job_def=state.job,
            step_key=self.key,
            instance=state.instance,
            retry_number=retry_number,
            partition_key=state.partition_key,
        )
        result = call_compute(op_def, context, inputs, resources, context.op_config)
        produced: dict[str, Output[Any]] = {}
        for item in iter_outputs(op_def, result):
            if not isinstance(item, Output):
                raise StepExecutionError(
                    f"op '{step.key}' yielded {item!r}, which is not an Output; "
                    "yield Output(value, name) for each output"
                )
            if item.output_name not in op_def.output_defs:
                raise StepExecutionError(
                    f"op '{step.key}' produced output '{item.output_name}', which it does not "
                    f"declare; its outputs are {list(op_def.output_defs)}"
                )
            if item.output_name in produced:
                raise StepExecutionError(
                    f"op '{step.key}' produced output '{item.output_name}' twice"
                )
            produced[item.output_name] = item
        for name, out_def in op_def.output_defs.items():
            if out_def.is_required and name not in produced:
                raise StepExecutionError(
                    f"op '{step.key}' did not produce its required output '{name}'; return it, "
                    "or declare it Out(is_required=False)"
                )
        # Record outputs only once the whole attempt succeeded: a retried attempt must not
        # leave half of its outputs behind.
        for name, output in produced.items():
            state.outputs[(self.key, name)] = output.value
            metadata = {**context.output_metadata(name), **output.metadata}
            self.event(
                EventType.STEP_OUTPUT,
                f'Yielded output "{name}".',
                data={"output_name": name, "metadata": metadata}
                if metadata
                else {"output_name": name},
            )

    def retry_delay(self, exc: Exception, retry_number: int) -> float | None:
        """Seconds to wait before retrying after ``exc``, or ``None`` not to retry."""
        if isinstance(exc, RetryRequested):
            return exc.seconds_to_wait if retry_number < exc.max_retries else None
        policy = self.step.retry_policy
        if policy is None or retry_number >= policy.max_retries:
            return None
        if isinstance(exc, Failure) and not exc.allow_retries:
            return None
        return policy.delay_for(retry_number + 1)

    def fail(self, exc: Exception) -> None:
        data: dict[str, Any] = {}
        message = f'Execution of step "{self.key}" failed.'
        if isinstance(exc, Failure):
            data = {"description": exc.description, "metadata": exc.metadata}
            if exc.description:
                message = f'Step "{self.key}" failed: {exc.description}'
        self.event(
            EventType.STEP_FAILURE,
            message,
            level=logging.ERROR,
            data=data,
            error=ErrorInfo.from_exception(exc),
        )
        self.state.failed.add(self.key)
        self.state.record_error(exc)


def run_step(state: RunState, step: Step, sleep: Callable[[float], None] = time.sleep) -> None:
    """Run ``step`` to success, failure or skip, recording its events in ``state``."""
    runner = _StepRun(state, step)
    reason = _skip_reason(state, step)
    if reason is not None:
        runner.event(EventType.STEP_SKIPPED, f'Skipped step "{step.key}": {reason}.')
        state.skipped.add(step.key)
        return
    started = time.perf_counter()
    runner.event(EventType.STEP_START, f'Started execution of step "{step.key}".')
    node_config = state.node_config(step.path)
    retry_number = 0
    while True:
        try:
            inputs = {
                i.name: _input_value(state, step, i, node_config)
                for i in step.inputs
                if not i.is_nothing
            }
            runner.attempt(retry_number, inputs, node_config)
            break
        except Exception as exc:
            delay = runner.retry_delay(exc, retry_number)
            if delay is None:
                runner.fail(exc)
                return
            runner.event(
                EventType.STEP_UP_FOR_RETRY,
                f'Execution of step "{step.key}" failed and has requested a retry'
                f"{f' in {delay:.3g} seconds' if delay else ''}.",
                level=logging.WARNING,
                data={"retry_number": retry_number + 1, "delay": delay},
                error=ErrorInfo.from_exception(exc),
            )
            if delay:
                sleep(delay)
            retry_number += 1
            runner.event(
                EventType.STEP_RESTARTED,
                f'Started re-execution (attempt {retry_number + 1}) of step "{step.key}".',
            )
    elapsed_ms = (time.perf_counter() - started) * 1000
    runner.event(
        EventType.STEP_SUCCESS,
        f'Finished execution of step "{step.key}" in {elapsed_ms:.3g}ms.',
        data={"duration_ms": elapsed_ms},
    )
