import { Component } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { eventTypeOf, virtualWindow } from "../lib/logs.js";

const ROW = 22;
// Browsers cap an element's height (Chromium near 33.5 million px): past this many pixels
// the scroll range stands for the whole log at a scale.
const MAX_HEIGHT = 10_000_000;
// Rows drawn beyond each edge of the view: enough for a wheel step, few enough that a frame
// of a fast scroll (every row new) stays cheap.
const OVERSCAN = 4;

/**
 * A virtualised list of a run's events, read through a `LogWindow`: only the rows in view
 * are in the DOM and in memory, so a run with millions of events scrolls as smoothly as one
 * with ten (rows whose page is still on its way show as placeholders). Follows the tail
 * while the view is scrolled to the bottom.
 *
 * Each frame of a scroll costs little: the rows sit in one block moved by a single
 * transform (not one transform per row), a row draws again only when its event changes,
 * and a page of rows landing redraws this list alone (`win.onRows`), not the run page.
 */
export function LogList({ win, version }) {
  const box = useRef(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const [, setRowsVersion] = useState(0);
  const follow = useRef(true);
  const count = win.total;
  const full = count * ROW;
  const height = Math.min(full, MAX_HEIGHT);
  useEffect(() => {
    // Pages land between frames: draw once per frame however many came.
    let frame = 0;
    win.onRows = () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        setRowsVersion((v) => v + 1);
      });
    };
    return () => {
      win.onRows = null;
      cancelAnimationFrame(frame);
    };
  }, [win]);
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
  const w = virtualWindow({ scrollTop: top, viewportHeight: view.height, rowHeight: ROW, count, overscan: OVERSCAN });
  useEffect(() => win.want(w.start, w.end), [win, w.start, w.end, count, version]);
  // Rows are keyed by their place in the window: scrolling rewrites the text of the same
  // few elements (only those whose event changed) instead of replacing or moving them.
  const rows = [];
  for (let i = w.start; i < w.end; i++) rows.push(<Row key={i - w.start} i={i} e={win.row(i)} />);
  const blockTop = view.top + w.start * ROW - top;
  return (
    <div class="loglist" ref={box} onScroll={onScroll} data-count={count}>
      <div class="logspace" style={{ height: `${height}px` }}>
        <div class="logblock" style={{ transform: `translateY(${blockTop}px)` }}>{rows}</div>
      </div>
    </div>
  );
}

/** One row; drawn again only when its event or place changes. */
class Row extends Component {
  shouldComponentUpdate(next) {
    return next.e !== this.props.e || next.i !== this.props.i;
  }

  render({ i, e }) {
    if (!e) {
      return (
        <div class="logrow pending" data-row={i}>
          <span class="ts" />
          <span class="step" />
          <span class="etype" />
          <span class="msg">…</span>
        </div>
      );
    }
    return (
      <div class={`logrow level-${(e.level ?? "").toLowerCase()}`} data-row={i}>
        <span class="ts">{formatTs(e.timestamp)}</span>
        <span class="step" title={e.stepKey ?? ""}>{e.stepKey ?? ""}</span>
        <span class="etype">{eventTypeOf(e)}</span>
        <span class="msg" title={e.message ?? ""}>{e.message}</span>
      </div>
    );
  }
}

// One formatter shared by every row (`toLocaleTimeString` sets one up on each call).
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

function formatTs(ts) {
  const n = Number(ts);
  if (!n) return "";
  const d = new Date(n);
  return `${TIME.format(d)}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}
