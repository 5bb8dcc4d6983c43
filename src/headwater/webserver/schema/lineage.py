"""The asset lineage graph in one compact answer, for drawing thousands of assets at once.

``assetNodes`` answers each asset's details as objects; for 10,000 assets that is hundreds
of thousands of GraphQL values to build and send. The lineage page needs only each key, its
group and status, and the edges: parallel lists, and the edges as index pairs. The lists
are generic scalars, sent as they are: typed lists would cost the server a GraphQL value
per item (most of the answer's time for 10,000 assets).
"""

from __future__ import annotations

from typing import Any

from headwater.webserver.schema.registry import field, sdl

__all__: list[str] = []

sdl('''
"""Every asset of the workspace as one graph (assetNodes answers each asset's details)."""
type AssetLineage {
  "A list of asset keys as user strings (a/b/c), each asset's upstream before it."
  keys: GenericScalar!
  "A list: each key's group, in the order of keys."
  groups: GenericScalar!
  "A list: each key's status, in the order of keys: FRESH, STALE or MISSING (never materialized)."
  statuses: GenericScalar!
  "The dependencies as one flat list of index pairs into keys: upstream, downstream, ..."
  edges: GenericScalar!
}
extend type Query {
  "Every asset of every code location as one compact graph."
  assetLineage: AssetLineage!
}
''')


@field("Query", "assetLineage")
def _asset_lineage(_: Any, info: Any) -> dict[str, Any]:
    from headwater.assets.staleness import asset_statuses

    keys: list[str] = []
    groups: list[str] = []
    statuses: list[str] = []
    edges: list[int] = []
    index: dict[Any, int] = {}
    for location in info.context.workspace.locations.values():
        defs = location.definitions() if location.code is not None else None
        if defs is None or location.shut_down:
            continue
        graph = defs.resolve_asset_graph()
        if not graph.all_keys:
            continue
        found = {s.key: s for s in asset_statuses(graph, info.context.instance)}
        for key in graph.toposorted_keys:
            index[key] = len(keys)
            keys.append(key.to_user_string())
            groups.append(graph.group_of(key))
            statuses.append(_status(graph.def_by_key[key], found.get(key)))
            for upstream in graph.upstream.get(key, ()):
                if upstream in index:
                    edges += (index[upstream], index[key])
    return {"keys": keys, "groups": groups, "statuses": statuses, "edges": edges}


def _status(definition: Any, status: Any) -> str:
    # As assetNodes' staleStatus: what cannot be materialized is never stale.
    if status is None or not definition.is_materializable:
        return "FRESH"
    if status.last_materialized is None:
        return "MISSING"
    return "STALE" if status.is_stale else "FRESH"
