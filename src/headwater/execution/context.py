"""What an op's function sees as ``context``: config, resources, a log, the run."""

from __future__ import annotations

import contextvars
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from headwater.errors import InvariantViolationError
from headwater.events import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    WARNING,
    EventType,
    RunEvent,
    event_from_fields,
)
from headwater.execution.partitions import RANGE_END_TAG, RANGE_START_TAG
from headwater.execution.step_context import StepExecutionContext

if TYPE_CHECKING:
    import logging

    from headwater.jobs.job import JobDefinition
    from headwater.jobs.op import OpDefinition
    from headwater.partitions import PartitionKeyRange
    from headwater.resources import Resources
    from headwater.storage import Instance, Run

__all__ = ["CURRENT_CONTEXT", "OpExecutionContext", "RunLog"]

# The running step's context, for ``OpExecutionContext.get()``: the context itself, or a
# function building it on first use when the step's function takes no ``context`` (so steps
# that never ask pay only for setting the variable).
CURRENT_CONTEXT: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "headwater_current_context", default=None
)
_Context = TypeVar("_Context", bound="OpExecutionContext")

# User log lines also reach Python logging under this name, when the application has
# configured a handler for it (checked per call: cheap, and honours late configuration).
# Found once the application has imported logging: until then none can be configured, and
# a run need not import it.
_PYTHON_LOGGER_NAME = "headwater.run"
_python_logger: logging.Logger | None = None
# A global: an enum member read as a class attribute goes through the enum's metaclass.
_LOG_MESSAGE = EventType.LOG_MESSAGE


def _find_python_logger() -> logging.Logger | None:
    global _python_logger  # noqa: PLW0603 - found once, then read per log line
    logging = sys.modules.get("logging")
    if logging is not None:
        _python_logger = logging.getLogger(_PYTHON_LOGGER_NAME)
    return _python_logger


class RunLog:
    """``context.log``: a logger whose records become ``LOG_MESSAGE`` run events.

    Args:
        emit: receives each event.
        run_id: the run the records belong to.
        job_name: the job of that run.
        step_key: the step logging, or ``None`` for run-level logs.
    """

    __slots__ = ("_emit", "job_name", "run_id", "step_key")

    def __init__(
        self,
        emit: Callable[[RunEvent], None],
        *,
        run_id: str,
        job_name: str,
        step_key: str | None = None,
    ) -> None:
        self._emit = emit
        self.run_id = run_id
        self.job_name = job_name
        self.step_key = step_key

    def emit(self, event: RunEvent) -> None:
        """Record a ready-made event for this step (from any thread), e.g. an asset event
        that ``headwater pipes run`` builds from a program's output line."""
        self._emit(event)

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        """Record ``msg % args`` at ``level``."""
        text = str(msg) % args if args else str(msg)
        extra = kwargs.get("extra") if kwargs else None
        # Made from its fields (a line an IO manager logs per stored value is on every
        # asset step's path).
        fields = (
            _LOG_MESSAGE,
            self.run_id,
            self.job_name,
            time.time(),
            text,
            self.step_key,
            level,
            {} if extra is None or not isinstance(extra, Mapping) else {"extra": dict(extra)},
            None,
        )
        self._emit(event_from_fields(fields))
        python_logger = _python_logger or _find_python_logger()
        # isEnabledFor is cached by logging; hasHandlers walks the logger tree: test it last.
        if (
            python_logger is not None
            and python_logger.isEnabledFor(level)
            and python_logger.hasHandlers()
        ):
            where = f"{self.job_name}:{self.step_key}" if self.step_key else self.job_name
            python_logger.log(level, "[%s] %s", where, text, exc_info=kwargs.get("exc_info"))

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Record at DEBUG."""
        self.log(DEBUG, msg, *args, **kwargs)

    def info(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Record at INFO."""
        self.log(INFO, msg, *args, **kwargs)

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Record at WARNING."""
        self.log(WARNING, msg, *args, **kwargs)

    warn = warning

    def error(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Record at ERROR."""
        self.log(ERROR, msg, *args, **kwargs)

    def exception(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Record at ERROR, from inside an ``except`` block."""
        self.log(ERROR, msg, *args, **kwargs)

    def critical(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Record at CRITICAL."""
        self.log(CRITICAL, msg, *args, **kwargs)

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 - the logging.Logger spelling
        """Every level is recorded."""
        return True


class OpExecutionContext:
    """The ``context`` an op function receives.

    Attributes:
        op_config: the op's processed config (``None`` when it has no config).
        resources: the run's resources, by key (``context.resources.db``).
        log: a logger whose records become run events.
        run_id: the run's id.
        retry_number: 0 on the first attempt, then 1, 2 ...
    """

    def __init__(
        self,
        *,
        op_def: OpDefinition,
        op_config: Any,
        resources: Resources,
        log: RunLog,
        run: Run | None,
        run_config: Mapping[str, Any],
        job_def: JobDefinition | None,
        step_key: str,
        instance: Instance | None,
        retry_number: int = 0,
        partition_key: str | None = None,
        tags: Mapping[str, str] | None = None,
        mapping_key: str | None = None,
        partition_key_range: PartitionKeyRange | None = None,
    ) -> None:
        self.op_def = op_def
        self.op_config = op_config
        self.resources = resources
        self.log = log
        self.run = run
        self.run_config = run_config
        self.job_def = job_def
        self.step_key = step_key
        self.instance = instance
        self.retry_number = retry_number
        self._partition_key = partition_key
        self._mapping_key = mapping_key
        # A range given to a context built for a test; a run's range is in its tags.
        self._op_key_range = partition_key_range
        self._tags = dict(tags or {})
        self._output_metadata: dict[str, dict[str, Any]] = {}

    @classmethod
    def get(cls: type[_Context]) -> _Context:
        """The context of the step whose function is running now, whether or not that
        function takes ``context`` (inside an asset, its ``AssetExecutionContext``).

        Raises:
            InvariantViolationError: called outside a running op or asset function.
        """
        current = CURRENT_CONTEXT.get()
        if current is None:
            raise InvariantViolationError(
                f"No current {cls.__name__} in scope: {cls.__name__}.get() works only while "
                "an op's or asset's function runs; outside a run, pass a context built with "
                "build_op_context() or build_asset_context() instead"
            )
        # An asset step's context is an AssetExecutionContext; an op's asked for as one
        # is returned as it is (as the reference does), hence the cast.
        if not isinstance(current, OpExecutionContext):  # built on first use, then kept
            current = current()
            CURRENT_CONTEXT.set(current)
        return cast("_Context", current)

    @property
    def selected_output_names(self) -> set[str]:
        """The outputs this run asks of the op: all of them, outside asset steps."""
        return set(self.op_def.output_defs)

    @property
    def has_assets_def(self) -> bool:
        """Whether this step computes assets (its context is an ``AssetExecutionContext``)."""
        return False

    @property
    def selected_asset_check_keys(self) -> set[Any]:
        """The ``AssetCheckKey``s this step evaluates (a check step's checks)."""
        layer = self.job_def.asset_layer if self.job_def is not None else None
        check = layer.check_def_by_node.get(self.step_key.rsplit(".", 1)[-1]) if layer else None
        if check is None or layer is None:
            return set()
        if check.can_subset:  # only the checks of the assets this run selects
            return {k for k in check.check_keys if k.asset_key in layer.selected_keys}
        return set(check.check_keys)

    @property
    def run_id(self) -> str:
        """The run's id (``"EPHEMERAL"`` for a context built for a test)."""
        return self.run.run_id if self.run is not None else "EPHEMERAL"

    @property
    def dagster_run(self) -> Run | None:
        """The run record (the reference's spelling)."""
        return self.run

    @property
    def job_name(self) -> str | None:
        """The job's name, when running inside one."""
        return self.job_def.name if self.job_def is not None else None

    @property
    def op_execution_context(self) -> OpExecutionContext:
        """The op's context: this one (an asset's or a check's context is an op's too), for
        APIs that take an ``OpExecutionContext``, such as ``PipesClient.run``."""
        return self

    # The legacy (solid/pipeline) spellings.
    @property
    def solid_config(self) -> Any:
        """``op_config`` under its legacy name."""
        return self.op_config

    @property
    def pipeline_name(self) -> str | None:
        """``job_name`` under its legacy name."""
        return self.job_name

    @property
    def op(self) -> OpDefinition:
        """The op being run."""
        return self.op_def

    def get_mapping_key(self) -> str | None:
        """The mapping key of the value this step was mapped over (``op[key]``), or
        ``None`` for a step not downstream of a dynamic output's ``map``."""
        return self._mapping_key

    @property
    def has_partition_key(self) -> bool:
        """Whether the run targets a partition."""
        return self._partition_key is not None

    @property
    def partition_key(self) -> str:
        """The run's partition key.

        Raises:
            InvariantViolationError: the run has no partition.
        """
        if self._partition_key is None:
            tags = self.run_tags
            if RANGE_START_TAG in tags:
                raise InvariantViolationError(
                    f"op '{self.op_def.name}' asked for context.partition_key, but this run "
                    f"targets the partition range {tags[RANGE_START_TAG]}..."
                    f"{tags.get(RANGE_END_TAG)}; use context.partition_key_range or "
                    "context.partition_keys"
                )
            raise InvariantViolationError(
                f"op '{self.op_def.name}' asked for context.partition_key, but this run "
                "has no partition; check context.has_partition_key first"
            )
        return self._partition_key

    def get_step_execution_context(self) -> StepExecutionContext:
        """The step this op runs in, with its run, config and partitions."""
        return StepExecutionContext(self)

    @property
    def has_partition_key_range(self) -> bool:
        """Whether the run targets a range of partitions (tags or a context built with one);
        a run of one partition does not."""
        return self._op_key_range is not None or RANGE_START_TAG in self.run_tags

    @property
    def partition_key_range(self) -> PartitionKeyRange:
        """The range of partitions the run targets; one partition is a one-key range.

        Raises:
            InvariantViolationError: the run targets no partition.
        """
        if self._op_key_range is not None:
            return self._op_key_range
        from headwater.partitions.definition import PartitionKeyRange  # partitioned runs only

        tags = self.run_tags
        if RANGE_START_TAG in tags:
            return PartitionKeyRange(tags[RANGE_START_TAG], tags.get(RANGE_END_TAG, ""))
        if self._partition_key is not None:
            return PartitionKeyRange(self._partition_key, self._partition_key)
        # A context built for a test has no op until it is invoked.
        name = getattr(self.op_def, "name", "ephemeral")
        raise InvariantViolationError(
            f"op '{name}' asked for context.partition_key_range, but this run has no "
            "partition; check context.has_partition_key or has_partition_key_range first"
        )

    @property
    def run_tags(self) -> Mapping[str, str]:
        """The run's tags."""
        return self.run.tags if self.run is not None else self._tags

    def has_tag(self, key: str) -> bool:
        """Whether the run has the tag ``key``."""
        return key in self.run_tags

    def get_tag(self, key: str) -> str | None:
        """The run's tag ``key``, or ``None``."""
        return self.run_tags.get(key)

    def add_output_metadata(self, metadata: Mapping[str, Any], output_name: str = "result") -> None:
        """Attach metadata to the output event of ``output_name``."""
        self._output_metadata.setdefault(output_name, {}).update(metadata)

    def log_event(self, event: Any) -> None:
        """Record an ``AssetMaterialization``, ``AssetObservation``, ``ExpectationResult`` or
        ``AssetCheckEvaluation`` for this step now: it enters the run's events here, among
        the step's log lines (and stays recorded if the body fails afterwards).

        Raises:
            DagsterInvalidInvocationError: ``event`` is of another kind.
        """
        from headwater.execution.logged import logged_event  # steps that log events only

        log = self.log
        log.emit(
            logged_event(
                event,
                run_id=log.run_id,
                job_name=log.job_name,
                step_key=log.step_key,
                partition=self._partition_key,
            )
        )

    def output_metadata(self, output_name: str) -> dict[str, Any]:
        """Metadata added so far for ``output_name``."""
        return self._output_metadata.get(output_name, {})

    def __repr__(self) -> str:
        return f"<OpExecutionContext {self.step_key!r} run={self.run_id}>"


SolidExecutionContext = OpExecutionContext
"""The context a solid receives: ``OpExecutionContext`` under its legacy (0.15) name."""
