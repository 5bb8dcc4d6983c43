// Painting a laid-out graph on a canvas, for views with more nodes than SVG can hold:
// one pass over the edges and one over the nodes in view, names only when readable.

// Fill and stroke per node class, as the SVG nodes' styles (style.css) colour them.
const COLOURS = {
  fresh: ["#dcfce7", "#15803d"],
  stale: ["#fef3c7", "#b45309"],
  missing: ["#f3f4f6", "#9ca3af"],
  failed: ["#fee2e2", "#b91c1c"],
};
const PLAIN = ["#eef2ff", "#818cf8"];

/**
 * Paint `nodes` (those in view) and the edges touching the view.
 * @param {HTMLCanvasElement} canvas
 * @param {{nodes: {id: string, label: string, className?: string}[], edges: [string, string][],
 *   positions: Map<string, {x: number, y: number}>, view: {x: number, y: number, k: number},
 *   width: number, height: number, nodeWidth: number, nodeHeight: number}} g
 */
export function paintGraph(canvas, g) {
  const { view, width, height, nodeWidth: W, nodeHeight: H, positions } = g;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(ratio * view.k, 0, 0, ratio * view.k, -view.x * view.k * ratio, -view.y * view.k * ratio);
  const x1 = view.x + width / view.k;
  const y1 = view.y + height / view.k;
  const seen = (p) => p.x + W >= view.x && p.x <= x1 && p.y + H >= view.y && p.y <= y1;
  ctx.beginPath();
  for (const [a, b] of g.edges) {
    const pa = positions.get(a);
    const pb = positions.get(b);
    if (!pa || !pb || (!seen(pa) && !seen(pb))) continue;
    ctx.moveTo(pa.x + W, pa.y + H / 2);
    ctx.lineTo(pb.x, pb.y + H / 2);
  }
  ctx.strokeStyle = "#9ca3af";
  ctx.lineWidth = 1.4 / Math.max(view.k, 0.2);
  ctx.stroke();
  // Nodes grouped by colour: one fill and one stroke call per colour.
  const byClass = new Map();
  for (const n of g.nodes) {
    const c = COLOURS[n.className] ? n.className : "";
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c).push(n);
  }
  ctx.lineWidth = 1 / view.k;
  for (const [c, list] of byClass) {
    const [fill, stroke] = COLOURS[c] ?? PLAIN;
    ctx.beginPath();
    for (const n of list) {
      const p = positions.get(n.id);
      ctx.rect(p.x, p.y, W, H);
    }
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.strokeStyle = stroke;
    ctx.stroke();
  }
  // Names only where a 12px font is at least 7px on screen.
  if (view.k >= 0.6) {
    ctx.fillStyle = "#1d2430";
    ctx.font = "12px system-ui, sans-serif";
    for (const n of g.nodes) {
      const p = positions.get(n.id);
      ctx.fillText(n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label, p.x + 10, p.y + H / 2 + 4);
    }
  }
}

/** The node under a point in graph coordinates, or undefined. */
export function pickNode(nodes, positions, x, y, W, H) {
  return nodes.find((n) => {
    const p = positions.get(n.id);
    return p && x >= p.x && x <= p.x + W && y >= p.y && y <= p.y + H;
  });
}
