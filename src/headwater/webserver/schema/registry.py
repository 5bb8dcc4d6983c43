"""How the schema's parts are assembled: each concept's module adds SDL and resolvers here.

Resolvers return plain dicts; a dict answering an abstract type (a union or an interface)
carries its concrete type's name under ``__typename``, which is how the type is resolved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)

__all__ = ["assemble", "field", "sdl", "subscription", "typed"]

F = TypeVar("F", bound=Callable[..., Any])

_SDL: list[str] = []
_RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {}
_SUBSCRIBERS: dict[str, Callable[..., Any]] = {}


def sdl(text: str) -> None:
    """Add type definitions (``extend type Query`` adds root fields)."""
    _SDL.append(text)


def field(type_name: str, field_name: str) -> Callable[[F], F]:
    """Register the resolver of ``type_name.field_name``: ``fn(parent, info, **arguments)``."""

    def register(fn: F) -> F:
        _RESOLVERS[(type_name, field_name)] = fn
        return fn

    return register


def subscription(field_name: str) -> Callable[[F], F]:
    """Register the async generator behind ``Subscription.field_name``."""

    def register(fn: F) -> F:
        _SUBSCRIBERS[field_name] = fn
        return fn

    return register


def typed(type_name: str, **values: Any) -> dict[str, Any]:
    """A result of concrete type ``type_name``."""
    return {"__typename": type_name, **values}


def _type_of(value: Any, _info: Any, _abstract: Any) -> str | None:
    return value.get("__typename") if isinstance(value, dict) else None


def _passthrough(value: Any, _info: Any, **_args: Any) -> Any:
    return value


def assemble() -> GraphQLSchema:
    """The schema: every registered part, resolvers bound."""
    schema = build_schema("\n".join(_SDL))
    for (type_name, field_name), fn in _RESOLVERS.items():
        owner = schema.type_map.get(type_name)
        if not isinstance(owner, GraphQLObjectType) or field_name not in owner.fields:
            raise RuntimeError(f"resolver for {type_name}.{field_name}, which the SDL lacks")
        owner.fields[field_name].resolve = fn
    subscriptions = schema.subscription_type
    for field_name, fn in _SUBSCRIBERS.items():
        assert subscriptions is not None
        subscriptions.fields[field_name].subscribe = fn
        subscriptions.fields[field_name].resolve = _passthrough
    for graphql_type in schema.type_map.values():
        if isinstance(graphql_type, (GraphQLUnionType, GraphQLInterfaceType)):
            graphql_type.resolve_type = _type_of
    return schema
