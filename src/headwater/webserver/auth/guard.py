"""The checks on every mutation, applied once to the assembled schema.

Each root mutation field's resolver is wrapped, and the wrapper answers before the
resolver runs:

1. a caller whose role is too low gets the field's ``UnauthorizedError`` result when its
   result type offers one. A mutation whose result cannot say ``UnauthorizedError`` is
   refused before execution instead (``refused_mutation``), which the HTTP layer answers
   with 403;
2. on a ``--read-only`` server every mutation gets ``UnauthorizedError`` saying so
   (``terminateRuns``, whose result lists one answer per run, gets one for each run). The
   check sits here, not in each resolver, so that a new mutation is refused too.
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

__all__ = ["guard_mutations", "read_only_answer", "refusal_message", "refused_mutation"]

# What each mutation would have done, for the read-only refusal; others "run NAME".
_LAUNCH = ("launchRun", "launchPipelineExecution")
_REEXECUTE = ("launchRunReexecution", "launchPipelineReexecution")
_SCHEDULE = ("startSchedule", "stopRunningSchedule", "resetSchedule")
_SENSOR = ("startSensor", "stopSensor", "resetSensor")
_ACTIONS: dict[str, str] = {  # formatted with the mutation's arguments
    **dict.fromkeys(_LAUNCH, "launch a run"),
    **dict.fromkeys(_REEXECUTE, "re-execute a run"),
    **dict.fromkeys(_SCHEDULE, "change a schedule"),
    **dict.fromkeys(_SENSOR, "change a sensor"),
    **dict.fromkeys(("terminateRun", "terminatePipelineExecution"), "terminate run {runId}"),
    **dict.fromkeys(("deleteRun", "deletePipelineRun"), "delete run {runId}"),
    "reloadRepositoryLocation": "reload code location {repositoryLocationName}",
    "shutdownRepositoryLocation": "shut down code location {repositoryLocationName}",
    "reloadWorkspace": "reload the workspace",
}


def refusal_message(mutation: str, user: User, need: Role) -> str:
    return (
        f"user {user.name!r} has the {user.role.label} role, and {mutation} needs "
        f"{need.label}: use a token of a user with the {need.label} role"
    )


def _read_only_refusal(action: str) -> dict[str, Any]:
    return {
        "__typename": "UnauthorizedError",
        "message": f"cannot {action}: this web server was started with --read-only, which "
        "turns every mutation off; restart it without --read-only to allow it",
    }


def read_only_answer(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """What mutation ``name`` answers on a read-only server."""
    if name == "terminateRuns":  # its result lists one answer per run
        return {
            "__typename": "TerminateRunsResult",
            "terminateRunResults": [
                _read_only_refusal(f"terminate run {run_id}") for run_id in args["runIds"]
            ],
        }
    template = _ACTIONS.get(name, f"run {name}")
    try:
        action = template.format(**args)
    except (KeyError, IndexError):  # an argument left out: say it without
        action = template
    return _read_only_refusal(action)


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
        if getattr(info.context, "read_only", False):
            return read_only_answer(name, args)
        return fn(parent, info, **args)

    resolve.__wrapped__ = fn  # type: ignore[attr-defined]
    resolve._role_guarded = True  # type: ignore[attr-defined]
    return resolve


def guard_mutations(schema: GraphQLSchema) -> None:
    """Wrap every root mutation field's resolver with its role and read-only checks (once
    per schema)."""
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
