// Asset status for the catalog, the lineage graph and the partition grid.
import { href } from "./route.js";

const keyStr = (k) => k.path.join("/");

/**
 * One status per asset: never materialized → missing; stale (the server's `staleStatus`) →
 * stale; otherwise fresh. Failed partitions make a partitioned asset `failed`.
 */
export function assetStatus(a) {
  const failed = failedPartitionCount(a);
  if (failed) return { label: `${failed} failed`, className: "failed" };
  if (!a.assetMaterializations?.length) return { label: "missing", className: "missing" };
  if (a.staleStatus === "STALE") return { label: "stale", className: "stale" };
  if (a.staleStatus === "MISSING") return { label: "missing", className: "missing" };
  return { label: "fresh", className: "fresh" };
}

function failedPartitionCount(a) {
  if (a.partitionStatuses) return Object.values(a.partitionStatuses).filter((s) => s === "FAILED").length;
  return a.assetPartitionStatuses?.failedPartitions?.length ?? 0;
}

const LINEAGE_CLASS = { FRESH: "fresh", STALE: "stale", MISSING: "missing" };

/**
 * Nodes and edges of the lineage graph from the server's `assetLineage` (parallel lists,
 * edges as index pairs); edges with an index out of range are dropped.
 */
export function lineageGraph(lineage) {
  if (!lineage) return { nodes: [], edges: [] };
  const { keys, statuses, edges: flat } = lineage;
  const nodes = keys.map((id, i) => {
    const className = LINEAGE_CLASS[statuses[i]] ?? "fresh";
    return { id, label: id, className, title: `${id}: ${className}`, href: href(`/assets/${id}`) };
  });
  const edges = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const a = keys[flat[i]];
    const b = keys[flat[i + 1]];
    if (a !== undefined && b !== undefined) edges.push([a, b]);
  }
  return { nodes, edges };
}

/**
 * The partition grid: one cell per partition key in definition order, each materialized,
 * failed, materializing or missing. Null for an unpartitioned asset.
 */
export function partitionCells(a) {
  if (!a.isPartitioned) return null;
  const status = new Map();
  let keys;
  if (a.partitionStatuses) {
    // the server's map: key → MATERIALIZED | FAILED | MISSING (| MATERIALIZING)
    const names = { MATERIALIZED: "fresh", FAILED: "failed", MATERIALIZING: "started" };
    for (const [k, v] of Object.entries(a.partitionStatuses)) if (names[v]) status.set(k, names[v]);
    keys = a.partitionKeys?.length ? a.partitionKeys : Object.keys(a.partitionStatuses);
  } else {
    // lists per status, with keys per dimension
    const st = a.assetPartitionStatuses ?? {};
    for (const k of st.materializedPartitions ?? []) status.set(k, "fresh");
    for (const k of st.failedPartitions ?? []) status.set(k, "failed");
    for (const k of st.materializingPartitions ?? []) status.set(k, "started");
    keys = (a.partitionKeysByDimension ?? []).length === 1
      ? a.partitionKeysByDimension[0].partitionKeys
      : a.partitionKeys ?? [...new Set([...(st.materializedPartitions ?? []), ...(st.failedPartitions ?? []), ...(st.unmaterializedPartitions ?? []), ...(st.materializingPartitions ?? [])])];
  }
  const cells = keys.map((key) => ({ key, status: status.get(key) ?? "missing" }));
  const counts = {};
  for (const c of cells) counts[c.status] = (counts[c.status] ?? 0) + 1;
  return { cells, counts };
}
