import { useState } from "preact/hooks";
import { useQuery } from "../hooks.js";
import { RUNS } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { RUN_STATUSES, runsFilterFromQuery } from "../lib/runsFilter.js";
import { ErrorBox, RunTable, unionError } from "../components/common.jsx";

const PAGE = 50;

export function RunsPage({ route, workspace }) {
  const { filter, errors } = runsFilterFromQuery(route.query);
  const [limit, setLimit] = useState(PAGE);
  const q = useQuery(RUNS, { filter, limit }, { pollMs: 2000 });
  const answer = q.data?.runsOrError;
  const runs = answer?.results ?? [];
  const current = {
    status: route.query.getAll("status"),
    job: route.query.get("job") ?? "",
    tag: route.query.getAll("tag"),
  };
  const go = (patch) => (window.location.hash = href("/runs", { ...current, ...patch }));
  const toggleStatus = (s) =>
    go({ status: current.status.includes(s) ? current.status.filter((x) => x !== s) : [...current.status, s] });
  return (
    <div>
      <h1>Runs</h1>
      <div class="filters">
        <div class="chips">
          {RUN_STATUSES.map((s) => (
            <button key={s} class={`chip ${current.status.includes(s) ? "on" : ""}`} onClick={() => toggleStatus(s)}>{s}</button>
          ))}
        </div>
        <select aria-label="job" value={current.job} onChange={(e) => go({ job: e.currentTarget.value })}>
          <option value="">all jobs</option>
          {workspace.jobs.map((j) => <option key={j.name} value={j.name}>{j.name}</option>)}
        </select>
        <form onSubmit={(e) => {
          e.preventDefault();
          const v = e.currentTarget.elements.tag.value.trim();
          if (v) go({ tag: [...current.tag, v] });
        }}>
          <input name="tag" placeholder="tag key=value" />
        </form>
        {current.tag.map((t) => (
          <button key={t} class="chip on" title="remove" onClick={() => go({ tag: current.tag.filter((x) => x !== t) })}>{t} ✕</button>
        ))}
      </div>
      {errors.map((e) => <div class="error" key={e}>{e}</div>)}
      <ErrorBox error={q.error ?? unionError(answer, "Runs")} />
      <RunTable runs={runs} />
      {runs.length >= limit && <button class="more" onClick={() => setLimit(limit + PAGE)}>Show more</button>}
    </div>
  );
}
