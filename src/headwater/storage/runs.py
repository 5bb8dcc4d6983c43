"""Run records: what the instance knows about one run of a job."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass

__all__ = ["FINISHED_STATUSES", "MAX_RUNTIME_SECONDS_TAG", "Run", "RunStatus"]

# A run tag naming the seconds a run may take before run monitoring fails it. Recorded on
# the run; headwater runs no monitoring daemon, so nothing enforces it yet.
MAX_RUNTIME_SECONDS_TAG = "dagster/max_runtime"


class RunStatus(str, enum.Enum):
    """Where a run is in its life (alias ``DagsterRunStatus``)."""

    QUEUED = "QUEUED"
    NOT_STARTED = "NOT_STARTED"
    # MANAGED (steps run elsewhere) and SUSPENDED (paused) are the reference's; headwater's
    # executors move no run into either. Order as the reference lists them.
    MANAGED = "MANAGED"
    STARTING = "STARTING"
    STARTED = "STARTED"
    SUSPENDED = "SUSPENDED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"

    @property
    def is_finished(self) -> bool:
        """Whether the run has ended (success, failure or cancellation)."""
        return self in FINISHED_STATUSES


FINISHED_STATUSES = frozenset({RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED})


@dataclass(frozen=True, slots=True)
class Run:
    """One run of a job as recorded by the instance (alias ``DagsterRun``).

    Attributes:
        run_id: unique id (a UUID4 string).
        job_name: the job that ran.
        status: where the run is in its life.
        run_config: the run config as given (env references unresolved: no secrets).
        tags: string tags.
        parent_run_id: the run this one re-executes, if any.
        root_run_id: the first run of a chain of re-executions, if any.
        create_time: when the record was made (seconds since the epoch).
        start_time: when the run started, if it did.
        end_time: when the run ended, if it did.
        code_origin: where the job's code came from (``-f file.py -a defs``), if known.
    """

    run_id: str
    job_name: str
    status: RunStatus = RunStatus.NOT_STARTED
    run_config: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    parent_run_id: str | None = None
    root_run_id: str | None = None
    create_time: float = 0.0
    start_time: float | None = None
    end_time: float | None = None
    code_origin: str | None = None

    @property
    def is_finished(self) -> bool:
        """Whether the run has ended."""
        return self.status.is_finished

    @property
    def is_success(self) -> bool:
        """Whether the run ended in success."""
        return self.status is RunStatus.SUCCESS

    @property
    def is_failure(self) -> bool:
        """Whether the run ended in failure."""
        return self.status is RunStatus.FAILURE
