"""The web UI at scale, in a real browser: a run of 1,000,000 events and 10,000 assets.

A SQLite instance in a temporary home gets one run of 1,000,000 events (written in batches
through the storage API) and a code location of 10,000 assets in 20 layers; ``headwater
webserver`` serves them and Playwright drives the system's Chromium. Each figure is the
median of a few page loads after one warm-up.

Targets (the web server issue):
- the run page usable (the newest rows of the log shown, its count known): ≤ 1 s;
- a filter applied (the first matching rows shown): responsive;
- scrolling through the whole log: without stalls (frame gaps and long tasks measured
  while the page scrolls from top to bottom one step per frame);
- the asset graph of 10,000 assets laid out and drawn: ≤ 2 s.

Skips, saying why, without Chromium or Playwright (``apt-get install chromium``;
``pip install playwright``). ``--events`` and ``--assets`` change the sizes.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

RUN_ID = "big-run"
STEPS = 50
LAYER = 500  # assets per layer of the lineage graph


def _chromium() -> str | None:
    given = os.environ.get("HEADWATER_TEST_CHROMIUM")
    if given:
        return given
    return next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install playwright)"
    if _chromium() is None:
        return "no Chromium on PATH (apt-get install chromium)"
    return None


def fill_run(home: Path, events: int) -> float:
    """One finished run of ``events`` events over STEPS steps; returns seconds taken."""
    from headwater.events import EventType, RunEvent
    from headwater.storage import Instance, Run, RunStatus

    started = time.perf_counter()
    instance = Instance.from_config(home)
    t0 = time.time() - events / 1000
    run = Run(
        run_id=RUN_ID,
        job_name="big_job",
        status=RunStatus.SUCCESS,
        create_time=t0,
        start_time=t0,
        end_time=t0 + events / 1000,
    )
    instance.add_runs([run])
    per = max(2, events // STEPS)
    levels = [logging.INFO] * 8 + [logging.DEBUG, logging.WARNING]
    batch: list[RunEvent] = []
    for i in range(events):
        step, j = divmod(i, per)
        key = f"step_{step:02d}"
        if j == 0:
            message = f'Started execution of step "{key}".'
            event = RunEvent(EventType.STEP_START, RUN_ID, "big_job", t0 + i / 1000, message, key)
        elif j == per - 1 or i == events - 1:
            message = f'Finished execution of step "{key}".'
            event = RunEvent(EventType.STEP_SUCCESS, RUN_ID, "big_job", t0 + i / 1000, message, key)
        elif j % 997 == 0:
            message = f"{key} could not parse record {i}"
            event = RunEvent(
                EventType.LOG_MESSAGE, RUN_ID, "big_job", t0 + i / 1000, message, key, 40
            )
        else:
            message = f"{key} processed record {i} of batch {j // 100}"
            level = levels[j % 10]
            event = RunEvent(
                EventType.LOG_MESSAGE, RUN_ID, "big_job", t0 + i / 1000, message, key, level
            )
        batch.append(event)
        if len(batch) == 20_000:
            instance.store_events(batch)
            batch = []
    instance.store_events(batch)
    instance.dispose()
    return time.perf_counter() - started


def write_assets(path: Path, count: int) -> None:
    """``count`` assets in layers of LAYER, each reading two assets of the layer before."""
    lines = ["import headwater as dg\n"]
    for i in range(count):
        layer, k = divmod(i, LAYER)
        deps = []
        if layer:
            base = (layer - 1) * LAYER
            deps = [f"a{base + k}", f"a{base + (k * 7 + 3) % LAYER}"]
        params = ", ".join(dict.fromkeys(deps))
        lines.append(f"@dg.asset(group_name='g{layer}')\ndef a{i}({params}):\n    return {i}\n")
    names = ", ".join(f"a{i}" for i in range(count))
    lines.append(f"defs = dg.Definitions(assets=[{names}])\n")
    path.write_text("\n".join(lines))


def start_server(folder: Path, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "headwater.cli",
            "webserver",
            "-f",
            "assets.py",
            "--port",
            str(port),
        ],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if server.poll() is not None:
            raise SystemExit(
                f"webserver exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2).close()
            return server, url
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("webserver did not answer within 120 s") from None
            time.sleep(0.2)


# Rows of the log drawn with their event (not placeholders), as a JavaScript expression.
_ROWS_JS = "document.querySelectorAll('.loglist .logrow:not(.pending)').length"


def time_run_page(page: Any, url: str, events: int) -> tuple[float, float]:
    """Seconds from navigation to the log's newest rows shown, and to its count known."""
    page.goto("about:blank")
    started = time.perf_counter()
    page.goto(f"{url}/#/runs/{RUN_ID}")
    page.wait_for_function(f"() => {_ROWS_JS} > 10", timeout=60_000, polling="raf")
    shown = time.perf_counter() - started
    page.wait_for_function(
        f"() => Number(document.querySelector('.loglist')?.dataset.count) === {events}",
        timeout=60_000,
        polling="raf",
    )
    return shown, time.perf_counter() - started


def time_filter(page: Any, events: int) -> float:
    """Seconds from clicking the ERROR level to the first matching rows shown."""
    started = time.perf_counter()
    page.get_by_role("button", name="ERROR", exact=True).click()
    page.wait_for_function(
        f"() => {_ROWS_JS} > 0 && [...document.querySelectorAll('.loglist .logrow:not(.pending)')]"
        ".every(r => r.classList.contains('level-error'))",
        timeout=60_000,
        polling="raf",
    )
    elapsed = time.perf_counter() - started
    page.get_by_role("button", name="ERROR", exact=True).click()  # off again
    page.wait_for_function(
        f"() => {_ROWS_JS} > 10 && Number(document.querySelector('.loglist')?.dataset.count)"
        f" === {events}",
        timeout=60_000,
    )
    return elapsed


# Scroll the log from top to bottom, one step per frame, recording frame gaps and long tasks;
# then wait for the rows at the end to be read.
_SCROLL_JS = """async (steps) => {
  const el = document.querySelector('.loglist');
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  el.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(r));
  const max = el.scrollHeight - el.clientHeight;
  const gaps = [];
  let last = performance.now();
  for (let i = 1; i <= steps; i++) {
    el.scrollTop = (max * i) / steps;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }
  const settled = performance.now();
  const rows = () => [...el.querySelectorAll('.logrow')];
  while (rows().some((r) => r.classList.contains('pending'))) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const filled = performance.now() - settled;
  observer.disconnect();
  const last_row = rows().map((r) => r.querySelector('.msg')?.textContent ?? '').at(-1);
  return { gaps, longTasks, filled, domRows: rows().length, lastRow: last_row };
}"""


def measure_scroll(page: Any, steps: int) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(_SCROLL_JS, steps)
    return result


def time_asset_graph(page: Any, url: str, assets: int) -> float:
    """Seconds from navigation to every asset drawn (the graph opens fitted to the view)."""
    page.goto("about:blank")
    started = time.perf_counter()
    page.goto(f"{url}/#/asset-graph")
    page.wait_for_function(
        f"() => Number(document.querySelector('.graph')?.dataset.drawn) === {assets}",
        timeout=120_000,
        polling="raf",
    )
    # One more frame: the canvas is painted in the layout effect of that render.
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
    return time.perf_counter() - started


def _median(fn: Callable[[], float], repeat: int) -> float:
    fn()  # warm: the server loads the code location, the browser caches the UI
    return statistics.median(fn() for _ in range(repeat))


def _medians(fn: Callable[[], tuple[float, float]], repeat: int) -> tuple[float, float]:
    fn()  # warm
    runs = [fn() for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshots", type=Path, help="save the run page and graph here")
    args = parser.parse_args()
    missing = _missing()
    if missing:
        print(f"skipped: {missing}")
        return
    sync_playwright = importlib.import_module("playwright.sync_api").sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        home = folder / "home"
        seconds = fill_run(home, args.events)
        print(f"stored {args.events:,} events in {seconds:.1f} s")
        write_assets(folder / "assets.py", args.assets)
        server, url = start_server(folder, home)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                shown, counted = _medians(
                    lambda: time_run_page(page, url, args.events), args.repeat
                )
                filter_s = statistics.median(
                    time_filter(page, args.events) for _ in range(args.repeat)
                )
                scroll = measure_scroll(page, 600)
                if args.screenshots:
                    time_run_page(page, url, args.events)
                    page.wait_for_selector(".timeline", timeout=60_000)
                    page.wait_for_selector("text=every event stored", timeout=60_000)
                    page.screenshot(path=str(args.screenshots / "ui-run.png"))
                graph = _median(lambda: time_asset_graph(page, url, args.assets), args.repeat)
                if args.screenshots:
                    page.screenshot(path=str(args.screenshots / "ui-asset-graph.png"))
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    gaps = sorted(scroll["gaps"])
    long_tasks = scroll["longTasks"]
    print(f"{'measure':58} {'figure':>12} {'target':>10}")
    rows = [
        (
            f"run of {args.events:,} events: newest rows shown",
            f"{shown * 1000:.0f} ms",
            "≤ 1000 ms",
        ),
        ("  the same, count known (the page usable)", f"{counted * 1000:.0f} ms", "≤ 1000 ms"),
        ("  a level filter applied (first rows shown)", f"{filter_s * 1000:.0f} ms", "-"),
        (
            "  scroll top→bottom, 600 frames: max / p95 frame gap",
            f"{gaps[-1]:.0f} / {gaps[int(len(gaps) * 0.95)]:.0f} ms",
            "no stalls",
        ),
        (
            "  long tasks (> 50 ms) while scrolling",
            f"{len(long_tasks)}" + (f", max {max(long_tasks):.0f} ms" if long_tasks else ""),
            "-",
        ),
        ("  rows at the end read after the scroll", f"{scroll['filled']:.0f} ms", "-"),
        (
            f"asset graph of {args.assets:,} assets: laid out and drawn",
            f"{graph * 1000:.0f} ms",
            "≤ 2000 ms",
        ),
    ]
    for name, figure, target in rows:
        print(f"{name:58} {figure:>12} {target:>10}")
    print(f"  ({scroll['domRows']} log rows in the DOM; the last reads {scroll['lastRow']!r})")
    print(f"  command: {sys.executable} benchmarks/ui_speed.py")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
