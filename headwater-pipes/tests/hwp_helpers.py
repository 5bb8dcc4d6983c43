"""Open a Pipes session in-process and read back what it wrote."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from headwater_pipes import (
    PipesContext,
    PipesMappingParamsLoader,
    encode_env_var,
    open_pipes,
)
from headwater_pipes.protocol import PipesMessage, decode_message


def params_loader(
    context_data: dict[str, Any], messages: dict[str, Any]
) -> PipesMappingParamsLoader:
    """A params loader as if the orchestrator set both env vars."""
    return PipesMappingParamsLoader(
        {
            "DAGSTER_PIPES_CONTEXT": encode_env_var({"data": context_data}),
            "DAGSTER_PIPES_MESSAGES": encode_env_var(messages),
        }
    )


def open_file_session(tmp_path: Path, context_data: dict[str, Any]) -> tuple[PipesContext, Path]:
    """Open a session writing messages to a file in tmp_path."""
    path = tmp_path / "messages.jsonl"
    context = open_pipes(params_loader=params_loader(context_data, {"path": str(path)}))
    return context, path


def read_messages(path: Path) -> list[PipesMessage]:
    """Decode every line of a message file."""
    return [decode_message(line) for line in path.read_text(encoding="utf-8").splitlines()]


def strip_stacks(message: Any) -> Any:
    """Blank exception stacks (they name files and lines) so transcripts compare."""
    if isinstance(message, dict):
        return {k: ([] if k == "stack" else strip_stacks(v)) for k, v in message.items()}
    if isinstance(message, list):
        return [strip_stacks(v) for v in message]
    return message


def load_jsonl(path: Path) -> list[Any]:
    """Read a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def make_context_data(**overrides: Any) -> dict[str, Any]:
    """Context data for one asset 'orders', no partitions; override any key."""
    data: dict[str, Any] = {
        "asset_keys": ["orders"],
        "code_version_by_asset_key": {"orders": "v1"},
        "provenance_by_asset_key": {"orders": None},
        "partition_key": None,
        "partition_key_range": None,
        "partition_time_window": None,
        "run_id": "run-1",
        "job_name": "nightly",
        "retry_number": 0,
        "extras": {},
    }
    data.update(overrides)
    return data


# --- Other interpreters the tests run scripts under --------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]
REF_DAGSTER_ENV_VAR = "PARITY_REF_113"
"""The reference Dagster 1.13's interpreter, as the parity suite names it (tests/parity/
compare.py); the Makefile sets it from its REF113 folder."""


def reference_dagster_python() -> Path:
    """The reference Dagster 1.13's interpreter: ``$PARITY_REF_113``, by default
    ``.ref/dagster-1.13/bin/python`` under the repository root (where ``make parity``
    installs it); a relative value is read from the repository root too."""
    python = Path(os.environ.get(REF_DAGSTER_ENV_VAR) or ".ref/dagster-1.13/bin/python")
    return python if python.is_absolute() else REPO_ROOT / python


def _is_python39(candidate: Path) -> bool:
    try:
        out = subprocess.run(
            [str(candidate), "-c", "import sys; print(sys.version_info[:2] == (3, 9))"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.strip() == "True"


@functools.cache
def find_python39() -> Path | None:
    """A working Python 3.9 interpreter, or None.

    Tried in order: ``$HEADWATER_PYTHON39``; every pyenv 3.9 install (newest first) under
    ``$PYENV_ROOT`` or ``~/.pyenv``; ``python3.9`` on PATH. Each candidate must really run
    and report 3.9 (a pyenv shim for a version that is not selected exits non-zero).
    """
    candidates: list[Path] = []
    if os.environ.get("HEADWATER_PYTHON39"):
        candidates.append(Path(os.environ["HEADWATER_PYTHON39"]))
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    installs = sorted(
        pyenv_root.glob("versions/3.9*/bin/python3.9"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parts[-3])],
        reverse=True,
    )
    candidates.extend(installs)
    on_path = shutil.which("python3.9")
    if on_path:
        candidates.append(Path(on_path))
    return next((c for c in candidates if c.exists() and _is_python39(c)), None)
