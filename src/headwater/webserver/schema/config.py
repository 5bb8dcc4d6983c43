"""Run config: its schema, and validation answering typed errors with paths and reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from headwater.errors import ConfigProblem, HeadwaterError, InvalidConfigError
from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.registry import field, sdl, typed

__all__ = ["check_launch", "config_errors", "parse_run_config", "pipeline_not_found"]

sdl("""
input PipelineSelector {
  pipelineName: String!
  repositoryName: String!
  repositoryLocationName: String!
  solidSelection: [String!]
  assetSelection: [AssetKeyInput!]
}

enum EvaluationErrorReason {
  RUNTIME_TYPE_MISMATCH MISSING_REQUIRED_FIELD MISSING_REQUIRED_FIELDS
  FIELD_NOT_DEFINED FIELDS_NOT_DEFINED SELECTOR_FIELD_ERROR
}
type EvaluationStackPathEntry { fieldName: String! }
type EvaluationStackListItemEntry { listIndex: Int! }
union EvaluationStackEntry = EvaluationStackPathEntry | EvaluationStackListItemEntry
type EvaluationStack { entries: [EvaluationStackEntry!]! }

interface PipelineConfigValidationError {
  message: String!
  path: [String!]!
  stack: EvaluationStack!
  reason: EvaluationErrorReason!
}
type ConfigTypeField { name: String! }
type RuntimeMismatchConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  valueRep: String
}
type MissingFieldConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  field: ConfigTypeField!
}
type FieldNotDefinedConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  fieldName: String!
}
type SelectorTypeConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  incomingFields: [String!]!
}

interface PipelineConfigValidationInvalid {
  pipelineName: String!
  errors: [PipelineConfigValidationError!]!
}
type RunConfigValidationInvalid implements PipelineConfigValidationInvalid {
  pipelineName: String!
  errors: [PipelineConfigValidationError!]!
}
type PipelineConfigValidationValid { pipelineName: String! }
type PipelineNotFoundError implements Error {
  message: String!
  pipelineName: String!
  repositoryName: String!
  repositoryLocationName: String!
}
type InvalidSubsetError implements Error { message: String! }
union PipelineConfigValidationResult =
  InvalidSubsetError | PipelineConfigValidationValid | RunConfigValidationInvalid
  | PipelineNotFoundError | PythonError

type RunConfigSchema {
  "The run config's JSON Schema (for editors)."
  jsonSchema: GenericScalar!
  "The job's default run config, as YAML."
  rootDefaultYaml: String!
  isRunConfigValid(runConfigData: RunConfigData): PipelineConfigValidationResult!
}
type ModeNotFoundError implements Error { message: String! mode: String! }
union RunConfigSchemaOrError =
  RunConfigSchema | PipelineNotFoundError | InvalidSubsetError | ModeNotFoundError | PythonError

extend type Query {
  "Run config may be a JSON object or a YAML string."
  isPipelineConfigValid(
    pipeline: PipelineSelector!, mode: String, runConfigData: RunConfigData
  ): PipelineConfigValidationResult!
  runConfigSchemaOrError(selector: PipelineSelector!, mode: String): RunConfigSchemaOrError!
}
""")

_REASONS = {
    "wrong_type": ("RUNTIME_TYPE_MISMATCH", "RuntimeMismatchConfigError"),
    "invalid_value": ("RUNTIME_TYPE_MISMATCH", "RuntimeMismatchConfigError"),
    "env_unset": ("RUNTIME_TYPE_MISMATCH", "RuntimeMismatchConfigError"),
    "missing_field": ("MISSING_REQUIRED_FIELD", "MissingFieldConfigError"),
    "unknown_field": ("FIELD_NOT_DEFINED", "FieldNotDefinedConfigError"),
    "selector_choice": ("SELECTOR_FIELD_ERROR", "SelectorTypeConfigError"),
}


def _path(dotted: str) -> list[str]:
    return [part for part in dotted.split(".") if part] if dotted else []


def _error(problem: ConfigProblem) -> dict[str, Any]:
    reason, type_name = _REASONS.get(problem.code, _REASONS["invalid_value"])
    path = _path(problem.path)
    stack = [
        typed("EvaluationStackListItemEntry", listIndex=int(p))
        if p.isdigit()
        else typed("EvaluationStackPathEntry", fieldName=p)
        for p in path
    ]
    last = path[-1] if path else ""
    return typed(
        type_name,
        message=str(problem),
        path=path,
        stack={"entries": stack},
        reason=reason,
        valueRep=None,
        field={"name": last},
        fieldName=last,
        incomingFields=[],
    )


def config_errors(job_name: str, problems: Sequence[ConfigProblem]) -> dict[str, Any]:
    """``RunConfigValidationInvalid`` for these problems."""
    return typed(
        "RunConfigValidationInvalid",
        pipelineName=job_name,
        errors=[_error(p) for p in problems],
    )


def parse_run_config(value: Any) -> Mapping[str, Any] | ConfigProblem:
    """Run config given as a mapping or a YAML string; a problem when it is neither."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            return ConfigProblem("", f"run config is not valid YAML: {exc}", "invalid_value")
        if value is None:
            return {}
    if not isinstance(value, Mapping):
        return ConfigProblem(
            "", f"run config must be a mapping, got {type(value).__name__}", "wrong_type"
        )
    return value


def pipeline_not_found(selector: Mapping[str, Any], message: str) -> dict[str, Any]:
    return typed(
        "PipelineNotFoundError",
        message=message,
        pipelineName=selector.get("pipelineName") or selector.get("jobName") or "",
        repositoryName=selector.get("repositoryName", ""),
        repositoryLocationName=selector.get("repositoryLocationName", ""),
    )


def check_launch(
    info: Any, selector: Mapping[str, Any], run_config: Any, tags: Mapping[str, str]
) -> tuple[Any, Any, Mapping[str, Any]] | dict[str, Any]:
    """The location, job and run config of a launch, or the typed error that refuses it."""
    from headwater.execution.executors import split_execution
    from headwater.execution.run import prepare_run

    job_name = selector.get("pipelineName") or selector.get("jobName")
    if not job_name:
        return pipeline_not_found(selector, "the selector names no job: give jobName")
    try:
        location, job = info.context.workspace.find_job(
            job_name, selector.get("repositoryLocationName")
        )
    except KeyError as exc:
        return pipeline_not_found(selector, str(exc.args[0]))
    parsed = parse_run_config(run_config)
    if isinstance(parsed, ConfigProblem):
        return config_errors(job_name, [parsed])
    if hasattr(job, "get_job"):  # a legacy pipeline: its default mode
        job = job.get_job(None)
    try:
        prepare_run(
            job,
            run_config=split_execution(dict(parsed))[0],
            op_selection=selector.get("solidSelection") or None,
            partition_key=tags.get("dagster/partition"),
        )
    except InvalidConfigError as exc:
        return config_errors(job_name, exc.problems)
    except HeadwaterError as exc:
        return typed("InvalidSubsetError", message=str(exc))
    return location, job, parsed


@field("Query", "isPipelineConfigValid")
def _is_valid(
    _: Any, info: Any, pipeline: dict[str, Any], mode: str | None = None, runConfigData: Any = None
) -> dict[str, Any]:
    try:
        checked = check_launch(info, pipeline, runConfigData, {})
    except Exception as exc:
        return python_error(exc)
    if isinstance(checked, dict):
        return checked
    return typed("PipelineConfigValidationValid", pipelineName=checked[1].name)


@field("Query", "runConfigSchemaOrError")
def _schema(_: Any, info: Any, selector: dict[str, Any], mode: str | None = None) -> dict[str, Any]:
    from headwater.config import to_json_schema

    try:
        _location, job = info.context.workspace.find_job(
            selector["pipelineName"], selector.get("repositoryLocationName")
        )
    except KeyError as exc:
        return pipeline_not_found(selector, str(exc.args[0]))
    if hasattr(job, "get_job"):
        job = job.get_job(None)
    defaults = dict(job.config or {}) if isinstance(job.config, Mapping) else {}
    return typed(
        "RunConfigSchema",
        jsonSchema=to_json_schema(job.run_config_schema),
        rootDefaultYaml=yaml.safe_dump(defaults, sort_keys=False) if defaults else "",
        _selector=selector,
    )


@field("RunConfigSchema", "isRunConfigValid")
def _schema_valid(parent: dict[str, Any], info: Any, runConfigData: Any = None) -> dict[str, Any]:
    return _is_valid(None, info, parent["_selector"], None, runConfigData)
