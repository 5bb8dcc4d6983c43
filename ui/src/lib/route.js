// Hash routes: `#/runs/abc?status=FAILURE`. The hash keeps every page reachable from the one
// index.html whatever prefix the server is mounted under.

const PATTERNS = [
  ["overview", /^\/?$/],
  ["runs", /^\/runs\/?$/],
  ["run", /^\/runs\/([^/]+)$/],
  ["jobs", /^\/jobs\/?$/],
  ["job", /^\/jobs\/([^/]+)$/],
  ["launchpad", /^\/jobs\/([^/]+)\/launchpad$/],
  ["assets", /^\/assets\/?$/],
  ["assetGraph", /^\/asset-graph$/],
  ["asset", /^\/assets\/(.+)$/],
  ["resources", /^\/resources\/?$/],
  ["resource", /^\/resources\/([^/]+)$/],
  ["automation", /^\/automation\/?$/],
  ["health", /^\/health$/],
];

/** @returns {{page: string, param: string|null, query: URLSearchParams}} */
export function parseRoute(hash) {
  const raw = (hash ?? "").replace(/^#/, "");
  const q = raw.indexOf("?");
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q === -1 ? "" : raw.slice(q + 1));
  for (const [page, re] of PATTERNS) {
    const m = re.exec(path);
    if (m) return { page, param: m[1] !== undefined ? decodeURIComponent(m[1]) : null, query };
  }
  return { page: "notFound", param: path, query };
}

/** A hash link; query entries with empty values are left out. */
export function href(path, query = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined && item !== null && item !== "") qs.append(k, item);
  }
  const s = qs.toString();
  return `#${path}${s ? `?${s}` : ""}`;
}
