"""The web UI in a real browser: Playwright driving the system's Chromium against a live
``headwater webserver`` (and a daemon, so launched runs really run).

Skips, saying why, when the browser, Playwright, the server package or the built UI is
missing; CI installs Debian's ``chromium`` (Playwright never downloads a browser here).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.ui_processes import served_ui

DEFS = Path(__file__).with_name("ui_demo_defs.py")
STATIC_INDEX = Path(__file__).resolve().parents[2] / "src/headwater/webserver/static/index.html"


def _chromium() -> str | None:
    given = os.environ.get("HEADWATER_TEST_CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _missing() -> str | None:
    if importlib.util.find_spec("headwater.webserver.app") is None:
        return "headwater.webserver (the server) is not in this tree"
    if not STATIC_INDEX.is_file():
        return "the UI is not built (make ui)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install playwright)"
    if _chromium() is None:
        return "no Chromium on PATH (apt-get install chromium)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


def _post(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"{url}/graphql", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``headwater webserver`` and ``headwater daemon run`` on the demo definitions."""
    home = tmp_path_factory.mktemp("ui-home")
    with served_ui(DEFS, home, env={"WAREHOUSE_PASSWORD": "hunter2"}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # By name: playwright is an optional test dependency (the module skips without it).
    sync_playwright = importlib.import_module("playwright.sync_api").sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"the page raised: {errors}"


# The Launchpad's validation status line, as a JavaScript expression (empty until drawn).
_STATUS_JS = "(document.querySelector('[data-testid=validation-status]')?.innerText ?? '')"


def _editor_text(page: Any) -> str:
    return str(page.evaluate("() => (document.querySelector('.cm-content')?.innerText ?? '')"))


def _type_config(page: Any, text: str) -> None:
    """Replace the editor's text by typing (flow-style YAML: no newlines to auto-indent)."""
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.keyboard.press("Escape")  # close a completion popup


def _wait_valid(page: Any) -> None:
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=validation-status]')?.innerText ?? '')"
        " === 'Config is valid'"
    )


def test_launchpad_validates_fixes_and_launches(ui_server: str, page: Any) -> None:
    page.goto(f"{ui_server}/#/jobs/load_file/launchpad")
    status = page.locator("[data-testid=validation-status]")
    launch = page.locator("[data-testid=launch]")

    # A wrong field: the server's errors show inline and under the editor; no launch.
    _type_config(page, "ops: {load: {config: {pathx: 1}}}")
    page.wait_for_function(f"() => /error/.test({_STATUS_JS})")
    errors = page.locator("[data-testid=validation-errors]").inner_text()
    assert "pathx" in errors
    assert "path" in errors.replace("pathx", "")
    assert launch.is_disabled()
    assert page.locator(".cm-lintRange-error").count() >= 1

    # The Launchpad's own fixes: remove the extra field, scaffold the missing one.
    page.get_by_role("button", name="Remove extra config").click()
    page.get_by_role("button", name="Scaffold missing config").click()
    page.wait_for_function(
        "() => (document.querySelector('.cm-content')?.innerText ?? '').includes('path')"
    )
    assert "pathx" not in _editor_text(page)
    _wait_valid(page)

    # Expand defaults writes the defaulted fields out.
    page.get_by_role("button", name="Expand defaults").click()
    page.wait_for_function(
        "() => (document.querySelector('.cm-content')?.innerText ?? '').includes('retries')"
    )

    # A real value, a tag, then launch: the run opens on its live page.
    _type_config(page, "ops: {load: {config: {path: orders.csv}}}")
    _wait_valid(page)
    assert status.inner_text() == "Config is valid"
    page.get_by_placeholder("key").first.fill("purpose")
    page.get_by_placeholder("value").first.fill("browser-test")
    assert launch.is_enabled()
    launch.click()
    page.wait_for_url(re.compile(r"#/runs/[0-9a-f-]+$"))
    run_id = page.url.rsplit("/", 1)[1]
    page.wait_for_selector("h1:has-text('Run')")

    run = _post(
        ui_server,
        "query($id: ID!) { runOrError(runId: $id) { ... on Run { runConfigYaml "
        "tags { key value } } } }",
        {"id": run_id},
    )["data"]["runOrError"]
    assert "orders.csv" in run["runConfigYaml"]
    assert {"key": "purpose", "value": "browser-test"} in run["tags"]

    # Live: the daemon runs it and its events stream into the log view.
    page.wait_for_function(
        "() => Number(document.querySelector('.loglist')?.dataset.count) > 0", timeout=90_000
    )
    page.wait_for_selector(".status-success", timeout=90_000)


def test_completion_offers_schema_fields(ui_server: str, page: Any) -> None:
    page.goto(f"{ui_server}/#/jobs/load_file/launchpad")
    page.wait_for_function(f"() => /error/.test({_STATUS_JS})")
    page.click(".cm-content")
    page.keyboard.type("o")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="ops")
    option.first.wait_for()
    assert "required" in option.first.inner_text()


def _job_selector(url: str, job: str) -> dict[str, str]:
    repos = _post(
        url,
        "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } "
        "pipelines { name } } } } }",
    )["data"]["repositoriesOrError"]["nodes"]
    for repo in repos:
        if any(p["name"] == job for p in repo["pipelines"]):
            return {
                "jobName": job,
                "repositoryName": repo["name"],
                "repositoryLocationName": repo["location"]["name"],
            }
    raise AssertionError(f"no job {job} in {repos}")


def test_runs_page_lists_and_filters(ui_server: str, page: Any) -> None:
    launched = _post(
        ui_server,
        """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
             __typename ... on LaunchRunSuccess { run { runId } } } }""",
        {
            "p": {
                "selector": _job_selector(ui_server, "always_fails"),
                "executionMetadata": {"tags": [{"key": "kind", "value": "doomed"}]},
            }
        },
    )["data"]["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    page.goto(f"{ui_server}/#/runs?tag=kind=doomed")
    page.wait_for_selector(f"a[href='#/runs/{run_id}']")
    assert page.locator(".runs-table tbody tr").count() == 1
    # The failed run offers re-execution from failure once it has failed.
    page.goto(f"{ui_server}/#/runs/{run_id}")
    page.wait_for_selector(".run-head .status-failure", timeout=90_000)
    page.get_by_role("button", name="Re-execute from failure").click()
    page.wait_for_url(re.compile(r"#/runs/(?!" + run_id + r")[0-9a-f-]+$"))
    page.wait_for_selector("text=re-execution of")


def test_asset_graph_draws_lineage_with_status(ui_server: str, page: Any) -> None:
    page.goto(f"{ui_server}/#/asset-graph")
    page.wait_for_selector(".graph .node")
    labels = sorted(
        page.locator(".graph .node text").evaluate_all("ts => ts.map(t => t.textContent)")
    )
    assert labels == ["daily_orders", "orders", "revenue"]
    assert page.locator(".graph .edge").count() == 1  # orders → revenue
    # Nothing was materialized in this instance except what other tests ran: every node
    # carries one status class.
    classes = page.locator(".graph .node").evaluate_all(
        "ns => ns.map(n => n.getAttribute('class'))"
    )
    assert all(any(s in c for s in ("fresh", "stale", "missing", "failed")) for c in classes)
    page.locator(".graph .node").filter(has_text="daily_orders").locator("rect").click()
    page.wait_for_url(re.compile(r"#/assets/daily_orders$"))
    page.wait_for_selector(".pgrid .pcell")
    assert page.locator(".pgrid .pcell").count() == 14


def test_resources_mask_environment_values(ui_server: str, page: Any) -> None:
    page.goto(f"{ui_server}/#/resources")
    page.wait_for_selector(".resource")
    text = page.locator(".resource").inner_text()
    assert "WAREHOUSE_PASSWORD" in text
    assert "hunter2" not in page.content()
