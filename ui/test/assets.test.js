import assert from "node:assert/strict";
import { test } from "node:test";
import { assetStatus, lineageGraph, partitionCells } from "../src/lib/assets.js";

const mat = [{ timestamp: "1", runId: "r", partition: null }];

test("status: missing, stale, fresh, failed partitions", () => {
  assert.equal(assetStatus({ assetMaterializations: [] }).className, "missing");
  assert.equal(assetStatus({ assetMaterializations: mat, staleStatus: "STALE" }).className, "stale");
  assert.equal(assetStatus({ assetMaterializations: mat, staleStatus: "FRESH" }).className, "fresh");
  assert.equal(assetStatus({ assetMaterializations: mat, assetPartitionStatuses: { failedPartitions: ["x"] } }).label, "1 failed");
});

test("lineage edges run upstream to downstream, from index pairs in range", () => {
  const g = lineageGraph({ keys: ["raw", "clean"], groups: ["default", "default"], statuses: ["MISSING", "FRESH"], edges: [0, 1, 0, 7] });
  assert.deepEqual(g.edges, [["raw", "clean"]]);
  assert.deepEqual(g.nodes.map((n) => n.className), ["missing", "fresh"]);
  assert.equal(g.nodes[1].href, "#/assets/clean");
});

test("partition cells keep definition order and count each status", () => {
  const cells = partitionCells({
    isPartitioned: true,
    partitionKeysByDimension: [{ name: "default", partitionKeys: ["d1", "d2", "d3", "d4"] }],
    assetPartitionStatuses: { materializedPartitions: ["d1", "d3"], failedPartitions: ["d2"], materializingPartitions: [], unmaterializedPartitions: ["d4"] },
  });
  assert.deepEqual(cells.cells.map((c) => c.status), ["fresh", "failed", "fresh", "missing"]);
  assert.deepEqual(cells.counts, { fresh: 2, failed: 1, missing: 1 });
  assert.equal(partitionCells({ isPartitioned: false }), null);
});

test("partition cells from the server's key → status map", () => {
  const a = {
    isPartitioned: true,
    partitionKeys: ["a", "b", "c"],
    partitionStatuses: { a: "MATERIALIZED", b: "FAILED", c: "MISSING" },
    assetMaterializations: mat,
  };
  assert.deepEqual(partitionCells(a).cells.map((c) => c.status), ["fresh", "failed", "missing"]);
  assert.equal(assetStatus(a).label, "1 failed");
});
