"""Calling an op's function and reading what it produced; shared by runs and direct calls."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.jobs.io import OpEvent, Output

if TYPE_CHECKING:
    from headwater.jobs.op import OpDefinition

__all__ = ["call_compute", "config_argument", "iter_outputs"]

# Results that may stand for something else than one output's value (see _returned_outputs).
# ``OpEvent`` covers the events of headwater.assets.results, which load only when one is met.
_NOT_A_VALUE = (Output, OpEvent, tuple, list)


def _is_event(value: Any) -> bool:
    """Whether an op may return ``value`` in place of outputs: a materialize or observe
    result, an asset check result, a materialization or an observation."""
    if not isinstance(value, OpEvent):
        return False
    from headwater.assets.results import ExpectationResult

    return not isinstance(value, ExpectationResult)


def config_argument(op_def: OpDefinition, op_config: Any) -> Any:
    """What the op's config parameter receives: its ``Config`` object built from config."""
    if op_def.config_class is None:
        return op_config
    if isinstance(op_config, op_def.config_class):
        return op_config
    from headwater.config.pythonic import model_from_config  # pydantic: deferred

    return model_from_config(op_def.config_class, op_config or {})


def call_compute(
    op_def: OpDefinition,
    context: Any,
    inputs: Mapping[str, Any],
    resources: Any,
    op_config: Any,
) -> Any:
    """Call the op's function with context, inputs, config and resource parameters."""
    sig = op_def.signature
    if sig.takes_any_input:  # `**inputs`: every input value arrives by its name
        kwargs = dict(inputs)
    else:
        kwargs = {}
        for name in sig.input_params:  # a loop, not a comprehension: no frame of its own
            if name in inputs:
                kwargs[name] = inputs[name]
    if sig.config_param is not None:
        kwargs[sig.config_param] = config_argument(op_def, op_config)
    for param, key in sig.resource_params.items():
        kwargs[param] = getattr(resources, key)
    if sig.has_context:
        return op_def.compute_fn(context, **kwargs)
    return op_def.compute_fn(**kwargs)


def _as_output(op_def: OpDefinition, name: str, value: Any) -> Output[Any]:
    if isinstance(value, Output):
        if value.output_name != name:
            raise InvariantViolationError(
                f"op '{op_def.name}' returned Output(..., {value.output_name!r}) where output "
                f"{name!r} was expected; return outputs in the order of out= or yield them"
            )
        return value
    return Output(value, name)


def iter_outputs(op_def: OpDefinition, result: Any) -> Iterable[Any]:
    """The ``Output`` objects (and other yielded events) an op's result stands for."""
    if op_def.is_generator:
        return result  # type: ignore[no-any-return]  # the body's generator
    output_defs = op_def.output_defs
    if len(output_defs) == 1 and not isinstance(result, _NOT_A_VALUE):
        # The common case, on every step's path: one output, the value returned.
        name = next(iter(output_defs))
        out_def = output_defs[name]
        if not out_def.is_dynamic:
            return (Output(None if out_def.is_nothing else result, name),)
    return _returned_outputs(op_def, result)


def _returned_outputs(op_def: OpDefinition, result: Any) -> Iterator[Any]:
    names = list(op_def.output_defs)
    if isinstance(result, OpEvent) and not _is_event(result):
        # An ExpectationResult: a returned one would read as the op's output value; as in
        # the reference, it must be yielded or logged.
        raise InvariantViolationError(
            f'Error in op "{op_def.name}": an ExpectationResult must be yielded or logged with '
            "context.log_event, not returned: a returned value is the op's output"
        )
    if isinstance(result, Output) or _is_event(result):
        yield result
        return
    if isinstance(result, (tuple, list)) and result and all(_is_event(r) for r in result):
        yield from result  # a multi-asset returning one MaterializeResult per key
        return
    if not names:
        return
    if len(names) == 1:
        out_def = op_def.output_defs[names[0]]
        if out_def.is_dynamic:
            yield from _dynamic_values(op_def, names[0], result)
        else:
            # A Nothing output returns None and still counts as produced: what waits on it
            # runs.
            yield Output(None if out_def.is_nothing else result, names[0])
        return
    if result is None and all(not op_def.output_defs[n].is_required for n in names):
        return
    if not isinstance(result, tuple) or len(result) != len(names):
        raise InvalidDefinitionError(
            f"op '{op_def.name}' has outputs {names} and must return a tuple of "
            f"{len(names)} values in that order (or yield Output objects); it returned "
            f"{type(result).__name__}"
        )
    for name, value in zip(names, result, strict=True):
        if op_def.output_defs[name].is_dynamic:
            yield from _dynamic_values(op_def, name, value)
        else:
            yield _as_output(op_def, name, value)


def _dynamic_values(op_def: OpDefinition, name: str, value: Any) -> Any:
    """The ``DynamicOutput``s a returned value of dynamic output ``name`` holds (a list)."""
    if not isinstance(value, list):
        raise InvariantViolationError(
            f'Error with output for op "{op_def.name}": dynamic output {name!r} expected a list '
            f"of DynamicOutput objects, but instead received instead an object of type "
            f"{type(value)}; return [DynamicOutput(value, mapping_key=...), ...] or yield them"
        )
    return value
