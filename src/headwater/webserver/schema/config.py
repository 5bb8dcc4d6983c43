"""Run config: its schema, and validation answering typed errors with paths and reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from headwater.config.types import AnyType, ConfigType
from headwater.errors import ConfigProblem, HeadwaterError, InvalidConfigError
from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.config_fields import field_at
from headwater.webserver.schema.modes import job_in_mode
from headwater.webserver.schema.registry import field, sdl, typed

__all__ = [
    "check_launch",
    "config_errors",
    "find_selected",
    "parse_run_config",
    "pipeline_not_found",
]

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
type RuntimeMismatchConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  valueRep: String
}
type MissingFieldConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  field: ConfigTypeField!
}
type MissingFieldsConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  fields: [ConfigTypeField!]!
}
"A field the config type does not define; path and stack lead to the mapping holding it."
type FieldNotDefinedConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  fieldName: String!
}
type FieldsNotDefinedConfigError implements PipelineConfigValidationError {
  message: String! path: [String!]! stack: EvaluationStack! reason: EvaluationErrorReason!
  fieldNames: [String!]!
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
  | PipelineNotFoundError | PythonError | ModeNotFoundError | NoModeProvidedError

type RunConfigSchema {
  "The run config's JSON Schema (for editors)."
  jsonSchema: GenericScalar!
  "The job's default run config, as YAML."
  rootDefaultYaml: String!
  isRunConfigValid(runConfigData: RunConfigData): PipelineConfigValidationResult!
}
type ModeNotFoundError implements Error { message: String! mode: String! }
"A legacy pipeline of several modes was given none."
type NoModeProvidedError implements Error { message: String! pipelineName: String! }
union RunConfigSchemaOrError =
  RunConfigSchema | PipelineNotFoundError | InvalidSubsetError | ModeNotFoundError | PythonError
  | NoModeProvidedError

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
    # without a field name (never made by the validator): the closest typed error
    "missing_field": ("RUNTIME_TYPE_MISMATCH", "RuntimeMismatchConfigError"),
    "unknown_field": ("RUNTIME_TYPE_MISMATCH", "RuntimeMismatchConfigError"),
    "selector_choice": ("SELECTOR_FIELD_ERROR", "SelectorTypeConfigError"),
}


def _path(dotted: str) -> list[str]:
    return [part for part in dotted.split(".") if part] if dotted else []


def _base(type_name: str, reason: str, path: list[str], message: str) -> dict[str, Any]:
    stack = [
        typed("EvaluationStackListItemEntry", listIndex=int(p))
        if p.isdigit()
        else typed("EvaluationStackPathEntry", fieldName=p)
        for p in path
    ]
    return typed(type_name, message=message, path=path, stack={"entries": stack}, reason=reason)


def _field_errors(
    code: str, path: str, group: list[ConfigProblem], schema: ConfigType | None
) -> dict[str, Any]:
    """The error for the fields missing from (or not expected in) the mapping at ``path``:
    one field answers the singular type, several the plural one, as clients expect."""
    names = [p.field_name or "" for p in group]
    message = f"{path or '<root>'}: " + "; ".join(p.message for p in group)
    where = _path(path)
    if code == "unknown_field":
        if len(group) == 1:
            error = _base("FieldNotDefinedConfigError", "FIELD_NOT_DEFINED", where, message)
            return {**error, "fieldName": names[0]}
        error = _base("FieldsNotDefinedConfigError", "FIELDS_NOT_DEFINED", where, message)
        return {**error, "fieldNames": names}
    fields = [field_at(schema or AnyType(), where, n) for n in names]
    if len(group) == 1:
        error = _base("MissingFieldConfigError", "MISSING_REQUIRED_FIELD", where, message)
        return {**error, "field": fields[0]}
    error = _base("MissingFieldsConfigError", "MISSING_REQUIRED_FIELDS", where, message)
    return {**error, "fields": fields}


def _error(problem: ConfigProblem) -> dict[str, Any]:
    reason, type_name = _REASONS.get(problem.code, _REASONS["invalid_value"])
    error = _base(type_name, reason, _path(problem.path), str(problem))
    if type_name == "RuntimeMismatchConfigError":
        error["valueRep"] = None
    else:
        error["incomingFields"] = []
    return error


def config_errors(
    job_name: str, problems: Sequence[ConfigProblem], schema: ConfigType | None = None
) -> dict[str, Any]:
    """``RunConfigValidationInvalid`` for these problems; ``schema`` (the job's run config
    schema) describes the fields a ``MissingFieldConfigError`` names."""
    errors: list[dict[str, Any]] = []
    grouped: dict[tuple[str, str], list[ConfigProblem]] = {}
    for problem in problems:
        if problem.code in ("unknown_field", "missing_field") and problem.field_name:
            key = (problem.code, problem.path)
            if key not in grouped:
                grouped[key] = []
                errors.append({"_group": key})  # placed where its first problem was
            grouped[key].append(problem)
        else:
            errors.append(_error(problem))
    return typed(
        "RunConfigValidationInvalid",
        pipelineName=job_name,
        errors=[
            _field_errors(e["_group"][0], e["_group"][1], grouped[e["_group"]], schema)
            if "_group" in e
            else e
            for e in errors
        ],
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


def find_selected(info: Any, selector: Mapping[str, Any]) -> tuple[Any, Any] | dict[str, Any]:
    """The location and job (or legacy pipeline) a selector names, or
    ``PipelineNotFoundError``."""
    job_name = selector.get("pipelineName") or selector.get("jobName")
    if not job_name:
        return pipeline_not_found(selector, "the selector names no job: give jobName")
    try:
        found: tuple[Any, Any] = info.context.workspace.find_job(
            job_name, selector.get("repositoryLocationName")
        )
    except KeyError as exc:
        return pipeline_not_found(selector, str(exc.args[0]))
    return found


def check_launch(
    info: Any,
    selector: Mapping[str, Any],
    run_config: Any,
    tags: Mapping[str, str],
    mode: str | None = None,
) -> tuple[Any, Any, Mapping[str, Any]] | dict[str, Any]:
    """The location, job and run config of a launch in ``mode``, or the typed error that
    refuses it (the job is the one that runs: a legacy pipeline's job in that mode)."""
    from headwater.execution.executors import split_execution
    from headwater.execution.run import prepare_run

    found = find_selected(info, selector)
    if isinstance(found, dict):
        return found
    location, job = found
    job_name = job.name
    parsed = parse_run_config(run_config)
    if isinstance(parsed, ConfigProblem):
        return config_errors(job_name, [parsed])
    job = job_in_mode(job, mode)
    if isinstance(job, dict):
        return job
    try:
        prepare_run(
            job,
            run_config=split_execution(dict(parsed))[0],
            op_selection=selector.get("solidSelection") or None,
            partition_key=tags.get("dagster/partition"),
        )
    except InvalidConfigError as exc:
        return config_errors(job_name, exc.problems, job.run_config_schema)
    except HeadwaterError as exc:
        return typed("InvalidSubsetError", message=str(exc))
    return location, job, parsed


@field("Query", "isPipelineConfigValid")
def _is_valid(
    _: Any, info: Any, pipeline: dict[str, Any], mode: str | None = None, runConfigData: Any = None
) -> dict[str, Any]:
    try:
        checked = check_launch(info, pipeline, runConfigData, {}, mode)
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
    job = job_in_mode(job, mode)
    if isinstance(job, dict):
        return job
    defaults = dict(job.config or {}) if isinstance(job.config, Mapping) else {}
    return typed(
        "RunConfigSchema",
        jsonSchema=to_json_schema(job.run_config_schema),
        rootDefaultYaml=yaml.safe_dump(defaults, sort_keys=False) if defaults else "",
        _selector=selector,
        _mode=mode,
    )


@field("RunConfigSchema", "isRunConfigValid")
def _schema_valid(parent: dict[str, Any], info: Any, runConfigData: Any = None) -> dict[str, Any]:
    return _is_valid(None, info, parent["_selector"], parent["_mode"], runConfigData)
