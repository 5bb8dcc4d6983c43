"""``headwater pipes run``: run any program as a one-step run recorded in the instance.

The program runs inside a Pipes session (so one that uses ``headwater_pipes`` or
``dagster_pipes`` reports as usual) and its stdout/stderr lines go through the declarative
rules of :mod:`headwater.pipes.rules`. Events are written to the instance in batches while
the program runs, so ``headwater run logs --follow`` shows them live and memory stays flat.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from headwater.assets.key import AssetKey
from headwater.assets.results import AssetCheckResult, AssetCheckSeverity, MaterializeResult
from headwater.errors import InvariantViolationError, PipesExecutionError
from headwater.events import ErrorInfo, EventType, RunEvent
from headwater.execution.asset_events import CheckScope, check_data, materialization_data
from headwater.execution.context import RunLog
from headwater.pipes.injectors import PipesTempFileContextInjector
from headwater.pipes.readers import PipesTempFileMessageReader
from headwater.pipes.rules import LineEvent, Rules
from headwater.pipes.session import PipesSession, _open_session
from headwater.storage import Instance

__all__ = ["CommandRun", "EventRecorder", "run_command"]

_BATCH = 2000
_FLUSH_S = 0.5
PIPES_RUN_JOB = "__pipes_run"


class EventRecorder:
    """Writes events to the instance in batches (by count, and at least every half second)."""

    def __init__(self, instance: Instance, *, batch_size: int = _BATCH) -> None:
        self._instance = instance
        self._batch_size = batch_size
        self._pending: list[RunEvent] = []
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()
        self.count = 0

    def emit(self, event: RunEvent) -> None:
        """Queue one event; write the batch when it is full or old enough."""
        with self._lock:
            self._pending.append(event)
            self.count += 1
            full = len(self._pending) >= self._batch_size
            if full or time.monotonic() - self._last_flush > _FLUSH_S:
                self._flush_locked()

    def flush(self) -> None:
        """Write whatever is queued."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        batch, self._pending = self._pending, []
        self._last_flush = time.monotonic()
        self._instance.store_events(batch)


class StandaloneContext:
    """The context of a ``headwater pipes run`` step: a run, a step key, a log."""

    def __init__(
        self,
        *,
        run_id: str,
        job_name: str,
        step_key: str,
        recorder: EventRecorder,
        instance: Instance,
        asset_keys: Sequence[str] = (),
    ) -> None:
        self.step_key = step_key
        self.asset_keys_in_scope = tuple(AssetKey.from_user_string(k) for k in asset_keys)
        self.instance: Instance | None = instance
        self.retry_number = 0
        self._run_id = run_id
        self._job_name = job_name
        self.log = RunLog(recorder.emit, run_id=run_id, job_name=job_name, step_key=step_key)

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self._run_id

    @property
    def job_name(self) -> str | None:
        """The run's job name."""
        return self._job_name

    @property
    def has_partition_key(self) -> bool:
        """A command run has no partition."""
        return False

    @property
    def partition_key(self) -> str:
        """Raises: a command run has no partition."""
        raise InvariantViolationError("a 'headwater pipes run' step has no partition key")


@dataclass(frozen=True, slots=True)
class CommandRun:
    """The outcome of :func:`run_command`.

    Attributes:
        run_id: the recorded run.
        exit_code: the program's exit code.
        success: whether the run succeeded (exit code 0, no failed ERROR check).
    """

    run_id: str
    exit_code: int
    success: bool


class _Step:
    """Emits the step's events: logs, materializations and checks, in the executor's shape."""

    def __init__(self, context: StandaloneContext, recorder: EventRecorder) -> None:
        self.context = context
        self.recorder = recorder
        self.failed_checks: list[str] = []

    def event(
        self,
        kind: EventType,
        message: str,
        *,
        level: int = logging.DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
        step: bool = True,
    ) -> None:
        ctx = self.context
        self.recorder.emit(
            RunEvent(
                kind,
                ctx.run_id,
                ctx.job_name or PIPES_RUN_JOB,
                time.time(),
                message,
                ctx.step_key if step else None,
                level,
                dict(data or {}),
                error,
            )
        )

    def line(self, found: LineEvent) -> None:
        if found.kind == "log":
            self.context.log.log(found.level, found.message)
        elif found.kind == "materialize":
            self.materialized(found.asset, found.metadata, found.data_version)
        else:
            self.checked(
                found.asset, found.check_name, found.passed, found.severity, found.metadata
            )

    def materialized(self, asset: str, metadata: Mapping[str, Any], version: str | None) -> None:
        self.event(
            EventType.ASSET_MATERIALIZATION,
            f"Materialized asset '{asset}'.",
            data=materialization_data(
                key=AssetKey.from_user_string(asset),
                metadata=metadata,
                partition=None,
                code_version=None,
                data_version=version,
                input_versions={},
                user_provided=version is not None,
            ),
        )

    def checked(
        self, asset: str, name: str, passed: bool, severity: str, metadata: Mapping[str, Any]
    ) -> None:
        if not passed and severity == "ERROR":
            self.failed_checks.append(f"{asset}:{name}")
        result = AssetCheckResult(
            passed=passed,
            asset_key=AssetKey.from_user_string(asset),
            check_name=name,
            metadata=metadata,
            severity=AssetCheckSeverity(severity),
        )
        self.event(
            EventType.ASSET_CHECK_EVALUATION,
            f"Check '{name}' on asset '{asset}' {'passed' if passed else 'failed'}.",
            level=logging.DEBUG if passed else logging.WARNING,
            data=check_data(result, CheckScope([], [])),
        )

    def results(self, session: PipesSession) -> None:
        for result in session.get_reported_results():
            if result.asset_key is None:  # the client refuses these; nothing to attribute
                continue
            key = result.asset_key.to_user_string()
            if isinstance(result, MaterializeResult):
                version = result.data_version.value if result.data_version else None
                self.materialized(key, result.metadata or {}, version)
            elif isinstance(result, AssetCheckResult):
                self.checked(
                    key,
                    result.check_name or "check",
                    result.passed,
                    result.severity.value,
                    result.metadata,
                )


def _pump(source: IO[bytes], stream: str, rules: Rules, step: _Step, echo: IO[str] | None) -> None:
    for raw in source:
        text = raw.decode("utf-8", "replace").rstrip("\r\n")
        if echo is not None:
            echo.write(text + "\n")
        found = rules.event_for(text, stream)
        if found is not None:
            step.line(found)


def _launch(
    command: Sequence[str],
    env: Mapping[str, str],
    session: PipesSession,
    rules: Rules,
    step: _Step,
    echo: bool,
) -> int:
    try:
        process = subprocess.Popen(
            list(command),
            env={**os.environ, **env, **session.get_bootstrap_env_vars()},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise PipesExecutionError(f"could not start {' '.join(command)!r}: {exc}") from exc
    pumps = [
        threading.Thread(target=_pump, args=(src, name, rules, step, out if echo else None))
        for src, name, out in (
            (process.stdout, "stdout", sys.stdout),
            (process.stderr, "stderr", sys.stderr),
        )
    ]
    for pump in pumps:
        pump.start()
    try:
        code = process.wait()
    except BaseException:
        process.terminate()
        process.wait()
        raise
    finally:
        for pump in pumps:
            pump.join()
    return code


def run_command(
    command: Sequence[str],
    *,
    instance: Instance,
    rules: Rules | None = None,
    env: Mapping[str, str] | None = None,
    echo: bool = False,
    job_name: str = PIPES_RUN_JOB,
    asset_keys: Sequence[str] = (),
    extras: Mapping[str, Any] | None = None,
) -> CommandRun:
    """Run ``command`` as a one-step run recorded in ``instance``.

    Args:
        command: the program and its arguments.
        instance: where the run and its events are recorded.
        rules: how output lines become events (default: every line a log at INFO).
        env: extra environment variables.
        echo: also print the program's output.
        job_name: the job name the run is recorded under.
        asset_keys: assets in scope for a Pipes-speaking program (``context.asset_key``).
        extras: values a Pipes-speaking program reads as ``PipesContext.extras``.

    Returns:
        The run's id, the exit code and whether it succeeded.
    """
    run = instance.create_run(
        job_name=job_name, tags={"headwater/pipes_command": " ".join(command)}
    )
    recorder = EventRecorder(instance)
    step_key = os.path.basename(command[0]) if command else "command"
    ctx = StandaloneContext(
        run_id=run.run_id,
        job_name=job_name,
        step_key=step_key,
        recorder=recorder,
        instance=instance,
        asset_keys=asset_keys,
    )
    step = _Step(ctx, recorder)
    step.event(EventType.RUN_START, f'Started execution of run for "{job_name}".', step=False)
    step.event(EventType.STEP_START, f'Started execution of step "{step_key}".')
    code, error = -1, None
    try:
        with _open_session(
            ctx,
            PipesTempFileContextInjector(),
            PipesTempFileMessageReader(),
            extras,
            expects_messages=False,
        ) as session:
            code = _launch(command, env or {}, session, rules or Rules(), step, echo)
        step.results(session)
    except PipesExecutionError as exc:
        error = exc
    ok = code == 0 and not step.failed_checks
    if ok:
        step.event(EventType.STEP_SUCCESS, f'Finished execution of step "{step_key}".')
        step.event(
            EventType.RUN_SUCCESS, f'Finished execution of run for "{job_name}".', step=False
        )
    else:
        why = (
            str(error)
            if error
            else (f"exited with code {code}" if code else f"failed checks {step.failed_checks}")
        )
        step.event(
            EventType.STEP_FAILURE,
            f'Step "{step_key}" failed: {why}',
            level=logging.ERROR,
            error=ErrorInfo.from_exception(error) if error else None,
        )
        step.event(
            EventType.RUN_FAILURE,
            f'Execution of run for "{job_name}" failed.',
            level=logging.ERROR,
            step=False,
        )
    recorder.flush()
    return CommandRun(run.run_id, code, ok)
