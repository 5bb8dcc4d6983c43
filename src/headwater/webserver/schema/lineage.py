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
    from headwater.webserver.schema.assets import served_asset_graphs

    # A key may be declared in several locations (an external spec in one, materialized in
    # another): it is drawn once, from its owner, the definition that does the most
    # (materializes > observes > only declares), the location name breaking ties, so that
    # neither the node nor its edges depend on the order of the locations.
    owners: dict[Any, tuple[tuple[int, str], Any, dict[Any, Any]]] = {}
    for location, graph, found in served_asset_graphs(info):
        for key, definition in graph.def_by_key.items():
            rank = (_rank(definition), location.name)
            if key not in owners or rank < owners[key][0]:
                owners[key] = (rank, graph, found)
    upstream = {key: owner[1].upstream.get(key, set()) for key, owner in owners.items()}
    keys: list[str] = []
    groups: list[str] = []
    statuses: list[str] = []
    index: dict[Any, int] = {}
    for key in _toposorted(upstream):
        _rank_of, graph, found = owners[key]
        index[key] = len(keys)
        keys.append(key.to_user_string())
        groups.append(graph.group_of(key))
        statuses.append(_status(graph.def_by_key[key], found.get(key)))
    edges: list[int] = []
    for key in sorted(upstream, key=index.__getitem__):
        for dep in sorted(upstream[key], key=index.__getitem__):
            edges += (index[dep], index[key])
    return {"keys": keys, "groups": groups, "statuses": statuses, "edges": edges}


def _rank(definition: Any) -> int:
    if definition.is_materializable:
        return 0
    return 1 if definition.is_observable else 2


def _toposorted(upstream: dict[Any, set[Any]]) -> list[Any]:
    """Every key, each after its upstream keys; among ready keys, by user string. Keys in a
    cycle (possible only across locations) come last, by user string."""
    import heapq

    waiting = {key: len(deps) for key, deps in upstream.items()}
    downstream: dict[Any, list[Any]] = {key: [] for key in upstream}
    for key, deps in upstream.items():
        for dep in deps:
            downstream[dep].append(key)
    ready = [(key.to_user_string(), key) for key, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[Any] = []
    while ready:
        _name, key = heapq.heappop(ready)
        order.append(key)
        for child in downstream[key]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (child.to_user_string(), child))
    placed = set(order)
    order += sorted((k for k in upstream if k not in placed), key=lambda k: k.to_user_string())
    return order


def _status(definition: Any, status: Any) -> str:
    # As assetNodes' staleStatus: what cannot be materialized is never stale.
    if status is None or not definition.is_materializable:
        return "FRESH"
    if status.last_materialized is None:
        return "MISSING"
    return "STALE" if status.is_stale else "FRESH"
