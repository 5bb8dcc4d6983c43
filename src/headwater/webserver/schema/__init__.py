"""The GraphQL schema: one module per concept, assembled once per process.

The type, field, union and interface names are the public ones that existing GraphQL
clients use (legacy ``Pipeline*`` names included), so those clients work unchanged.
"""

from __future__ import annotations

from functools import cache

from graphql import GraphQLSchema

__all__ = ["get_schema"]


@cache
def get_schema() -> GraphQLSchema:
    """The assembled schema (built on first use)."""
    # Each import registers its part of the SDL and its resolvers.
    from headwater.webserver.auth.guard import guard_mutations
    from headwater.webserver.schema import (  # noqa: F401
        assets,
        automation,
        base,
        config,
        config_fields,
        events,
        instance,
        launch,
        lineage,
        modes,
        partitions,
        pipeline,
        plan,
        resources,
        runs,
        workspace,
    )
    from headwater.webserver.schema.registry import assemble

    schema = assemble()
    guard_mutations(schema)  # every mutation checks the caller's role
    return schema
