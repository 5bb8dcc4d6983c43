"""Logger definitions: how a run builds the Python loggers its events and log lines go to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, overload

from headwater.config import Field, normalize_schema, process_config
from headwater.config.types import Any as AnySchema, ConfigType
from headwater.errors import InvalidDefinitionError

if TYPE_CHECKING:
    import logging

    from headwater.jobs.job import JobDefinition

__all__ = [
    "InitLoggerContext",
    "LoggerDefinition",
    "build_init_logger_context",
    "logger",
]

InitLoggerFunction = Callable[["InitLoggerContext"], "logging.Logger"]


class InitLoggerContext:
    """What a logger's function receives when a run builds the logger.

    Attributes:
        logger_config: the logger's processed config from run config ``loggers:``.
        logger_def: the definition being built.
        job_def: the job of the run.
        run_id: the run's id.
    """

    def __init__(
        self,
        logger_config: Any,
        logger_def: LoggerDefinition | None = None,
        job_def: JobDefinition | None = None,
        run_id: str | None = None,
    ) -> None:
        self.logger_config = logger_config
        self.logger_def = logger_def
        self.job_def = job_def
        self.run_id = run_id


class LoggerDefinition:
    """A factory for a ``logging.Logger`` that receives a run's events and log lines.

    Args:
        logger_fn: builds the logger from an ``InitLoggerContext``.
        config_schema: the schema of the logger's config (run config
            ``loggers.<name>.config``); ``None`` accepts any config.
        description: shown in tools.

    Example:
        ``LoggerDefinition(lambda ctx: logging.getLogger("mine"), description="mine")``
    """

    def __init__(
        self,
        logger_fn: InitLoggerFunction,
        config_schema: Any = None,
        description: str | None = None,
    ) -> None:
        if not callable(logger_fn):
            raise InvalidDefinitionError("LoggerDefinition: logger_fn must be callable")
        self.logger_fn = logger_fn
        self.description = description
        self._config_schema = config_schema
        name = getattr(logger_fn, "__name__", "logger")
        self._config_type: ConfigType = normalize_schema(config_schema, where=f"logger '{name}'")

    @property
    def config_schema(self) -> Any:
        """The schema as given (``None`` when the logger takes any config)."""
        return self._config_schema

    @property
    def config_type(self) -> ConfigType:
        """The normalized schema of the logger's config."""
        return self._config_type

    def config_field(self) -> Field:
        """The ``config`` field of this logger under run config ``loggers.<name>``."""
        return Field(self._config_type, is_required=False)

    def configured(
        self,
        config_or_config_fn: Any,
        config_schema: Any = None,
        description: str | None = None,
    ) -> LoggerDefinition:
        """A copy of this logger with its config fixed, or derived from the copy's config.

        Args:
            config_or_config_fn: the config to use (the copy then takes none), or a function
                from the copy's config (validated against ``config_schema``) to this
                logger's config.
            config_schema: the copy's schema when a function is given.
            description: the copy's description (defaults to this one's).

        Returns:
            A new ``LoggerDefinition``.

        Raises:
            InvalidConfigError: (when a run builds the logger) the config it ends up with
                does not fit this logger's schema.
        """
        inner = self
        mapping = config_or_config_fn if callable(config_or_config_fn) else None

        def build(init_context: InitLoggerContext) -> logging.Logger:
            raw = mapping(init_context.logger_config) if mapping else config_or_config_fn
            name = getattr(inner.logger_fn, "__name__", "logger")
            processed = process_config(inner.config_type, raw, path="config").value_or_raise(
                subject=f"config of logger '{name}'"
            )
            context = InitLoggerContext(
                processed, inner, job_def=init_context.job_def, run_id=init_context.run_id
            )
            return inner.logger_fn(context)

        build.__name__ = getattr(inner.logger_fn, "__name__", "logger")
        return LoggerDefinition(
            build,
            config_schema=config_schema if mapping else None,
            description=description if description is not None else self.description,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> logging.Logger:
        """Build the logger directly (for tests): ``my_logger(build_init_logger_context())``."""
        return self.logger_fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<LoggerDefinition {getattr(self.logger_fn, '__name__', '?')!r}>"


@overload
def logger(config_schema: InitLoggerFunction) -> LoggerDefinition: ...


@overload
def logger(
    config_schema: Any = None, description: str | None = None
) -> Callable[[InitLoggerFunction], LoggerDefinition]: ...


def logger(
    config_schema: Any = None, description: str | None = None
) -> LoggerDefinition | Callable[[InitLoggerFunction], LoggerDefinition]:
    """Turn a function of an ``InitLoggerContext`` into a ``LoggerDefinition``.

    Args:
        config_schema: the logger's config schema; or the function itself, when used bare
            (``@logger``), as the reference's signature allows.
        description: shown in tools.

    Returns:
        A ``LoggerDefinition`` (or a decorator making one).

    Example:
        ``@logger(config_schema={"level": str})``
        ``def my_logger(init_context): return logging.getLogger("mine")``
    """
    if callable(config_schema) and not isinstance(config_schema, type | Field | ConfigType):
        return LoggerDefinition(config_schema)

    def build(fn: InitLoggerFunction) -> LoggerDefinition:
        return LoggerDefinition(fn, config_schema=config_schema, description=description)

    return build


def build_init_logger_context(
    logger_config: Any = None, job_def: JobDefinition | None = None
) -> InitLoggerContext:
    """Build the context a logger's function receives, for calling it in a test.

    Args:
        logger_config: the config the logger sees.
        job_def: the job the logger is built for.

    Returns:
        An ``InitLoggerContext``.
    """
    return InitLoggerContext(logger_config, job_def=job_def)


def is_any_schema(config_type: ConfigType) -> bool:
    """Whether a logger takes any config (it declared no schema)."""
    return config_type is AnySchema
