"""``make demo-ui``: the web UI on every example. ``headwater dev`` runs the daemon and the
web server over ``examples/workspace.yaml`` in a throwaway instance; once the server
answers, the URL is printed. Ctrl-C stops everything and deletes the instance.

    python examples/demo_ui.py [--host 127.0.0.1] [--port 3000]

The automation example's schedule runs every minute, so runs appear without doing
anything; launch the others from their Launchpads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE / "workspace.yaml"
STARTUP_SECONDS = 120.0


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/server_info", timeout=2):
            return True
    except OSError:
        return False


def _wait_until_up(dev: subprocess.Popen[bytes], url: str) -> bool:
    """Whether the web server answered before ``headwater dev`` exited or time ran out."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if dev.poll() is not None:
            return False
        if _answers(url):
            return True
        time.sleep(0.3)
    return False


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="headwater-demo-ui-"))
    env = {**os.environ, "HEADWATER_HOME": str(home / "home"), "INBOX": str(home / "inbox")}
    command = [sys.executable, "-m", "headwater.cli", "dev", "-w", str(WORKSPACE)]
    command += ["--host", args.host, "--port", str(args.port)]
    # Its own process group: Ctrl-C reaches it once, through us, and it stops its children.
    dev = subprocess.Popen(command, env=env, cwd=HERE, start_new_session=True)
    url = f"http://{args.host}:{args.port}"
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C: the finally cleans up
    try:
        if not _wait_until_up(dev, url):
            print(
                f"demo-ui: the web server did not answer at {url}; see the messages above "
                "(is the port taken? pass --port)",
                file=sys.stderr,
            )
            return 1
        print(f"headwater UI: {url}  (instance {home}; Ctrl-C stops it)", flush=True)
        dev.wait()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if dev.poll() is None:
            dev.send_signal(signal.SIGINT)
            try:
                dev.wait(timeout=30)
            except subprocess.TimeoutExpired:
                dev.kill()
                dev.wait()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
