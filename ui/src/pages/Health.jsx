import { useQuery } from "../hooks.js";
import { DAEMON_HEALTH } from "../lib/queries.js";
import { ErrorBox, Time } from "../components/common.jsx";

export function HealthPage() {
  const q = useQuery(DAEMON_HEALTH, {}, { pollMs: 5000 });
  const daemons = q.data?.instance?.daemonHealth?.allDaemonStatuses ?? [];
  return (
    <div>
      <h1>Daemons</h1>
      <ErrorBox error={q.error} />
      <table class="table">
        <thead><tr><th>Daemon</th><th>Required</th><th>Health</th><th>Last heartbeat</th><th>Errors</th></tr></thead>
        <tbody>
          {daemons.map((d) => (
            <tr key={d.daemonType}>
              <td>{d.daemonType}</td>
              <td>{d.required ? "yes" : "no"}</td>
              <td>{d.healthy == null ? <span class="muted">not running</span> : d.healthy ? <span class="status status-success">healthy</span> : <span class="status status-failure">unhealthy</span>}</td>
              <td><Time seconds={d.lastHeartbeatTime} /></td>
              <td>{d.lastHeartbeatErrors.map((e, i) => <pre key={i} class="small">{e.message}</pre>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!q.loading && !daemons.length && <div class="empty">No daemon has reported.</div>}
    </div>
  );
}
