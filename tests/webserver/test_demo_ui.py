"""``make demo-ui`` (examples/demo_ui.py): ``headwater dev`` over every example starts, prints
its URL once the server answers, serves each example as a code location and the UI, and
stops cleanly on SIGINT, leaving no instance behind."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from tests.processes import free_port
from tests.webserver.conftest import post

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo_ui.py"
WORKSPACE = """{ workspaceOrError { ... on Workspace { locationEntries { name
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""


URL_LINE = re.compile(r"headwater UI: (http://\S+)  \(instance (\S+); Ctrl-C stops it\)")


def _url_line(process: subprocess.Popen[str], timeout: float) -> re.Match[str] | None:
    """The line where the demo prints its URL, read without blocking past ``timeout``
    (the daemon and the server it starts print to the same stdout)."""
    found: list[re.Match[str]] = []

    def read() -> None:
        for line in process.stdout or ():
            match = URL_LINE.match(line)
            if match:
                found.append(match)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return found[0] if found else None


def test_the_ui_demo_serves_every_example_and_stops_cleanly() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(DEMO), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    home = None
    try:
        found = _url_line(process, timeout=150)
        assert found, f"no URL printed; exit {process.poll()}"
        url, home = found.group(1), Path(found.group(2))
        assert url == f"http://127.0.0.1:{port}"
        assert home.is_dir()
        entries = post(f"{url}/graphql", WORKSPACE)["data"]["workspaceOrError"]["locationEntries"]
        loaded = {e["name"]: e["locationOrLoadError"]["__typename"] for e in entries}
        assert loaded == {
            "weather": "RepositoryLocation",
            "automation": "RepositoryLocation",
            "pipes": "RepositoryLocation",
            "cereal": "RepositoryLocation",
        }, json.dumps(entries)
        with urllib.request.urlopen(f"{url}/", timeout=10) as response:
            assert "<div id=" in response.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert "headwater dev: stopped" in errors
    assert not home.exists(), "the throwaway instance was left behind"
