"""The Launchpad's pickers in a real browser: a partition fills the run config and tags, a
mode changes the validation and the mode the run is launched in, a preset fills all three.

Served: ``ui_legacy_defs.py`` (a legacy pipeline with two modes and a preset, a job with a
partitioned config) by ``headwater webserver`` and ``headwater daemon run``. Skips as
``test_ui_browser.py`` does when the browser, Playwright or the built UI is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver import test_ui_browser as shared
from tests.webserver.test_ui_browser import (
    _STATUS_JS,
    _editor_text,
    _missing,
    _post,
    _type_config,
    _wait_valid,
)
from tests.webserver.ui_processes import served_ui

DEFS = Path(__file__).with_name("ui_legacy_defs.py")

# The browser and a page per test, as the other browser tests get them (fixtures by name).
browser = shared.browser
page = shared.page

pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))

RUN = """query($id: ID!) { runOrError(runId: $id) { ... on Run { mode status runConfigYaml
  tags { key value } } } }"""


@pytest.fixture(scope="module")
def legacy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``headwater webserver`` and ``headwater daemon run`` on the legacy definitions."""
    with served_ui(DEFS, tmp_path_factory.mktemp("ui-legacy-home")) as url:
        yield url


def _tag_rows(page: Any) -> dict[str, str]:
    rows = page.locator(".tag-row").evaluate_all(
        "rs => rs.map(r => [...r.querySelectorAll('input')].map(i => i.value))"
    )
    return {key: value for key, value in rows if key}


def _launch_and_read(page: Any, url: str) -> dict[str, Any]:
    page.locator("[data-testid=launch]").click()
    page.wait_for_url(re.compile(r"#/runs/[0-9a-f-]+$"))
    run_id = page.url.rsplit("/", 1)[1]
    page.wait_for_selector(".status-success", timeout=90_000)
    run: dict[str, Any] = _post(url, RUN, {"id": run_id})["data"]["runOrError"]
    return run


def test_choosing_a_partition_fills_the_config_and_tags(legacy_server: str, page: Any) -> None:
    page.goto(f"{legacy_server}/#/jobs/daily_report/launchpad")
    picker = page.get_by_label("partition")
    picker.fill("2024-01-02")
    page.wait_for_function(
        "() => (document.querySelector('.cm-content')?.innerText ?? '').includes('2024-01-02')"
    )
    assert "day: '2024-01-02'" in _editor_text(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.tag-row input')].some(i => i.value === "
        "'dagster/partition')"
    )
    tags = _tag_rows(page)
    assert tags["dagster/partition"] == "2024-01-02"
    assert tags["report_day"] == "2024-01-02"
    _wait_valid(page)
    run = _launch_and_read(page, legacy_server)
    assert "2024-01-02" in run["runConfigYaml"]
    assert {"key": "dagster/partition", "value": "2024-01-02"} in run["tags"]


def test_choosing_a_mode_changes_validation_and_the_runs_mode(
    legacy_server: str, page: Any
) -> None:
    page.goto(f"{legacy_server}/#/jobs/greet/launchpad")
    mode = page.get_by_label("mode")
    mode.wait_for()
    options = mode.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert options == ["dev", "prod"]
    # The first mode, dev, needs its greeter's prefix: empty config is invalid there.
    assert mode.input_value() == "dev"
    page.wait_for_function(f"() => /error/.test({_STATUS_JS})")
    assert "prefix" in page.locator("[data-testid=validation-errors]").inner_text()
    assert page.locator("[data-testid=launch]").is_disabled()
    # prod's greeter takes no config: the same empty config is valid there.
    mode.select_option("prod")
    _wait_valid(page)
    run = _launch_and_read(page, legacy_server)
    assert run["mode"] == "prod"
    assert run["status"] == "SUCCESS"


def test_a_preset_fills_mode_config_and_tags(legacy_server: str, page: Any) -> None:
    page.goto(f"{legacy_server}/#/jobs/greet/launchpad")
    page.get_by_label("mode").wait_for()
    page.get_by_label("preset").select_option("dev_hi")
    page.wait_for_function(
        "() => (document.querySelector('.cm-content')?.innerText ?? '').includes('prefix')"
    )
    assert page.get_by_label("mode").input_value() == "dev"
    assert page.get_by_label("preset").input_value() == "dev_hi"
    assert _tag_rows(page) == {"preset": "dev_hi"}
    _wait_valid(page)
    # A wrong prefix type in dev mode is an error again: the schema is dev's.
    _type_config(page, "resources: {greeter: {config: {prefix: 1}}}")
    page.wait_for_function(f"() => /error/.test({_STATUS_JS})")
    _type_config(page, "resources: {greeter: {config: {prefix: hey}}}")
    _wait_valid(page)
    run = _launch_and_read(page, legacy_server)
    assert run["mode"] == "dev"
    assert {"key": "preset", "value": "dev_hi"} in run["tags"]
