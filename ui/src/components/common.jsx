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

/** Tags the system sets (code pointers, re-execution records): not worth a column's space. */
export function isSystemTag(key) {
  return key.startsWith("dagster/") || key.startsWith("headwater/") || key.startsWith(".");
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
              {r.tags.filter((t) => !isSystemTag(t.key)).map((t) => (
                <a class="tag" key={t.key} href={href("/runs", { tag: `${t.key}=${t.value}` })}>{t.key}={t.value}</a>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
