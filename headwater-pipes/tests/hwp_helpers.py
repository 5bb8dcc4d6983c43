"""Open a Pipes session in-process and read back what it wrote."""

from __future__ import annotations

import json
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
