"""Assets: the graph of every code location, with partitions, the latest materialization
and staleness (``headwater.assets.staleness``, as ``headwater asset list`` reports it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from headwater.webserver.schema.registry import field, sdl, typed

__all__ = ["served_asset_graphs"]

sdl("""
enum StaleStatus { MISSING STALE FRESH }
type StaleCause { key: AssetKey! reason: String! }
type PartitionDefinition { description: String! }
type PartitionStats {
  numMaterialized: Int!
  numPartitions: Int!
  numFailed: Int!
}
type ResourceRequirement { resourceKey: String! }
type AssetNode {
  id: ID!
  assetKey: AssetKey!
  groupName: String!
  description: String
  opName: String
  jobNames: [String!]!
  repository: Repository!
  dependencyKeys: [AssetKey!]!
  dependedByKeys: [AssetKey!]!
  isPartitioned: Boolean!
  isObservable: Boolean!
  isExecutable: Boolean!
  isMaterializable: Boolean!
  partitionDefinition: PartitionDefinition
  partitionKeys: [String!]!
  "Partition key → MATERIALIZED, FAILED or MISSING."
  partitionStatuses: GenericScalar
  partitionStats: PartitionStats
  staleStatus: StaleStatus!
  staleCauses: [StaleCause!]!
  requiredResources: [ResourceRequirement!]!
  assetMaterializations(limit: Int): [MaterializationEvent!]!
}
type Asset {
  id: String!
  key: AssetKey!
  definition: AssetNode
  assetMaterializations(limit: Int): [MaterializationEvent!]!
}
type AssetConnection { nodes: [Asset!]! cursor: String }
union AssetsOrError = AssetConnection | PythonError
type AssetNotFoundError implements Error { message: String! }
union AssetOrError = Asset | AssetNotFoundError
input AssetGroupSelector {
  groupName: String!
  repositoryName: String!
  repositoryLocationName: String!
}

extend type Query {
  assetNodes(
    group: AssetGroupSelector, assetKeys: [AssetKeyInput!], loadMaterializations: Boolean = false
  ): [AssetNode!]!
  "Assets by key, with cursor pagination (cursor: the last key's user string)."
  assetsOrError(
    prefix: [String!], assetKeys: [AssetKeyInput!], cursor: String, limit: Int
  ): AssetsOrError!
  assetOrError(assetKey: AssetKeyInput!): AssetOrError!
}
""")


def served_asset_graphs(info: Any) -> Iterator[tuple[Any, Any, dict[Any, Any]]]:
    """(location, asset graph, statuses by key) of every served code location with assets:
    loaded, not shut down."""
    from headwater.assets.staleness import asset_statuses

    for location in info.context.workspace.locations.values():
        defs = location.definitions() if location.code is not None else None
        if defs is None or location.shut_down:
            continue
        graph = defs.resolve_asset_graph()
        if not graph.all_keys:
            continue
        yield location, graph, {s.key: s for s in asset_statuses(graph, info.context.instance)}


def _nodes(info: Any) -> list[dict[str, Any]]:
    """Every asset of every code location, as ``AssetNode`` values (staleness included)."""
    from headwater.webserver.schema.workspace import location_value

    nodes = []
    for location, graph, statuses in served_asset_graphs(info):
        jobs = location.jobs
        repository = location_value(location)["repositories"][0]
        for key in graph.toposorted_keys:
            nodes.append(_node(info, graph, key, statuses.get(key), jobs, repository))
    return nodes


def _node(
    info: Any, graph: Any, key: Any, status: Any, jobs: dict[str, Any], repository: Any
) -> dict[str, Any]:
    definition = graph.def_by_key[key]
    pdef = definition.partitions_def
    user = key.to_user_string()
    op = getattr(definition, "op", None)
    if status is None or not definition.is_materializable:
        stale = "FRESH"
    elif status.last_materialized is None:
        stale = "MISSING"
    else:
        stale = "STALE" if status.is_stale else "FRESH"
    reasons = status.stale_reasons if status is not None else ()
    job_names = [
        name
        for name, job in jobs.items()
        if key in getattr(getattr(job, "asset_layer", None), "selected_keys", ())
    ]
    return {
        "id": user,
        "assetKey": {"path": list(key.path)},
        "groupName": graph.group_of(key),
        "description": graph.get(key).spec.description,
        "opName": getattr(op, "name", None),
        "jobNames": sorted(job_names),
        "repository": repository,
        "dependencyKeys": [{"path": list(k.path)} for k in sorted(graph.upstream.get(key, ()))],
        "dependedByKeys": [{"path": list(k.path)} for k in sorted(graph.downstream.get(key, ()))],
        "isPartitioned": pdef is not None,
        "isObservable": bool(definition.is_observable),
        "isExecutable": not definition.is_external,
        "isMaterializable": bool(definition.is_materializable),
        "partitionDefinition": {"description": pdef.describe()} if pdef is not None else None,
        "staleStatus": stale,
        "staleCauses": [{"key": {"path": list(key.path)}, "reason": r} for r in reasons],
        "requiredResources": [
            {"resourceKey": r} for r in sorted(definition.required_resource_keys)
        ],
        "_key": key,
        "_pdef": pdef,
    }


def _partition_keys(info: Any, pdef: Any) -> list[str]:
    if pdef is None:
        return []
    try:
        return list(pdef.get_partition_keys(dynamic_partitions_store=info.context.instance))
    except TypeError:
        return list(pdef.get_partition_keys())


def _partition_statuses(info: Any, node: dict[str, Any]) -> dict[str, str]:
    from headwater.events import EventType
    from headwater.storage.queries import EventRecordsFilter

    keys = _partition_keys(info, node["_pdef"])
    status = dict.fromkeys(keys, "MISSING")
    instance = info.context.instance
    # Oldest first, so that a partition's latest outcome is the one kept.
    found: list[tuple[int, Any, str]] = []
    for kind, outcome in (
        (EventType.ASSET_MATERIALIZATION, "MATERIALIZED"),
        (EventType.ASSET_FAILED_TO_MATERIALIZE, "FAILED"),
    ):
        records = instance.get_event_records(
            EventRecordsFilter(event_type=kind, asset_key=node["_key"]), ascending=True
        )
        found.extend((r.storage_id, r.event.data.get("partition"), outcome) for r in records)
    for _id, partition, outcome in sorted(found, key=lambda f: f[0]):
        if partition in status:
            status[partition] = outcome
    return status


@field("AssetNode", "partitionKeys")
def _keys(parent: dict[str, Any], info: Any) -> list[str]:
    return _partition_keys(info, parent["_pdef"])


@field("AssetNode", "partitionStatuses")
def _statuses(parent: dict[str, Any], info: Any) -> dict[str, str] | None:
    return _partition_statuses(info, parent) if parent["_pdef"] is not None else None


@field("AssetNode", "partitionStats")
def _stats(parent: dict[str, Any], info: Any) -> dict[str, int] | None:
    if parent["_pdef"] is None:
        return None
    values = list(_partition_statuses(info, parent).values())
    return {
        "numMaterialized": values.count("MATERIALIZED"),
        "numPartitions": len(values),
        "numFailed": values.count("FAILED"),
    }


def _materializations(info: Any, key: Any, limit: int | None) -> list[dict[str, Any]]:
    from headwater.events import EventType
    from headwater.storage.queries import EventRecordsFilter
    from headwater.webserver.schema.events import event_value

    records = info.context.instance.get_event_records(
        EventRecordsFilter(event_type=EventType.ASSET_MATERIALIZATION, asset_key=key),
        limit=limit,
        ascending=False,
    )
    return [event_value(r.event) for r in records]


@field("AssetNode", "assetMaterializations")
def _node_materializations(
    parent: dict[str, Any], info: Any, limit: int | None = None
) -> list[dict[str, Any]]:
    return _materializations(info, parent["_key"], limit)


@field("Asset", "assetMaterializations")
def _asset_materializations(
    parent: dict[str, Any], info: Any, limit: int | None = None
) -> list[dict[str, Any]]:
    from headwater.asset_key import AssetKey

    return _materializations(info, AssetKey(parent["key"]["path"]), limit)


def _wanted(asset_keys: list[dict[str, Any]] | None) -> set[tuple[str, ...]] | None:
    return None if asset_keys is None else {tuple(k["path"]) for k in asset_keys}


@field("Query", "assetNodes")
def _asset_nodes(
    _: Any,
    info: Any,
    group: dict[str, Any] | None = None,
    assetKeys: list[dict[str, Any]] | None = None,
    loadMaterializations: bool = False,
) -> list[dict[str, Any]]:
    wanted = _wanted(assetKeys)
    nodes = _nodes(info)
    if wanted is not None:
        nodes = [n for n in nodes if tuple(n["assetKey"]["path"]) in wanted]
    if group is not None:
        nodes = [n for n in nodes if n["groupName"] == group["groupName"]]
    return nodes


def _asset(node: dict[str, Any]) -> dict[str, Any]:
    return typed("Asset", id=node["id"], key=node["assetKey"], definition=node)


@field("Query", "assetsOrError")
def _assets_or_error(
    _: Any,
    info: Any,
    prefix: list[str] | None = None,
    assetKeys: list[dict[str, Any]] | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    wanted = _wanted(assetKeys)
    nodes = sorted(_nodes(info), key=lambda n: n["id"])
    if prefix:
        nodes = [n for n in nodes if n["assetKey"]["path"][: len(prefix)] == prefix]
    if wanted is not None:
        nodes = [n for n in nodes if tuple(n["assetKey"]["path"]) in wanted]
    if cursor is not None:
        nodes = [n for n in nodes if n["id"] > cursor]
    page = nodes if limit is None else nodes[:limit]
    more = limit is not None and len(nodes) > limit
    return typed(
        "AssetConnection",
        nodes=[_asset(n) for n in page],
        cursor=page[-1]["id"] if page and more else None,
    )


@field("Query", "assetOrError")
def _asset_or_error(_: Any, info: Any, assetKey: dict[str, Any]) -> dict[str, Any]:
    for node in _nodes(info):
        if node["assetKey"]["path"] == assetKey["path"]:
            return _asset(node)
    return typed("AssetNotFoundError", message=f"Asset key {'/'.join(assetKey['path'])} not found.")
