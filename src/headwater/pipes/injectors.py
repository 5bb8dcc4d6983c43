"""Context injectors: where the external process finds its context data.

Each injector writes the context somewhere the process can read it and yields the params
(``{"path": ...}`` or ``{"data": ...}``) that the process's context loader understands.
"""

from __future__ import annotations

import json
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager

from headwater_pipes.protocol import (
    CONTEXT_PARAM_DATA,
    CONTEXT_PARAM_PATH,
    PipesContextData,
    PipesParams,
)

__all__ = [
    "PipesContextInjector",
    "PipesEnvContextInjector",
    "PipesFileContextInjector",
    "PipesTempFileContextInjector",
]

_CONTEXT_FILENAME = "context"


class PipesContextInjector(ABC):
    """Makes the context data reachable by the external process.

    Subclass it to put the context somewhere else (object storage, a DBFS path ...).
    """

    @abstractmethod
    @contextmanager
    def inject_context(self, context_data: PipesContextData) -> Iterator[PipesParams]:
        """Write ``context_data`` where the process can read it, for the session's length.

        Yields:
            The params the process's context loader needs to find it.
        """

    def no_messages_debug_text(self) -> str:
        """A line saying where the context was put, shown when no message came back."""
        return f"context injected by {type(self).__name__}"


class PipesFileContextInjector(PipesContextInjector):
    """Writes the context as JSON to ``path`` and deletes the file when the session ends.

    Args:
        path: the file to write.
    """

    def __init__(self, path: str) -> None:
        self._path = path

    @contextmanager
    def inject_context(self, context_data: PipesContextData) -> Iterator[PipesParams]:
        """Write the file and yield ``{"path": path}``."""
        with open(self._path, "w", encoding="utf-8") as handle:
            json.dump(context_data, handle)
        try:
            yield {CONTEXT_PARAM_PATH: self._path}
        finally:
            if os.path.exists(self._path):
                os.remove(self._path)

    def no_messages_debug_text(self) -> str:
        """Where the context file was."""
        return f"context was written to the file {self._path}"


class PipesTempFileContextInjector(PipesContextInjector):
    """Writes the context as JSON to a fresh temporary file (the subprocess default)."""

    @contextmanager
    def inject_context(self, context_data: PipesContextData) -> Iterator[PipesParams]:
        """Write a temporary file and yield ``{"path": ...}``."""
        with (
            tempfile.TemporaryDirectory(prefix="headwater-pipes-") as folder,
            self._in_folder(folder).inject_context(context_data) as params,
        ):
            yield params

    def _in_folder(self, folder: str) -> PipesFileContextInjector:
        # The same file in a folder the caller made: a session whose reader also wants a
        # temporary folder puts both files in one (see session._session_files).
        return PipesFileContextInjector(os.path.join(folder, _CONTEXT_FILENAME))

    def no_messages_debug_text(self) -> str:
        """Where the context file was."""
        return "context was written to a temporary file"


class PipesEnvContextInjector(PipesContextInjector):
    """Puts the context itself in the params (so in the environment variable or argument).

    Suits small contexts and processes that share no file system with the orchestrator.
    """

    @contextmanager
    def inject_context(self, context_data: PipesContextData) -> Iterator[PipesParams]:
        """Yield ``{"data": context_data}``."""
        yield {CONTEXT_PARAM_DATA: context_data}

    def no_messages_debug_text(self) -> str:
        """How the context was passed."""
        return "context was passed inline in the DAGSTER_PIPES_CONTEXT params"
