"""The web UI at scale in a real browser: a run of 50,000 events and 2,000 assets.

The run page must read its log a page at a time (few rows in the DOM, few events sent),
reach both ends, and filter on the server; the lineage graph must draw every asset. The
time bounds are generous (a loaded CI machine): ``benchmarks/ui_speed.py`` measures the
real figures at 1,000,000 events and 10,000 assets.
"""

# ruff: noqa: F811
from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The browser fixtures are the UI tests' own, imported by name (pytest finds them so); the
# tests' parameters of the same names are what ruff takes for redefinitions.
from tests.webserver.test_ui_browser import (  # noqa: F401
    _missing,
    browser,
    page,
)
from tests.webserver.ui_processes import served_ui

pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))

EVENTS = 50_000
ASSETS = 2_000
LAYER = 200
RUN_ID = "scale-run"


def _messages() -> list[tuple[str, str, int]]:
    """(step, message, level) of every event, in order: 50 steps of 1,000 events."""
    out = []
    for i in range(EVENTS):
        step, j = divmod(i, 1000)
        key = f"step_{step:02d}"
        if j == 0:
            out.append((key, f'Started execution of step "{key}".', logging.DEBUG))
        elif j == 999:
            out.append((key, f'Finished execution of step "{key}".', logging.DEBUG))
        elif j % 97 == 0:
            out.append((key, f"{key} could not parse record {i}", logging.ERROR))
        else:
            out.append((key, f"{key} processed record {i}", logging.INFO))
    return out


def _fill(home: Path) -> None:
    from headwater.events import EventType, RunEvent
    from headwater.storage import Instance, Run, RunStatus

    with Instance.from_config(home) as instance:
        instance.add_runs([Run(run_id=RUN_ID, job_name="big", status=RunStatus.SUCCESS)])
        events = []
        for i, (step, message, level) in enumerate(_messages()):
            kind = EventType.LOG_MESSAGE
            if message.startswith("Started"):
                kind = EventType.STEP_START
            elif message.startswith("Finished"):
                kind = EventType.STEP_SUCCESS
            events.append(RunEvent(kind, RUN_ID, "big", 1.7e9 + i / 1000, message, step, level))
        for start in range(0, EVENTS, 10_000):
            instance.store_events(events[start : start + 10_000])


def _assets_module() -> str:
    lines = ["import headwater as dg\n"]
    for i in range(ASSETS):
        layer, k = divmod(i, LAYER)
        base = (layer - 1) * LAYER
        deps = f"a{base + k}, a{base + (k * 7 + 3) % LAYER}" if layer else ""
        lines.append(f"@dg.asset\ndef a{i}({deps}):\n    return {i}\n")
    lines.append(f"defs = dg.Definitions(assets=[{', '.join(f'a{i}' for i in range(ASSETS))}])\n")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def scale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("ui-scale")
    home = folder / "home"
    _fill(home)
    (folder / "assets.py").write_text(_assets_module())
    with served_ui("assets.py", home, daemon=False, cwd=folder) as url:
        yield url


_ROWS = ".loglist .logrow:not(.pending)"


def _wait_count(page: Any, count: int) -> None:
    page.wait_for_function(
        f"() => Number(document.querySelector('.loglist')?.dataset.count) === {count}"
        f" && document.querySelectorAll('{_ROWS}').length > 0"
    )


def _scroll_to(page: Any, fraction: float) -> None:
    """Scroll the log to ``fraction`` of its height and wait for the rows drawn there.

    The list redraws on the scroll event, a frame after ``scrollTop`` is set: until then
    the old rows are still in the DOM, with none pending, so the wait is for the first
    row to change as well (every scroll here moves the view).
    """
    first = "() => document.querySelector('.loglist .logrow')?.getAttribute('data-row')"
    before = page.evaluate(first)
    page.evaluate(
        "(f) => { const el = document.querySelector('.loglist');"
        " el.scrollTop = (el.scrollHeight - el.clientHeight) * f; }",
        fraction,
    )
    page.wait_for_function(
        "(before) => { const row = document.querySelector('.loglist .logrow');"
        " return row && row.getAttribute('data-row') !== before"
        " && !document.querySelector('.loglist .logrow.pending'); }",
        arg=before,
    )


def _shown(page: Any) -> list[str]:
    return list(page.locator(f"{_ROWS} .msg").all_inner_texts())


def test_run_log_is_paged_virtualised_and_reaches_both_ends(scale_server: str, page: Any) -> None:
    sent: list[int] = []

    def count_events(response: Any) -> None:
        if response.url.endswith("/graphql") and response.request.method == "POST":
            body = json.loads(response.body())
            logs = (body.get("data") or {}).get("logsForRun") or {}
            sent.append(len(logs.get("events", [])))

    page.on("response", count_events)
    messages = [m for _, m, _ in _messages()]
    started = time.monotonic()
    page.goto(f"{scale_server}/#/runs/{RUN_ID}")
    _wait_count(page, EVENTS)
    assert time.monotonic() - started < 20
    # It opens on the tail, drawing only the rows in view.
    page.wait_for_function(f"() => document.body.innerText.includes({json.dumps(messages[-1])})")
    assert page.locator(".loglist .logrow").count() < 100
    # A finished run is read to its end once, not followed.
    page.wait_for_selector("text=finished: every event stored")
    _scroll_to(page, 0)
    assert _shown(page)[0] == messages[0]
    _scroll_to(page, 0.5)
    middle = int(page.locator(_ROWS).first.get_attribute("data-row"))
    assert 20_000 < middle < 30_000
    assert _shown(page)[0] == messages[middle]
    _scroll_to(page, 1)
    assert _shown(page)[-1] == messages[-1]
    assert page.locator(".loglist .logrow").count() < 100
    # Pages, not the whole log, crossed the wire.
    assert sum(sent) < 5_000, sum(sent)


def test_run_log_filters_on_the_server(scale_server: str, page: Any) -> None:
    everything = _messages()
    page.goto(f"{scale_server}/#/runs/{RUN_ID}")
    _wait_count(page, EVENTS)
    page.get_by_role("button", name="ERROR", exact=True).click()
    errors = [m for _, m, level in everything if level == logging.ERROR]
    _wait_count(page, len(errors))
    assert _shown(page)[-1] == errors[-1]
    assert page.locator(".loglist .logrow.level-error").count() == page.locator(_ROWS).count()
    page.get_by_role("button", name="ERROR", exact=True).click()
    _wait_count(page, EVENTS)
    page.get_by_placeholder("search messages").fill("RECORD 4242")
    found = [m for _, m, _ in everything if "record 4242" in m]
    assert len(found) > 1
    _wait_count(page, len(found))
    assert _shown(page) == found
    page.get_by_label("step").select_option("step_42")
    in_step = [m for step, m, _ in everything if step == "step_42" and "record 4242" in m]
    assert 0 < len(in_step) < len(found)
    _wait_count(page, len(in_step))
    assert _shown(page) == in_step


def test_asset_graph_draws_every_one_of_2000_assets(scale_server: str, page: Any) -> None:
    started = time.monotonic()
    page.goto(f"{scale_server}/#/asset-graph")
    graph = page.locator(".graph")
    page.wait_for_function(
        f"() => Number(document.querySelector('.graph')?.dataset.drawn) === {ASSETS}",
        timeout=60_000,
    )
    assert time.monotonic() - started < 30
    assert graph.get_attribute("data-nodes") == str(ASSETS)
    assert graph.get_attribute("data-renderer") == "canvas"
    # The canvas was painted: pixels of the node colours are there.
    painted = page.evaluate(
        """() => { const c = document.querySelector('.graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
    )
    assert painted > 10_000
    # Zoomed in, the nodes in view are SVG links again.
    box = page.locator(".graph canvas").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    for _ in range(60):
        page.mouse.wheel(0, -100)
        if graph.get_attribute("data-renderer") == "svg":
            break
    page.wait_for_selector(".graph svg .node")
    drawn = page.locator(".graph svg .node").count()
    assert 0 < drawn <= 600
