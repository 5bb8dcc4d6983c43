import assert from "node:assert/strict";
import { test } from "node:test";
import { eventTypeOf, failedSteps, stepTimeline, timelineBars, virtualWindow } from "../src/lib/logs.js";

const ev = (stepKey, eventType, timestamp, level = "DEBUG", message = "") => ({ stepKey, eventType, timestamp: String(timestamp), level, message });
const EVENTS = [
  ev(null, "RUN_START", 1000),
  ev("a", "STEP_START", 1000),
  { __typename: "LogMessageEvent", stepKey: "a", eventType: null, timestamp: "1100", level: "INFO", message: "loading rows" },
  ev("a", "STEP_SUCCESS", 2000),
  ev("b", "STEP_START", 2000),
  ev("b", "STEP_UP_FOR_RETRY", 2500, "ERROR"),
  ev("b", "STEP_START", 2600),
  ev("b", "STEP_FAILURE", 3000, "ERROR", "boom"),
  ev("c", "STEP_START", 3000),
];

test("a log message reads as LOG_MESSAGE", () => {
  assert.equal(eventTypeOf(EVENTS[2]), "LOG_MESSAGE");
});

test("the window draws only visible rows plus overscan", () => {
  const w = virtualWindow({ scrollTop: 22 * 1000, viewportHeight: 440, rowHeight: 22, count: 1_000_000, overscan: 5 });
  assert.deepEqual(w, { start: 995, end: 1026, top: 995 * 22, height: 22_000_000 });
  const end = virtualWindow({ scrollTop: 0, viewportHeight: 440, rowHeight: 22, count: 3 });
  assert.deepEqual([end.start, end.end], [0, 3]);
});

test("the timeline spans each step; retries resume, running steps have no end", () => {
  const t = stepTimeline(EVENTS);
  assert.deepEqual(t, [
    { stepKey: "a", start: 1000, end: 2000, status: "SUCCESS" },
    { stepKey: "b", start: 2000, end: 3000, status: "FAILURE" },
    { stepKey: "c", start: 3000, end: null, status: "IN_PROGRESS" },
  ]);
  assert.deepEqual(failedSteps(t), ["b"]);
  const bars = timelineBars(t, 4000);
  assert.equal(bars[0].left, 0);
  assert.equal(bars[0].width, 1000 / 3000);
  assert.equal(bars[2].left, 2000 / 3000);
});
