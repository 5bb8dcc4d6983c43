"""The seam between an executor definition and the code that runs a run's steps.

An :class:`~headwater.jobs.executor.ExecutorDefinition` names its launcher by a dotted path
(``ExecutorDefinition.launcher``); :func:`load_launcher` imports it when a run starts, so
defining a job never imports the machinery (forkserver, Dask) that runs it. A launcher is
any object with a ``runs_in_process`` flag and ``launch(request)``: it runs the prepared
run's steps, records their events in the run's instance and finishes the run.

The built-in launchers are ``in_process.LAUNCHER`` (every step in the launching process),
``out_of_process.MULTIPROCESS`` (a process per step, forked from a template, or reused
workers) and ``dask.LAUNCHER`` (a task per step on a Dask cluster).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.execution.plan import ExecutionPlan
    from headwater.execution.reconstruct import ReconstructableJob
    from headwater.execution.run import PreparedRun
    from headwater.execution.state import RunState

__all__ = ["LaunchRequest", "RunLauncher", "load_launcher"]


@dataclass(frozen=True, slots=True)
class LaunchRequest:
    """One started run, handed to its executor's launcher.

    Attributes:
        state: the run's state; the run is started (``RUN_START`` recorded).
        prepared: the validated run config, the plan of the steps to run and their resources.
        pointer: where other processes find the job again.
        config: the executor's processed config.
        op_selection: the ops selected, as given to ``execute_job``.
        full_plan: the plan of the whole job (a re-execution runs part of it).
        produced_by: for each ``(step, output)`` already produced, the run that produced
            it; a launcher adds the outputs this run produces.
        done_before: steps a re-execution does not run again.
    """

    state: RunState
    prepared: PreparedRun
    pointer: ReconstructableJob
    config: Mapping[str, Any]
    op_selection: tuple[str, ...] | None
    full_plan: ExecutionPlan
    produced_by: dict[tuple[str, str], str]
    done_before: frozenset[str]


class RunLauncher(Protocol):
    """What an executor's launcher path points at."""

    @property
    def runs_in_process(self) -> bool:
        """Whether steps run in the launching process (else they must reach a persistent
        instance)."""

    def launch(self, request: LaunchRequest) -> None:
        """Run the request's steps and finish the run."""


def load_launcher(path: str, *, executor_name: str) -> RunLauncher:
    """Import the launcher at dotted ``path`` (``package.module.NAME``).

    Raises:
        InvalidDefinitionError: nothing importable there, or it has no ``launch`` method;
            the message names the executor and the path.
    """
    module_name, _, attribute = path.rpartition(".")
    where = f"executor '{executor_name}' names launcher '{path}'"
    if not module_name:
        raise InvalidDefinitionError(
            f"{where}, which is not a dotted path; use 'package.module.NAME'"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InvalidDefinitionError(
            f"{where}, but module '{module_name}' could not be imported: {exc}"
        ) from exc
    launcher = getattr(module, attribute, None)
    if launcher is None or not callable(getattr(launcher, "launch", None)):
        raise InvalidDefinitionError(
            f"{where}, but module '{module_name}' has no '{attribute}' with a "
            "launch(request) method"
        )
    return launcher  # type: ignore[no-any-return]  # checked above: it has launch()
