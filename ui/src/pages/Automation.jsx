import { useState } from "preact/hooks";
import { useQuery } from "../hooks.js";
import { gql } from "../lib/gql.js";
import { AUTOMATION, START_SCHEDULE, START_SENSOR, STOP_SCHEDULE, STOP_SENSOR } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { ErrorBox, Time } from "../components/common.jsx";

export function AutomationPage({ workspace }) {
  const sel = workspace.repositorySelectors();
  return (
    <div>
      <h1>Schedules and sensors</h1>
      {sel.map((s) => <RepoAutomation key={`${s.repositoryLocationName}:${s.repositoryName}`} selector={s} />)}
    </div>
  );
}

function RepoAutomation({ selector }) {
  const q = useQuery(AUTOMATION, { repositorySelector: selector }, { pollMs: 5000 });
  const [error, setError] = useState(null);
  const schedules = q.data?.schedulesOrError?.results ?? [];
  const sensors = q.data?.sensorsOrError?.results ?? [];
  const act = async (query, vars, field) => {
    setError(null);
    try {
      const d = await gql(query, vars);
      const r = d[field];
      if (r.__typename === "PythonError" || r.__typename === "UnauthorizedError") setError(r.message);
    } catch (e) {
      setError(e.message);
    }
    q.reload();
  };
  return (
    <div>
      <ErrorBox error={error ?? q.error} />
      <h2>Schedules</h2>
      {schedules.map((s) => (
        <Instigator key={s.id} name={s.name} state={s.scheduleState}
          detail={<><span class="mono">{s.cronSchedule}</span> {s.executionTimezone ?? ""} → <a href={href(`/jobs/${s.pipelineName}`)}>{s.pipelineName}</a></>}
          onStart={() => act(START_SCHEDULE, { scheduleSelector: { ...selector, scheduleName: s.name } }, "startSchedule")}
          onStop={() => act(STOP_SCHEDULE, { id: s.scheduleState.id }, "stopRunningSchedule")} />
      ))}
      {q.data && !schedules.length && <div class="empty">No schedules.</div>}
      <h2>Sensors</h2>
      {sensors.map((s) => (
        <Instigator key={s.id} name={s.name} state={s.sensorState}
          detail={<>every {s.minIntervalSeconds}s{s.targets?.length ? <> → {s.targets.map((t) => <a key={t.pipelineName} href={href(`/jobs/${t.pipelineName}`)}>{t.pipelineName} </a>)}</> : null}</>}
          onStart={() => act(START_SENSOR, { sensorSelector: { ...selector, sensorName: s.name } }, "startSensor")}
          onStop={() => act(STOP_SENSOR, { id: s.sensorState.id }, "stopSensor")} />
      ))}
      {q.data && !sensors.length && <div class="empty">No sensors.</div>}
    </div>
  );
}

function Instigator({ name, state, detail, onStart, onStop }) {
  const running = state.status === "RUNNING";
  return (
    <section class="instigator">
      <div class="instigator-head">
        <b>{name}</b> <span class={`status status-${running ? "success" : "missing"}`}>{state.status}</span>
        <span class="muted"> {detail}</span>
        <button class="right" onClick={running ? onStop : onStart}>{running ? "Stop" : "Start"}</button>
      </div>
      <table class="table small">
        <tbody>
          {state.ticks.map((t) => (
            <tr key={t.id}>
              <td><Time seconds={t.timestamp} /></td>
              <td><span class={`status status-${t.status.toLowerCase()}`}>{t.status}</span></td>
              <td>
                {t.runIds.map((r) => <a key={r} class="mono tag" href={href(`/runs/${r}`)}>{r.slice(0, 8)}</a>)}
                {t.skipReason && <span class="muted">{t.skipReason}</span>}
                {t.error && <span class="error-inline">{t.error.message}</span>}
              </td>
            </tr>
          ))}
          {!state.ticks.length && <tr><td class="muted">no ticks yet</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
