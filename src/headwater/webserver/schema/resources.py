"""Resources of each code location: their config and who uses them.

A value read from an environment variable is shown as the variable's name with type
``ENV_VAR``, never its value: no secret leaves the server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from headwater.webserver.schema.config_fields import fields_of
from headwater.webserver.schema.registry import field, sdl, typed
from headwater.webserver.workspace import REPOSITORY_NAME

__all__: list[str] = []

sdl("""
enum ConfiguredValueType { VALUE ENV_VAR }
type ConfiguredValue {
  key: String!
  "JSON of the value; for ENV_VAR, the variable's name (its value is never sent)."
  value: String!
  type: ConfiguredValueType!
}
type JobWithOps { jobName: String! opHandleIDs: [String!]! }
type ResourceDetails {
  id: String!
  name: String!
  description: String
  resourceType: String!
  isTopLevel: Boolean!
  configuredValues: [ConfiguredValue!]!
  "The resource's config schema, as JSON Schema (its set values are the default)."
  configSchema: GenericScalar
  "The fields of the resource's config."
  configFields: [ConfigTypeField!]!
  jobsOpsUsing: [JobWithOps!]!
  assetKeysUsing: [AssetKey!]!
}
type ResourceDetailsList { results: [ResourceDetails!]! }
type ResourceNotFoundError implements Error { message: String! resourceName: String! }
union ResourceDetailsOrError = ResourceDetails | ResourceNotFoundError | PythonError
union ResourceDetailsListOrError = ResourceDetailsList | RepositoryNotFoundError | PythonError
input ResourceSelector {
  repositoryName: String!
  repositoryLocationName: String!
  resourceName: String!
}

extend type Query {
  allTopLevelResourceDetailsOrError(
    repositorySelector: RepositorySelector!
  ): ResourceDetailsListOrError!
  topLevelResourceDetailsOrError(resourceSelector: ResourceSelector!): ResourceDetailsOrError!
}
""")


def _configured(resource: Any) -> list[dict[str, str]]:
    from headwater.config.env import is_env_var

    # Definitions wraps a pythonic resource; the object the user wrote is its source.
    resource = getattr(resource, "source", None) or resource
    values: Mapping[str, Any] = {}
    fields = getattr(type(resource), "model_fields", None)
    if fields is not None:  # a ConfigurableResource: its fields as given
        values = {name: resource.__dict__.get(name) for name in fields}
    else:
        values = getattr(resource, "_configured_config", None) or {}
    out = []
    for key, value in values.items():
        if is_env_var(value):
            out.append({"key": key, "value": value.env_var_name, "type": "ENV_VAR"})
        elif isinstance(value, Mapping) and set(value) == {"env"}:
            out.append({"key": key, "value": str(value["env"]), "type": "ENV_VAR"})
        else:
            out.append({"key": key, "value": json.dumps(value, default=str), "type": "VALUE"})
    return out


def _type_name(resource: Any) -> str:
    return f"{type(resource).__module__}.{type(resource).__qualname__}"


def _schema_of(resource: Any) -> Any:
    from headwater.config import to_json_schema

    # Every resource in a Definitions is a ResourceDefinition by now (a ConfigurableResource
    # is wrapped in one): its normalized config type is the schema; a resource without one
    # takes any config, which JSON Schema writes as {}.
    config_type = getattr(resource, "config_type", None)
    return None if config_type is None else to_json_schema(config_type)


def _users(location: Any, key: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    jobs = []
    for name, job in sorted(location.jobs.items()):
        graph = getattr(job, "graph", None)
        ops = [
            node.name
            for node in getattr(graph, "nodes", None) or ()
            if key
            in (
                getattr(getattr(node, "definition", None), "required_resource_keys", None)
                or getattr(node, "required_resource_keys", None)
                or ()
            )
        ]
        if ops:
            jobs.append({"jobName": name, "opHandleIDs": ops})
    assets = []
    defs = location.definitions()
    if defs is not None:
        graph = defs.resolve_asset_graph()
        for asset_key in graph.toposorted_keys:
            if key in graph.def_by_key[asset_key].required_resource_keys:
                assets.append({"path": list(asset_key.path)})
    return jobs, assets


def _details(location: Any, key: str, resource: Any) -> dict[str, Any]:
    jobs, assets = _users(location, key)
    return typed(
        "ResourceDetails",
        id=f"{location.name}:{key}",
        name=key,
        description=getattr(resource, "description", None),
        resourceType=_type_name(getattr(resource, "source", None) or resource),
        isTopLevel=True,
        configuredValues=_configured(resource),
        configSchema=_schema_of(resource),
        configFields=fields_of(resource.config_type) if hasattr(resource, "config_type") else [],
        jobsOpsUsing=jobs,
        assetKeysUsing=assets,
    )


def _resources(info: Any, location_name: str) -> tuple[Any, dict[str, Any]] | None:
    location = info.context.workspace.get(location_name)
    if location is None or location.code is None:
        return None
    defs = location.definitions()
    return location, dict(getattr(defs, "resource_defs", None) or {})


@field("Query", "allTopLevelResourceDetailsOrError")
def _all(_: Any, info: Any, repositorySelector: dict[str, Any]) -> dict[str, Any]:
    found = _resources(info, repositorySelector["repositoryLocationName"])
    if found is None or repositorySelector["repositoryName"] != REPOSITORY_NAME:
        return typed(
            "RepositoryNotFoundError",
            message="Could not find a repository in code location "
            f"{repositorySelector['repositoryLocationName']!r}",
            repositoryName=repositorySelector["repositoryName"],
            repositoryLocationName=repositorySelector["repositoryLocationName"],
        )
    location, resources = found
    results = [_details(location, k, r) for k, r in sorted(resources.items())]
    return typed("ResourceDetailsList", results=results)


@field("Query", "topLevelResourceDetailsOrError")
def _one(_: Any, info: Any, resourceSelector: dict[str, Any]) -> dict[str, Any]:
    name = resourceSelector["resourceName"]
    found = _resources(info, resourceSelector["repositoryLocationName"])
    if found is None or name not in found[1]:
        return typed(
            "ResourceNotFoundError",
            message=f"Could not find resource {name} in code location "
            f"{resourceSelector['repositoryLocationName']!r}",
            resourceName=name,
        )
    return _details(found[0], name, found[1][name])
