import { useMemo, useRef, useState } from "preact/hooks";
import { layoutDag } from "../lib/graph.js";

const W = 180;
const H = 36;

/**
 * A laid-out DAG in SVG, panned by dragging and zoomed with the wheel. Nodes outside the
 * view are not drawn, so large graphs stay responsive.
 * @param {{nodes: {id: string, label: string, className?: string, title?: string, href?: string}[], edges: [string, string][]}} props
 */
export function Graph({ nodes, edges, height = 560 }) {
  const layout = useMemo(
    () => layoutDag(nodes.map((n) => n.id), edges, { nodeWidth: W, nodeHeight: H }),
    [nodes, edges],
  );
  const [view, setView] = useState({ x: -20, y: -20, k: 1 });
  const drag = useRef(null);
  const box = useRef(null);
  const width = box.current?.clientWidth ?? 1000;
  const vx0 = view.x;
  const vy0 = view.y;
  const vx1 = view.x + width / view.k;
  const vy1 = view.y + height / view.k;
  const inView = (p) => p && p.x + W >= vx0 && p.x <= vx1 && p.y + H >= vy0 && p.y <= vy1;
  const onWheel = (e) => {
    e.preventDefault();
    const k = Math.min(2, Math.max(0.05, view.k * (e.deltaY < 0 ? 1.1 : 0.9)));
    setView({ ...view, k });
  };
  const onDown = (e) => (drag.current = { x: e.clientX, y: e.clientY, v: view });
  const onMove = (e) => {
    const d = drag.current;
    if (!d) return;
    setView({ ...d.v, x: d.v.x - (e.clientX - d.x) / d.v.k, y: d.v.y - (e.clientY - d.y) / d.v.k });
  };
  const fit = () => {
    const k = Math.min(1, width / (layout.width + 40), height / (layout.height + 40));
    setView({ x: -20, y: -20, k: Math.max(k, 0.05) });
  };
  const drawn = nodes.filter((n) => inView(layout.positions.get(n.id)));
  const drawnEdges = edges.filter(([a, b]) => {
    const pa = layout.positions.get(a);
    const pb = layout.positions.get(b);
    return pa && pb && (inView(pa) || inView(pb));
  });
  return (
    <div class="graph" ref={box}>
      <div class="graph-tools">
        <button onClick={fit}>Fit</button>
        <span class="muted">{nodes.length.toLocaleString()} nodes · drag to pan, wheel to zoom</span>
      </div>
      <svg width="100%" height={height} onWheel={onWheel} onMouseDown={onDown} onMouseMove={onMove}
        onMouseUp={() => (drag.current = null)} onMouseLeave={() => (drag.current = null)}>
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
    </div>
  );
}
