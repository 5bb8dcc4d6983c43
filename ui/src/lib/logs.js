// Run events on the run page: the window of rows to draw and the timeline of the steps.
// Events are the server's `DagsterRunEvent`s; the server filters them (lib/logWindow.js).

/** An event's type name; a plain log message has none and reads as `LOG_MESSAGE`. */
export function eventTypeOf(e) {
  return e.eventType ?? (e.__typename === "LogMessageEvent" ? "LOG_MESSAGE" : (e.__typename ?? "LOG_MESSAGE"));
}

/**
 * Which rows of a fixed-height list to draw.
 * @returns {{start: number, end: number, top: number, height: number}} rows [start, end),
 *   `top` the offset of row `start`, `height` the whole list's height.
 */
export function virtualWindow({ scrollTop, viewportHeight, rowHeight, count, overscan = 10 }) {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end, top: start * rowHeight, height: count * rowHeight };
}

/** The event types the run page filters by, the commonest first. */
export const EVENT_TYPES = [
  "LOG_MESSAGE", "STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED", "STEP_UP_FOR_RETRY",
  "STEP_INPUT", "STEP_OUTPUT", "LOADED_INPUT", "HANDLED_OUTPUT", "ASSET_MATERIALIZATION",
  "ASSET_OBSERVATION", "ASSET_CHECK_EVALUATION", "ENGINE_EVENT", "RESOURCE_INIT_STARTED",
  "RESOURCE_INIT_SUCCESS", "RESOURCE_INIT_FAILURE", "PIPELINE_START", "PIPELINE_SUCCESS",
  "PIPELINE_FAILURE", "PIPELINE_CANCELED",
];

const ENDS = { STEP_SUCCESS: "SUCCESS", STEP_FAILURE: "FAILURE", STEP_SKIPPED: "SKIPPED" };

/**
 * Each step's span, from its start/end events, in first-start order. A step with a start
 * and no end is still running (`end` null).
 * @returns {{stepKey: string, start: number, end: number|null, status: string}[]}
 */
export function stepTimeline(events) {
  const steps = new Map();
  for (const e of events) {
    if (!e.stepKey) continue;
    const t = Number(e.timestamp);
    const type = eventTypeOf(e);
    let s = steps.get(e.stepKey);
    if (type === "STEP_START") {
      if (!s) steps.set(e.stepKey, (s = { stepKey: e.stepKey, start: t, end: null, status: "IN_PROGRESS" }));
      else if (s.status === "RETRY") s.status = "IN_PROGRESS";
    } else if (type in ENDS) {
      if (!s) steps.set(e.stepKey, (s = { stepKey: e.stepKey, start: t, end: t, status: ENDS[type] }));
      s.end = t;
      s.status = ENDS[type];
    } else if (type === "STEP_UP_FOR_RETRY" && s) {
      s.status = "RETRY";
    }
  }
  return [...steps.values()];
}

/** Bars for the timeline: each step's left and width as fractions of the run's span. */
export function timelineBars(timeline, now) {
  if (!timeline.length) return [];
  const t0 = Math.min(...timeline.map((s) => s.start));
  const t1 = Math.max(...timeline.map((s) => s.end ?? now));
  const span = Math.max(t1 - t0, 1);
  return timeline.map((s) => ({
    ...s,
    left: (s.start - t0) / span,
    width: Math.max(((s.end ?? now) - s.start) / span, 0.002),
  }));
}

/** Step keys that failed (the ones a re-execution from failure runs again, with their downstream). */
export function failedSteps(timeline) {
  return timeline.filter((s) => s.status === "FAILURE").map((s) => s.stepKey);
}
