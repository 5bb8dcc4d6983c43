import { useQuery } from "../hooks.js";
import { RESOURCES } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { ErrorBox } from "../components/common.jsx";
import { resourceRows } from "../lib/resources.js";

export function ResourcesPage({ workspace, selected }) {
  const sel = workspace.repositorySelectors();
  return (
    <div>
      <h1>Resources</h1>
      {sel.map((s) => <RepoResources key={`${s.repositoryLocationName}:${s.repositoryName}`} selector={s} selected={selected} multi={sel.length > 1} />)}
      {!sel.length && <div class="empty">No code location is loaded.</div>}
    </div>
  );
}

function RepoResources({ selector, selected, multi }) {
  const q = useQuery(RESOURCES, { repositorySelector: selector });
  const answer = q.data?.allTopLevelResourceDetailsOrError;
  const list = answer?.results ?? [];
  return (
    <div>
      {multi && <h2>{selector.repositoryLocationName}</h2>}
      <ErrorBox error={q.error ?? (answer && !answer.results ? answer.message : null)} />
      {list.map((r) => (
        <section id={`resource-${r.name}`} class={`resource ${selected === r.name ? "selected" : ""}`} key={r.name}>
          <h3><a href={href(`/resources/${r.name}`)}>{r.name}</a> <span class="muted">{r.resourceType}</span></h3>
          {r.description && <p>{r.description}</p>}
          <table class="table small">
            <thead><tr><th>Config</th><th>Value</th><th>Source</th></tr></thead>
            <tbody>
              {resourceRows(r.configSchema, r.configuredValues).map((f) => {
                const v = f.value;
                return (
                  <tr key={f.name}>
                    <td title={f.description ?? ""}>{f.name}{f.isRequired && <span class="muted"> *</span>}</td>
                    <td class="mono">{v ? (v.type === "ENV_VAR" ? <span class="masked" title="from the environment; the value is never sent">{`$${v.value}`} ••••••</span> : v.value) : <span class="muted">{f.defaultValueAsJson ?? "unset"}</span>}</td>
                    <td class="muted">{v ? (v.type === "ENV_VAR" ? "environment variable" : "value") : "default"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div class="uses">
            {r.jobsOpsUsing.map((j) => <a class="tag" key={j.jobName} href={href(`/jobs/${j.jobName}`)}>job {j.jobName}</a>)}
            {r.assetKeysUsing.map((k) => <a class="tag" key={k.path.join("/")} href={href(`/assets/${k.path.join("/")}`)}>asset {k.path.join("/")}</a>)}
            {!r.jobsOpsUsing.length && !r.assetKeysUsing.length && <span class="muted">not used</span>}
          </div>
        </section>
      ))}
      {q.data && !list.length && <div class="empty">No resources.</div>}
    </div>
  );
}
