"""A job's steps and how they depend on each other (the op graph the UI lays out), and a
run's per-step outcomes (its timeline)."""

from __future__ import annotations

from typing import Any

from headwater.events import EventType
from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.modes import is_pipeline, job_in_mode, modes_of
from headwater.webserver.schema.registry import field, sdl, typed

__all__: list[str] = []

sdl("""
enum StepKind { COMPUTE UNRESOLVED_MAPPED UNRESOLVED_COLLECT }
type ExecutionStepOutput { name: String! }
type ExecutionStepInput { name: String! dependsOn: [ExecutionStep!]! }
type ExecutionStep {
  key: String!
  solidHandleID: String!
  kind: StepKind!
  inputs: [ExecutionStepInput!]!
  outputs: [ExecutionStepOutput!]!
}
type ExecutionPlan { steps: [ExecutionStep!]! assetSelection: [String!]! }
union ExecutionPlanOrError =
  ExecutionPlan | RunConfigValidationInvalid | PipelineNotFoundError | InvalidSubsetError
  | PythonError | ModeNotFoundError

enum StepEventStatus { SKIPPED SUCCESS FAILURE IN_PROGRESS }
type RunStepStats {
  runId: String!
  stepKey: String!
  status: StepEventStatus
  startTime: Float
  endTime: Float
}

extend type Query {
  "The job's steps; the run config may be omitted (the graph does not depend on it)."
  executionPlanOrError(
    pipeline: PipelineSelector!, mode: String, runConfigData: RunConfigData
  ): ExecutionPlanOrError!
}
type RunStatsSnapshot {
  id: String!
  runId: String!
  stepsSucceeded: Int!
  stepsFailed: Int!
  materializations: Int!
  expectations: Int!
  enqueuedTime: Float
  launchTime: Float
  startTime: Float
  endTime: Float
}
union RunStatsSnapshotOrError = RunStatsSnapshot | PythonError

extend type Run {
  stats: RunStatsSnapshotOrError!
  stepStats: [RunStepStats!]!
  executionPlan: ExecutionPlan
}
""")


def _plan_value(job: Any, selection: list[str] | None) -> dict[str, Any]:
    from headwater.execution.run import plan_for

    plan = plan_for(job)
    if selection:
        plan = plan.subset(selection)
    steps: dict[str, dict[str, Any]] = {}
    for step in plan.steps:
        steps[step.key] = {
            "key": step.key,
            "solidHandleID": ".".join(step.path) if step.path else step.key,
            "kind": "COMPUTE",
            "outputs": [{"name": name} for name in step.op_def.outs],
            "inputs": [],
        }
    for step in plan.steps:
        for step_input in step.inputs:
            upstream = [steps[key] for key, _output in step_input.sources if key in steps]
            steps[step.key]["inputs"].append({"name": step_input.name, "dependsOn": upstream})
    return typed("ExecutionPlan", steps=list(steps.values()), assetSelection=[])


@field("Query", "executionPlanOrError")
def _execution_plan(
    _: Any, info: Any, pipeline: dict[str, Any], mode: str | None = None, runConfigData: Any = None
) -> dict[str, Any]:
    from headwater.errors import HeadwaterError
    from headwater.webserver.schema.config import pipeline_not_found

    try:
        _location, job = info.context.workspace.find_job(
            pipeline["pipelineName"], pipeline.get("repositoryLocationName")
        )
    except KeyError as exc:
        return pipeline_not_found(pipeline, str(exc.args[0]))
    # The steps are the graph's, the same in every mode: a pipeline's first mode serves.
    job = job_in_mode(job, mode or modes_of(job)[0]["name"])
    if isinstance(job, dict):
        return job
    try:
        return _plan_value(job, pipeline.get("solidSelection"))
    except HeadwaterError as exc:
        return typed("InvalidSubsetError", message=str(exc))
    except Exception as exc:
        return python_error(exc)


@field("Run", "executionPlan")
def _run_plan(parent: dict[str, Any], info: Any) -> dict[str, Any] | None:
    for location in info.context.workspace.locations.values():
        job = location.jobs.get(parent["jobName"])
        if job is not None:
            # The steps are the graph's, the same in whichever mode the run ran.
            job = job.get_job(modes_of(job)[0]["name"]) if is_pipeline(job) else job
            return _plan_value(job, parent.get("solidSelection"))
    return None


_ENDS = {
    EventType.STEP_SUCCESS: "SUCCESS",
    EventType.STEP_FAILURE: "FAILURE",
    EventType.STEP_SKIPPED: "SKIPPED",
}


@field("Run", "stepStats")
def _step_stats(parent: dict[str, Any], info: Any) -> list[dict[str, Any]]:
    kinds = [EventType.STEP_START, *_ENDS]
    records = info.context.instance.get_event_records(parent["runId"], event_types=kinds)
    stats: dict[str, dict[str, Any]] = {}
    for record in records:
        event = record.event
        if event.step_key is None:
            continue
        entry = stats.setdefault(
            event.step_key,
            {
                "runId": parent["runId"],
                "stepKey": event.step_key,
                "status": None,
                "startTime": None,
                "endTime": None,
            },
        )
        if event.event_type is EventType.STEP_START:
            entry["startTime"] = entry["startTime"] or event.timestamp
            entry["status"] = "IN_PROGRESS"
        else:
            entry["status"] = _ENDS[event.event_type]
            entry["endTime"] = event.timestamp
    return list(stats.values())


_COUNTED = {
    EventType.STEP_SUCCESS: "stepsSucceeded",
    EventType.STEP_FAILURE: "stepsFailed",
    EventType.ASSET_MATERIALIZATION: "materializations",
    EventType.STEP_EXPECTATION_RESULT: "expectations",
}
_TIMES = {
    EventType.RUN_ENQUEUED: "enqueuedTime",
    EventType.RUN_STARTING: "launchTime",
    EventType.RUN_START: "startTime",
}


@field("Run", "stats")
def _stats(parent: dict[str, Any], info: Any) -> dict[str, Any]:
    kinds = [*_COUNTED, *_TIMES]
    records = info.context.instance.get_event_records(parent["runId"], event_types=kinds)
    stats: dict[str, Any] = dict.fromkeys(_COUNTED.values(), 0)
    stats.update(dict.fromkeys(_TIMES.values()))
    for record in records:
        kind = record.event.event_type
        if kind in _COUNTED:
            stats[_COUNTED[kind]] += 1
        else:
            stats[_TIMES[kind]] = record.event.timestamp
    stats["startTime"] = stats["startTime"] or parent["startTime"]
    return typed(
        "RunStatsSnapshot",
        id=f"stats-{parent['runId']}",
        runId=parent["runId"],
        endTime=parent["endTime"],
        **stats,
    )
