import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { layoutDag } from "../lib/graph.js";
import { paintGraph, pickNode } from "../lib/graphCanvas.js";

const W = 180;
const H = 36;
// Past this many nodes in view, the graph is painted on a canvas: thousands of SVG
// elements cost seconds to create and stall every pan. Zoomed in, SVG nodes are links.
const SVG_LIMIT = 600;

/**
 * A laid-out DAG, panned by dragging and zoomed with the wheel. Only what is in view is
 * drawn: as SVG while few nodes are in view, on a canvas past that, so a graph of 10,000
 * assets draws in one paint.
 * @param {{nodes: {id: string, label: string, className?: string, title?: string, href?: string}[], edges: [string, string][]}} props
 */
export function Graph({ nodes, edges, height = 560 }) {
  // Laid out again only when the graph's shape changes (a live page re-reads statuses).
  const shape = useMemo(() => `${nodes.map((n) => n.id).join("\n")}|${edges.map((e) => e.join(">")).join("\n")}`, [nodes, edges]);
  const layout = useMemo(
    () => layoutDag(nodes.map((n) => n.id), edges, { nodeWidth: W, nodeHeight: H }),
    [shape],
  );
  const box = useRef(null);
  const canvas = useRef(null);
  const [width, setWidth] = useState(1000);
  const fitView = (w) => {
    const k = Math.min(1, w / (layout.width + 40), height / (layout.height + 40));
    return { x: -20, y: -20, k: Math.max(k, 0.01) };
  };
  const [view, setView] = useState(() => fitView(1000));
  const fitted = useRef(null);
  useLayoutEffect(() => {
    const w = box.current?.clientWidth ?? 1000;
    setWidth(w);
    // A new graph opens fitted to the view; re-reading the same graph keeps the view.
    if (fitted.current !== layout) {
      fitted.current = layout;
      setView(fitView(w));
    }
  }, [layout]);
  const drag = useRef(null);
  const vx1 = view.x + width / view.k;
  const vy1 = view.y + height / view.k;
  const inView = (p) => p && p.x + W >= view.x && p.x <= vx1 && p.y + H >= view.y && p.y <= vy1;
  const drawn = nodes.filter((n) => inView(layout.positions.get(n.id)));
  const useCanvas = drawn.length > SVG_LIMIT;
  const drawnEdges = useCanvas
    ? []
    : edges.filter(([a, b]) => {
        const pa = layout.positions.get(a);
        const pb = layout.positions.get(b);
        return pa && pb && (inView(pa) || inView(pb));
      });
  useLayoutEffect(() => {
    if (!useCanvas || !canvas.current) return;
    paintGraph(canvas.current, { nodes: drawn, edges, positions: layout.positions, view, width, height, nodeWidth: W, nodeHeight: H });
  });
  const onWheel = (e) => {
    e.preventDefault();
    const k = Math.min(2, Math.max(0.01, view.k * (e.deltaY < 0 ? 1.1 : 0.9)));
    // Zoom about the pointer: the point under it stays put.
    const r = e.currentTarget.getBoundingClientRect();
    const px = view.x + (e.clientX - r.left) / view.k;
    const py = view.y + (e.clientY - r.top) / view.k;
    setView({ k, x: px - (e.clientX - r.left) / k, y: py - (e.clientY - r.top) / k });
  };
  const onDown = (e) => (drag.current = { x: e.clientX, y: e.clientY, v: view, moved: false });
  const onMove = (e) => {
    const d = drag.current;
    if (!d) return;
    if (Math.abs(e.clientX - d.x) + Math.abs(e.clientY - d.y) > 3) d.moved = true;
    setView({ ...d.v, x: d.v.x - (e.clientX - d.x) / d.v.k, y: d.v.y - (e.clientY - d.y) / d.v.k });
  };
  const onCanvasClick = (e) => {
    if (drag.current?.moved) return;
    const r = e.currentTarget.getBoundingClientRect();
    const hit = pickNode(drawn, layout.positions, view.x + (e.clientX - r.left) / view.k, view.y + (e.clientY - r.top) / view.k, W, H);
    if (hit?.href) window.location.hash = hit.href.replace(/^#/, "");
  };
  const handlers = {
    onWheel,
    onMouseDown: onDown,
    onMouseMove: onMove,
    onMouseLeave: () => (drag.current = null),
  };
  return (
    <div class="graph" ref={box} data-nodes={nodes.length} data-drawn={drawn.length} data-renderer={useCanvas ? "canvas" : "svg"}>
      <div class="graph-tools">
        <button onClick={() => setView(fitView(width))}>Fit</button>
        <span class="muted">{nodes.length.toLocaleString()} nodes · drag to pan, wheel to zoom{useCanvas ? " in to read names and open assets" : ""}</span>
      </div>
      {useCanvas ? (
        <canvas ref={canvas} style={{ width: "100%", height: `${height}px`, display: "block" }} {...handlers}
          onMouseUp={(e) => { onCanvasClick(e); drag.current = null; }} />
      ) : (
        <svg width="100%" height={height} {...handlers} onMouseUp={() => (drag.current = null)}>
          <g transform={`scale(${view.k}) translate(${-view.x} ${-view.y})`}>
            {drawnEdges.map(([a, b]) => {
              const pa = layout.positions.get(a);
              const pb = layout.positions.get(b);
              const x1 = pa.x + W;
              const y1 = pa.y + H / 2;
              const x2 = pb.x;
              const y2 = pb.y + H / 2;
              const mx = (x1 + x2) / 2;
              return <path key={`${a}>${b}`} class="edge" d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`} />;
            })}
            {drawn.map((n) => {
              const p = layout.positions.get(n.id);
              const body = (
                <g class={`node ${n.className ?? ""}`} transform={`translate(${p.x} ${p.y})`}>
                  <title>{n.title ?? n.label}</title>
                  <rect width={W} height={H} rx="6" />
                  <text x="10" y={H / 2 + 4}>{n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label}</text>
                </g>
              );
              return n.href ? <a key={n.id} href={n.href}>{body}</a> : <g key={n.id}>{body}</g>;
            })}
          </g>
        </svg>
      )}
    </div>
  );
}
