"""Executor definitions: a named, configurable choice of how a job's steps run.

The definition is a value; the code that runs steps lives in ``headwater.execution``.
A definition names its launcher by a dotted path (``launcher``), imported only when a run
starts (``headwater.execution.executors.launcher.load_launcher``), so defining a job never
imports the execution machinery. A definition without one (``configured``, ``@executor``)
resolves to one that has one, and its config, when a run starts
(``headwater.execution.executors.resolve_executor``).
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.config import Field, normalize_schema
from headwater.config.types import ConfigType
from headwater.errors import InvalidDefinitionError

__all__ = [
    "EngineChoice",
    "Executor",
    "ExecutorDefinition",
    "ExecutorRequirement",
    "InitExecutorContext",
    "executor",
    "multiple_process_executor_requirements",
]


class ExecutorRequirement(enum.Enum):
    """What an executor needs from a run's setup, listed in ``@executor(requirements=...)``.

    headwater checks what its own engines need when a run starts (a persistent instance for
    steps in other processes); the values are kept for code that names them.
    """

    RECONSTRUCTABLE_PIPELINE = "RECONSTRUCTABLE_PIPELINE"  # the job loads in a new process
    RECONSTRUCTABLE_JOB = "RECONSTRUCTABLE_PIPELINE"  # the same requirement, newer name
    NON_EPHEMERAL_INSTANCE = "NON_EPHEMERAL_INSTANCE"  # other processes reach the instance
    PERSISTENT_OUTPUTS = "PERSISTENT_OUTPUTS"  # outputs outlive the step's process


def multiple_process_executor_requirements() -> Sequence[ExecutorRequirement]:
    """The requirements of an executor that runs steps in other processes."""
    return [
        ExecutorRequirement.RECONSTRUCTABLE_JOB,
        ExecutorRequirement.NON_EPHEMERAL_INSTANCE,
        ExecutorRequirement.PERSISTENT_OUTPUTS,
    ]


class RetryMode(enum.Enum):
    """Whether an executor retries steps whose ``RetryPolicy`` or ``RetryRequested`` asks."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    DEFERRED = "deferred"


class Executor(abc.ABC):
    """What an executor's creation function returns: the object that runs a run's steps.

    The built-in executors' creation functions return one
    (``in_process_executor.executor_creation_fn(init_context)``). A subclass wraps one of
    them to act around the run: its ``execute`` receives the run's orchestration context
    and plan, and runs the steps by delegating to the wrapped executor's ``execute``.

    Example:
        ``class Timed(Executor):``
        ``    def __init__(self, inner): self.inner = inner``
        ``    @property``
        ``    def retries(self): return self.inner.retries``
        ``    def execute(self, plan_context, execution_plan):``
        ``        yield from self.inner.execute(plan_context, execution_plan)``
    """

    @abc.abstractmethod
    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[Any]:
        """Run the steps of ``execution_plan``; yield the run's events.

        Args:
            plan_context: the run's orchestration context (``run_id``, ``job_name``,
                ``instance``, ``dagster_run``, ``run_config``).
            execution_plan: the steps to run (``step_keys_to_execute``).
        """

    @property
    @abc.abstractmethod
    def retries(self) -> RetryMode:
        """Whether this executor retries steps that ask to be retried."""


@dataclass(frozen=True, slots=True)
class EngineChoice(Executor):
    """The executor a built-in definition's creation function returns: the engine that
    runs the steps (``in_process``, ``multiprocess`` or ``dask``) and that engine's config.
    """

    engine: str
    config: Mapping[str, Any] = field(default_factory=dict)

    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[Any]:
        """Run the plan's steps with this engine (the context knows how)."""
        # The context lives in headwater.execution, a layer above this one.
        return iter(plan_context.run_engine(self, execution_plan))

    @property
    def retries(self) -> RetryMode:
        """Disabled when the config says ``retries: {disabled: {}}``."""
        retries = self.config.get("retries") or {}
        return RetryMode.DISABLED if "disabled" in retries else RetryMode.ENABLED


@dataclass(frozen=True, slots=True)
class InitExecutorContext:
    """What an executor's creation function receives.

    Attributes:
        job: the job being run (``None`` when headwater resolves the executor before it
            has a run).
        executor_def: the definition being created.
        executor_config: the executor's validated config.
        instance: the run's instance (``None``, as for ``job``).
    """

    job: Any
    executor_def: ExecutorDefinition | None
    executor_config: Mapping[str, Any]
    instance: Any


ExecutorCreationFn = Callable[[InitExecutorContext], Any]


class ExecutorDefinition:
    """How a job's steps are executed (in process, a process per step, on Dask ...).

    Args:
        name: the executor's name; run config may select it under ``execution``.
        config_schema: the schema of ``execution: {config: ...}``.
        requirements: accepted for the reference's signature; headwater checks what an
            engine needs (a persistent instance for other processes) when a run starts.
        executor_creation_fn: builds the executor from an ``InitExecutorContext``; it
            returns what a built-in executor's function returns
            (``multiprocess_executor.executor_creation_fn(context)``).
        description: shown in the UI.

    Attributes:
        launcher: the dotted path (``package.module.NAME``) of the object that runs a
            run's steps for this executor (see ``docs/executors.md``), or ``None``: the
            creation function chooses a built-in executor. Set by the built-in
            executors; a headwater extension, absent from the reference.

    Example:
        ``two_at_a_time = multiprocess_executor.configured({"max_concurrent": 2})``
    """

    def __init__(
        self,
        name: str,
        config_schema: Any = None,
        requirements: Any = None,
        executor_creation_fn: ExecutorCreationFn | None = None,
        description: str | None = None,
    ) -> None:
        self.name = name
        self._config_schema = config_schema
        self.config_type: ConfigType | None = (
            normalize_schema(config_schema, where=f"executor '{name}'")
            if config_schema is not None
            else None
        )
        # The config used when run config gives none (a Field's default).
        self.default_config: Any = (
            config_schema.default_value
            if isinstance(config_schema, Field) and config_schema.default_provided
            else None
        )
        self.requirements = requirements
        self.executor_creation_fn = executor_creation_fn
        self.description = description
        # Set on a `configured` copy: the definition it derives from and how its config
        # maps to that definition's config.
        self.configured_from: ExecutorDefinition | None = None
        self.config_mapping: Callable[[Any], Any] | None = None
        self.launcher: str | None = None

    @property
    def config_schema(self) -> Any:
        """The config schema as given (``None``: any config)."""
        return self._config_schema

    def configured(
        self,
        config_or_config_fn: Any,
        name: str | None = None,
        config_schema: Any = None,
        description: str | None = None,
    ) -> ExecutorDefinition:
        """A copy of this executor with its config fixed or derived.

        Args:
            config_or_config_fn: the config to use, or a function from the copy's config
                (validated against ``config_schema``) to this executor's config.
            name: the copy's name (defaults to this one's).
            config_schema: the copy's schema when a function is given; ``None`` accepts any.
            description: the copy's description (defaults to this one's).

        Returns:
            A new ``ExecutorDefinition`` running steps as this one does.

        Example:
            ``@job(executor_def=multiprocess_executor.configured({"max_concurrent": 2}))``
        """
        if callable(config_or_config_fn):
            mapping: Callable[[Any], Any] = config_or_config_fn
        else:
            fixed = config_or_config_fn

            def mapping(_: Any) -> Any:
                return fixed

            config_schema = None  # fixed config leaves nothing to configure
        copy = ExecutorDefinition(
            name or self.name,
            config_schema=config_schema,
            requirements=self.requirements,
            executor_creation_fn=self.executor_creation_fn,
            description=description if description is not None else self.description,
        )
        copy.configured_from = self
        copy.launcher = self.launcher
        copy.config_mapping = mapping
        return copy

    @staticmethod
    def hardcoded_executor(executor: Executor) -> ExecutorDefinition:
        """A definition whose creation function always returns ``executor``.

        Raises:
            InvalidDefinitionError: ``executor`` is not an ``Executor``.
        """
        if not isinstance(executor, Executor):
            raise InvalidDefinitionError(
                f"ExecutorDefinition.hardcoded_executor takes an Executor, got {executor!r}; "
                "pass an instance of an Executor subclass"
            )
        return ExecutorDefinition("__executor__", executor_creation_fn=lambda _: executor)

    def __repr__(self) -> str:
        return f"<ExecutorDefinition {self.name!r}>"


def executor(name: Any = None, config_schema: Any = None, requirements: Any = None) -> Any:
    """Define an executor from its creation function.

    The function receives an ``InitExecutorContext`` and returns the executor of a
    built-in definition, so a custom executor chooses how steps run from its own config.

    Args:
        name: the executor's name (default: the function's name).
        config_schema: the schema of ``execution: {config: ...}``.
        requirements: accepted for the reference's signature.

    Returns:
        An ``ExecutorDefinition`` (or a decorator making one).

    Example:
        ``@executor(config_schema={"parallel": bool})``
        ``def choose(ctx): return (multiprocess_executor if ctx.executor_config["parallel"]``
        ``    else in_process_executor).executor_creation_fn(ctx)``
    """
    if callable(name):
        fn: ExecutorCreationFn = name
        return ExecutorDefinition(fn.__name__, executor_creation_fn=fn)

    def decorate(fn: ExecutorCreationFn) -> ExecutorDefinition:
        return ExecutorDefinition(
            name or fn.__name__,
            config_schema=config_schema,
            requirements=requirements,
            executor_creation_fn=fn,
        )

    return decorate
