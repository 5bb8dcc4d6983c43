"""Calling schedule and sensor functions: their parameters, and their resources' lifecycle."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import GeneratorType
from typing import Any

from headwater._dataclass import dataclass
from headwater.automation.context import _EvaluationContext
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.resources import (
    ResourceDefinition,
    Resources,
    is_resource_annotation,
    open_resources,
)

__all__ = [
    "EvaluationSignature",
    "analyze_evaluation_fn",
    "call_evaluation_fn",
    "invoke_directly",
    "resource_scope",
]


@dataclass(frozen=True, slots=True)
class EvaluationSignature:
    """How to call a schedule or sensor function, worked out once from its signature.

    Attributes:
        positional: the leading parameters that are not resources: the context, then
            (for asset sensors) the event.
        resource_params: parameters annotated as resources; the name is the resource key.
    """

    positional: tuple[str, ...]
    resource_params: tuple[str, ...]

    @property
    def has_context(self) -> bool:
        """Whether the function takes a context."""
        return bool(self.positional)


def _type_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn, include_extras=True)
    except (NameError, TypeError):
        # An annotation that does not resolve cannot be a resource class we know.
        return {}


def analyze_evaluation_fn(
    fn: Callable[..., Any], *, subject: str, positional: Sequence[str]
) -> EvaluationSignature:
    """Sort a function's parameters into leading positional ones and resources.

    Args:
        fn: the user's schedule or sensor function.
        subject: for messages (``"sensor 'new_files'"``).
        positional: what the leading non-resource parameters mean, in order
            (``("context",)``, or ``("context", "asset_event")``); fewer may be taken.

    Raises:
        InvalidDefinitionError: a parameter is ``*args``/``**kwargs``, or there are more
            non-resource parameters than ``positional`` allows.
    """
    hints = _type_hints(fn)
    leading: list[str] = []
    resources: list[str] = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise InvalidDefinitionError(
                f"{subject} takes {'*' if p.kind is p.VAR_POSITIONAL else '**'}{p.name}; "
                "its function needs named parameters: the context, then resources"
            )
        annotation = hints.get(p.name)
        if annotation is not None and is_resource_annotation(annotation):
            resources.append(p.name)
        elif len(leading) < len(positional) and not resources:
            leading.append(p.name)
        else:
            allowed = " and ".join(positional)
            raise InvalidDefinitionError(
                f"{subject} has parameter '{p.name}', which is neither the {allowed} nor a "
                "resource; annotate resource parameters with their ConfigurableResource "
                "class or ResourceParam[...], and put the "
                f"{allowed} first"
            )
    return EvaluationSignature(positional=tuple(leading), resource_params=tuple(resources))


def call_evaluation_fn(
    fn: Callable[..., Any],
    sig: EvaluationSignature,
    context: _EvaluationContext,
    resources: Resources,
    extra: Sequence[Any] = (),
) -> Any:
    """Call ``fn``; a generator is run to its end here, while the resources are open."""
    args = [context, *extra][: len(sig.positional)]
    kwargs = {name: getattr(resources, name) for name in sig.resource_params}
    result = fn(*args, **kwargs)
    if isinstance(result, GeneratorType):
        return list(result)
    return result


def split_invocation(
    sig: EvaluationSignature, args: tuple[Any, ...], kwargs: dict[str, Any], *, subject: str
) -> tuple[Any, dict[str, Any]]:
    """The context (or ``None``) and the resources given to a direct call.

    Raises:
        InvalidInvocationError: too many positional arguments or an unknown keyword.
    """
    if len(args) > 1:
        raise InvalidInvocationError(
            f"{subject} takes at most one positional argument, the context; got {len(args)}"
        )
    context = args[0] if args else None
    context_name = sig.positional[0] if sig.positional else "context"
    if context_name in kwargs:
        if context is not None:
            raise InvalidInvocationError(f"{subject} got the context twice")
        context = kwargs.pop(context_name)
    unknown = sorted(set(kwargs) - set(sig.resource_params))
    if unknown:
        raise InvalidInvocationError(
            f"{subject} got unexpected keyword argument(s) {', '.join(unknown)}; it takes "
            f"the context and its resource parameters ({', '.join(sig.resource_params) or 'none'})"
        )
    return context, kwargs


@contextmanager
def resource_scope(
    context: _EvaluationContext,
    *,
    required: frozenset[str],
    resource_defs: Mapping[str, ResourceDefinition],
    given: Mapping[str, Any],
    subject: str,
    open_all: bool,
    hint: str,
) -> Iterator[Resources]:
    """Resources for one evaluation: opened here and torn down on exit.

    Args:
        context: bound to the resources for the block.
        required: the keys the function declares (parameters and required_resource_keys).
        resource_defs: the definitions available.
        given: resources passed as keyword arguments; used as they are, never opened.
        subject: for messages (``"sensor 'files'"``).
        open_all: open every definition (direct calls) instead of only ``required``.
        hint: how to provide a missing resource, for messages.

    Raises:
        InvalidDefinitionError: a required key is not available; the message names it.
    """
    if context.has_open_resources:
        # Inside ``with build_sensor_context(...) as context:``: already up.
        opened = dict(vars(context.resources))
        missing = sorted(required - set(opened) - set(given))
        _check_missing(missing, opened, subject, hint)
        with context.bound_resources(Resources({**opened, **given})) as bound:
            yield bound
        return
    missing = sorted(required - set(resource_defs) - set(given))
    _check_missing(missing, resource_defs, subject, hint)
    keys = [k for k in (resource_defs if open_all else sorted(required)) if k not in given]
    with open_resources(
        resource_defs,
        keys=keys,
        configs={},
        instance=context.instance_or_none,
        log=context.log,
        owner=subject,
    ) as opened_resources:
        merged = Resources({**vars(opened_resources), **given})
        with context.bound_resources(merged) as bound:
            yield bound


def _check_missing(
    missing: list[str], available: Mapping[str, object], subject: str, hint: str
) -> None:
    if missing:
        names = ", ".join(f"'{k}'" for k in missing)
        have = ", ".join(f"'{k}'" for k in available) or "none"
        raise InvalidDefinitionError(
            f"{subject} requires resource {names}, which is not provided "
            f"(available: {have}); {hint}"
        )


def invoke_directly(
    sig: EvaluationSignature,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    *,
    subject: str,
    context_class: type[_EvaluationContext],
    make_context: Callable[[], _EvaluationContext],
    builder: str,
    required: frozenset[str],
    produce: Callable[[Any, Any], Any],
    coerce: Callable[[Any], Any] | None = None,
    generator: bool = False,
) -> Any:
    """Call a schedule's or sensor's function directly (a test): context, then resources.

    Resources given as keyword arguments are used as they are; the rest come from the
    context, initialized for this call and torn down after it. ``coerce`` converts the
    given context first (a run failure sensor accepts a run status context). With
    ``generator`` (the function is a generator function), the items come back as a
    generator, as the reference's direct call returns the function's own generator; they
    are produced here, while the resources are open.
    """
    context, given = split_invocation(sig, tuple(args), dict(kwargs), subject=subject)
    if context is None:
        if sig.has_context:
            raise InvalidInvocationError(
                f"{subject} takes a context argument, but none was given; pass one built "
                f"with {builder}(...)"
            )
        context = make_context()
    if coerce is not None:
        context = coerce(context)
    if not isinstance(context, context_class):
        raise InvalidInvocationError(
            f"{subject} expects a {context_class.__name__} ({builder}()), "
            f"got {type(context).__name__}"
        )
    with resource_scope(
        context,
        required=required,
        resource_defs=context.resource_defs,
        given=given,
        subject=subject,
        open_all=True,
        hint=f"pass it to {builder}(resources={{...}}) or as a keyword argument",
    ) as resources:
        result = produce(context, resources)
    return (item for item in result) if generator and isinstance(result, list) else result
