"""Launching runs and re-executions: each goes to the daemon's queue, checked first.

Invalid config never queues a run: the launch answers ``RunConfigValidationInvalid``.
"""

from __future__ import annotations

import json
from typing import Any

from headwater.errors import HeadwaterError
from headwater.storage import RunStatus
from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.config import check_launch, find_selected
from headwater.webserver.schema.modes import is_pipeline, modes_of, preset_of
from headwater.webserver.schema.registry import field, sdl, typed
from headwater.webserver.schema.runs import run_value

__all__: list[str] = []

sdl("""
input JobOrPipelineSelector {
  pipelineName: String
  jobName: String
  repositoryName: String!
  repositoryLocationName: String!
  solidSelection: [String!]
  assetSelection: [AssetKeyInput!]
}
input ExecutionMetadata { tags: [ExecutionTag!] rootRunId: String parentRunId: String }
input ExecutionParams {
  selector: JobOrPipelineSelector!
  "A JSON object or a YAML string."
  runConfigData: RunConfigData
  mode: String
  executionMetadata: ExecutionMetadata
  stepKeys: [String!]
  preset: String
}
enum ReexecutionStrategy { FROM_ASSET_FAILURE FROM_FAILURE ALL_STEPS }
input ReexecutionParams {
  parentRunId: String!
  strategy: ReexecutionStrategy!
  extraTags: [ExecutionTag!]
  useParentRunTags: Boolean
}

interface LaunchPipelineRunSuccess { run: Run! }
type LaunchRunSuccess implements LaunchPipelineRunSuccess { run: Run! }
type InvalidStepError { invalidStepKey: String! }
type InvalidOutputError { stepKey: String! invalidOutputName: String! }
interface PipelineRunConflict { message: String! }
type RunConflict implements Error & PipelineRunConflict { message: String! }
type PresetNotFoundError implements Error { message: String! preset: String! }
type ConflictingExecutionParamsError implements Error { message: String! }

union LaunchRunResult =
  LaunchRunSuccess | InvalidStepError | InvalidOutputError | RunConfigValidationInvalid
  | PipelineNotFoundError | RunConflict | UnauthorizedError | PythonError | InvalidSubsetError
  | PresetNotFoundError | ConflictingExecutionParamsError | NoModeProvidedError
  | ModeNotFoundError
union LaunchRunReexecutionResult =
  LaunchRunSuccess | InvalidStepError | InvalidOutputError | RunConfigValidationInvalid
  | PipelineNotFoundError | RunConflict | UnauthorizedError | PythonError | InvalidSubsetError
  | PresetNotFoundError | ConflictingExecutionParamsError | NoModeProvidedError
  | ModeNotFoundError

extend type Mutation {
  launchRun(executionParams: ExecutionParams!): LaunchRunResult!
  launchPipelineExecution(executionParams: ExecutionParams!): LaunchRunResult!
  launchRunReexecution(
    executionParams: ExecutionParams, reexecutionParams: ReexecutionParams
  ): LaunchRunReexecutionResult!
  launchPipelineReexecution(
    executionParams: ExecutionParams, reexecutionParams: ReexecutionParams
  ): LaunchRunReexecutionResult!
}
""")


def _tags(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["key"]: t["value"] for t in items or ()}


def _with_preset(info: Any, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with its preset's run config, mode, op selection and tags filled in, or
    the typed error: an unknown preset, or a preset given with run config or a mode."""
    name = params["preset"]
    selector = params["selector"]
    found = find_selected(info, selector)
    if isinstance(found, dict):
        return found
    job = found[1]
    preset = preset_of(job, name)
    if preset is None:
        return typed(
            "PresetNotFoundError",
            preset=name,
            message=f"Preset {name} not found in pipeline {job.name}",
        )
    if params.get("runConfigData") or params.get("mode") not in (None, preset.mode):
        return typed(
            "ConflictingExecutionParamsError",
            message=f"preset {name!r} gives the run config and the mode; give the preset "
            "alone, or runConfigData and mode without it",
        )
    metadata = dict(params.get("executionMetadata") or {})
    given = list(metadata.get("tags") or [])
    metadata["tags"] = [{"key": k, "value": str(v)} for k, v in preset.tags.items()] + given
    if preset.solid_selection and not selector.get("solidSelection"):
        selector = {**selector, "solidSelection": list(preset.solid_selection)}
    return {
        **params,
        "selector": selector,
        "runConfigData": dict(preset.run_config or {}),
        "mode": preset.mode,
        "executionMetadata": metadata,
        "preset": None,
    }


def _launch(info: Any, params: dict[str, Any], extra_tags: dict[str, str]) -> dict[str, Any]:
    from headwater.daemon import submit_run
    from headwater.daemon.submit import MODE_TAG, SELECTION_TAG

    if params.get("preset"):
        params = _with_preset(info, params)
        if "__typename" in params:
            return params
    selector = params["selector"]
    tags = {**_tags((params.get("executionMetadata") or {}).get("tags")), **extra_tags}
    mode = params.get("mode")
    checked = check_launch(info, selector, params.get("runConfigData"), tags, mode)
    if isinstance(checked, dict):
        return checked
    location, job, run_config = checked
    selection = selector.get("solidSelection")
    if selection:
        tags[SELECTION_TAG] = json.dumps(list(selection))
    if is_pipeline(location.jobs.get(job.name)):
        # The run worker loads the pipeline again and needs the mode to pick its job.
        tags[MODE_TAG] = mode or modes_of(location.jobs[job.name])[0]["name"]
    run = submit_run(
        info.context.instance,
        job_name=job.name,
        code=location.pointer,
        run_config=run_config,
        tags=tags,
    )
    return typed("LaunchRunSuccess", run=run_value(run))


@field("Mutation", "launchRun")
@field("Mutation", "launchPipelineExecution")
def _launch_run(_: Any, info: Any, executionParams: dict[str, Any]) -> dict[str, Any]:
    try:
        return _launch(info, executionParams, {})
    except Exception as exc:  # typed, never a bare 500
        return python_error(exc)


def _reexecute(info: Any, params: dict[str, Any] | None, how: dict[str, Any]) -> dict[str, Any]:
    from headwater.daemon.submit import MODE_TAG, POINTER_TAG, REEXECUTION_TAG, pointer_of

    instance = info.context.instance
    parent = instance.get_run(how["parentRunId"])
    if parent is None:
        return typed(
            "PythonError",
            message=f"Run {how['parentRunId']} could not be found.",
            className="RunNotFoundError",
            stack=[],
            cause=None,
            causes=[],
        )
    from_failure = how["strategy"] != "ALL_STEPS"
    if from_failure and parent.status not in (RunStatus.FAILURE, RunStatus.CANCELED):
        return typed(
            "ConflictingExecutionParamsError",
            message=f"run {parent.run_id} is {parent.status.value}; only a failed or canceled "
            "run can be re-executed from failure (use ALL_STEPS instead)",
        )
    pointer = pointer_of(parent)
    location = next(
        (
            loc
            for loc in info.context.workspace.locations.values()
            if pointer is not None and loc.pointer.absolute() == pointer.absolute()
        ),
        None,
    ) or next(
        (loc for loc in info.context.workspace.locations.values() if parent.job_name in loc.jobs),
        None,
    )
    if location is None:
        return typed(
            "PipelineNotFoundError",
            message=f"job {parent.job_name!r} of run {parent.run_id} is in no code location "
            "of this server",
            pipelineName=parent.job_name,
            repositoryName="",
            repositoryLocationName="",
        )
    keep_parent = how.get("useParentRunTags", True) is not False
    tags = {k: v for k, v in parent.tags.items() if keep_parent and not k.startswith("headwater/")}
    tags.update(_tags((params or {}).get("executionMetadata", {}).get("tags")))
    tags.update(_tags(how.get("extraTags")))
    tags[REEXECUTION_TAG] = json.dumps(
        {
            "parent_run_id": parent.run_id,
            "from_failure": from_failure,
            "step_selection": list((params or {}).get("stepKeys") or []),
        }
    )
    tags.pop(POINTER_TAG, None)
    # The queued record is made now, before the worker plans the re-execution: say whose.
    tags["dagster/parent_run_id"] = parent.run_id
    tags["dagster/root_run_id"] = parent.root_run_id or parent.run_id
    selector = {
        "jobName": parent.job_name,
        "repositoryLocationName": location.name,
        "repositoryName": "__repository__",
    }
    run_config = (params or {}).get("runConfigData") or dict(parent.run_config)
    launch = {
        "selector": selector,
        "runConfigData": run_config,
        "mode": parent.tags.get(MODE_TAG),
    }
    return _launch_tags(info, launch, tags)


def _launch_tags(info: Any, launch: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    try:
        return _launch(info, launch, tags)
    except HeadwaterError as exc:
        return python_error(exc)


@field("Mutation", "launchRunReexecution")
@field("Mutation", "launchPipelineReexecution")
def _launch_reexecution(
    _: Any,
    info: Any,
    executionParams: dict[str, Any] | None = None,
    reexecutionParams: dict[str, Any] | None = None,
) -> dict[str, Any]:
    try:
        if reexecutionParams is None:
            if executionParams is None:
                return typed(
                    "ConflictingExecutionParamsError",
                    message="give reexecutionParams {parentRunId, strategy}",
                )
            meta = executionParams.get("executionMetadata") or {}
            if not meta.get("parentRunId"):
                return typed(
                    "ConflictingExecutionParamsError",
                    message="give reexecutionParams, or executionMetadata.parentRunId",
                )
            how = {"parentRunId": meta["parentRunId"], "strategy": "ALL_STEPS"}
            return _reexecute(info, executionParams, how)
        return _reexecute(info, executionParams, reexecutionParams)
    except Exception as exc:
        return python_error(exc)
