"""Runs: look-ups, lists with filters and cursors, termination and deletion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from headwater.daemon.submit import MODE_TAG
from headwater.errors import HeadwaterError
from headwater.storage import Run, RunStatus
from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.registry import field, sdl, typed

__all__ = ["run_not_found", "run_or_error", "run_value", "runs_or_error"]

sdl("""
enum RunStatus {
  QUEUED NOT_STARTED MANAGED STARTING STARTED SUSPENDED SUCCESS FAILURE CANCELING CANCELED
}

interface PipelineRun {
  id: ID!
  runId: String!
  status: RunStatus!
  pipelineName: String!
  jobName: String!
  solidSelection: [String!]
  stepKeysToExecute: [String!]
  runConfigYaml: String!
  runConfig: RunConfigData!
  mode: String!
  tags: [PipelineTag!]!
  rootRunId: String
  parentRunId: String
  canTerminate: Boolean!
}

type Run implements PipelineRun {
  id: ID!
  runId: String!
  status: RunStatus!
  pipelineName: String!
  jobName: String!
  solidSelection: [String!]
  stepKeysToExecute: [String!]
  runConfigYaml: String!
  runConfig: RunConfigData!
  mode: String!
  tags: [PipelineTag!]!
  rootRunId: String
  parentRunId: String
  canTerminate: Boolean!
  creationTime: Float!
  startTime: Float
  endTime: Float
  updateTime: Float
  codeOrigin: String
}

interface PipelineRunNotFoundError implements Error { runId: String! message: String! }
type RunNotFoundError implements PipelineRunNotFoundError & Error {
  runId: String!
  message: String!
}
union RunOrError = Run | RunNotFoundError | PythonError

interface PipelineRuns { results: [Run!]! count: Int }
type Runs implements PipelineRuns { results: [Run!]! count: Int }
type InvalidPipelineRunsFilterError implements Error { message: String! }
union RunsOrError = Runs | InvalidPipelineRunsFilterError | PythonError

input RunsFilter {
  runIds: [String]
  pipelineName: String
  tags: [ExecutionTag!]
  statuses: [RunStatus!]
  snapshotId: String
  updatedAfter: Float
  updatedBefore: Float
  createdBefore: Float
  createdAfter: Float
  mode: String
}

enum TerminateRunPolicy { SAFE_TERMINATE MARK_AS_CANCELED_IMMEDIATELY }
interface TerminatePipelineExecutionSuccess { run: Run! }
interface TerminatePipelineExecutionFailure { run: Run! message: String! }
type TerminateRunSuccess implements TerminatePipelineExecutionSuccess { run: Run! }
type TerminateRunFailure implements TerminatePipelineExecutionFailure { run: Run! message: String! }
union TerminateRunResult =
  TerminateRunSuccess | TerminateRunFailure | RunNotFoundError | UnauthorizedError | PythonError
type TerminateRunsResult { terminateRunResults: [TerminateRunResult!]! }
union TerminateRunsResultOrError = TerminateRunsResult | PythonError

type DeletePipelineRunSuccess { runId: String! }
union DeletePipelineRunResult =
  DeletePipelineRunSuccess | UnauthorizedError | PythonError | RunNotFoundError

extend type Query {
  runOrError(runId: ID!): RunOrError!
  pipelineRunOrError(runId: ID!): RunOrError!
  "Runs newest first; cursor is the last run id of the previous page."
  runsOrError(filter: RunsFilter, cursor: String, limit: Int): RunsOrError!
}

extend type Mutation {
  terminateRun(runId: String!, terminatePolicy: TerminateRunPolicy): TerminateRunResult!
  terminatePipelineExecution(
    runId: String!, terminatePolicy: TerminateRunPolicy
  ): TerminateRunResult!
  terminateRuns(
    runIds: [String!]!, terminatePolicy: TerminateRunPolicy
  ): TerminateRunsResultOrError!
  deleteRun(runId: String!): DeletePipelineRunResult!
  deletePipelineRun(runId: String!): DeletePipelineRunResult!
}
""")

_SELECTION_TAG = "headwater/op_selection"


def run_value(run: Run) -> dict[str, Any]:
    """A run as the ``Run`` type answers it."""
    import json

    selection = run.tags.get(_SELECTION_TAG)
    return typed(
        "Run",
        id=run.run_id,
        runId=run.run_id,
        status=run.status.value,
        pipelineName=run.job_name,
        jobName=run.job_name,
        solidSelection=json.loads(selection) if selection else None,
        stepKeysToExecute=None,
        runConfigYaml=yaml.safe_dump(dict(run.run_config), sort_keys=False)
        if run.run_config
        else "",
        runConfig=dict(run.run_config),
        mode=run.tags.get(MODE_TAG, "default"),
        tags=[{"key": k, "value": v} for k, v in run.tags.items()],
        rootRunId=run.root_run_id or run.tags.get("dagster/root_run_id"),
        parentRunId=run.parent_run_id or run.tags.get("dagster/parent_run_id"),
        canTerminate=not run.is_finished and run.status is not RunStatus.CANCELING,
        creationTime=run.create_time,
        startTime=run.start_time,
        endTime=run.end_time,
        updateTime=_update_time(run),
        codeOrigin=run.code_origin,
    )


def _update_time(run: Run) -> float:
    """When the run last changed: the latest of its end, start and creation times."""
    return max(t for t in (run.create_time, run.start_time, run.end_time) if t is not None)


def run_not_found(run_id: str) -> dict[str, Any]:
    """The ``RunNotFoundError`` every run look-up answers for an unknown id."""
    return typed("RunNotFoundError", runId=run_id, message=f"Run {run_id} could not be found.")


def run_or_error(info: Any, run_id: str) -> dict[str, Any]:
    run = info.context.instance.get_run(run_id)
    return run_not_found(run_id) if run is None else run_value(run)


@field("Query", "runOrError")
@field("Query", "pipelineRunOrError")
def _run_or_error(_: Any, info: Any, runId: str) -> dict[str, Any]:
    return run_or_error(info, runId)


def _matches(run: Run, filt: dict[str, Any]) -> bool:
    created, updated = run.create_time, _update_time(run)
    checks: list[tuple[str, Callable[[Any], bool]]] = [
        ("createdAfter", lambda v: created > v),
        ("createdBefore", lambda v: created < v),
        ("updatedAfter", lambda v: updated > v),
        ("updatedBefore", lambda v: updated < v),
        ("runIds", lambda v: run.run_id in v),
        # A legacy pipeline's run names its mode in a tag; a job's runs are in "default".
        ("mode", lambda v: run.tags.get(MODE_TAG, "default") == v),
    ]
    return all(filt.get(key) is None or test(filt[key]) for key, test in checks)


@field("Query", "runsOrError")
def _runs_or_error(
    _: Any,
    info: Any,
    filter: dict[str, Any] | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    instance = info.context.instance
    filt = filter or {}
    if limit is not None and limit < 0:
        return typed("InvalidPipelineRunsFilterError", message=f"limit must be ≥ 0, got {limit}")
    if cursor is not None and instance.get_run(cursor) is None:
        return typed(
            "InvalidPipelineRunsFilterError",
            message=f"cursor {cursor!r} is not a run id of this instance: pass the last runId "
            "of the previous page",
        )
    statuses = [RunStatus(s) for s in filt.get("statuses") or ()]
    tags = {t["key"]: t["value"] for t in filt.get("tags") or ()}
    extra = {k: v for k, v in filt.items() if k not in ("statuses", "tags", "pipelineName")}
    simple = not any(v is not None for k, v in extra.items() if k != "snapshotId")
    query = {"statuses": statuses, "job_name": filt.get("pipelineName"), "tags": tags}
    try:
        if simple:
            runs = instance.get_runs(cursor=cursor, limit=limit, **query)
            count = None
        else:
            runs = [r for r in instance.get_runs(**query) if _matches(r, filt)]
            if cursor is not None:
                ids = [r.run_id for r in runs]
                runs = runs[ids.index(cursor) + 1 :] if cursor in ids else []
            count = len(runs)
            runs = runs if limit is None else runs[:limit]
    except HeadwaterError as exc:
        return typed("InvalidPipelineRunsFilterError", message=str(exc))
    return typed("Runs", results=[run_value(r) for r in runs], count=count)


def runs_or_error(
    info: Any, filt: dict[str, Any] | None, cursor: str | None, limit: int | None
) -> dict[str, Any]:
    """``Runs`` matching a ``RunsFilter`` (newest first), or ``InvalidPipelineRunsFilterError``."""
    return _runs_or_error(None, info, filt, cursor, limit)


@field("Query", "version")
def _version(_: Any, _info: Any) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("headwater")
    except PackageNotFoundError:
        return "dev"


def _terminate(info: Any, run_id: str, policy: str | None) -> dict[str, Any]:
    from headwater.execution.terminate import mark_run_canceled, terminate_run

    instance = info.context.instance
    run = instance.get_run(run_id)
    if run is None:
        return run_not_found(run_id)
    if run.is_finished:
        return typed(
            "TerminateRunFailure",
            run=run_value(run),
            message=f"Run {run_id} could not be terminated: it already finished "
            f"({run.status.value}).",
        )
    try:
        if run.status is RunStatus.QUEUED or policy == "MARK_AS_CANCELED_IMMEDIATELY":
            # Nothing runs it yet (or the caller asks not to wait): cancel the record now.
            terminate_run(instance, run_id)
            run = mark_run_canceled(instance, run_id, "Terminated through the GraphQL API.")
        else:
            run = terminate_run(instance, run_id, reason="Terminated through the GraphQL API.")
    except HeadwaterError as exc:
        return typed("TerminateRunFailure", run=run_value(run), message=str(exc))
    return typed("TerminateRunSuccess", run=run_value(run))


@field("Mutation", "terminateRun")
@field("Mutation", "terminatePipelineExecution")
def _terminate_run(
    _: Any, info: Any, runId: str, terminatePolicy: str | None = None
) -> dict[str, Any]:
    try:
        return _terminate(info, runId, terminatePolicy)
    except Exception as exc:  # every failure answers typed, never a bare 500
        return python_error(exc)


@field("Mutation", "terminateRuns")
def _terminate_runs(
    _: Any, info: Any, runIds: list[str], terminatePolicy: str | None = None
) -> dict[str, Any]:
    results = [_terminate_run(None, info, run_id, terminatePolicy) for run_id in runIds]
    return typed("TerminateRunsResult", terminateRunResults=results)


@field("Mutation", "deleteRun")
@field("Mutation", "deletePipelineRun")
def _delete_run(_: Any, info: Any, runId: str) -> dict[str, Any]:
    instance = info.context.instance
    if instance.get_run(runId) is None:
        return run_not_found(runId)
    instance.delete_run(runId)
    return typed("DeletePipelineRunSuccess", runId=runId)
