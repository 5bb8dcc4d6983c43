"""``headwater pipes run``: run any program as a one-step run recorded in the instance.

The program becomes the one op of a one-op job, run on the same run loop as every other
job (``execute_in_process``): the run's and the step's lifecycle events, failures and the
live writing of events are the run loop's. Inside the op the program runs in a Pipes
session (so one that uses ``headwater_pipes`` or ``dagster_pipes`` reports as usual) and
its stdout/stderr lines go through the declarative rules of :mod:`headwater.pipes.rules`.
Log lines reach the instance within the run loop's flush interval, asset events at once,
so ``headwater run logs --follow`` shows them live and memory stays flat.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import IO, Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.assets.results import AssetCheckResult, AssetCheckSeverity, MaterializeResult
from headwater.errors import Failure, PipesExecutionError
from headwater.events import EventType, RunEvent
from headwater.execution.asset_events import CheckScope, check_data, materialization_data
from headwater.execution.context import OpExecutionContext, RunLog
from headwater.jobs.graph import GraphDefinition
from headwater.jobs.job import JobDefinition
from headwater.jobs.op import OpDefinition, op
from headwater.pipes.injectors import PipesTempFileContextInjector
from headwater.pipes.readers import PipesTempFileMessageReader
from headwater.pipes.rules import LineEvent, Rules
from headwater.pipes.session import PipesSession, _open_session
from headwater.storage import Instance

__all__ = ["CommandRun", "run_command"]

PIPES_RUN_JOB = "__pipes_run"
_NOT_A_NAME = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True, slots=True)
class CommandRun:
    """The outcome of :func:`run_command`.

    Attributes:
        run_id: the recorded run.
        exit_code: the program's exit code (-1 when it could not start).
        success: whether the run succeeded (exit code 0, no failed ERROR check).
    """

    run_id: str
    exit_code: int
    success: bool


class _CommandContext:
    """The op's context as the Pipes session sees it, with the ``--asset`` keys in scope.

    A command has no asset definition behind it; the keys the user names are what the
    external process reads as ``context.asset_keys``.
    """

    def __init__(self, context: OpExecutionContext, asset_keys: Sequence[str]) -> None:
        self._context = context
        self.asset_keys_in_scope = tuple(AssetKey.from_user_string(k) for k in asset_keys)
        self.step_key: str = context.step_key
        self.log: RunLog = context.log
        self.instance: Instance | None = context.instance
        self.retry_number: int = context.retry_number

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self._context.run_id

    @property
    def job_name(self) -> str | None:
        """The run's job name."""
        return self._context.job_name

    @property
    def has_partition_key(self) -> bool:
        """A command run has no partition."""
        return False

    @property
    def partition_key(self) -> str:
        """Raises: a command run has no partition."""
        return self._context.partition_key


class _Step:
    """Turns what the program reports into the step's events: logs, materializations and
    checks. Called from the output-reading threads and the Pipes reader's thread at once:
    the run loop's event sink takes events from any thread."""

    def __init__(self, context: _CommandContext) -> None:
        self.context = context
        self.failed_checks: list[str] = []

    def event(self, kind: EventType, message: str, *, level: int, data: Mapping[str, Any]) -> None:
        ctx = self.context
        ctx.log.emit(
            RunEvent(
                kind,
                ctx.run_id,
                ctx.job_name or PIPES_RUN_JOB,
                time.time(),
                message,
                ctx.step_key,
                level,
                dict(data),
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
            level=logging.DEBUG,
            data=materialization_data(
                asset=asset,
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


def _step_name(command: Sequence[str]) -> str:
    """The op's name: the program's file name, as a valid name (``python3.11`` →
    ``python3_11``)."""
    base = os.path.basename(command[0]) if command else ""
    return _NOT_A_NAME.sub("_", base) or "command"


def _command_op(
    command: Sequence[str],
    *,
    rules: Rules,
    env: Mapping[str, str],
    echo: bool,
    asset_keys: Sequence[str],
    extras: Mapping[str, Any] | None,
    exit_codes: list[int],
) -> OpDefinition:
    """The one op of a command run: the program in a Pipes session, its exit code kept in
    ``exit_codes`` for the caller."""

    @op(name=_step_name(command), out={})
    def run_program(context: OpExecutionContext) -> None:
        ctx = _CommandContext(context, asset_keys)
        step = _Step(ctx)
        with _open_session(
            ctx,
            PipesTempFileContextInjector(),
            PipesTempFileMessageReader(),
            extras,
            expects_messages=False,
        ) as session:
            code = _launch(command, env, session, rules, step, echo)
            exit_codes.append(code)
        step.results(session)
        if code != 0:
            raise Failure(f"{' '.join(command)!r} exited with code {code}")
        if step.failed_checks:
            raise Failure(f"failed checks {step.failed_checks}")

    return run_program


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
    exit_codes: list[int] = []
    program = _command_op(
        command,
        rules=rules or Rules(),
        env=env or {},
        echo=echo,
        asset_keys=asset_keys,
        extras=extras,
        exit_codes=exit_codes,
    )
    job = JobDefinition(graph_def=GraphDefinition(name=job_name, node_defs=[program]))
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        tags={"headwater/pipes_command": " ".join(command)},
    )
    return CommandRun(result.run_id, exit_codes[0] if exit_codes else -1, result.success)
