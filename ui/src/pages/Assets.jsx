import { useMemo, useState } from "preact/hooks";
import { useQuery } from "../hooks.js";
import { ASSET, ASSET_LINEAGE, ASSETS } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { assetStatus, lineageGraph, partitionCells } from "../lib/assets.js";
import { ErrorBox, Time } from "../components/common.jsx";
import { Graph } from "../components/Graph.jsx";

const keyStr = (k) => k.path.join("/");

export function AssetsPage() {
  const q = useQuery(ASSETS, {}, { pollMs: 5000 });
  const [text, setText] = useState("");
  const assets = q.data?.assetNodes ?? [];
  const shown = assets.filter((a) => keyStr(a.assetKey).includes(text) || (a.groupName ?? "").includes(text));
  return (
    <div>
      <h1>Assets <a class="button" href={href("/asset-graph")}>Lineage graph</a></h1>
      <ErrorBox error={q.error} />
      <div class="filters"><input placeholder="filter by key or group" value={text} onInput={(e) => setText(e.currentTarget.value)} /></div>
      <table class="table">
        <thead><tr><th>Asset</th><th>Group</th><th>Status</th><th>Last materialized</th><th>Description</th></tr></thead>
        <tbody>
          {shown.map((a) => {
            const s = assetStatus(a);
            const last = a.assetMaterializations[0];
            return (
              <tr key={a.id}>
                <td><a href={href(`/assets/${keyStr(a.assetKey)}`)}>{keyStr(a.assetKey)}</a>{a.isPartitioned && <span class="tag">partitioned</span>}</td>
                <td>{a.groupName}</td>
                <td><span class={`status status-${s.className}`}>{s.label}</span></td>
                <td>{last ? <a href={href(`/runs/${last.runId}`)}><Time seconds={Number(last.timestamp) / 1000} /></a> : <span class="muted">never</span>}</td>
                <td>{a.description}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function AssetGraphPage() {
  const q = useQuery(ASSET_LINEAGE, {}, { pollMs: 10000 });
  const graph = useMemo(() => lineageGraph(q.data?.assetLineage), [q.data]);
  return (
    <div>
      <h1>Asset lineage</h1>
      <ErrorBox error={q.error} />
      <div class="legend">
        {["fresh", "stale", "missing", "failed"].map((c) => <span key={c} class={`status status-${c}`}>{c}</span>)}
      </div>
      {q.data && <Graph nodes={graph.nodes} edges={graph.edges} height={620} />}
    </div>
  );
}

export function AssetPage({ keyPath }) {
  const q = useQuery(ASSET, { assetKey: { path: keyPath.split("/") } }, { pollMs: 5000 });
  const a = q.data?.assetNodes?.[0];
  if (q.error && !a) return <ErrorBox error={q.error} />;
  if (!q.data) return <div class="empty">Loading…</div>;
  if (!a) return <ErrorBox error={`No asset “${keyPath}”.`} />;
  const s = assetStatus(a);
  const cells = partitionCells(a);
  return (
    <div>
      <h1>{keyPath} <span class={`status status-${s.className}`}>{s.label}</span></h1>
      {a.description && <p>{a.description}</p>}
      <div class="meta">
        group {a.groupName}
        {a.staleCauses?.length ? <> · stale because: {a.staleCauses.map((c) => c.reason).join("; ")}</> : null}
      </div>
      <h2>Upstream / downstream</h2>
      <div>
        {a.dependencyKeys.map((k) => <a class="tag" key={keyStr(k)} href={href(`/assets/${keyStr(k)}`)}>↑ {keyStr(k)}</a>)}
        {a.dependedByKeys.map((k) => <a class="tag" key={keyStr(k)} href={href(`/assets/${keyStr(k)}`)}>↓ {keyStr(k)}</a>)}
      </div>
      {cells && (
        <>
          <h2>Partitions</h2>
          <div class="legend">
            {Object.entries(cells.counts).map(([k, v]) => <span key={k} class={`status status-${k}`}>{k}: {v}</span>)}
          </div>
          <div class="pgrid">
            {cells.cells.map((c) => <span key={c.key} class={`pcell status-${c.status}`} title={`${c.key}: ${c.status}`} />)}
          </div>
        </>
      )}
      <h2>Materializations</h2>
      <table class="table">
        <thead><tr><th>When</th><th>Partition</th><th>Run</th></tr></thead>
        <tbody>
          {a.assetMaterializations.map((m) => (
            <tr key={`${m.runId}-${m.timestamp}`}>
              <td><Time seconds={Number(m.timestamp) / 1000} /></td>
              <td>{m.partition ?? ""}</td>
              <td><a class="mono" href={href(`/runs/${m.runId}`)}>{m.runId.slice(0, 8)}</a></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
