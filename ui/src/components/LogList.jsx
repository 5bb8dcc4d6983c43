import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { eventTypeOf, virtualWindow } from "../lib/logs.js";

const ROW = 22;

/**
 * A virtualised list of run events: only the rows in view are in the DOM, so a run with
 * millions of events scrolls as smoothly as one with ten. Follows the tail while the view
 * is scrolled to the bottom.
 */
export function LogList({ events, indices, version }) {
  const box = useRef(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const follow = useRef(true);
  const count = indices ? indices.length : events.length;
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (follow.current) el.scrollTop = count * ROW;
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
  const w = virtualWindow({ scrollTop: view.top, viewportHeight: view.height, rowHeight: ROW, count });
  const rows = [];
  for (let i = w.start; i < w.end; i++) {
    const e = events[indices ? indices[i] : i];
    rows.push(
      <div class={`logrow level-${(e.level ?? "").toLowerCase()}`} key={i} style={{ top: `${i * ROW}px` }}>
        <span class="ts">{formatTs(e.timestamp)}</span>
        <span class="step" title={e.stepKey ?? ""}>{e.stepKey ?? ""}</span>
        <span class="etype">{eventTypeOf(e)}</span>
        <span class="msg" title={e.message}>{e.message}</span>
      </div>,
    );
  }
  return (
    <div class="loglist" ref={box} onScroll={onScroll} data-count={count}>
      <div style={{ height: `${w.height}px`, position: "relative" }}>{rows}</div>
    </div>
  );
}

function formatTs(ts) {
  const n = Number(ts);
  if (!n) return "";
  const d = new Date(n);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}
