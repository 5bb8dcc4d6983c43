"""A Pipes session: the context injected, the messages read, the results gathered.

``open_pipes_session`` is what every client is built on, and what a user calls to launch
an external process some other way (a cluster API, a container) while headwater handles
the protocol.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import field, replace
from typing import TYPE_CHECKING, Any

from headwater_pipes.protocol import (
    DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT,
    DAGSTER_PIPES_CONTEXT_ENV_VAR,
    DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT,
    DAGSTER_PIPES_MESSAGES_ENV_VAR,
    PipesContextData,
    PipesParams,
    encode_env_var,
)

from headwater._dataclass import dataclass
from headwater.assets.results import MaterializeResult
from headwater.execution.asset_context import AssetExecutionContext
from headwater.pipes.blobstore import PIPES_COMPOSITE_WRITERS_KEY
from headwater.pipes.context_data import PipesStepContext, build_context_data
from headwater.pipes.handler import PipesExecutionResult, PipesMessageHandler
from headwater.pipes.injectors import PipesContextInjector, PipesTempFileContextInjector
from headwater.pipes.readers import PipesMessageReader, PipesTempFileMessageReader

if TYPE_CHECKING:
    from headwater.execution.context import RunLog

__all__ = ["PipesSession", "open_pipes_session"]


@dataclass
class PipesSession:
    """One external process's connection to a step (yielded by :func:`open_pipes_session`).

    Attributes:
        context_data: what the process receives as its context.
        message_handler: receives the process's messages.
        context_injector_params: where the process finds its context.
        message_reader_params: where the process writes its messages.
        context: the step's context.
        created_at: when the session opened (UTC).
    """

    context_data: PipesContextData
    message_handler: PipesMessageHandler
    context_injector_params: PipesParams
    message_reader_params: PipesParams
    context: PipesStepContext
    created_at: datetime.datetime = field(
        default_factory=lambda: datetime.datetime.now(datetime.timezone.utc)
    )

    def get_bootstrap_params(self) -> dict[str, str]:
        """The two encoded params, keyed by environment variable name."""
        return {
            DAGSTER_PIPES_CONTEXT_ENV_VAR: encode_env_var(self.context_injector_params),
            DAGSTER_PIPES_MESSAGES_ENV_VAR: encode_env_var(self.message_reader_params),
        }

    def get_bootstrap_env_vars(self) -> dict[str, str]:
        """Environment variables to give the process (``DAGSTER_PIPES_CONTEXT`` ...)."""
        return self.get_bootstrap_params()

    def get_bootstrap_cli_arguments(self) -> dict[str, str]:
        """Arguments to give the process instead (``--dagster-pipes-context`` ...)."""
        params = self.get_bootstrap_params()
        return {
            DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT: params[DAGSTER_PIPES_CONTEXT_ENV_VAR],
            DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT: params[DAGSTER_PIPES_MESSAGES_ENV_VAR],
        }

    def _per_writer_params(self) -> list[Mapping[str, Any]]:
        writers = self.message_reader_params.get(PIPES_COMPOSITE_WRITERS_KEY)
        return list(writers) if writers is not None else [self.message_reader_params]

    def get_per_writer_bootstrap_env_vars(self) -> list[dict[str, str]]:
        """One ``get_bootstrap_env_vars()`` per external writer: a single one, except with a
        ``PipesCompositeMessageReader``, whose processes each get their own."""
        return [
            {
                DAGSTER_PIPES_CONTEXT_ENV_VAR: encode_env_var(self.context_injector_params),
                DAGSTER_PIPES_MESSAGES_ENV_VAR: encode_env_var(writer),
            }
            for writer in self._per_writer_params()
        ]

    def get_per_writer_bootstrap_cli_arguments(self) -> list[dict[str, str]]:
        """``get_per_writer_bootstrap_env_vars()`` as command-line arguments."""
        return [
            {
                DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT: env[DAGSTER_PIPES_CONTEXT_ENV_VAR],
                DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT: env[DAGSTER_PIPES_MESSAGES_ENV_VAR],
            }
            for env in self.get_per_writer_bootstrap_env_vars()
        ]

    def get_reported_results(self) -> tuple[PipesExecutionResult, ...]:
        """Only what the process reported, in order."""
        return self.message_handler.get_reported_results()

    def get_results(
        self,
        *,
        implicit_materializations: bool = True,
        metadata: Mapping[str, Any] | None = None,
    ) -> tuple[PipesExecutionResult, ...]:
        """What the step should return or yield: reported results, plus one bare
        materialization for each asset in scope that the process did not report.

        Args:
            implicit_materializations: add those bare materializations (default True).
            metadata: metadata added to every result (e.g. an id from a launch API).
        """
        reported = list(self.get_reported_results())
        if implicit_materializations and isinstance(self.context, AssetExecutionContext):
            done = {r.asset_key for r in reported if isinstance(r, MaterializeResult)}
            keys = sorted(self.context.selected_asset_keys or self.context.assets_def.keys)
            reported.extend(MaterializeResult(asset_key=k) for k in keys if k not in done)
        if metadata:
            reported = [_with_metadata(r, metadata) for r in reported]
        return tuple(reported)

    def get_custom_messages(self) -> tuple[Any, ...]:
        """Payloads the process sent with ``report_custom_message``."""
        return self.message_handler.get_custom_messages()


def _with_metadata(result: PipesExecutionResult, metadata: Mapping[str, Any]) -> Any:
    if isinstance(result, MaterializeResult):
        return MaterializeResult(
            asset_key=result.asset_key,
            metadata={**(result.metadata or {}), **metadata},
            check_results=result.check_results,
            data_version=result.data_version,
            tags=result.tags,
        )
    return replace(result, metadata={**result.metadata, **metadata})


def _warn_if_silent(
    handler: PipesMessageHandler,
    log: RunLog,
    injector: PipesContextInjector,
    reader: PipesMessageReader,
) -> None:
    if not handler.received_opened_message:
        log.warning(
            "[pipes] the external process never opened the Pipes channel: no message came "
            "back. Did it call open_pipes() (or open_dagster_pipes())? Check its stdout and "
            f"stderr. {type(injector).__name__}: {injector.no_messages_debug_text()}; "
            f"{type(reader).__name__}: {reader.no_messages_debug_text()}"
        )
    elif not handler.received_closed_message:
        log.warning(
            "[pipes] the external process opened the Pipes channel but never closed it; it "
            "may have crashed or been killed before its last messages were written"
        )


@contextmanager
def _session_files(
    injector: PipesContextInjector, reader: PipesMessageReader
) -> Iterator[tuple[PipesContextInjector, PipesMessageReader]]:
    """The injector and reader that do the session's work: the default pair (exactly those
    classes, so a subclass keeps its own behaviour) put their two files in one temporary
    folder instead of a folder each. The process sees the same two params, paths apart; a
    folder made and removed costs a step 0.2 ms or more of kernel time on ext4."""
    if not (
        type(injector) is PipesTempFileContextInjector
        and type(reader) is PipesTempFileMessageReader
    ):
        yield injector, reader
        return
    folder = tempfile.mkdtemp(prefix="headwater-pipes-")
    try:
        yield injector._in_folder(folder), reader._in_folder(folder)
    finally:
        # Both files are gone by now (each removes its own); rmtree only for what a
        # process may have left beside them. A folder already gone is fine, as it is to
        # TemporaryDirectory, which each of the pair uses on its own.
        try:
            os.rmdir(folder)
        except FileNotFoundError:
            pass
        except OSError:
            shutil.rmtree(folder)


@contextmanager
def open_pipes_session(
    context: PipesStepContext,
    context_injector: PipesContextInjector,
    message_reader: PipesMessageReader,
    extras: Mapping[str, Any] | None = None,
) -> Iterator[PipesSession]:
    """Open a Pipes session for the step ``context`` runs; launch the process inside it.

    Args:
        context: the op's or asset's context.
        context_injector: where the process will find its context.
        message_reader: where the process will write its messages.
        extras: values the process reads as ``PipesContext.extras``.

    Yields:
        The session: give the process ``session.get_bootstrap_env_vars()`` (or the CLI
        arguments), wait for it, then return ``session.get_results()``.

    Example:
        ``with open_pipes_session(context, PipesTempFileContextInjector(),
        PipesTempFileMessageReader()) as session:
            subprocess.run(cmd, env={**os.environ, **session.get_bootstrap_env_vars()})
        return session.get_results()``
    """
    with _open_session(context, context_injector, message_reader, extras) as session:
        yield session


@contextmanager
def _open_session(
    context: PipesStepContext,
    context_injector: PipesContextInjector,
    message_reader: PipesMessageReader,
    extras: Mapping[str, Any] | None,
    *,
    expects_messages: bool = True,
) -> Iterator[PipesSession]:
    # expects_messages=False: `headwater pipes run` starts programs that may well not speak
    # Pipes; their silence is normal, not worth a warning.
    context_data = build_context_data(context, extras)
    handler = PipesMessageHandler(context, message_reader)
    try:
        with (
            _session_files(context_injector, message_reader) as (injector, reader),
            injector.inject_context(context_data) as injector_params,
            reader.read_messages(handler) as reader_params,
        ):
            yield PipesSession(
                context_data=context_data,
                message_handler=handler,
                context_injector_params=injector_params,
                message_reader_params=reader_params,
                context=context,
            )
    finally:
        # After the reader drained: only then is "no message came" a fact.
        if expects_messages:
            _warn_if_silent(handler, context.log, context_injector, message_reader)
