"""Errors that end a run or a step for a reason headwater found (a failed check, a
missing output, an executor that cannot run here) and the interrupt of a run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
from typing import Any

from headwater.errors._base import HeadwaterError

__all__ = [
    "AssetCheckFailedError",
    "ExecutionInterruptedError",
    "InvalidObservationError",
    "StepNotFoundError",
    "StepOutputNotFoundError",
    "SubprocessError",
    "TypeCheckFailedError",
    "UnmetExecutorRequirementsError",
    "raise_execution_interrupts",
]


class TypeCheckFailedError(HeadwaterError):
    """A value flowing through an op's input or output is not of the declared type.

    Attributes:
        description: why the check failed, as the type's check said.
        metadata: facts the type's check recorded.
        dagster_type: the type the value failed.
    """

    def __init__(
        self,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        dagster_type: Any = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.metadata = dict(metadata or {})
        self.dagster_type = dagster_type


class AssetCheckFailedError(HeadwaterError):
    """A blocking asset check failed with ERROR severity; the step that evaluated it fails
    and what depends on it does not run. The message lists the checks by asset."""

    reference_name = "DagsterAssetCheckFailedError"


class InvalidObservationError(HeadwaterError):
    """An observation function returned something other than a data version (or an
    ``ObserveResult``, or ``DataVersionsByPartition`` for a partitioned asset)."""

    reference_name = "DagsterInvalidObservationError"


class StepOutputNotFoundError(HeadwaterError):
    """An op finished without producing one of its required outputs.

    Attributes:
        step_key: the step.
        output_name: the output it did not produce.
    """

    reference_name = "DagsterStepOutputNotFoundError"

    def __init__(self, *args: object, step_key: str, output_name: str) -> None:
        super().__init__(*args)
        self.step_key = step_key
        self.output_name = output_name


class StepNotFoundError(HeadwaterError):
    """Steps were asked for by key (a step selection, a re-execution) that the plan lacks.

    Attributes:
        step_keys: the keys that were not found.
    """

    reference_name = "DagsterExecutionStepNotFoundError"

    def __init__(self, *args: Any, step_keys: list[str]) -> None:
        super().__init__(*args)
        self.step_keys = list(step_keys)


class UnmetExecutorRequirementsError(HeadwaterError):
    """The chosen executor needs something the run's setup does not give it (a persistent
    instance, an IO manager whose values outlive the process)."""

    reference_name = "DagsterUnmetExecutorRequirementsError"


class SubprocessError(HeadwaterError):
    """One or more child processes running steps failed.

    Attributes:
        subprocess_error_infos: what each child process raised, as data.
    """

    reference_name = "DagsterSubprocessError"

    def __init__(self, *args: Any, subprocess_error_infos: list[Any]) -> None:
        super().__init__(*args)
        self.subprocess_error_infos = list(subprocess_error_infos)


class ExecutionInterruptedError(BaseException):
    """A run was interrupted while executing. Like ``KeyboardInterrupt`` it derives from
    ``BaseException``, so ``except Exception`` does not swallow it."""


@contextmanager
def raise_execution_interrupts() -> Iterator[None]:
    """Inside the block, an interrupt (SIGINT, Ctrl-C) raises ``ExecutionInterruptedError``
    (alias ``DagsterExecutionInterruptedError``) instead of ``KeyboardInterrupt``.

    Only the main thread receives signals; elsewhere the block changes nothing. The previous
    handler is put back on leaving.
    """
    # Imported here: every layer imports the error tree, and few of them handle signals.
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(_signo: int, _frame: FrameType | None) -> None:
        raise ExecutionInterruptedError()

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
