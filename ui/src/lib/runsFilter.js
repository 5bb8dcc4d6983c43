// The runs page's filters, kept in the URL, turned into the server's `RunsFilter`.

export const RUN_STATUSES = [
  "QUEUED", "NOT_STARTED", "STARTING", "STARTED", "SUCCESS", "FAILURE", "CANCELING", "CANCELED",
];

/**
 * @param {URLSearchParams} query `status` (repeatable), `job`, `tag` (repeatable `key=value`)
 * @returns {{filter: object, errors: string[]}}
 */
export function runsFilterFromQuery(query) {
  const filter = {};
  const errors = [];
  const statuses = query.getAll("status").filter(Boolean);
  for (const s of statuses) if (!RUN_STATUSES.includes(s)) errors.push(`unknown status "${s}"`);
  const good = statuses.filter((s) => RUN_STATUSES.includes(s));
  if (good.length) filter.statuses = good;
  const job = query.get("job");
  if (job) filter.pipelineName = job;
  const tags = [];
  for (const t of query.getAll("tag")) {
    const eq = t.indexOf("=");
    if (eq <= 0) {
      errors.push(`tag filter "${t}" must be key=value`);
      continue;
    }
    tags.push({ key: t.slice(0, eq), value: t.slice(eq + 1) });
  }
  if (tags.length) filter.tags = tags;
  return { filter, errors };
}

/** Runs in progress keep the list live; finished ones do not change. */
export function isRunActive(status) {
  return ["QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"].includes(status);
}

/** Tags as edited in the Launchpad: rows of key/value; blank rows dropped, duplicates reported. */
export function tagsFromRows(rows) {
  const tags = [];
  const errors = [];
  const seen = new Set();
  for (const { key, value } of rows) {
    const k = (key ?? "").trim();
    if (!k && !(value ?? "").trim()) continue;
    if (!k) {
      errors.push(`a tag with value "${value}" has no key`);
      continue;
    }
    if (seen.has(k)) errors.push(`tag "${k}" is set twice`);
    seen.add(k);
    tags.push({ key: k, value: value ?? "" });
  }
  return { tags, errors };
}

/** A duration in seconds as `1h 2m`, `3m 4s`, `5.2s`. */
export function formatDuration(seconds) {
  if (seconds == null || Number.isNaN(seconds)) return "";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${Math.floor(seconds % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
