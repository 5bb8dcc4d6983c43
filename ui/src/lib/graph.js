// Layered layout of a directed acyclic graph (an op graph, an asset lineage graph): ranks by
// longest path from the sources, order inside a rank by the barycenter of neighbours, a few
// sweeps down and up. Linear in nodes and edges per sweep, so 10,000 assets lay out fast.

/**
 * @param {string[]} ids node ids
 * @param {[string, string][]} edges [from, to] pairs (unknown ids are ignored)
 * @param {{nodeWidth?: number, nodeHeight?: number, gapX?: number, gapY?: number, sweeps?: number}} [opts]
 * @returns {{positions: Map<string, {x: number, y: number, rank: number}>, width: number, height: number}}
 *   ranks run left to right; x, y are each node's top-left corner.
 */
export function layoutDag(ids, edges, opts = {}) {
  const { nodeWidth = 180, nodeHeight = 36, gapX = 60, gapY = 16, sweeps = 4 } = opts;
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const succ = Array.from({ length: n }, () => []);
  const pred = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    succ[i].push(j);
    pred[j].push(i);
  }
  const rank = longestPathRanks(n, succ, pred);
  const layers = [];
  for (let i = 0; i < n; i++) (layers[rank[i]] ??= []).push(i);
  const order = new Float64Array(n);
  for (const layer of layers) layer?.forEach((v, k) => (order[v] = k));
  for (let s = 0; s < sweeps; s++) {
    const down = s % 2 === 0;
    const seq = down ? layers : [...layers].reverse();
    for (const layer of seq) {
      if (!layer) continue;
      const bary = new Map();
      for (const v of layer) {
        const nb = down ? pred[v] : succ[v];
        bary.set(v, nb.length ? nb.reduce((acc, u) => acc + order[u], 0) / nb.length : order[v]);
      }
      layer.sort((a, b) => bary.get(a) - bary.get(b));
      layer.forEach((v, k) => (order[v] = k));
    }
  }
  const positions = new Map();
  let height = 0;
  layers.forEach((layer, r) => {
    layer?.forEach((v, k) => {
      const y = k * (nodeHeight + gapY);
      positions.set(ids[v], { x: r * (nodeWidth + gapX), y, rank: r });
      height = Math.max(height, y + nodeHeight);
    });
  });
  const width = layers.length ? layers.length * (nodeWidth + gapX) - gapX : 0;
  return { positions, width, height };
}

// Kahn's order; a cycle (should not happen in a job or asset graph) leaves its nodes at rank 0.
function longestPathRanks(n, succ, pred) {
  const rank = new Int32Array(n);
  const indeg = pred.map((p) => p.length);
  const queue = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of succ[v]) {
      if (rank[v] + 1 > rank[w]) rank[w] = rank[v] + 1;
      if (--indeg[w] === 0) queue.push(w);
    }
  }
  return rank;
}

/** Op graph edges from a job's solids: [upstream op, downstream op] pairs, deduplicated. */
export function opEdges(solids) {
  const seen = new Set();
  const out = [];
  for (const s of solids) {
    for (const input of s.inputs ?? []) {
      for (const dep of input.dependsOn ?? []) {
        const key = `${dep.solid.name}\u0000${s.name}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push([dep.solid.name, s.name]);
        }
      }
    }
  }
  return out;
}
