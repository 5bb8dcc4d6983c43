import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { useQuery } from "../hooks.js";
import { gql, subscribe } from "../lib/gql.js";
import { EVENT_TYPES, failedSteps, stepTimeline, timelineBars } from "../lib/logs.js";
import { LogWindow, serverFilter } from "../lib/logWindow.js";
import { LOGS_TAIL, LOGS_WINDOW, REEXECUTE, RUN, RUN_LOGS_SUBSCRIPTION, STEP_EVENTS, TERMINATE } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { isRunActive } from "../lib/runsFilter.js";
import { ErrorBox, Status, Time, unionError } from "../components/common.jsx";
import { LogList } from "../components/LogList.jsx";

const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

export function RunPage({ runId }) {
  const q = useQuery(RUN, { runId }, { pollMs: 2000 });
  const run = q.data?.runOrError;
  const [filter, setFilter] = useState({ steps: [], levels: [], types: [], text: "" });
  // Typing searches a moment after the last key: each search reads the whole log.
  const [text, setText] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => (f.text === text ? f : { ...f, text })), 250);
    return () => clearTimeout(t);
  }, [text]);
  const active = run?.__typename === "Run" ? isRunActive(run.status) : null;
  const { win, version, mode, error: logError } = useRunLog(runId, filter, active);
  const [actionError, setActionError] = useState(null);
  // The timeline waits for the log's first count: both read the whole log, and the rows
  // matter first.
  const logCounted = useRef(false);
  if (win.counted) logCounted.current = true;
  const timeline = useTimeline(runId, Boolean(active), !logCounted.current);
  if (q.error && !run) return <ErrorBox error={q.error} />;
  if (!run) return <div class="empty">Loading run…</div>;
  const err = unionError(run, "Run");
  if (err) return <ErrorBox error={err} />;

  const reexecute = async (strategy) => {
    setActionError(null);
    try {
      const d = await gql(REEXECUTE, { params: { parentRunId: run.runId, strategy } });
      const r = d.launchRunReexecution;
      if (r.__typename === "LaunchRunSuccess") window.location.hash = href(`/runs/${r.run.runId}`);
      else setActionError(`${r.__typename}: ${r.message ?? r.invalidStepKey ?? ""}`);
    } catch (e) {
      setActionError(e.message);
    }
  };
  const terminate = async () => {
    try {
      const d = await gql(TERMINATE, { runId: run.runId });
      if (d.terminateRun.__typename !== "TerminateRunSuccess") setActionError(d.terminateRun.message);
      q.reload();
    } catch (e) {
      setActionError(e.message);
    }
  };
  const failed = failedSteps(timeline);
  return (
    <div class="run-page">
      <div class="run-head">
        <h1>Run <span class="mono">{run.runId.slice(0, 8)}</span> <Status status={run.status} /></h1>
        <div class="meta">
          job <a href={href(`/jobs/${run.pipelineName}`)}>{run.pipelineName}</a>
          {" · "}started <Time seconds={run.startTime} />
          {run.parentRunId && <> · re-execution of <a href={href(`/runs/${run.parentRunId}`)}>{run.parentRunId.slice(0, 8)}</a></>}
          {" · "}<span class={mode === "live" ? "live" : "muted"}>{{ live: "live", polling: "polling", connecting: "connecting…", done: "finished: every event stored" }[mode]}</span>
        </div>
        <div class="actions">
          <button disabled={run.status !== "FAILURE" && !failed.length} onClick={() => reexecute("FROM_FAILURE")}>
            Re-execute from failure
          </button>
          <button disabled={isRunActive(run.status)} onClick={() => reexecute("ALL_STEPS")}>Re-execute all</button>
          {run.canTerminate && <button class="danger" onClick={terminate}>Terminate</button>}
        </div>
        <ErrorBox error={actionError ?? logError} />
      </div>
      <Timeline timeline={timeline} active={isRunActive(run.status)} onPick={(s) => setFilter({ ...filter, steps: [s] })} />
      <div class="filters">
        <select aria-label="step" value={filter.steps[0] ?? ""} onChange={(e) => setFilter({ ...filter, steps: e.currentTarget.value ? [e.currentTarget.value] : [] })}>
          <option value="">all steps</option>
          {timeline.map((s) => <option key={s.stepKey} value={s.stepKey}>{s.stepKey}</option>)}
        </select>
        <select aria-label="event type" value={filter.types[0] ?? ""} onChange={(e) => setFilter({ ...filter, types: e.currentTarget.value ? [e.currentTarget.value] : [] })}>
          <option value="">all event types</option>
          {EVENT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <div class="chips">
          {LEVELS.map((l) => (
            <button key={l} class={`chip ${filter.levels.includes(l) ? "on" : ""}`}
              onClick={() => setFilter({ ...filter, levels: filter.levels.includes(l) ? filter.levels.filter((x) => x !== l) : [...filter.levels, l] })}>{l}</button>
          ))}
        </div>
        <input placeholder="search messages" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <span class="muted" data-testid="log-count">{win.ready ? `${win.total.toLocaleString()} events${serverFilter(filter) ? " match" : ""}` : "counting…"}</span>
      </div>
      <LogList win={win} version={version} />
    </div>
  );
}

function Timeline({ timeline, active, onPick }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  const bars = timelineBars(timeline, now);
  if (!bars.length) return null;
  return (
    <div class="timeline">
      {bars.map((b) => (
        <div class="tl-row" key={b.stepKey} onClick={() => onPick(b.stepKey)} title={`${b.stepKey}: ${b.status}`}>
          <span class="tl-label">{b.stepKey}</span>
          <span class="tl-track">
            <span class={`tl-bar status-${b.status.toLowerCase()}`} style={{ left: `${b.left * 100}%`, width: `${b.width * 100}%` }} />
          </span>
        </div>
      ))}
    </div>
  );
}

/**
 * The run's log as a `LogWindow` through the page's filter: counted and read a page at a
 * time, never whole. New events come over the `pipelineRunLogs` subscription from the
 * newest cursor (or, when the socket cannot be had or says nothing for a few seconds, by
 * polling `logsForRun` from it); they grow the window (counted again when a filter is on,
 * at most once a second). A finished run is read up to its end once, then not followed.
 * `version` changes when rows or the count change.
 */
function useRunLog(runId, filter, active) {
  // Read by the live effect when it decides whether to go on following.
  const activeRef = useRef(active);
  activeRef.current = active;
  const [version, setVersion] = useState(0);
  const [mode, setMode] = useState("connecting");
  const [error, setError] = useState(null);
  const filterRef = useRef(null);
  const frame = useRef(0);
  const win = useMemo(() => {
    const bump = () => {
      if (frame.current) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        setVersion((v) => v + 1);
      });
    };
    const read = async ({ count = false, ...args }) => {
      const d = await gql(LOGS_WINDOW, { runId, filter: filterRef.current, withCount: count, ...args });
      const c = d.logsForRun;
      if (c.__typename !== "EventConnection") throw new Error(c.message);
      return c;
    };
    return new LogWindow(read, bump);
  }, [runId]);
  const key = JSON.stringify(serverFilter(filter));
  const opened = useRef(null);
  useEffect(() => {
    filterRef.current = serverFilter(filter);
    win.reset();
    const opening = win.open();
    if (!opened.current || opened.current.win !== win) opened.current = { win, opening };
    opening.catch((e) => setError(e.message));
  }, [win, key]);
  useEffect(() => {
    let stopped = false;
    let cursor = null;
    let timer = null;
    let polling = false;
    let recount = null;
    const grow = (n) => {
      if (!n) return;
      if (!filterRef.current) {
        win.grow(n);
        return;
      }
      // Filtered: the new events are counted by the server, at most once a second.
      recount ??= setTimeout(() => {
        recount = null;
        if (!stopped) win.grow(null).catch((e) => setError(e.message));
      }, 1000);
    };
    const poll = async () => {
      try {
        for (;;) {
          const d = await gql(LOGS_TAIL, { runId, afterCursor: cursor, limit: 5000 });
          if (stopped) return;
          const c = d.logsForRun;
          if (c.__typename !== "EventConnection") {
            setError(c.message);
            return;
          }
          cursor = c.cursor;
          grow(c.events.length);
          if (!c.hasMore) break;
        }
      } catch (e) {
        setError(e.message);
      }
      if (activeRef.current === false) {
        setMode("done"); // read up to the end of a finished run: nothing more will come
        return;
      }
      if (!stopped) timer = setTimeout(poll, 1000);
    };
    let stop = () => {};
    const fallBack = () => {
      if (stopped || polling) return;
      polling = true;
      stop();
      setMode("polling");
      poll();
    };
    let silence = null;
    const follow = () => {
      if (activeRef.current === false) {
        polling = true; // a finished run: one read from the cursor to its end
        poll();
        return;
      }
      // A subscription that has not answered within this long is given up for polling.
      silence = setTimeout(fallBack, 4000);
      try {
        stop = subscribe(
          RUN_LOGS_SUBSCRIPTION,
          { runId, cursor },
          (data) => {
            if (polling) return;
            clearTimeout(silence);
            const p = data.pipelineRunLogs;
            if (p.__typename !== "PipelineRunLogsSubscriptionSuccess") {
              setError(p.message);
              return;
            }
            setMode("live");
            cursor = p.cursor || cursor;
            grow(p.messages.length);
          },
          () => {
            clearTimeout(silence);
            fallBack();
          },
        );
      } catch {
        clearTimeout(silence);
        fallBack();
      }
    };
    // Tail from the newest event the first, unfiltered, view saw.
    const opening = opened.current?.win === win ? opened.current.opening : win.open();
    opening.then(
      (newest) => {
        if (stopped) return;
        cursor = newest || "0";
        follow();
      },
      (e) => setError(e.message),
    );
    return () => {
      stopped = true;
      stop();
      clearTimeout(silence);
      clearTimeout(timer);
      clearTimeout(recount);
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [win]);
  return { win, version, mode, error: error ?? win.error };
}

/** The step timeline, from the run's step events alone (read again while the run goes). */
function useTimeline(runId, active, skip) {
  const q = useQuery(STEP_EVENTS, { runId }, { pollMs: active ? 2000 : 0, skip });
  const c = q.data?.logsForRun;
  return useMemo(() => stepTimeline(c?.__typename === "EventConnection" ? c.events : []), [c]);
}
