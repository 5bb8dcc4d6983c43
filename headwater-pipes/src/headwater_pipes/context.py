"""The external side of a Pipes session: `open_pipes` and the `PipesContext` it returns."""

from __future__ import annotations

import _thread
import sys

from headwater_pipes import _reports
from headwater_pipes._lazylog import lazy_logger
from headwater_pipes._logline import encode_log_line
from headwater_pipes._scope import PipesContextScope
from headwater_pipes.loaders import (
    PipesContextLoader,
    PipesDefaultContextLoader,
    PipesEnvVarParamsLoader,
    PipesParamsLoader,
)
from headwater_pipes.protocol import (
    METHOD_CLOSED,
    METHOD_LOG,
    METHOD_LOG_EXTERNAL_STREAM,
    METHOD_OPENED,
    METHOD_REPORT_ASSET_CHECK,
    METHOD_REPORT_ASSET_MATERIALIZATION,
    METHOD_REPORT_CUSTOM_MESSAGE,
    PipesError,
    PipesWarning,
    make_message,
)
from headwater_pipes.writers import (
    PipesDefaultMessageWriter,
    PipesMessageWriter,
    PipesMessageWriterChannel,
    line_writer,
)

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Mapping
    from types import TracebackType
    from typing import Any, ClassVar

    from headwater_pipes._types import PipesMetadata
    from headwater_pipes.protocol import (
        PipesAssetCheckSeverity,
        PipesContextData,
        PipesException,
        PipesExtras,
    )

__all__ = ["PipesContext", "open_pipes", "open_dagster_pipes"]


def __getattr__(name: str) -> Any:
    # The metadata alias is built with typing, on first use only (see protocol).
    if name == "PipesMetadata":
        from headwater_pipes._types import PipesMetadata

        globals()[name] = PipesMetadata
        return PipesMetadata
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PipesContext(PipesContextScope):
    """The orchestrator's view of the current step, and the way to report back to it.

    Get it from `open_pipes()`; afterwards `PipesContext.get()` returns the same instance.

    Example:
        with open_pipes() as context:
            context.log.info(f"computing {context.asset_key}")
            context.report_asset_materialization(metadata={"rows": 42})
    """

    _instance: ClassVar[PipesContext | None] = None

    @classmethod
    def is_initialized(cls) -> bool:
        """Whether `open_pipes` (or `set`) has provided the instance."""
        return cls._instance is not None

    @classmethod
    def set(cls, context: PipesContext) -> None:
        """Make `context` the instance `get` returns."""
        cls._instance = context

    @classmethod
    def get(cls) -> PipesContext:
        """Return the instance `open_pipes` created.

        Raises:
            PipesError: `open_pipes` has not been called in this process.
        """
        if cls._instance is None:
            raise PipesError(
                "PipesContext has not been initialized in this process; call open_pipes() "
                "(or open_dagster_pipes()) first"
            )
        return cls._instance

    def __init__(
        self,
        params_loader: PipesParamsLoader,
        context_loader: PipesContextLoader,
        message_writer: PipesMessageWriter[Any],
    ) -> None:
        context_params = params_loader.load_context_params()
        messages_params = params_loader.load_messages_params()
        self._lock = _thread.allocate_lock()  # threading's Lock, without importing threading
        self._closed = False
        self._materialized: set[str] = set()
        # The loader's and the writer's context managers stay entered until close(), like an
        # ExitStack's (contextlib is not imported for it: see loaders._OnEntry).
        self._exits: list[Callable[..., Any]] = []
        try:
            self._data: PipesContextData = _enter(
                context_loader.load_context(context_params), self._exits
            )
            self._channel: PipesMessageWriterChannel = _enter(
                message_writer.open(messages_params), self._exits
            )
            self._channel.write_message(
                make_message(METHOD_OPENED, message_writer.get_opened_payload())
            )
        except BaseException:
            _exit_all(self._exits)
            raise
        self._write_line = line_writer(self._channel)
        # logging itself loads when the logger is first used, not when it is handed out.
        self._logger: logging.Logger = lazy_logger(self)

    def __enter__(self) -> PipesContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        exc = None
        if exc_type is not None and exc_value is not None:
            exc = _reports.exception_payload(exc_type, exc_value, traceback)
        self.close(exc)

    def close(self, exc: PipesException | None = None) -> None:
        """Send ``closed`` (with `exc`, if given), flush every buffered message, and stop.

        Later calls do nothing; later reports and logs raise `PipesError`.

        Args:
            exc: the failure that ended the process, as `PipesException` data.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._channel.write_message(
                    make_message(METHOD_CLOSED, {"exception": exc} if exc else {})
                )
            finally:
                _exit_all(self._exits)

    @property
    def is_closed(self) -> bool:
        """Whether `close` has run."""
        return self._closed

    def _write(self, method: str, params: Mapping[str, Any]) -> None:
        with self._lock:
            if self._closed:
                raise _closed_error(method)
            self._channel.write_message(make_message(method, params))

    def _write_log(self, text: str, level: str) -> None:
        # A log record, the message a process sends most: where the channel takes a ready
        # line, the line made from the two strings, without a message dict (see _logline).
        write_line = self._write_line
        if write_line is None:
            self._write(METHOD_LOG, {"message": text, "level": level})
            return
        line = encode_log_line(text, level)
        with self._lock:
            if self._closed:
                raise _closed_error(METHOD_LOG)
            write_line(line)

    # -- reporting -------------------------------------------------------------------------

    @property
    def log(self) -> logging.Logger:
        """A logger whose records go to the orchestrator's event log, at their level.

        A `logging.Logger` (a `PipesLogger`); `logging` is imported when it is first used,
        so a process that never logs through it never loads logging (see `_lazylog`).
        """
        return self._logger

    def report_asset_materialization(
        self,
        metadata: PipesMetadata | None = None,
        data_version: str | None = None,
        asset_key: str | None = None,
    ) -> None:
        """Report that an asset has been materialized; once per asset per session.

        Args:
            metadata: raw values, or typed ``{"raw_value": ..., "type": ...}`` values.
            data_version: the data version of what was written.
            asset_key: which asset; defaults to the only one in scope.

        Raises:
            PipesError: the asset is not in scope or ambiguous, was already reported, or a
                parameter is invalid.
        """
        method = METHOD_REPORT_ASSET_MATERIALIZATION
        key = _reports.resolve_asset_key(self._data, asset_key, method)
        if key in self._materialized:
            raise PipesError(
                f"`{method}`: asset {key!r} was already reported materialized in this step; "
                "report each asset once, with all its metadata"
            )
        if data_version is not None:
            _reports.require_type(data_version, str, method, "data_version")
        params = {
            "asset_key": key,
            "data_version": data_version,
            "metadata": _reports.normalize_metadata(metadata, method),
        }
        self._write(method, params)
        self._materialized.add(key)

    def report_asset_check(
        self,
        check_name: str,
        passed: bool,
        severity: PipesAssetCheckSeverity = "ERROR",
        metadata: PipesMetadata | None = None,
        asset_key: str | None = None,
    ) -> None:
        """Report the result of an asset check.

        Args:
            check_name: the check's name.
            passed: whether it passed.
            severity: "ERROR" (the default) or "WARN".
            metadata: raw or typed metadata values.
            asset_key: the checked asset; defaults to the only one in scope.

        Raises:
            PipesError: the asset is not in scope or ambiguous, or a parameter is invalid.
        """
        method = METHOD_REPORT_ASSET_CHECK
        key = _reports.resolve_asset_key(self._data, asset_key, method)
        _reports.require_type(check_name, str, method, "check_name")
        _reports.require_type(passed, bool, method, "passed")
        _reports.check_severity(severity, method)
        params = {
            "asset_key": key,
            "check_name": check_name,
            "passed": passed,
            "metadata": _reports.normalize_metadata(metadata, method),
            "severity": severity,
        }
        self._write(method, params)

    def report_custom_message(self, payload: Any) -> None:
        """Send any JSON-serializable payload; the orchestrator returns it from
        ``get_custom_messages()``.

        Raises:
            PipesError: the payload is not JSON-serializable.
        """
        _reports.require_json(payload, METHOD_REPORT_CUSTOM_MESSAGE, "payload")
        self._write(METHOD_REPORT_CUSTOM_MESSAGE, {"payload": payload})

    def log_external_stream(
        self, stream: str, text: str, extras: PipesExtras | None = None
    ) -> None:
        """Forward a chunk of a captured output stream (e.g. a Spark worker's stderr)."""
        self._write(
            METHOD_LOG_EXTERNAL_STREAM, {"stream": stream, "text": text, "extras": extras or {}}
        )


def _closed_error(method: str) -> PipesError:
    return PipesError(
        f"cannot send {method!r}: the Pipes context is closed; report and log "
        "inside `with open_pipes() as context:` or before context.close()"
    )


def _enter(manager: Any, exits: list[Callable[..., Any]]) -> Any:
    """Enter a context manager as ExitStack.enter_context does; its exit joins `exits`."""
    kind = type(manager)
    try:  # looked up on the type, as the `with` statement does
        enter, exit_ = kind.__enter__, kind.__exit__
    except AttributeError:
        raise TypeError(
            f"'{kind.__module__}.{kind.__qualname__}' object does not support the context "
            "manager protocol"
        ) from None
    value = enter(manager)
    exits.append(lambda *exc_info: exit_(manager, *exc_info))
    return value


def _exit_all(exits: list[Callable[..., Any]]) -> None:
    """Exit what `_enter` entered, last first, exactly as ExitStack.close() does: an exit's
    error is passed to the exits after it, which may suppress it, and the error left at the
    end is raised, its context chain mended as nested `with` blocks would leave it."""
    handled = sys.exc_info()[1]  # what the caller's `except` handles, if anything
    pending: BaseException | None = None
    while exits:
        exit_ = exits.pop()
        try:
            if pending is None:
                exit_(None, None, None)
            elif exit_(type(pending), pending, pending.__traceback__):
                pending = None
        except BaseException as exc:
            _mend_context(exc, pending, handled)
            pending = exc
    if pending is not None:
        context = pending.__context__
        try:
            raise pending
        finally:  # `raise` inside an `except` would chain what that handles
            pending.__context__ = context


def _mend_context(
    new: BaseException, old: BaseException | None, handled: BaseException | None
) -> None:
    # Where new's context chain reaches the exception the caller handles (Python chained it
    # there), it points to old, the error the exits were passed, instead (as ExitStack).
    while True:
        context = new.__context__
        if context is None or context is old:
            return
        if context is handled:
            new.__context__ = old
            return
        new = context


class _StandIn:
    """What `open_pipes` returns outside a Pipes launch: every attribute, call and context
    manager on it does nothing and returns the stand-in, so the script runs unchanged."""

    def __getattr__(self, name: str) -> _StandIn:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> _StandIn:
        return self

    def __enter__(self) -> _StandIn:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __repr__(self) -> str:
        return "<headwater_pipes stand-in context: not launched by an orchestrator>"


def open_pipes(
    *,
    context_loader: PipesContextLoader | None = None,
    message_writer: PipesMessageWriter[Any] | None = None,
    params_loader: PipesParamsLoader | None = None,
) -> PipesContext:
    """Load the injected context and open the message channel; call near the entry point.

    When the process was not launched through Pipes, warns (`PipesWarning`) and returns a
    stand-in on which every operation is a no-op. An open context is returned again by later
    calls; once it is closed, the next call opens a new one.

    Args:
        context_loader: defaults to `PipesDefaultContextLoader`.
        message_writer: defaults to `PipesDefaultMessageWriter`.
        params_loader: defaults to `PipesEnvVarParamsLoader`.

    Returns:
        The context (use it as a context manager to close it, with any failure, on exit).
    """
    current = PipesContext._instance
    if current is not None and not current.is_closed:
        return current
    params_loader = params_loader or PipesEnvVarParamsLoader()
    if not params_loader.is_dagster_pipes_process():
        import warnings  # only on this path: a launched process never warns here

        warnings.warn(
            "this process was not launched through Pipes (no DAGSTER_PIPES_CONTEXT); "
            "the Pipes context is a stand-in and every report and log on it is a no-op",
            PipesWarning,
            stacklevel=2,
        )
        # The stand-in quacks like a context; typed as one so scripts type-check unchanged.
        stand_in: Any = _StandIn()
        PipesContext.set(stand_in)
        return stand_in  # type: ignore[no-any-return]  # the stand-in duck-types PipesContext
    context = PipesContext(
        params_loader,
        context_loader or PipesDefaultContextLoader(),
        message_writer or PipesDefaultMessageWriter(),
    )
    PipesContext.set(context)
    return context


# Dagster's name for the same function.
open_dagster_pipes = open_pipes
