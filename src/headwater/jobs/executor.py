"""Executor definitions: a named, configurable choice of how a job's steps run.

The definition is a value; the code that runs steps lives in ``headwater.execution``,
which looks executors up by name, so definitions never import the execution machinery.
"""

from __future__ import annotations

from typing import Any

from headwater.config import normalize_schema
from headwater.config.types import ConfigType

__all__ = ["ExecutorDefinition"]


class ExecutorDefinition:
    """How a job's steps are executed (in process, in a process pool, on Dask ...).

    Args:
        name: the executor's name; run config may select it under ``execution``.
        config_schema: the schema of ``execution: {config: ...}``.
        description: shown in the UI.
    """

    def __init__(
        self, name: str, config_schema: Any = None, description: str | None = None
    ) -> None:
        self.name = name
        self.config_type: ConfigType | None = (
            normalize_schema(config_schema, where=f"executor '{name}'")
            if config_schema is not None
            else None
        )
        self.description = description

    def __repr__(self) -> str:
        return f"<ExecutorDefinition {self.name!r}>"
