"""Where an external process finds its bootstrap params and its context data.

Params loaders read the two encoded params mappings (from the environment or the command line);
context loaders turn the context params into the `PipesContextData` the orchestrator injected.
"""

from __future__ import annotations

import os
import sys
from abc import ABC, abstractmethod

from headwater_pipes import _jsonwire
from headwater_pipes.protocol import (
    CONTEXT_PARAM_DATA,
    CONTEXT_PARAM_PATH,
    DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT,
    DAGSTER_PIPES_CONTEXT_ENV_VAR,
    DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT,
    DAGSTER_PIPES_MESSAGES_ENV_VAR,
    PipesError,
    decode_env_var,
)

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from contextlib import AbstractContextManager
    from typing import Any

    from headwater_pipes.protocol import (
        PipesContextData,
        PipesParams,
    )

__all__ = [
    "PipesContextLoader",
    "PipesDefaultContextLoader",
    "PipesDbfsContextLoader",
    "PipesParamsLoader",
    "PipesMappingParamsLoader",
    "PipesEnvVarParamsLoader",
    "PipesCliArgsParamsLoader",
    "DBFS_MOUNT_ROOT",
]

# Databricks mounts DBFS here on the driver; the orchestrator sends paths relative to it.
DBFS_MOUNT_ROOT = "/dbfs"


def require_param(params: PipesParams, key: str, expected: type, owner: str) -> Any:
    """Return ``params[key]`` if it has the expected type; else say what the orchestrator sent.

    Raises:
        PipesError: the key is missing or of another type.
    """
    value = params.get(key)
    if not isinstance(value, expected):
        got = "nothing" if key not in params else f"{type(value).__name__} {value!r}"
        raise PipesError(
            f"{owner} expects param {key!r} of type {expected.__name__} from the orchestrator, "
            f"got {got}; the orchestrator's context injector or message reader does not match "
            f"this loader or writer"
        )
    return value


def _read_json_file(path: str, owner: str) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return _jsonwire.loads(f.read())  # json.load(f), without the json package
    except OSError as exc:
        raise PipesError(f"{owner} cannot read the context file {path!r}: {exc.strerror}") from exc
    except ValueError as exc:
        raise PipesError(f"{owner}: the context file {path!r} is not valid JSON: {exc}") from exc


class _OnEntry:
    """A context manager that makes its value on entry and, on exit (error or not), calls
    the ending made with it, if any.

    What ``@contextmanager`` around ``value, end = make()`` and ``try: yield value`` /
    ``finally: end()`` does (an error in ``make`` is raised by the ``with``), for the
    built-in loaders and writers: contextlib (and the functools and collections it loads) is
    a tenth of what opening Pipes costs a process (issue 10). Subclasses written with
    ``@contextmanager``, as Dagster's documentation shows, work unchanged.
    """

    __slots__ = ("_end", "_make")

    def __init__(self, make: Callable[[], tuple[Any, Callable[[], object] | None]]) -> None:
        self._make = make
        self._end: Callable[[], object] | None = None

    def __enter__(self) -> Any:
        value, self._end = self._make()
        return value

    def __exit__(self, *exc_info: object) -> None:
        end, self._end = self._end, None
        if end is not None:
            end()


class PipesContextLoader(ABC):
    """Loads the context data the orchestrator injected, from the place its params name."""

    @abstractmethod
    def load_context(self, params: PipesParams) -> AbstractContextManager[PipesContextData]:
        """A context manager that yields the context data (write it with ``@contextmanager``).

        Args:
            params: the params from the orchestrator's context injector.

        Yields:
            The context data.
        """


class PipesDefaultContextLoader(PipesContextLoader):
    """Loads context data from a JSON file (params key ``path``) or inline (key ``data``)."""

    FILE_PATH_KEY = CONTEXT_PARAM_PATH
    DIRECT_KEY = CONTEXT_PARAM_DATA

    def load_context(self, params: PipesParams) -> AbstractContextManager[PipesContextData]:
        """Yield the context data from ``params["path"]`` or ``params["data"]``.

        Raises:
            PipesError: (on entry) neither key is present, or the file is unreadable or not
                JSON.
        """
        return _OnEntry(lambda: self._load(params))

    def _load(self, params: PipesParams) -> tuple[PipesContextData, None]:
        # The data, and nothing to end it; called on entry, by _OnEntry.__enter__.
        owner = type(self).__name__
        if self.FILE_PATH_KEY in params:
            path = require_param(params, self.FILE_PATH_KEY, str, owner)
            return _read_json_file(path, owner), None
        if self.DIRECT_KEY in params:
            return require_param(params, self.DIRECT_KEY, dict, owner), None
        raise PipesError(
            f"{owner} expects params with key {self.FILE_PATH_KEY!r} or "
            f"{self.DIRECT_KEY!r}, got keys {sorted(params)}; pass a matching "
            f"context_loader to open_pipes()"
        )


class PipesDbfsContextLoader(PipesContextLoader):
    """Loads context data from a JSON file on DBFS, read through the driver's mount.

    Attributes:
        mount_root: where DBFS is mounted, ``/dbfs`` on Databricks (a class attribute; a
            test may set it on an instance).
    """

    mount_root: str = DBFS_MOUNT_ROOT

    def load_context(self, params: PipesParams) -> AbstractContextManager[PipesContextData]:
        """Yield the context data from ``params["path"]``, a DBFS path.

        Raises:
            PipesError: (on entry) the path param is missing, or the file is unreadable or
                not JSON.
        """
        return _OnEntry(lambda: self._load(params))

    def _load(self, params: PipesParams) -> tuple[PipesContextData, None]:
        owner = type(self).__name__
        dbfs_path = require_param(params, CONTEXT_PARAM_PATH, str, owner)
        return _read_json_file(os.path.join(self.mount_root, dbfs_path.lstrip("/")), owner), None


class PipesParamsLoader(ABC):
    """Loads the params the orchestrator passed to bootstrap the context loader and writer."""

    @abstractmethod
    def is_dagster_pipes_process(self) -> bool:
        """Whether an orchestrator launched this process with Pipes params."""

    @abstractmethod
    def load_context_params(self) -> PipesParams:
        """Return the params from the orchestrator's context injector."""

    @abstractmethod
    def load_messages_params(self) -> PipesParams:
        """Return the params from the orchestrator's message reader."""


def _decode_params(raw: str | None, where: str) -> PipesParams:
    if raw is None:
        raise PipesError(
            f"{where} is not set, though this process was launched with Pipes context; "
            "the orchestrator must pass both the context and the messages params"
        )
    value = decode_env_var(raw)
    if not isinstance(value, dict):
        raise PipesError(f"{where} must decode to a JSON object, got {type(value).__name__}")
    return value


class PipesMappingParamsLoader(PipesParamsLoader):
    """Reads params from a mapping of the env var names to encoded values.

    Args:
        mapping: e.g. ``os.environ``, or a notebook's widget values.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = mapping

    def is_dagster_pipes_process(self) -> bool:
        """True when the context variable is present."""
        return DAGSTER_PIPES_CONTEXT_ENV_VAR in self._mapping

    def load_context_params(self) -> PipesParams:
        """Decode ``DAGSTER_PIPES_CONTEXT``.

        Raises:
            PipesError: it is missing or not encoded params.
        """
        raw = self._mapping.get(DAGSTER_PIPES_CONTEXT_ENV_VAR)
        return _decode_params(raw, DAGSTER_PIPES_CONTEXT_ENV_VAR)

    def load_messages_params(self) -> PipesParams:
        """Decode ``DAGSTER_PIPES_MESSAGES``.

        Raises:
            PipesError: it is missing or not encoded params.
        """
        raw = self._mapping.get(DAGSTER_PIPES_MESSAGES_ENV_VAR)
        return _decode_params(raw, DAGSTER_PIPES_MESSAGES_ENV_VAR)


class PipesEnvVarParamsLoader(PipesMappingParamsLoader):
    """Reads params from ``DAGSTER_PIPES_CONTEXT`` and ``DAGSTER_PIPES_MESSAGES``."""

    def __init__(self) -> None:
        super().__init__(os.environ)


class PipesCliArgsParamsLoader(PipesParamsLoader):
    """Reads params from ``--dagster-pipes-context`` and ``--dagster-pipes-messages`` arguments.

    Other arguments are left alone, so a script may parse its own. Both ``--flag value`` and
    ``--flag=value`` forms are accepted. The arguments are read from ``sys.argv`` when
    params are loaded.
    """

    def _find(self, flag: str) -> str | None:
        args = list(sys.argv)
        for i, arg in enumerate(args):
            if arg == flag and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(flag + "="):
                return arg[len(flag) + 1 :]
        return None

    def is_dagster_pipes_process(self) -> bool:
        """True when ``--dagster-pipes-context`` is among the arguments."""
        return self._find(DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT) is not None

    def load_context_params(self) -> PipesParams:
        """Decode the ``--dagster-pipes-context`` argument.

        Raises:
            PipesError: it is missing or not encoded params.
        """
        raw = self._find(DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT)
        return _decode_params(raw, f"argument {DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT}")

    def load_messages_params(self) -> PipesParams:
        """Decode the ``--dagster-pipes-messages`` argument.

        Raises:
            PipesError: it is missing or not encoded params.
        """
        raw = self._find(DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT)
        return _decode_params(raw, f"argument {DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT}")
