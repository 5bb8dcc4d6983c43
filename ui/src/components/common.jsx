import { href } from "../lib/route.js";
import { formatDuration } from "../lib/runsFilter.js";

export function Status({ status }) {
  return <span class={`status status-${(status ?? "unknown").toLowerCase()}`}>{status ?? "?"}</span>;
}

export function Time({ seconds }) {
  if (!seconds) return <span class="muted">—</span>;
  const d = new Date(seconds * 1000);
  return <time title={d.toISOString()}>{d.toLocaleString()}</time>;
}

export function ErrorBox({ error }) {
  return error ? <div class="error">{error}</div> : null;
}

/** A union answer that is not the type asked for: its message. */
export function unionError(value, ok) {
  if (!value) return null;
  if (value.__typename === ok) return null;
  return `${value.__typename}: ${value.message ?? "unexpected answer"}`;
}

export function RunTable({ runs }) {
  if (!runs?.length) return <div class="empty">No runs.</div>;
  return (
    <table class="table runs-table">
      <thead>
        <tr><th>Run</th><th>Status</th><th>Job</th><th>Created</th><th>Duration</th><th>Tags</th></tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.runId}>
            <td><a class="mono" href={href(`/runs/${r.runId}`)}>{r.runId.slice(0, 8)}</a></td>
            <td><Status status={r.status} /></td>
            <td><a href={href(`/jobs/${r.pipelineName}`)}>{r.pipelineName}</a></td>
            <td><Time seconds={r.creationTime} /></td>
            <td>{r.startTime ? formatDuration((r.endTime ?? Date.now() / 1000) - r.startTime) : ""}</td>
            <td>
              {r.tags.filter((t) => !t.key.startsWith("dagster/") && !t.key.startsWith(".")).map((t) => (
                <a class="tag" key={t.key} href={href("/runs", { tag: `${t.key}=${t.value}` })}>{t.key}={t.value}</a>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
