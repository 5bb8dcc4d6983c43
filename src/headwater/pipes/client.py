"""Pipes clients: run an external process in a session and hand its results to the step.

``PipesSubprocessClient`` is the one for local processes; other launchers subclass
``PipesClient`` (or call :func:`open_pipes_session` directly).
"""

from __future__ import annotations

import collections
import functools
import os
import signal
import subprocess
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from headwater.assets.results import AssetCheckResult, MaterializeResult
from headwater.errors import InvariantViolationError, PipesExecutionError
from headwater.pipes.context_data import PipesStepContext
from headwater.pipes.handler import PipesExecutionResult
from headwater.pipes.injectors import PipesContextInjector, PipesTempFileContextInjector
from headwater.pipes.readers import (
    PipesMessageReader,
    PipesStdioMessageReader,
    PipesTempFileMessageReader,
)
from headwater.pipes.session import PipesSession, open_pipes_session
from headwater.resources.annotations import TreatAsResourceParam

__all__ = ["PipesClient", "PipesClientCompletedInvocation", "PipesSubprocessClient"]

_STDERR_TAIL_LINES = 20


class PipesClientCompletedInvocation:
    """What a finished external process reported, ready for the step to return.

    Args:
        session: the session the process ran in.
        metadata: metadata added to every result.
    """

    def __init__(self, session: PipesSession, metadata: Mapping[str, Any] | None = None) -> None:
        self._session = session
        self._metadata = dict(metadata or {})

    @property
    def session(self) -> PipesSession:
        """The session the process ran in."""
        return self._session

    def get_results(
        self, *, implicit_materializations: bool = True
    ) -> tuple[PipesExecutionResult, ...]:
        """Every materialization and check result, for ``yield from`` or ``return``.

        Args:
            implicit_materializations: add a bare materialization for each asset in scope
                that the process did not report.
        """
        return self._session.get_results(
            implicit_materializations=implicit_materializations, metadata=self._metadata
        )

    def get_materialize_result(self, *, implicit_materialization: bool = True) -> MaterializeResult:
        """The one materialization of a single-asset step, carrying the check results.

        Raises:
            InvariantViolationError: the process reported several materializations (use
                ``get_results()``), or none and ``implicit_materialization`` is off.
        """
        results = self.get_results(implicit_materializations=implicit_materialization)
        materialized = [r for r in results if isinstance(r, MaterializeResult)]
        checks = [r for r in results if isinstance(r, AssetCheckResult)]
        if len(materialized) != 1:
            keys = [m.asset_key.to_user_string() for m in materialized if m.asset_key]
            raise InvariantViolationError(
                f"get_materialize_result() needs exactly one materialization, the process "
                f"reported {len(materialized)} {keys}; return get_results() from a multi-asset "
                "instead"
            )
        only = materialized[0]
        return MaterializeResult(
            asset_key=only.asset_key,
            metadata=only.metadata,
            check_results=[*only.check_results, *checks],
            data_version=only.data_version,
            tags=only.tags,
        )

    def get_asset_check_result(self) -> AssetCheckResult:
        """The one check result of an asset-check step.

        Raises:
            InvariantViolationError: the process reported anything but exactly one check.
        """
        # As Dagster: the implicit materializations of an asset step count, so this is for
        # @asset_check steps (an asset step's check comes with its materialization).
        results = self.get_results()
        materialized = [r for r in results if isinstance(r, MaterializeResult)]
        checks = [r for r in results if isinstance(r, AssetCheckResult)]
        if materialized or len(checks) != 1:
            raise InvariantViolationError(
                f"Did not find singular AssetCheckResult, got {len(materialized)} "
                f"MaterializeResults and {len(checks)} AssetCheckResults: "
                "get_asset_check_result() is for an @asset_check step whose process reports "
                "one check; use get_results() (or get_materialize_result()) instead"
            )
        return checks[0]

    def get_custom_messages(self) -> tuple[Any, ...]:
        """Payloads the process sent with ``report_custom_message``."""
        return self._session.get_custom_messages()


class PipesClient(TreatAsResourceParam, ABC):
    """Launches external processes in a Pipes session; subclass it for a new platform."""

    @abstractmethod
    def run(
        self, *, context: PipesStepContext, extras: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> PipesClientCompletedInvocation:
        """Run the process to its end and return what it reported."""


def _tee(source: IO[bytes], target: IO[str] | None, tail: collections.deque[str]) -> None:
    for line in source:
        text = line.decode("utf-8", "replace")
        tail.append(text.rstrip("\n"))
        if target is not None:
            target.write(text)
    if target is not None:
        target.flush()


def _start(name: str, pump: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=pump, name=f"pipes-{name}", daemon=True)
    thread.start()
    return thread


def _command_text(command: str | Sequence[str]) -> str:
    return command if isinstance(command, str) else " ".join(str(part) for part in command)


class PipesSubprocessClient(PipesClient):
    """Runs a local command in a Pipes session; use it as a resource.

    Args:
        env: environment variables for every process (over the orchestrator's own).
        cwd: working folder of every process.
        context_injector: how the context is passed (default: a temporary file).
        message_reader: how messages come back (default: a temporary file).
        forward_termination: when the step is interrupted, interrupt the process too.
        forward_stdio: pass the process's stdout/stderr through to the orchestrator's.
        termination_timeout_seconds: how long an interrupted process gets before it is killed.

    Example:
        ``@asset
        def orders(context: AssetExecutionContext, pipes_subprocess_client:
                   PipesSubprocessClient) -> MaterializeResult:
            return pipes_subprocess_client.run(
                command=[sys.executable, "orders.py"], context=context
            ).get_materialize_result()``
    """

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        context_injector: PipesContextInjector | None = None,
        message_reader: PipesMessageReader | None = None,
        forward_termination: bool = True,
        forward_stdio: bool = True,
        termination_timeout_seconds: float = 20,
    ) -> None:
        self.env = dict(env or {})
        self.cwd = cwd
        self.context_injector = context_injector or PipesTempFileContextInjector()
        self.message_reader = message_reader or PipesTempFileMessageReader()
        self.forward_termination = forward_termination
        self.forward_stdio = forward_stdio
        self.termination_timeout_seconds = termination_timeout_seconds

    def run(  # type: ignore[override]  # keyword-only, as the reference's
        self,
        *,
        context: PipesStepContext,
        extras: Mapping[str, Any] | None = None,
        command: str | Sequence[str],
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> PipesClientCompletedInvocation:
        """Run ``command`` to its end in a Pipes session.

        Args:
            context: the op's or asset's context.
            extras: values the process reads as ``PipesContext.extras``.
            command: the program and its arguments (a string is one program name, as with
                ``subprocess.Popen``).
            env: environment variables for this process (over the client's ``env``).
            cwd: working folder (over the client's ``cwd``).

        Returns:
            The invocation: ``.get_materialize_result()``, ``.get_results()`` ...

        Raises:
            PipesExecutionError: the command exited non-zero; the message names the exit
                code, the command and the tail of its stderr.
            OSError: the command could not start (``FileNotFoundError`` for a missing
                program); the message names the command.
        """
        with open_pipes_session(
            context, self.context_injector, self.message_reader, extras
        ) as session:
            failure = self._run_process(command, session, env, cwd)
        if failure is not None:
            # Raised once the session is closed: only after the reader has drained does the
            # handler know whether the process ever opened the channel.
            code, lines = failure
            raise PipesExecutionError(self._failure_message(command, code, lines, session))
        return PipesClientCompletedInvocation(session)

    def _run_process(
        self,
        command: str | Sequence[str],
        session: PipesSession,
        env: Mapping[str, str] | None,
        cwd: str | None,
    ) -> tuple[int, list[str]] | None:
        """Run the process to its end; its exit code and stderr tail if it failed."""
        reader = self.message_reader
        stdio = reader if isinstance(reader, PipesStdioMessageReader) else None
        full_env = {**os.environ, **self.env, **(env or {}), **session.get_bootstrap_env_vars()}
        pipe_stdout = stdio is not None and stdio.stream == "stdout"
        try:
            process = subprocess.Popen(
                command,
                cwd=cwd or self.cwd,
                env=full_env,
                stdout=subprocess.PIPE if pipe_stdout else self._stdout_target(),
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            # The same class (FileNotFoundError, PermissionError ...), as Dagster raises; the
            # message also names the command, where the OS error names only the program.
            if exc.errno is None:
                raise
            raise type(exc)(
                exc.errno,
                f"{exc.strerror}: could not start the external process "
                f"{_command_text(command)!r}; check the program path and the working folder",
            ) from exc
        tail: collections.deque[str] = collections.deque(maxlen=_STDERR_TAIL_LINES)
        # stderr is always piped, so there is a last stream. This thread reads it itself: it
        # has nothing else to do until the process ends, and a thread started per step costs
        # a scheduling round trip, several milliseconds of a step's wall time on a busy host
        # (issue 10).
        *others, last = self._pumps(process, stdio, tail)
        threads = [_start(name, pump) for name, pump in others]
        try:
            last[1]()  # returns when the process closes the stream: at its end
            code = process.wait()
        except BaseException:
            # KeyboardInterrupt, the run being terminated, or passing its output on failing:
            # the process must not outlive the step.
            self._terminate(process, session)
            threads.append(_start(*last))  # what it writes until it ends is still passed on
            raise
        finally:
            for thread in threads:
                thread.join()
        if code == 0:
            return None
        lines = list(stdio.tail) if stdio is not None and stdio.stream == "stderr" else list(tail)
        return code, lines

    def _stdout_target(self) -> int | None:
        return None if self.forward_stdio else subprocess.DEVNULL

    def _pumps(
        self,
        process: subprocess.Popen[bytes],
        stdio: PipesStdioMessageReader | None,
        tail: collections.deque[str],
    ) -> list[tuple[str, Callable[[], None]]]:
        """A reader for each stream the process writes to a pipe, by the stream's name;
        stderr's last."""
        sink = sys.stderr if self.forward_stdio else None
        pumps: list[tuple[str, Callable[[], None]]] = []
        for name, source in (("stdout", process.stdout), ("stderr", process.stderr)):
            if source is None:
                continue
            if stdio is not None and stdio.stream == name:
                pump = functools.partial(stdio.consume, source)
            else:
                pump = functools.partial(_tee, source, sink, tail)
            pumps.append((name, pump))
        return pumps

    def _terminate(self, process: subprocess.Popen[bytes], session: PipesSession) -> None:
        if not self.forward_termination or process.poll() is not None:
            return
        session.context.log.info("[pipes] step interrupted: interrupting the external process")
        process.send_signal(signal.SIGINT)  # lets a Python process close its Pipes context
        try:
            process.wait(timeout=self.termination_timeout_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @staticmethod
    def _failure_message(
        command: str | Sequence[str], code: int, tail: list[str], session: PipesSession
    ) -> str:
        opened = session.message_handler.received_opened_message
        # Dagster's words first, so that code matching on them keeps working.
        text = f"External execution process failed with code {code}: {_command_text(command)!r}"
        if not opened:
            text += " without ever opening the Pipes channel"
        stderr = "\n".join(f"  {line}" for line in tail) if tail else "  (stderr was empty)"
        return f"{text}; last lines of its stderr:\n{stderr}"
