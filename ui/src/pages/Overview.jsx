import { useQuery } from "../hooks.js";
import { ASSETS, DAEMON_HEALTH, RUNS } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { ErrorBox, RunTable } from "../components/common.jsx";

export function Overview({ workspace }) {
  const runs = useQuery(RUNS, { limit: 10 }, { pollMs: 3000 });
  const assets = useQuery(ASSETS, {});
  const health = useQuery(DAEMON_HEALTH, {}, { pollMs: 10000 });
  const daemons = health.data?.instance?.daemonHealth?.allDaemonStatuses ?? [];
  const unhealthy = daemons.filter((d) => d.required && !d.healthy);
  const results = runs.data?.runsOrError?.results ?? [];
  return (
    <div>
      <h1>Overview</h1>
      <div class="cards">
        <a class="card" href={href("/jobs")}><b>{workspace.jobs.length}</b> jobs</a>
        <a class="card" href={href("/assets")}><b>{assets.data?.assetNodes?.length ?? "…"}</b> assets</a>
        <a class="card" href={href("/runs", { status: "FAILURE" })}>
          <b>{results.filter((r) => r.status === "FAILURE").length}</b> failed of the last {results.length} runs
        </a>
        <a class={`card ${unhealthy.length ? "bad" : ""}`} href={href("/health")}>
          <b>{unhealthy.length ? `${unhealthy.length} unhealthy` : "healthy"}</b> daemons
        </a>
      </div>
      <h2>Latest runs</h2>
      <ErrorBox error={runs.error} />
      <RunTable runs={results} />
    </div>
  );
}
