import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { eventTypeOf, virtualWindow } from "../lib/logs.js";

const ROW = 22;
// Browsers cap an element's height (Chromium near 33.5 million px): past this many pixels
// the scroll range stands for the whole log at a scale.
const MAX_HEIGHT = 10_000_000;

/**
 * A virtualised list of a run's events, read through a `LogWindow`: only the rows in view
 * are in the DOM and in memory, so a run with millions of events scrolls as smoothly as one
 * with ten (rows whose page is still on its way show as placeholders). Follows the tail
 * while the view is scrolled to the bottom.
 */
export function LogList({ win, version }) {
  const box = useRef(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const follow = useRef(true);
  const count = win.total;
  const full = count * ROW;
  const height = Math.min(full, MAX_HEIGHT);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (follow.current) el.scrollTop = el.scrollHeight;
    setView({ top: el.scrollTop, height: el.clientHeight });
  }, [count, version]);
  useEffect(() => {
    const el = box.current;
    const onResize = () => setView({ top: el.scrollTop, height: el.clientHeight });
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);
  const onScroll = (e) => {
    const el = e.currentTarget;
    follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW * 2;
    setView({ top: el.scrollTop, height: el.clientHeight });
  };
  // Where the view's top is in the whole log (scaled when the log is taller than MAX_HEIGHT).
  const span = Math.max(1, height - view.height);
  const top = height === full ? view.top : (Math.min(view.top, span) / span) * Math.max(0, full - view.height);
  const w = virtualWindow({ scrollTop: top, viewportHeight: view.height, rowHeight: ROW, count });
  useEffect(() => win.want(w.start, w.end), [win, w.start, w.end, count, version]);
  // Rows are keyed by their slot in the window, not their index: scrolling rewrites the
  // text of the same few elements instead of replacing them all each frame.
  const rows = [];
  for (let i = w.start; i < w.end; i++) {
    const e = win.row(i);
    const slot = i % (w.end - w.start + 1);
    const style = { transform: `translateY(${view.top + i * ROW - top}px)` };
    rows.push(
      <div class={`logrow ${e ? `level-${(e.level ?? "").toLowerCase()}` : "pending"}`} key={slot} style={style} data-row={i}>
        <span class="ts">{e ? formatTs(e.timestamp) : ""}</span>
        <span class="step" title={e?.stepKey ?? ""}>{e?.stepKey ?? ""}</span>
        <span class="etype">{e ? eventTypeOf(e) : ""}</span>
        <span class="msg" title={e?.message ?? ""}>{e ? e.message : "…"}</span>
      </div>,
    );
  }
  return (
    <div class="loglist" ref={box} onScroll={onScroll} data-count={count}>
      <div style={{ height: `${height}px`, position: "relative" }}>{rows}</div>
    </div>
  );
}

function formatTs(ts) {
  const n = Number(ts);
  if (!n) return "";
  const d = new Date(n);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}
