"""Calling a resource directly (in tests) and running generator resources."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, ContextDecorator, contextmanager
from types import GeneratorType
from typing import TYPE_CHECKING, Any

from headwater.errors import InvalidInvocationError, ResourceFunctionError
from headwater.resources._instance import EphemeralInstance
from headwater.resources.context import InitResourceContext

if TYPE_CHECKING:
    from headwater.resources.definition import ResourceDefinition

__all__ = ["finish_generator", "first_yield", "invoke_resource", "is_context_manager_result"]


def invoke_resource(
    definition: ResourceDefinition, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Build ``definition``'s resource from the arguments of a direct call.

    Raises:
        InvalidInvocationError: wrong arguments, or required config/resources missing.
        InvalidConfigError: the context's config does not fit the schema.
    """
    context = _invocation_context(definition, args, kwargs)
    if not definition.takes_context:
        result = definition.resource_fn()
    else:
        # Without a context, the reference builds one: with an ephemeral instance.
        ctx = context if context is not None else InitResourceContext(instance=EphemeralInstance())
        bound = ctx.replace(
            resource_config=definition.process_config(ctx.resource_config),
            resource_def=definition,
        )
        result = definition.resource_fn(bound)
    if isinstance(result, GeneratorType):
        return _single_yield(result, repr_label(definition))
    return result


def repr_label(definition: ResourceDefinition) -> str:
    """The name of a definition in messages (its function's)."""
    return definition._label


def _invocation_context(
    definition: ResourceDefinition, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> InitResourceContext | None:
    label = repr_label(definition)
    values = [*args, *kwargs.values()]
    if len(values) > 1:
        raise InvalidInvocationError(
            f"resource '{label}' was called with {len(values)} arguments; "
            "call it with one InitResourceContext (or None), or with none"
        )
    context = values[0] if values else None
    if not definition.takes_context:
        if values:
            raise InvalidInvocationError(
                f"resource '{label}' was called with an argument, but its function "
                "takes no context; call it with no argument, or add a context parameter"
            )
        return None
    if context is not None and not isinstance(context, InitResourceContext):
        raise InvalidInvocationError(
            f"resource '{label}' was called with {type(context).__name__}; "
            "pass an InitResourceContext from build_init_resource_context(...) or None"
        )
    available = frozenset(context.resources) if context is not None else frozenset()
    missing = sorted(definition.required_resource_keys - available)
    if missing:
        listed = ", ".join(f"'{k}'" for k in missing)
        raise InvalidInvocationError(
            f"resource '{label}' requires {listed}, which the context does not "
            "provide; pass build_init_resource_context(resources={...}) with them"
        )
    if context is None and definition.is_config_required:
        raise InvalidInvocationError(
            f"resource '{label}' requires config, but none was given; pass "
            "build_init_resource_context(config={...})"
        )
    return context


def _single_yield(gen: GeneratorType[Any, None, None], label: str) -> AbstractContextManager[Any]:
    """Wrap a one-yield generator as a context manager, checking that it yields once."""

    @contextmanager
    def opened() -> Iterator[Any]:
        value = first_yield(gen, label)
        try:
            yield value
        finally:
            finish_generator(gen, label)

    return opened()


def first_yield(gen: GeneratorType[Any, None, None], label: str) -> Any:
    """Run a generator resource up to its yield and return the yielded value.

    Raises:
        ResourceFunctionError: the generator finished without yielding.
    """
    try:
        return next(gen)
    except StopIteration:
        raise ResourceFunctionError(
            f"resource '{label}' is a generator that yielded nothing; "
            "a generator resource must yield its value exactly once",
            user_exception=None,
            original_exc_info=None,
        ) from None


def finish_generator(gen: GeneratorType[Any, None, None], label: str) -> None:
    """Run the teardown part of a generator resource (the code after its yield).

    Raises:
        ResourceFunctionError: the generator yielded a second time (it is then closed).
    """
    try:
        next(gen)
    except StopIteration:
        return
    gen.close()
    raise ResourceFunctionError(
        f"resource '{label}' yielded more than once; "
        "a generator resource must yield its value exactly once",
        user_exception=None,
        original_exc_info=None,
    )


def is_context_manager_result(value: object) -> bool:
    """Whether a resource function returned a context manager to enter (``@contextmanager``).

    Only ``ContextDecorator`` objects count, as in Dagster: a plain object that happens to
    be a context manager (an open file, a sqlite connection) is the resource itself.
    """
    return isinstance(value, ContextDecorator) and isinstance(value, AbstractContextManager)
