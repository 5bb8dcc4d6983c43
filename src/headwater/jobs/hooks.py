"""Hooks: callbacks that run after an op's step succeeds or fails.

A hook is a value, like an op: ``@success_hook`` and ``@failure_hook`` turn a function of
one ``context`` into a ``HookDefinition``; attach it to a whole job (``@job(hooks={...})``,
``job.with_hooks``, or by decorating the job) or to one invocation
(``my_op.with_hooks({...})()`` inside a graph body). The run loop calls every hook of a step
once the step ends (``headwater.execution.hooks``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.events import EventType
from headwater.jobs.node import check_valid_name

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

__all__ = [
    "HookDefinition",
    "HookExecutionResult",
    "event_list_hook",
    "failure_hook",
    "success_hook",
]


class _HookResultFields(NamedTuple):
    hook_name: str
    is_skipped: bool


class HookExecutionResult(_HookResultFields):
    """What a hook's ``hook_fn`` returns: whether it ran or skipped for this step.

    Args:
        hook_name: the hook's name.
        is_skipped: ``True`` when the hook's condition did not hold (a success hook on a
            failed step); ``None`` means ``False``.
    """

    def __new__(cls, hook_name: str, is_skipped: bool | None = None) -> HookExecutionResult:
        return super().__new__(cls, hook_name, bool(is_skipped))


class HookDefinition:
    """A callback triggered when a step ends.

    ``hook_fn(context, event_list)`` receives a ``HookContext`` and the step's events, and
    returns a ``HookExecutionResult``. The decorators build this for you; ``decorated_fn`` is
    the user's function, which direct invocation (``my_hook(build_hook_context())``) calls.

    Args:
        name: the hook's name.
        hook_fn: the callback the run loop calls.
        required_resource_keys: resources the hook uses (``context.resources``).
        decorated_fn: the function a hook decorator wrapped.
    """

    __slots__ = ("decorated_fn", "hook_fn", "name", "required_resource_keys")

    def __init__(
        self,
        *,
        name: str,
        hook_fn: Callable[..., Any],
        required_resource_keys: AbstractSet[str] | None = None,
        decorated_fn: Callable[..., Any] | None = None,
    ) -> None:
        if not callable(hook_fn):
            raise InvalidDefinitionError(f"hook '{name}': hook_fn must be callable")
        self.name = check_valid_name(name, kind="hook")
        self.hook_fn = hook_fn
        self.required_resource_keys: frozenset[str] = frozenset(required_resource_keys or ())
        self.decorated_fn = decorated_fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Attach to a job or graph (as a decorator), or run the hook's function directly.

        Raises:
            InvalidInvocationError: the hook was not built by a decorator, or the call does
                not match the decorated function's parameters.
        """
        # Deferred: attaching to a job needs the job module, which imports this one.
        from headwater.jobs.graph import GraphDefinition
        from headwater.jobs.job import JobDefinition

        if args and isinstance(args[0], JobDefinition | GraphDefinition):
            return args[0].with_hooks({self})
        if self.decorated_fn is None:
            raise InvalidInvocationError(
                f"hook '{self.name}' was not built with a hook decorator, so it cannot be "
                "invoked directly; call hook_fn(context, event_list) instead"
            )
        params = list(inspect.signature(self.decorated_fn).parameters)
        given = len(args) + len(kwargs)
        if given != len(params):
            raise InvalidInvocationError(
                f"hook '{self.name}' expects {len(params)} argument(s) {params}, but "
                f"{given} were provided"
            )
        return self.decorated_fn(*args, **kwargs)

    def __hash__(self) -> int:
        return hash((self.name, self.hook_fn))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, HookDefinition)
            and other.name == self.name
            and other.hook_fn is self.hook_fn
        )

    def __repr__(self) -> str:
        return f"<HookDefinition {self.name!r}>"


def _check_params(fn: Callable[..., Any], expected: Sequence[str], kind: str) -> None:
    params = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(params) != len(expected):
        raise InvalidDefinitionError(
            f"{kind} '{fn.__name__}' must take {len(expected)} positional parameter(s) "
            f"({', '.join(expected)}), but takes {len(params)}"
        )


def event_list_hook(
    hook_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    required_resource_keys: AbstractSet[str] | None = None,
    decorated_fn: Callable[..., Any] | None = None,
) -> Any:
    """A hook whose function receives ``(context, event_list)`` and returns a result."""

    def build(fn: Callable[..., Any]) -> HookDefinition:
        _check_params(fn, ("context", "event_list"), "event list hook")
        return HookDefinition(
            name=name or fn.__name__,
            hook_fn=fn,
            required_resource_keys=required_resource_keys,
            decorated_fn=decorated_fn or fn,
        )

    return build(hook_fn) if hook_fn is not None else build


def _outcome_hook(
    fn: Callable[..., Any],
    *,
    name: str | None,
    required_resource_keys: AbstractSet[str] | None,
    trigger: EventType,
    kind: str,
) -> HookDefinition:
    _check_params(fn, ("context",), kind)
    hook_name = name or fn.__name__

    def hook_fn(context: Any, event_list: Sequence[Any]) -> HookExecutionResult:
        for event in event_list:
            if getattr(event, "event_type", None) == trigger:
                fn(context)
                return HookExecutionResult(hook_name=hook_name, is_skipped=False)
        return HookExecutionResult(hook_name=hook_name, is_skipped=True)

    return HookDefinition(
        name=hook_name,
        hook_fn=hook_fn,
        required_resource_keys=required_resource_keys,
        decorated_fn=fn,
    )


@overload
def success_hook(hook_fn: Callable[..., Any]) -> HookDefinition: ...


@overload
def success_hook(
    hook_fn: None = None,
    *,
    name: str | None = None,
    required_resource_keys: AbstractSet[str] | None = None,
) -> Callable[[Callable[..., Any]], HookDefinition]: ...


def success_hook(
    hook_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    required_resource_keys: AbstractSet[str] | None = None,
) -> HookDefinition | Callable[[Callable[..., Any]], HookDefinition]:
    """Turn a function of ``context`` into a hook that runs after a step succeeds.

    Args:
        hook_fn: the function (when used bare, ``@success_hook``).
        name: the hook's name (defaults to the function's).
        required_resource_keys: resources the hook uses.

    Returns:
        A ``HookDefinition`` (or a decorator making one).

    Example:
        ``@success_hook(required_resource_keys={"slack"})``
        ``def notify(context): context.resources.slack.send(f"{context.op.name} ok")``
    """

    def build(fn: Callable[..., Any]) -> HookDefinition:
        return _outcome_hook(
            fn,
            name=name,
            required_resource_keys=required_resource_keys,
            trigger=EventType.STEP_SUCCESS,
            kind="success hook",
        )

    return build(hook_fn) if hook_fn is not None else build


@overload
def failure_hook(name: Callable[..., Any]) -> HookDefinition: ...


@overload
def failure_hook(
    name: str | None = None,
    required_resource_keys: AbstractSet[str] | None = None,
) -> Callable[[Callable[..., Any]], HookDefinition]: ...


def failure_hook(
    name: Callable[..., Any] | str | None = None,
    required_resource_keys: AbstractSet[str] | None = None,
) -> HookDefinition | Callable[[Callable[..., Any]], HookDefinition]:
    """Turn a function of ``context`` into a hook that runs after a step fails.

    Args:
        name: the hook's name (defaults to the function's); or the function itself, when
            used bare (``@failure_hook``), as the reference's signature allows.
        required_resource_keys: resources the hook uses.

    Returns:
        A ``HookDefinition`` (or a decorator making one).

    Example:
        ``@failure_hook``
        ``def page(context): alert(f"{context.op.name} failed: {context.op_exception}")``
    """
    if callable(name):
        return _outcome_hook(
            name,
            name=None,
            required_resource_keys=required_resource_keys,
            trigger=EventType.STEP_FAILURE,
            kind="failure hook",
        )
    hook_name = name

    def build(fn: Callable[..., Any]) -> HookDefinition:
        return _outcome_hook(
            fn,
            name=hook_name,
            required_resource_keys=required_resource_keys,
            trigger=EventType.STEP_FAILURE,
            kind="failure hook",
        )

    return build
