import { render } from "preact";
import { useMemo } from "preact/hooks";
import { useQuery, useRoute } from "./hooks.js";
import { REPOSITORIES } from "./lib/queries.js";
import { href } from "./lib/route.js";
import { Workspace } from "./workspace.js";
import { Overview } from "./pages/Overview.jsx";
import { RunsPage } from "./pages/Runs.jsx";
import { RunPage } from "./pages/Run.jsx";
import { JobsPage, JobPage } from "./pages/Job.jsx";
import { Launchpad } from "./pages/Launchpad.jsx";
import { AssetsPage, AssetPage, AssetGraphPage } from "./pages/Assets.jsx";
import { ResourcesPage } from "./pages/Resources.jsx";
import { AutomationPage } from "./pages/Automation.jsx";
import { HealthPage } from "./pages/Health.jsx";
import { Session } from "./components/Session.jsx";
import "./style.css";

const NAV = [
  ["overview", "/", "Overview"],
  ["runs", "/runs", "Runs"],
  ["jobs", "/jobs", "Jobs"],
  ["assets", "/assets", "Assets"],
  ["resources", "/resources", "Resources"],
  ["automation", "/automation", "Automation"],
  ["health", "/health", "Daemons"],
];

const SECTION = {
  run: "runs", job: "jobs", launchpad: "jobs", asset: "assets", assetGraph: "assets", resource: "resources",
};

function App() {
  const route = useRoute();
  const repos = useQuery(REPOSITORIES, {});
  const workspace = useMemo(() => new Workspace(repos.data), [repos.data]);
  const section = SECTION[route.page] ?? route.page;
  return (
    <div class="shell">
      <nav class="nav">
        <a class="brand" href="#/">headwater</a>
        {NAV.map(([page, path, label]) => (
          <a key={page} href={href(path)} class={section === page ? "active" : ""}>{label}</a>
        ))}
        <Session />
      </nav>
      <main class="main">
        {repos.error && <div class="error">Workspace: {repos.error}</div>}
        <Page route={route} workspace={workspace} loading={repos.loading} />
      </main>
    </div>
  );
}

function Page({ route, workspace, loading }) {
  const p = { route, workspace, loading };
  switch (route.page) {
    case "overview": return <Overview {...p} />;
    case "runs": return <RunsPage {...p} />;
    case "run": return <RunPage {...p} runId={route.param} />;
    case "jobs": return <JobsPage {...p} />;
    case "job": return <JobPage {...p} name={route.param} />;
    case "launchpad": return <Launchpad {...p} name={route.param} />;
    case "assets": return <AssetsPage {...p} />;
    case "asset": return <AssetPage {...p} keyPath={route.param} />;
    case "assetGraph": return <AssetGraphPage {...p} />;
    case "resources":
    case "resource": return <ResourcesPage {...p} selected={route.param} />;
    case "automation": return <AutomationPage {...p} />;
    case "health": return <HealthPage {...p} />;
    default: return <div class="empty">No page at “{route.param}”. <a href="#/">Overview</a></div>;
  }
}

render(<App />, document.getElementById("app"));
