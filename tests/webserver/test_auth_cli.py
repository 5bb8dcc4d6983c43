"""``headwater webserver user add/list/remove`` and the warning for an open server on a
public address."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner


def _cli(code_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "headwater.cli", "webserver", "user", *args],
        capture_output=True,
        text=True,
        cwd=code_dir,
        check=False,
        timeout=120,
    )


def test_user_add_prints_the_token_once_and_stores_its_hash(code_dir: Path) -> None:
    from headwater.storage import Instance
    from headwater.webserver.auth import InstanceUsers, TokenFile, Users

    added = _cli(code_dir, "add", "dana", "--role", "launcher")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith("hw_") and "shown only now" in added.stderr
    instance = Instance.from_config(code_dir / "home")
    try:
        user = Users(None, InstanceUsers(instance)).authenticate(token)
        assert user is not None and (user.name, user.role.label) == ("dana", "launcher")
    finally:
        instance.dispose()
    listed = _cli(code_dir, "list")
    assert listed.stdout.split() == ["dana", "launcher"] and token not in listed.stdout
    assert _cli(code_dir, "remove", "dana").returncode == 0
    missing = _cli(code_dir, "remove", "dana")
    assert missing.returncode == 1 and "no user 'dana'" in missing.stderr
    # The same, kept in a token file.
    added = _cli(code_dir, "add", "erin", "--role", "admin", "--auth", "tokens.yaml")
    token = added.stdout.strip()
    text = (code_dir / "tokens.yaml").read_text()
    assert "erin" in text and token not in text
    user = Users(TokenFile(code_dir / "tokens.yaml"), None).authenticate(token)
    assert user is not None and user.role.label == "admin"
    bad = _cli(code_dir, "add", "x", "--role", "root")
    assert bad.returncode == 2 and "root" in bad.stderr


def test_a_broken_token_file_is_refused_at_start(code_dir: Path) -> None:
    from headwater.webserver.auth import TokenFile

    (code_dir / "tokens.yaml").write_text("users:\n  bob: {role: owner, token: x}\n")
    with pytest.raises(ValueError, match=r"unknown role 'owner'.*user 'bob'.*viewer, launcher"):
        TokenFile(code_dir / "tokens.yaml")
    with pytest.raises(ValueError, match="no such file"):
        TokenFile(code_dir / "absent.yaml")


@pytest.mark.parametrize(
    ("host", "auth", "warned"),
    [("0.0.0.0", False, True), ("127.0.0.1", False, False), ("0.0.0.0", True, False)],
)
def test_an_open_server_on_a_public_address_warns(
    code_dir: Path, monkeypatch: pytest.MonkeyPatch, host: str, auth: bool, warned: bool
) -> None:
    import headwater.webserver
    from headwater.cli import cli

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(headwater.webserver, "serve", lambda *a, **k: served.append(k))
    monkeypatch.chdir(code_dir)
    (code_dir / "tokens.yaml").write_text("users: {}\n")
    args = ["webserver", "-f", "defs.py", "--host", host, "--max-query-depth", "7"]
    args += ["--max-query-tokens", "900", "--allowed-host", "proxy.example"]
    result = CliRunner().invoke(cli, args + (["--auth", "tokens.yaml"] if auth else []))
    assert result.exit_code == 0, result.output
    assert ("WITHOUT auth" in result.output) is warned
    assert served[0]["limits"].max_depth == 7 and served[0]["users"].enabled is auth
    assert served[0]["limits"].max_tokens == 900
    assert served[0]["allowed_hosts"] == ("proxy.example",) and served[0]["host"] == host


_CLIENT = """
import json, sys
from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

port = int(sys.argv[1])
config = {"ops": {"first": {"config": {"n": 1}}}}
seen = {}
for token in ("", "viewer-token", "launcher-token"):
    headers = {"Authorization": "Bearer " + token} if token else None
    client = DagsterGraphQLClient("127.0.0.1", port_number=port, headers=headers)
    try:
        seen[token] = ["run", client.submit_job_execution("my_job", run_config=config)]
    except DagsterGraphQLClientError as exc:
        seen[token] = [str(a) for a in exc.args] + [repr(exc.__cause__)]
print(json.dumps(seen))
"""


def test_the_published_client_sends_its_token(code_dir: Path, processes: Any) -> None:
    import json
    import os

    reference = os.environ.get("PARITY_REF_113")
    if not reference or not Path(reference).exists():
        pytest.skip("PARITY_REF_113 (the reference interpreter with dagster-graphql) is not set")
    (code_dir / "tokens.yaml").write_text(
        "users:\n  v: {role: viewer, token: viewer-token}\n"
        "  l: {role: launcher, token: launcher-token}\n"
    )
    url = processes.webserver("--auth", "tokens.yaml")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [reference, "-c", _CLIENT, url.rsplit(":", 1)[1]],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "this server needs a token" in " ".join(seen[""])
    assert seen["viewer-token"][0] == "UnauthorizedError"
    assert "needs launcher" in seen["viewer-token"][1]
    assert seen["launcher-token"][0] == "run"


def test_dev_passes_auth_to_the_web_server(code_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from headwater.cli import cli, dev

    started: list[list[list[str]]] = []

    class Children:
        def __init__(self, commands: list[list[str]], _env: Any) -> None:
            started.append(commands)

        def stop(self) -> None:
            pass

    monkeypatch.setattr(dev, "_Children", Children)
    monkeypatch.setattr(dev, "_serve", lambda *_args: None)
    monkeypatch.setattr(dev, "_stop_runs_in_progress", lambda *_args: None)
    monkeypatch.chdir(code_dir)
    result = CliRunner().invoke(cli, ["dev", "-f", "defs.py", "--auth", "tokens.yaml"])
    assert result.exit_code == 0, result.output
    (daemon, web) = started[0]
    assert "--auth" not in daemon
    assert web[web.index("--auth") + 1] == str(code_dir / "tokens.yaml")


def test_webserver_with_an_auth_file(code_dir: Path, processes: Any) -> None:
    from tests.webserver.live import graphql

    (code_dir / "tokens.yaml").write_text("users:\n  v: {role: viewer, token: viewer-token}\n")
    url = processes.webserver("--auth", "tokens.yaml", "--max-query-depth", "3")
    assert graphql(url, "{ version }").status == 401
    ok = graphql(url, "{ runsOrError { __typename } }", None, Authorization="Bearer viewer-token")
    assert ok.status == 200
    deep = "{ runsOrError { ... on Runs { results { tags { key } } } } }"
    answer = graphql(url, deep, None, Authorization="Bearer viewer-token")
    assert answer.status == 400 and "query depth limit of 3" in answer.message()
