import { useMemo } from "preact/hooks";
import { useQuery } from "../hooks.js";
import { opEdges } from "../lib/graph.js";
import { JOB, RUNS } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { ErrorBox, RunTable, unionError } from "../components/common.jsx";
import { Graph } from "../components/Graph.jsx";

export function JobsPage({ workspace, loading }) {
  if (loading) return <div class="empty">Loading…</div>;
  return (
    <div>
      <h1>Jobs</h1>
      <table class="table">
        <thead><tr><th>Job</th><th>Location</th><th>Description</th><th /></tr></thead>
        <tbody>
          {workspace.jobs.map((j) => (
            <tr key={`${j.repo.location.name}:${j.name}`}>
              <td><a href={href(`/jobs/${j.name}`)}>{j.name}</a>{!j.isJob && <span class="tag">pipeline</span>}</td>
              <td class="muted">{j.repo.location.name}</td>
              <td>{j.description}</td>
              <td><a class="button" href={href(`/jobs/${j.name}/launchpad`)}>Launchpad</a></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function JobPage({ workspace, name, loading }) {
  const selector = workspace.jobSelector(name);
  const q = useQuery(JOB, { selector }, { skip: !selector });
  const runs = useQuery(RUNS, { filter: { pipelineName: name }, limit: 10 }, { pollMs: 3000 });
  const job = q.data?.pipelineOrError;
  const graph = useMemo(() => {
    // Without the job's op graph from the server, its op names alone (no edges) still show.
    const fallback = (workspace.job(name)?.solidNames ?? []).map((n) => ({ name: n, definition: { name: n } }));
    const solids = job?.solids ?? fallback;
    return {
      nodes: solids.map((s) => ({
        id: s.name,
        label: s.name,
        title: `${s.name} (${s.definition.name})${s.definition.description ? `\n${s.definition.description}` : ""}`,
      })),
      edges: opEdges(solids),
    };
  }, [job, workspace]);
  if (!selector) return loading ? <div class="empty">Loading…</div> : <ErrorBox error={`No job named “${name}” in the workspace.`} />;
  return (
    <div>
      <h1>{name} <a class="button primary" href={href(`/jobs/${name}/launchpad`)}>Launchpad</a></h1>
      {job?.description && <p>{job.description}</p>}
      {job ? <ErrorBox error={unionError(job, "Pipeline")} /> : q.error && <div class="muted">The server gave no op graph ({q.error}); the ops are shown unconnected.</div>}
      {graph.nodes.length > 0 && <Graph nodes={graph.nodes} edges={graph.edges} height={420} />}
      <h2>Latest runs</h2>
      <RunTable runs={runs.data?.runsOrError?.results ?? []} />
    </div>
  );
}
