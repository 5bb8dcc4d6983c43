"""The role check on every mutation, applied once to the assembled schema.

Each root mutation field's resolver is wrapped: a caller whose role is too low gets the
field's ``UnauthorizedError`` result when its result type offers one. A mutation whose
result cannot say ``UnauthorizedError`` is refused before execution instead
(``refused_mutation``), which the HTTP layer answers with 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    OperationType,
    default_field_resolver,
    get_named_type,
)

from headwater.webserver.auth.roles import Role, User, required_role

__all__ = ["guard_mutations", "refusal_message", "refused_mutation"]


def refusal_message(mutation: str, user: User, need: Role) -> str:
    return (
        f"user {user.name!r} has the {user.role.label} role, and {mutation} needs "
        f"{need.label}: use a token of a user with the {need.label} role"
    )


def _offers_unauthorized(schema: GraphQLSchema, field_name: str) -> bool:
    mutation = schema.mutation_type
    assert mutation is not None
    result = get_named_type(mutation.fields[field_name].type)
    return isinstance(result, GraphQLUnionType) and any(
        t.name == "UnauthorizedError" for t in result.types
    )


def _guarded(fn: Callable[..., Any], name: str, typed_refusal: bool) -> Callable[..., Any]:
    need = required_role(name)

    def resolve(parent: Any, info: Any, **args: Any) -> Any:
        user: User | None = getattr(info.context, "user", None)
        if user is not None and user.role < need:
            message = refusal_message(name, user, need)
            if typed_refusal:
                return {"__typename": "UnauthorizedError", "message": message}
            raise GraphQLError(message)
        return fn(parent, info, **args)

    resolve.__wrapped__ = fn  # type: ignore[attr-defined]
    resolve._role_guarded = True  # type: ignore[attr-defined]
    return resolve


def guard_mutations(schema: GraphQLSchema) -> None:
    """Wrap every root mutation field's resolver with its role check (once per schema)."""
    mutation = schema.mutation_type
    if mutation is None:
        return
    for name, definition in mutation.fields.items():
        fn = definition.resolve or default_field_resolver
        # A mark of our own: ``__wrapped__`` is also set by any functools.wraps decorator,
        # and a resolver made by one would then never be checked.
        if not getattr(fn, "_role_guarded", False):
            definition.resolve = _guarded(fn, name, _offers_unauthorized(schema, name))


def refused_mutation(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, user: User | None
) -> str | None:
    """Why ``user`` may not run the operation, when a mutation it asks for has no
    ``UnauthorizedError`` result to answer with; ``None`` otherwise."""
    if user is None:
        return None
    for node in document.definitions:
        if not isinstance(node, OperationDefinitionNode):
            continue
        if node.operation is not OperationType.MUTATION:
            continue
        if operation_name is not None and (node.name is None or node.name.value != operation_name):
            continue
        for selection in node.selection_set.selections:
            if not isinstance(selection, FieldNode):
                continue  # fragments on Mutation: their fields stay guarded by the resolver
            name = selection.name.value
            need = required_role(name)
            if user.role < need and not _offers_unauthorized(schema, name):
                return refusal_message(name, user, need)
    return None
