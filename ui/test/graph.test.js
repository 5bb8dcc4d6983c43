import assert from "node:assert/strict";
import { test } from "node:test";
import { layoutDag, opEdges } from "../src/lib/graph.js";

test("ranks follow the longest path; no two nodes share a place", () => {
  const { positions } = layoutDag(["a", "b", "c", "d"], [["a", "b"], ["b", "c"], ["a", "c"], ["a", "d"]]);
  assert.deepEqual(["a", "b", "c", "d"].map((id) => positions.get(id).rank), [0, 1, 2, 1]);
  const places = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
  assert.equal(places.size, 4);
});

test("edges to unknown nodes and self-loops are ignored", () => {
  const { positions } = layoutDag(["a"], [["a", "zz"], ["a", "a"]]);
  assert.equal(positions.get("a").rank, 0);
});

test("ordering puts children near their parents (fewer crossings)", () => {
  // two chains, listed crossed: the sweeps uncross them
  const { positions } = layoutDag(["a1", "b1", "b2", "a2"], [["a1", "a2"], ["b1", "b2"]]);
  assert.equal(positions.get("a1").y < positions.get("b1").y, positions.get("a2").y < positions.get("b2").y);
});

test("10,000 nodes lay out", () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
  const edges = [];
  for (let i = 1; i < ids.length; i++) edges.push([ids[Math.floor((i - 1) / 3)], ids[i]]);
  const { positions, width, height } = layoutDag(ids, edges);
  assert.equal(positions.size, 10_000);
  assert.ok(width > 0 && height > 0);
  for (const [a, b] of edges.slice(0, 100)) assert.ok(positions.get(a).rank < positions.get(b).rank);
});

test("op edges come from inputs' dependencies, once each", () => {
  const solids = [
    { name: "load", inputs: [] },
    { name: "clean", inputs: [{ dependsOn: [{ solid: { name: "load" } }] }, { dependsOn: [{ solid: { name: "load" } }] }] },
  ];
  assert.deepEqual(opEdges(solids), [["load", "clean"]]);
});
