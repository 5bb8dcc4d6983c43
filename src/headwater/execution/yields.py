"""Sorting what a step's function produced: outputs, materializations, checks, logged events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from headwater.errors import (
    InvariantViolationError,
    StepExecutionError,
    StepOutputNotFoundError,
    TypeCheckFailedError,
)
from headwater.execution.compute import iter_outputs
from headwater.jobs.dynamic import DynamicOutput
from headwater.jobs.io import OpEvent, Output

if TYPE_CHECKING:
    # At run time these load with the first one an op makes (see _add_event).
    from headwater.assets.definition import AssetsDefinition
    from headwater.assets.results import (
        AssetCheckResult,
        AssetMaterialization,
        AssetObservation,
        ExpectationResult,
        MaterializeResult,
        ObserveResult,
    )
    from headwater.jobs.op import OpDefinition

__all__ = ["Collected", "collect", "take_check_outputs"]


class Collected:
    """What one successful attempt produced, checked against the op's declarations."""

    # Slotted, with literals for its containers: one is made on every step's path.
    __slots__ = ("checks", "dynamic", "error", "logged", "materialized", "observed", "outputs")

    def __init__(self) -> None:
        self.outputs: dict[str, Output[Any]] = {}
        self.materialized: dict[str, MaterializeResult] = {}
        self.observed: dict[str, ObserveResult] = {}
        self.checks: list[AssetCheckResult] = []
        self.logged: list[AssetMaterialization | AssetObservation | ExpectationResult] = []
        # Output name → mapping key → value, for dynamic outputs, in the order yielded.
        self.dynamic: dict[str, dict[str, Output[Any]]] = {}
        # Raised once what was yielded before it is recorded (a repeated mapping key, or
        # what a generator body raised part-way), as those values were produced.
        self.error: Exception | None = None

    def produced(self, name: str) -> bool:
        return name in self.outputs or name in self.materialized or name in self.observed


def _result_output(
    step_key: str,
    op_def: OpDefinition,
    assets_def: AssetsDefinition | None,
    result: MaterializeResult | ObserveResult,
) -> str:
    from headwater.assets.results import ObserveResult

    kind = type(result).__name__
    verb = "observes" if isinstance(result, ObserveResult) else "materializes"
    # The node name is the step key's last part (``graph.op`` inside a graph).
    names = {
        "step_key": step_key,
        "op_name": step_key.rsplit(".", 1)[-1],
        "op_def_name": op_def.name,
    }
    if assets_def is None:
        raise StepExecutionError(
            f"op '{step_key}' returned a {kind}, but it computes no asset; use "
            "@asset, or log an AssetMaterialization",
            **names,
            user_exception=None,
            original_exc_info=None,
        )
    if result.asset_key is None:
        if len(assets_def.keys) != 1:
            raise StepExecutionError(
                f"'{step_key}' {verb} several assets; give each {kind} its asset_key=...",
                **names,
                user_exception=None,
                original_exc_info=None,
            )
        return next(iter(assets_def.specs_by_output))
    if result.asset_key not in assets_def.keys:
        raise StepExecutionError(
            f"'{step_key}' returned a {kind} for '{result.asset_key.to_user_string()}',"
            f" which it does not compute; it computes "
            f"{sorted(k.to_user_string() for k in assets_def.keys)}",
            **names,
            user_exception=None,
            original_exc_info=None,
        )
    return assets_def.output_name_for_key(result.asset_key)


def _add_result(
    collected: Collected,
    step_key: str,
    op_def: OpDefinition,
    assets_def: AssetsDefinition | None,
    item: MaterializeResult | ObserveResult,
) -> None:
    from headwater.assets.results import ObserveResult

    if isinstance(item, ObserveResult) and (assets_def is None or not assets_def.is_observable):
        # From an op or an asset that materializes, the result is the output's value, as in
        # the reference.
        _add_output(collected, step_key, op_def, Output(item, _only_output(op_def)))
        return
    name = _result_output(step_key, op_def, assets_def, item)
    if collected.produced(name):
        raise InvariantViolationError(f"'{step_key}' returned an output '{name}' multiple times")
    if isinstance(item, ObserveResult):
        collected.observed[name] = item
    elif item.has_value:  # the asset's value: its IO manager stores it, as a returned one
        out_def = assets_def.op.output_defs[name] if assets_def and assets_def.op else None
        if out_def is not None and out_def.is_nothing and item.value is not None:
            raise TypeCheckFailedError(
                f'Type check failed for step output "{name}" - expected type "Nothing". '
                f"Description: Value must be None or unset, got a {type(item.value)}; an asset "
                "declared by an AssetSpec stores its own data: drop value=, or declare it "
                "with outs={...: AssetOut()}"
            )
        collected.outputs[name] = Output(
            item.value, name, metadata=item.metadata, data_version=item.data_version, tags=item.tags
        )
    else:
        collected.materialized[name] = item
    collected.checks.extend(item.check_results)


def _add_event(
    collected: Collected,
    step_key: str,
    op_def: OpDefinition,
    assets_def: AssetsDefinition | None,
    item: OpEvent,
) -> None:
    from headwater.assets.results import AssetCheckResult, MaterializeResult, ObserveResult

    if isinstance(item, MaterializeResult | ObserveResult):
        _add_result(collected, step_key, op_def, assets_def, item)
    elif isinstance(item, AssetCheckResult):
        collected.checks.append(item)
    else:  # a materialization, an observation or an expectation result: logged
        collected.logged.append(item)  # type: ignore[arg-type]  # the other OpEvents


def collect(  # one branch per kind of item, inline: every step passes here
    step_key: str, op_def: OpDefinition, assets_def: AssetsDefinition | None, result: Any
) -> Collected:
    """Sort ``result`` (a return value or a generator) and check it is complete.

    An error while sorting (the body's own, an undeclared or repeated output, something
    that is neither an output nor an event) goes to ``collected.error``: the caller
    records what was sorted before it, then raises it.

    Raises:
        StepOutputNotFoundError: a required output missing.
    """
    collected = Collected()
    try:  # free while nothing raises
        for item in iter_outputs(op_def, result):
            if isinstance(item, Output):  # inline: every output of every step passes here
                name = item.output_name
                out_def = op_def.output_defs.get(name)
                if out_def is None or out_def.is_dynamic:
                    raise _misplaced_output(step_key, op_def, name)
                if collected.produced(name):
                    raise InvariantViolationError(
                        f"op '{step_key}' returned an output '{name}' multiple times"
                    )
                collected.outputs[name] = item
            elif isinstance(item, DynamicOutput):
                if not _add_dynamic(collected, op_def, item):
                    return collected
            elif isinstance(item, OpEvent):
                _add_event(collected, step_key, op_def, assets_def, item)
            else:
                raise InvariantViolationError(
                    f"op '{step_key}' yielded {item!r}, which is not an Output or an event; "
                    "yield Output(value, name) for each output"
                )
    except Exception as exc:
        # The body (a generator, or the outputs its return value stands for) failed
        # part-way: what came before is recorded, then the step fails with this error (as
        # each event is recorded when it is produced).
        collected.error = exc
    if collected.error is None:  # a body that failed part-way is not complete: no 2nd error
        _check_complete(step_key, op_def, assets_def, collected)
    return collected


def _check_complete(
    step_key: str, op_def: OpDefinition, assets_def: AssetsDefinition | None, collected: Collected
) -> None:
    """Raise for a required output the body did not produce.

    Raises:
        StepOutputNotFoundError: a required output missing.
    """
    if op_def.output_defs.keys() <= collected.outputs.keys():
        return  # every output returned: the common case, tested in C
    for name, out_def in op_def.output_defs.items():
        # A dynamic output may yield no value at all: nothing is then mapped over it.
        if out_def.is_required and not collected.produced(name) and not out_def.is_dynamic:
            if assets_def is not None and not _selected(assets_def, name):
                continue
            raise StepOutputNotFoundError(
                f'Core compute for op "{op_def.name}" did not return an output for '
                f'non-optional output "{name}"; return it, or declare it Out(is_required=False)',
                step_key=step_key,
                output_name=name,
            )


def _add_output(
    collected: Collected, step_key: str, op_def: OpDefinition, item: Output[Any]
) -> None:
    name = item.output_name
    if name not in op_def.output_defs:
        raise InvariantViolationError(
            f"op '{step_key}' produced output '{name}', which it does not declare; "
            f"its outputs are {list(op_def.output_defs)}"
        )
    if collected.produced(name):
        raise InvariantViolationError(f"op '{step_key}' returned an output '{name}' multiple times")
    collected.outputs[name] = item


def _only_output(op_def: OpDefinition) -> str:
    return next(iter(op_def.output_defs), "result")


def _misplaced_output(step_key: str, op_def: OpDefinition, name: str) -> Exception:
    """The error for an ``Output`` of an undeclared output, or of a dynamic one."""
    if name in op_def.output_defs:
        return InvariantViolationError(
            f'Compute for op "{op_def.name}" for output "{name}" defined as dynamic '
            "must yield DynamicOutput, got Output."
        )
    return InvariantViolationError(
        f"op '{step_key}' produced output '{name}', which it does not declare; "
        f"its outputs are {list(op_def.output_defs)}"
    )


def _add_dynamic(collected: Collected, op_def: OpDefinition, item: DynamicOutput[Any]) -> bool:
    """Add one value of a dynamic output; ``False`` once a mapping key repeats (then
    ``collected.error`` holds why).

    Raises:
        InvariantViolationError: the output is not a ``DynamicOut``.
    """
    name = item.output_name
    out_def = op_def.output_defs.get(name)
    if out_def is None or not out_def.is_dynamic:
        raise InvariantViolationError(
            f'Compute for op "{op_def.name}" yielded a DynamicOutput, but did not use '
            f"DynamicOutputDefinition: declare output '{name}' as DynamicOut() to yield "
            "DynamicOutput values, or yield Output"
        )
    values = collected.dynamic.setdefault(name, {})
    if item.mapping_key in values:
        collected.error = InvariantViolationError(
            f'Compute for op "{op_def.name}" yielded a DynamicOutput with mapping_key '
            f'"{item.mapping_key}" multiple times.'
        )
        return False
    values[item.mapping_key] = item.as_output()
    return True


def _selected(assets_def: AssetsDefinition, output_name: str) -> bool:
    return not assets_def.can_subset or output_name in assets_def.specs_by_output


def take_check_outputs(
    step_key: str, collected: Collected, check_outputs: Mapping[str, Any]
) -> dict[tuple[str, str], str]:
    """Move the outputs that return a check's result (``check_outputs``: output name →
    ``AssetCheckSpec``) to the step's check results; returns ``(asset, check name)`` →
    the output that returned it.

    Raises:
        InvariantViolationError: such an output's value is not an ``AssetCheckResult``.
    """
    names: dict[tuple[str, str], str] = {}
    for name, spec in check_outputs.items():
        output = collected.outputs.pop(name, None)
        if output is None:
            continue
        result = output.value
        from headwater.assets.results import AssetCheckResult  # asset checks only

        if not isinstance(result, AssetCheckResult):
            raise InvariantViolationError(
                f"output '{name}' of op '{step_key}' returns the result of check "
                f"'{spec.name}' on '{spec.asset_key.to_user_string()}', but its value is "
                f"{type(result).__name__}; return AssetCheckResult(passed=...)"
            )
        if result.asset_key is None and result.check_name is None:
            # Which check it is follows from the output it was returned by.
            result = replace(result, asset_key=spec.asset_key, check_name=spec.name)
        collected.checks.append(result)
        names[(spec.asset_key.to_user_string(), spec.name)] = name
    return names
