"""Type checks of the values flowing through a step's inputs and outputs.

An input's or output's type comes from ``In``/``Out(dagster_type=)``, else from the op
function's annotations (the return annotation types the single output, or each output of a
``tuple[...]`` annotation). A failed check fails the step with ``TypeCheckFailedError``.
"""

from __future__ import annotations

import collections.abc
import inspect
import typing
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.errors import TypeCheckFailedError
from headwater.jobs.dynamic import DynamicOutput
from headwater.jobs.io import DEFAULT_OUTPUT, Output
from headwater.types import DataType, resolve_data_type

if TYPE_CHECKING:
    from headwater.jobs.op import OpDefinition

__all__ = [
    "DagsterTypeLoaderContext",
    "TypeCheckContext",
    "check_direct_result",
    "check_input",
    "check_input_values",
    "check_output",
    "check_output_value",
    "checks_types",
    "input_type",
    "op_types",
    "output_type",
    "type_resource_users",
]


class _OpTypes:
    """The resolved types of one op's inputs and outputs, and what checking them needs."""

    __slots__ = (
        "checked_ins",
        "checked_outs",
        "checks_anything",
        "ins",
        "outs",
        "resource_keys",
        "resource_users",
    )

    def __init__(self, ins: dict[str, DataType], outs: dict[str, DataType]) -> None:
        self.ins = ins
        self.outs = outs
        types = (*ins.values(), *outs.values())
        # What checks read, and what loaders of inputs given in run config read.
        # key → what needs it, in the reference's words, for the error when it is missing.
        users: dict[str, str] = {}
        for t in types:
            for key in sorted(t.required_resource_keys):
                users.setdefault(key, f"type '{t.display_name}'")
        for t in ins.values():
            for key in sorted(t.loader.required_resource_keys() if t.loader else ()):
                users.setdefault(key, f"the loader on type '{t.display_name}'")
        self.resource_users = users
        self.resource_keys = frozenset(users)
        # Most ops have unannotated or Any-typed values: their steps skip type checks whole.
        self.checks_anything = any(not t.is_any and not t.is_nothing for t in types)
        # Only the types whose check can fail, with the class whose instances pass at once.
        self.checked_ins = {
            name: (t, t.passing_class)
            for name, t in ins.items()
            if not t.is_any and not t.is_nothing
        }
        self.checked_outs = {name: (t, t.passing_class) for name, t in outs.items() if not t.is_any}


# op definition -> its resolved types; resolved once per op, not once per step.
_TYPES: weakref.WeakKeyDictionary[Any, _OpTypes] = weakref.WeakKeyDictionary()


def _return_hint(op_def: OpDefinition) -> Any:
    fn = op_def.compute_fn
    if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
        return None  # a generator's annotation types what it yields, not one output
    try:
        return typing.get_type_hints(fn).get("return")
    except Exception:  # an annotation naming what is not importable here: unchecked
        return None


def _output_hints(op_def: OpDefinition) -> dict[str, Any]:
    hint = _return_hint(op_def)
    names = list(op_def.output_defs)
    if hint is None:
        return {}
    if len(names) == 1:
        return {names[0]: hint}
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == len(names) and Ellipsis not in args:
        return dict(zip(names, args, strict=True))
    return {}


def _value_hint(hint: Any, *, dynamic: bool) -> Any:
    """The type of one value of an output annotated ``hint``: for a dynamic output, ``T`` of
    ``list[DynamicOutput[T]]`` (each value is checked, not the list)."""
    if not dynamic or hint is None:
        return hint
    if typing.get_origin(hint) in (list, collections.abc.Sequence) and typing.get_args(hint):
        hint = typing.get_args(hint)[0]
    args = typing.get_args(hint)
    return args[0] if typing.get_origin(hint) is DynamicOutput and args else None


def _types_of(op_def: OpDefinition) -> _OpTypes:
    cached = _TYPES.get(op_def)
    if cached is not None:
        return cached
    hints = op_def.signature.hints
    ins = {
        name: resolve_data_type(
            in_def.dagster_type if in_def.dagster_type is not None else hints.get(name)
        )
        for name, in_def in op_def.input_defs.items()
    }
    out_hints = _output_hints(op_def)
    outs = {
        name: resolve_data_type(
            out_def.dagster_type
            if out_def.dagster_type is not None
            else _value_hint(out_hints.get(name), dynamic=out_def.is_dynamic)
        )
        for name, out_def in op_def.output_defs.items()
    }
    types = _TYPES[op_def] = _OpTypes(ins, outs)
    return types


def op_types(op_def: OpDefinition) -> _OpTypes:
    """The resolved types of ``op_def``'s inputs and outputs (resolved once per op)."""
    return _types_of(op_def)


def checks_types(op_def: OpDefinition) -> bool:
    """Whether any input or output of ``op_def`` has a type whose check can fail."""
    return _types_of(op_def).checks_anything


def input_type(op_def: OpDefinition, name: str) -> DataType:
    """The type of input ``name`` of ``op_def``."""
    return _types_of(op_def).ins[name]


def output_type(op_def: OpDefinition, name: str = DEFAULT_OUTPUT) -> DataType:
    """The type of output ``name`` of ``op_def``."""
    return _types_of(op_def).outs[name]


class TypeCheckContext:
    """What a type's check function receives: the run's id, log and resources.

    Built by headwater for each step that checks types.

    Args:
        run_id: the run's id.
        log_manager: the step's log (``.log``).
        scoped_resources_builder: the resources the type may read (``.resources``).
        dagster_type: the type being checked.
    """

    def __init__(
        self, run_id: str, log_manager: Any, scoped_resources_builder: Any, dagster_type: Any
    ) -> None:
        self.run_id = run_id
        self.log = log_manager
        self.resources = scoped_resources_builder
        self._dagster_type = dagster_type


class DagsterTypeLoaderContext:
    """What a type loader (``@dagster_type_loader``) receives while it builds an input's
    value from run config. Built by headwater for the step whose input is loaded.

    Attributes:
        run_id: the run's id.
        log: the step's log.
        resources: the resources the loader (and the op) may read.
        job_name: the job's name.
        step_key: the step's key.
        op_def: the op whose input is loaded.
        run_config: the run's config.
    """

    def __init__(
        self,
        *,
        run_id: str,
        log: Any,
        resources: Any,
        job_name: str,
        step_key: str,
        op_def: OpDefinition,
        run_config: Mapping[str, Any],
    ) -> None:
        self.run_id = run_id
        self.log = log
        self.resources = resources
        self.job_name = job_name
        self.step_key = step_key
        self.op_def = op_def
        self.run_config = run_config


def _run_check(
    dagster_type: DataType, context_of: Callable[[], Any], value: Any, where: str
) -> None:
    if dagster_type.is_any:
        return
    # A check function that raises fails the step with its own exception, as an op's
    # function does (the reference re-raises it from execute_in_process too).
    outcome = dagster_type.type_check(context_of(), value)
    if outcome.success:
        return
    raise TypeCheckFailedError(
        f'Type check failed for {where} - expected type "{dagster_type.display_name}". '
        f"Description: {outcome.description}",
        metadata=outcome.metadata,
        dagster_type=dagster_type,
    )


def check_output(op_def: OpDefinition, context: Any, name: str, value: Any) -> None:
    """Check the value of output ``name``.

    Raises:
        TypeCheckFailedError: the value is not of the output's type.
    """
    check_output_value(_types_of(op_def), lambda: context, name, value)


def check_output_value(
    types: _OpTypes, context_of: Callable[[], Any], name: str, value: Any
) -> None:
    """``check_output`` with the op's types at hand (the per-step path); ``context_of``
    builds the check's context, when a check function runs (most values pass at once).

    Raises:
        TypeCheckFailedError: the value is not of the output's type.
    """
    checked = types.checked_outs.get(name)
    if checked is not None:
        dagster_type, passing = checked
        if passing is None or not isinstance(value, passing):
            _run_check(dagster_type, context_of, value, f'step output "{name}"')


def check_input(op_def: OpDefinition, context: Any, inputs: Mapping[str, Any]) -> None:
    """Check every loaded input value of ``op_def``.

    Raises:
        TypeCheckFailedError: a value is not of its input's type.
    """
    check_input_values(_types_of(op_def), lambda: context, inputs)


def check_input_values(
    types: _OpTypes, context_of: Callable[[], Any], inputs: Mapping[str, Any]
) -> None:
    """``check_input`` with the op's types at hand (the per-step path); ``context_of``
    builds the check's context, when a check function runs (most values pass at once).

    Raises:
        TypeCheckFailedError: a value is not of its input's type.
    """
    checked_ins = types.checked_ins
    for name, value in inputs.items():
        checked = checked_ins.get(name)
        if checked is not None:
            dagster_type, passing = checked
            if passing is None or not isinstance(value, passing):
                _run_check(dagster_type, context_of, value, f'step input "{name}"')


def type_resource_users(op_def: OpDefinition) -> Mapping[str, str]:
    """The resources the checks of ``op_def``'s input and output types (and the loaders of
    its input types) read: key → the first type reading it, as ``"type 'Rows'"``."""
    return _types_of(op_def).resource_users


def check_direct_result(op_def: OpDefinition, result: Any) -> None:
    """Check what a directly invoked op returned against its output types.

    Generators and results that are events (``MaterializeResult``, ...) are not checked.
    """
    if op_def.is_generator or inspect.iscoroutine(result):
        return
    names = list(op_def.output_defs)
    context = TypeCheckContext("EPHEMERAL", None, None, None)
    if len(names) == 1:
        values = {names[0]: result}
    elif isinstance(result, tuple) and len(result) == len(names):
        values = dict(zip(names, result, strict=True))
    else:
        return
    for name, value in values.items():
        if type(value).__module__.startswith("headwater.assets"):
            continue  # a MaterializeResult or check result: not an output value
        checked = value.value if isinstance(value, Output) else value
        check_output(op_def, context, name, checked)
