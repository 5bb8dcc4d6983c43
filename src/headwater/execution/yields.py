"""Sorting what a step's function produced: outputs, materializations, checks, logged events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.assets.results import (
    AssetCheckResult,
    AssetMaterialization,
    AssetObservation,
    ExpectationResult,
    MaterializeResult,
)
from headwater.errors import InvariantViolationError, StepExecutionError, StepOutputNotFoundError
from headwater.execution.compute import iter_outputs
from headwater.jobs.io import Output

if TYPE_CHECKING:
    from headwater.assets.definition import AssetsDefinition
    from headwater.jobs.op import OpDefinition

__all__ = ["Collected", "collect"]


class Collected:
    """What one successful attempt produced, checked against the op's declarations."""

    # Slotted, with literals for its containers: one is made on every step's path.
    __slots__ = ("checks", "logged", "materialized", "outputs")

    def __init__(self) -> None:
        self.outputs: dict[str, Output[Any]] = {}
        self.materialized: dict[str, MaterializeResult] = {}
        self.checks: list[AssetCheckResult] = []
        self.logged: list[AssetMaterialization | AssetObservation | ExpectationResult] = []

    def produced(self, name: str) -> bool:
        return name in self.outputs or name in self.materialized


def _materialized_output(
    step_key: str, assets_def: AssetsDefinition | None, result: MaterializeResult
) -> str:
    if assets_def is None:
        raise StepExecutionError(
            f"op '{step_key}' returned a MaterializeResult, but it computes no asset; use "
            "@asset, or log an AssetMaterialization"
        )
    if result.asset_key is None:
        if len(assets_def.keys) != 1:
            raise StepExecutionError(
                f"'{step_key}' materializes several assets; give each MaterializeResult its "
                "asset_key=..."
            )
        return next(iter(assets_def.specs_by_output))
    if result.asset_key not in assets_def.keys:
        raise StepExecutionError(
            f"'{step_key}' returned a MaterializeResult for '{result.asset_key.to_user_string()}',"
            f" which it does not compute; it computes "
            f"{sorted(k.to_user_string() for k in assets_def.keys)}"
        )
    return assets_def.output_name_for_key(result.asset_key)


def collect(
    step_key: str, op_def: OpDefinition, assets_def: AssetsDefinition | None, result: Any
) -> Collected:
    """Sort ``result`` (a return value or a generator) and check it is complete.

    Raises:
        StepExecutionError: an undeclared or repeated output, a required output missing,
            or something that is neither an output nor an event.
    """
    collected = Collected()
    for item in iter_outputs(op_def, result):
        if isinstance(item, Output):
            name = item.output_name
            if name not in op_def.output_defs:
                raise InvariantViolationError(
                    f"op '{step_key}' produced output '{name}', which it does not declare; "
                    f"its outputs are {list(op_def.output_defs)}"
                )
            if collected.produced(name):
                raise InvariantViolationError(
                    f"op '{step_key}' returned an output '{name}' multiple times"
                )
            collected.outputs[name] = item
        elif isinstance(item, MaterializeResult):
            name = _materialized_output(step_key, assets_def, item)
            if collected.produced(name):
                raise InvariantViolationError(
                    f"'{step_key}' returned an output '{name}' multiple times"
                )
            collected.materialized[name] = item
            collected.checks.extend(item.check_results)
        elif isinstance(item, AssetCheckResult):
            collected.checks.append(item)
        elif isinstance(item, AssetMaterialization | AssetObservation | ExpectationResult):
            collected.logged.append(item)
        else:
            raise InvariantViolationError(
                f"op '{step_key}' yielded {item!r}, which is not an Output or an event; "
                "yield Output(value, name) for each output"
            )
    for name, out_def in op_def.output_defs.items():
        if out_def.is_required and not collected.produced(name):
            if assets_def is not None and not _selected(assets_def, name):
                continue
            raise StepOutputNotFoundError(
                f'Core compute for op "{op_def.name}" did not return an output for '
                f'non-optional output "{name}"; return it, or declare it Out(is_required=False)',
                step_key=step_key,
                output_name=name,
            )
    return collected


def _selected(assets_def: AssetsDefinition, output_name: str) -> bool:
    return not assets_def.can_subset or output_name in assets_def.specs_by_output
