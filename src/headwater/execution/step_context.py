"""``StepExecutionContext``: the step behind an op's context, as
``context.get_step_execution_context()`` returns it (for code that reads the step and
run from there rather than from the op context)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass

if TYPE_CHECKING:
    from headwater.execution.context import OpExecutionContext
    from headwater.partitions import PartitionKeyRange

__all__ = ["StepExecutionContext", "StepView"]


@dataclass(frozen=True, slots=True)
class StepView:
    """The step being executed.

    Attributes:
        key: the step's key (the op's handle: ``graph.op``).
    """

    key: str


class StepExecutionContext:
    """The step an op runs in: its run, config, resources and partitions.

    Built by the framework; reach it with ``context.get_step_execution_context()``.
    """

    def __init__(self, op_context: OpExecutionContext) -> None:
        self._op = op_context

    @property
    def step(self) -> StepView:
        """The step being executed (``step.key``)."""
        return StepView(self._op.step_key)

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self._op.run_id

    @property
    def dagster_run(self) -> Any:
        """The run record (``None`` for a context built for a test)."""
        return self._op.run

    @property
    def job_name(self) -> str | None:
        """The job's name."""
        return self._op.job_name

    @property
    def job_def(self) -> Any:
        """The job being run."""
        return self._op.job_def

    @property
    def op_def(self) -> Any:
        """The op the step runs."""
        return self._op.op_def

    @property
    def op_config(self) -> Any:
        """The op's processed config."""
        return self._op.op_config

    @property
    def run_config(self) -> Mapping[str, Any]:
        """The run's config."""
        return self._op.run_config

    @property
    def instance(self) -> Any:
        """The instance the run is recorded in."""
        return self._op.instance

    @property
    def log(self) -> Any:
        """The step's logger."""
        return self._op.log

    @property
    def resources(self) -> Any:
        """The resources the op declared."""
        return self._op.resources

    @property
    def run_tags(self) -> Mapping[str, str]:
        """The run's tags."""
        return self._op.run_tags

    def has_tag(self, key: str) -> bool:
        """Whether the run has the tag ``key``."""
        return self._op.has_tag(key)

    def get_tag(self, key: str) -> str | None:
        """The run tag ``key``, or ``None``."""
        return self._op.run_tags.get(key)

    @property
    def previous_attempt_count(self) -> int:
        """How many times the step ran before this attempt."""
        return self._op.retry_number

    @property
    def has_partition_key(self) -> bool:
        """Whether the run targets one partition."""
        return self._op.has_partition_key

    @property
    def partition_key(self) -> str:
        """The run's partition key (see ``OpExecutionContext.partition_key``)."""
        return self._op.partition_key

    @property
    def has_partition_key_range(self) -> bool:
        """Whether the run targets a range of partitions."""
        return self._op.has_partition_key_range

    @property
    def partition_key_range(self) -> PartitionKeyRange:
        """The range of partitions the run targets."""
        return self._op.partition_key_range

    def __repr__(self) -> str:
        return f"<StepExecutionContext {self._op.step_key!r}>"
