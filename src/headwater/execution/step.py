"""Running one step: gather inputs, call the op (with retries), record its outputs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.assets.results import AssetObservation
from headwater.errors import Failure, RetryRequested, StepExecutionError
from headwater.events import ErrorInfo, EventType
from headwater.execution.asset_context import AssetExecutionContext
from headwater.execution.asset_events import (
    CheckScope,
    check_data,
    derive_data_version,
    is_blocking_failure,
    logged_event_data,
    materialization_data,
    validate_check_results,
)
from headwater.execution.compute import call_compute
from headwater.execution.context import OpExecutionContext, RunLog
from headwater.execution.io import handle_output, load_asset_input, load_from_upstream
from headwater.execution.yields import Collected, collect
from headwater.jobs.io import NoValue
from headwater.resources import Resources
from headwater.resources.context import context_view

if TYPE_CHECKING:
    from headwater.assets.definition import AssetsDefinition
    from headwater.assets.key import AssetKey
    from headwater.assets.results import DataVersion
    from headwater.execution.plan import Step, StepInput
    from headwater.execution.state import RunState

__all__ = ["config_input_value", "run_step", "skip_reason"]

_NOT_PRODUCED = object()


def config_input_value(value: Any) -> Any:
    """An input value given in run config: a plain value, or ``{"value": v}``."""
    if isinstance(value, Mapping) and len(value) == 1 and "value" in value:
        return value["value"]
    return value


def _input_value(state: RunState, step: Step, step_input: StepInput, node_config: Any) -> Any:
    if step_input.sources:
        values = [_source_value(state, step, step_input.name, src) for src in step_input.sources]
        produced = [v for v in values if v is not _NOT_PRODUCED]
        if step_input.is_fan_in:
            return produced
        return produced[0] if produced else _NOT_PRODUCED
    layer = state.job.asset_layer
    upstream = layer.upstream_by_input.get((step.path[-1], step_input.name)) if layer else None
    if upstream is not None and step_input.from_job_input is None:
        return load_asset_input(state, step, step_input.name, upstream)
    if step_input.from_job_input is not None and step_input.from_job_input in state.job_inputs:
        return state.job_inputs[step_input.from_job_input]
    given = (node_config or {}).get("inputs") or {}
    if step_input.name in given:
        return config_input_value(given[step_input.name])
    if step_input.default is not NoValue:
        return step_input.default
    raise StepExecutionError(
        f"input '{step_input.name}' of op '{step.key}' has no value: nothing is connected "
        f"to it and it has no default; give it under ops.{'.ops.'.join(step.path)}"
        f".inputs.{step_input.name} in run config"
    )


def _source_value(state: RunState, step: Step, input_name: str, source: tuple[str, str]) -> Any:
    if source in state.io_outputs:
        return load_from_upstream(state, step, input_name, source)
    if source in state.outputs:
        return state.outputs[source]
    if source in state.produced:  # materialized without a value here: its manager holds it
        key = state.asset_key_for(source[0].rsplit(".", 1)[-1], source[1])
        if key is not None:
            return load_asset_input(state, step, input_name, key)
    return _NOT_PRODUCED


def skip_reason(state: RunState, step: Step) -> str | None:
    """Why ``step`` must skip (an upstream failed, a blocking check failed, an optional
    input was not produced), or ``None`` when it can run."""
    # Guarded by emptiness: in a healthy run nothing failed or blocked, and this runs per step.
    failed, skipped = state.failed, state.skipped
    gated, blocked = state.blocked_steps, state.blocked
    if failed or skipped:
        bad = sorted(k for k in step.upstream if k in failed or k in skipped)
        if bad:
            return f"upstream step(s) {bad} did not succeed"
    if gated:
        gates = sorted(gated[k] for k in step.upstream if k in gated)
        if gates:
            return f"blocking check {gates[0]} failed"
    for step_input in step.inputs:
        if blocked:
            labels = [blocked[src] for src in step_input.sources if src in blocked]
            if labels:
                return f"blocking check {labels[0]} failed"
        if step_input.is_fan_in or not step_input.sources:
            continue
        if not any(src in state.produced for src in step_input.sources):
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
        self.state.run_event(
            event_type, message, level=level, data=data, error=error, step_key=self.key
        )

    def attempt(self, retry_number: int, inputs: dict[str, Any], node_config: Any) -> None:
        state, step = self.state, self.step
        op_def = step.op_def
        assets_def = state.assets_def_for(step)
        resources = Resources(
            {k: getattr(state.resources, k) for k in op_def.required_resource_keys}
        )
        common: dict[str, Any] = {
            "op_def": op_def,
            "op_config": (node_config or {}).get("config"),
            "resources": context_view(resources),
            "log": RunLog(
                state.emit, run_id=state.run_id, job_name=state.job_name, step_key=self.key
            ),
            "run": state.run,
            "run_config": state.run_config,
            "job_def": state.job,
            "step_key": self.key,
            "instance": state.instance,
            "retry_number": retry_number,
            "partition_key": state.partition_key,
        }
        context: OpExecutionContext
        if assets_def is not None:
            context = AssetExecutionContext(
                assets_def=assets_def,
                selected_asset_keys=state.selected_keys,
                partition_key_range=state.partitions.key_range,
                **common,
            )
        else:
            context = OpExecutionContext(**common)
        result = call_compute(op_def, context, inputs, resources, context.op_config)
        collected = collect(self.key, op_def, assets_def, result)
        scope = state.check_scope(step)
        validate_check_results(self.key, collected.checks, scope, inline=assets_def is not None)
        # Record outputs only once the whole attempt succeeded: a retried attempt must not
        # leave half of its outputs behind.
        self.record(collected, context, assets_def, scope)

    def record(
        self,
        collected: Collected,
        context: OpExecutionContext,
        assets_def: AssetsDefinition | None,
        scope: CheckScope,
    ) -> None:
        state, node = self.state, self.step.path[-1]
        for name, output in collected.outputs.items():
            state.outputs[(self.key, name)] = output.value
            state.produced.add((self.key, name))
            metadata = {**context.output_metadata(name), **output.metadata}
            self.event(
                EventType.STEP_OUTPUT,
                f'Yielded output "{name}".',
                data={"output_name": name, "metadata": metadata}
                if metadata
                else {"output_name": name},
            )
            io_metadata = handle_output(state, self.step, name, output.value, context.log)
            key = state.asset_key_for(node, name)
            if key is not None and assets_def is not None:
                self.materialized(assets_def, key, {**metadata, **io_metadata}, None, None)
        for name, materialized in collected.materialized.items():
            state.produced.add((self.key, name))
            if assets_def is not None:
                key = assets_def.specs_by_output[name].key
                # What the body added with context.add_output_metadata counts too.
                self.materialized(
                    assets_def,
                    key,
                    {**context.output_metadata(name), **materialized.metadata},
                    materialized.data_version,
                    materialized.tags,
                )
        for check in collected.checks:
            data = check_data(check, scope)
            passed = "passed" if check.passed else "failed"
            self.event(
                EventType.ASSET_CHECK_EVALUATION,
                f"Check '{data['check_name']}' on asset '{data['asset_key']}' {passed}.",
                level=logging.DEBUG if check.passed else logging.WARNING,
                data=data,
            )
            if is_blocking_failure(check, data):
                state.block(
                    self.key, data["asset_key"], data["check_name"], whole_step=assets_def is None
                )
        for logged in collected.logged:
            observed = isinstance(logged, AssetObservation)
            self.event(
                EventType.ASSET_OBSERVATION if observed else EventType.ASSET_MATERIALIZATION,
                f"{'Observed' if observed else 'Materialized'} asset "
                f"'{logged.asset_key.to_user_string()}'.",
                data=logged_event_data(logged, state.partition_key),
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
        state.data_versions[key.to_user_string()] = version
        # A range run materializes every partition of the range: one event each.
        for partition in state.partitions.keys or (None,):
            where = f" for partition {partition}" if partition else ""
            self.event(
                EventType.ASSET_MATERIALIZATION,
                f"Materialized asset '{key.to_user_string()}'{where}.",
                data=materialization_data(
                    key=key,
                    metadata=metadata,
                    partition=partition,
                    code_version=spec.code_version,
                    data_version=version,
                    input_versions=input_versions,
                    tags=tags,
                ),
            )

    def retry_delay(self, exc: Exception, retry_number: int) -> float | None:
        """Seconds to wait before retrying after ``exc``, or ``None`` not to retry."""
        if not self.state.retries_enabled:
            return None
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
    reason = skip_reason(state, step)
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
