import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { useQuery } from "../hooks.js";
import { gql, subscribe } from "../lib/gql.js";
import { eventTypeOf, failedSteps, filterEvents, stepTimeline, timelineBars } from "../lib/logs.js";
import { LOGS_FOR_RUN, REEXECUTE, RUN, RUN_LOGS_SUBSCRIPTION, TERMINATE } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { isRunActive } from "../lib/runsFilter.js";
import { ErrorBox, Status, Time, unionError } from "../components/common.jsx";
import { LogList } from "../components/LogList.jsx";

const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

export function RunPage({ runId }) {
  const q = useQuery(RUN, { runId }, { pollMs: 2000 });
  const run = q.data?.runOrError;
  const { events, version, mode, error: logError } = useRunEvents(runId);
  const [filter, setFilter] = useState({ steps: [], levels: [], types: [], text: "" });
  const [actionError, setActionError] = useState(null);
  const indices = useMemo(() => filterEvents(events, filter), [events, version, filter]);
  const timeline = useMemo(() => stepTimeline(events), [events, version]);
  const eventTypes = useMemo(() => [...new Set(events.map(eventTypeOf))].sort(), [events, version]);
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
          {" · "}<span class={mode === "live" ? "live" : "muted"}>{{ live: "live", polling: "polling", connecting: "connecting…" }[mode]}</span>
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
          {eventTypes.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <div class="chips">
          {LEVELS.map((l) => (
            <button key={l} class={`chip ${filter.levels.includes(l) ? "on" : ""}`}
              onClick={() => setFilter({ ...filter, levels: filter.levels.includes(l) ? filter.levels.filter((x) => x !== l) : [...filter.levels, l] })}>{l}</button>
          ))}
        </div>
        <input placeholder="search messages" value={filter.text} onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
        <span class="muted">{(indices ? indices.length : events.length).toLocaleString()} of {events.length.toLocaleString()} events</span>
      </div>
      <LogList events={events} indices={indices} version={version} />
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
 * The run's events, live: the `pipelineRunLogs` subscription streams them (past ones first);
 * if the socket cannot be had, or says nothing for a few seconds, `logsForRun` is polled
 * from the last cursor instead. Events go into one array that is appended in place;
 * `version` changes when it grows.
 */
function useRunEvents(runId) {
  const store = useRef({ runId: null, events: [] });
  if (store.current.runId !== runId) store.current = { runId, events: [] };
  const [version, setVersion] = useState(0);
  const [mode, setMode] = useState("connecting");
  const [error, setError] = useState(null);
  useEffect(() => {
    let stopped = false;
    let frame = 0;
    let cursor = null;
    let timer = null;
    let polling = false;
    const events = store.current.events;
    const bump = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    const poll = async () => {
      try {
        for (;;) {
          const d = await gql(LOGS_FOR_RUN, { runId, afterCursor: cursor, limit: 10000 });
          if (stopped) return;
          const c = d.logsForRun;
          if (c.__typename !== "EventConnection") {
            setError(c.message);
            return;
          }
          for (const e of c.events) events.push(e);
          cursor = c.cursor;
          if (c.events.length) bump();
          if (!c.hasMore) break;
        }
      } catch (e) {
        setError(e.message);
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
    // A subscription that has not answered within this long is given up for polling.
    const silence = setTimeout(fallBack, 4000);
    try {
      stop = subscribe(
        RUN_LOGS_SUBSCRIPTION,
        { runId, cursor: null },
        (data) => {
          if (polling) return;
          clearTimeout(silence);
          const p = data.pipelineRunLogs;
          if (p.__typename !== "PipelineRunLogsSubscriptionSuccess") {
            setError(p.message);
            return;
          }
          setMode("live");
          for (const e of p.messages) events.push(e);
          cursor = p.cursor;
          bump();
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
    return () => {
      stopped = true;
      stop();
      clearTimeout(silence);
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  }, [runId]);
  return { events: store.current.events, version, mode, error };
}
