"""Run config from the command line: YAML files, inline JSON, tags, and checking them.

Plain functions, no click. YAML loads here (PyYAML is imported only when a file is given).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.config import deep_merge, process_config
from headwater.errors import CodeLoadError, ConfigProblem
from headwater.jobs.run_config import merged_run_config

if TYPE_CHECKING:
    from headwater.jobs.job import JobDefinition

__all__ = [
    "load_run_config",
    "parse_tags",
    "validate_run_config",
]


def load_run_config(paths: Sequence[str], config_json: str | None = None) -> dict[str, Any]:
    """The run config from YAML files deep-merged in order, then ``config_json`` over them.

    Raises:
        CodeLoadError: a file is missing or unreadable, is not valid YAML (the message gives
            the file, line and column), or does not hold a mapping; or ``config_json`` is not
            a JSON object.
    """
    merged: dict[str, Any] = {}
    for path in paths:
        merged = deep_merge(merged, _read_yaml(Path(path)))
    if config_json is not None:
        try:
            value = json.loads(config_json)
        except json.JSONDecodeError as exc:
            raise CodeLoadError(
                f"--config-json is not valid JSON: {exc.msg} at line {exc.lineno}, "
                f"column {exc.colno}"
            ) from None
        if not isinstance(value, dict):
            raise CodeLoadError(f"--config-json must be a JSON object, got {type(value).__name__}")
        merged = deep_merge(merged, value)
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    # PyYAML loads only when a config file is given.
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodeLoadError(f"no such config file: {str(path)!r} (given with -c)") from None
    except OSError as exc:
        raise CodeLoadError(f"cannot read config file {str(path)!r}: {exc.strerror}") from None
    try:
        value = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise CodeLoadError(f"{path}{where}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise CodeLoadError(f"{path}: YAML syntax error: {exc}") from None
    if value is None:  # an empty file is an empty config
        return {}
    if not isinstance(value, dict):
        raise CodeLoadError(
            f"{path}: run config must be a mapping at the top, got {type(value).__name__}"
        )
    return value


def parse_tags(text: str | None) -> dict[str, str]:
    """Run tags from a JSON object (``'{"team": "data"}'``); values become strings.

    Raises:
        CodeLoadError: ``text`` is not a JSON object.
    """
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodeLoadError(
            f"--tags is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(value, dict):
        raise CodeLoadError(f"--tags must be a JSON object, got {type(value).__name__}")
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def validate_run_config(job: JobDefinition, run_config: Mapping[str, Any]) -> list[ConfigProblem]:
    """Every problem with ``run_config`` for ``job``, as a run of it would find them.

    The job's default config is merged under ``run_config`` first, as at launch.
    Environment variables are read from this process's environment.
    """
    merged = merged_run_config(job.config, run_config)
    return list(process_config(job.run_config_schema, merged).problems)


def format_problem(problem: ConfigProblem) -> str:
    """One line: ``path: message [code]``."""
    return f"{problem} [{problem.code}]"
