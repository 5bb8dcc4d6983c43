"""Config as the schema describes it: a resource's config fields and schema, and the typed
errors of invalid run config (which field is missing or not expected, and where)."""

from __future__ import annotations

import json
from typing import Any

from tests.webserver.conftest import run_query

SELECTOR = {
    "repositoryName": "__repository__",
    "repositoryLocationName": "defs.py",
    "pipelineName": "my_job",
}
RESOURCES = """query($r: RepositorySelector!) { allTopLevelResourceDetailsOrError(
  repositorySelector: $r) { ... on ResourceDetailsList { results { name configSchema
  configFields { name description configTypeKey isRequired isSecret defaultValueAsJson }
  configuredValues { key value type } } } } }"""
VALID = """query($selector: PipelineSelector!, $config: RunConfigData) {
  isPipelineConfigValid(pipeline: $selector, mode: "default", runConfigData: $config) {
    __typename
    ... on RunConfigValidationInvalid {
      errors { __typename message path reason stack { entries {
          __typename ... on EvaluationStackPathEntry { fieldName } } }
        ... on FieldNotDefinedConfigError { fieldName }
        ... on FieldsNotDefinedConfigError { fieldNames }
        ... on MissingFieldConfigError { field { name configTypeKey isRequired } }
        ... on MissingFieldsConfigError { fields { name } } }
    }
  }
}"""


def test_a_configurable_resource_answers_its_config_schema_and_fields(context: Any) -> None:
    selector = {"repositoryName": "__repository__", "repositoryLocationName": "defs.py"}
    data = run_query(context, RESOURCES, r=selector)
    (db,) = data["allTopLevelResourceDetailsOrError"]["results"]
    schema = db["configSchema"]
    assert schema is not None, "a ConfigurableResource's config schema must be described"
    assert set(schema["properties"]) == {"user", "password"}
    assert schema["required"] == ["user", "password"]
    # The set values are the schema's default; the secret is named, never resolved.
    assert schema["default"] == {"user": "me", "password": {"env": "WEB_TEST_SECRET"}}
    assert "hunter2" not in json.dumps(data)
    assert [(f["name"], f["configTypeKey"], f["isRequired"]) for f in db["configFields"]] == [
        ("user", "StringSourceType", True),
        ("password", "StringSourceType", True),
    ]


def _errors(context: Any, config: Any) -> list[dict[str, Any]]:
    answer = run_query(context, VALID, selector=SELECTOR, config=config)
    result = answer["isPipelineConfigValid"]
    assert result["__typename"] == "RunConfigValidationInvalid"
    return list(result["errors"])


def _stack(error: dict[str, Any]) -> list[str]:
    return [e["fieldName"] for e in error["stack"]["entries"]]


def test_an_unknown_field_names_itself_and_the_mapping_it_is_in(context: Any) -> None:
    (error,) = _errors(context, {"ops": {"first": {"config": {"n": 1, "bogus": 2}}}})
    assert error["__typename"] == "FieldNotDefinedConfigError"
    assert error["reason"] == "FIELD_NOT_DEFINED"
    assert error["fieldName"] == "bogus"
    assert error["path"] == _stack(error) == ["ops", "first", "config"]
    assert error["message"] == 'ops.first.config: unknown field "bogus"; expected one of "n"'


def test_several_unknown_fields_of_one_mapping_are_one_error(context: Any) -> None:
    (error,) = _errors(context, {"ops": {"first": {"config": {"n": 1, "b": 2, "c": 3}}}})
    assert error["__typename"] == "FieldsNotDefinedConfigError"
    assert error["reason"] == "FIELDS_NOT_DEFINED"
    assert error["fieldNames"] == ["b", "c"]
    assert error["path"] == ["ops", "first", "config"]


def test_a_missing_field_is_described_from_the_job_schema(context: Any) -> None:
    (error,) = _errors(context, {"ops": {"first": {"config": {}}}})
    assert error["__typename"] == "MissingFieldConfigError"
    assert error["reason"] == "MISSING_REQUIRED_FIELD"
    assert error["field"] == {"name": "n", "configTypeKey": "Int", "isRequired": True}
    assert error["path"] == _stack(error) == ["ops", "first", "config"]


def test_a_wrong_type_points_at_the_value(context: Any) -> None:
    (error,) = _errors(context, {"ops": {"first": {"config": {"n": "x"}}}})
    assert error["__typename"] == "RuntimeMismatchConfigError"
    assert error["path"] == _stack(error) == ["ops", "first", "config", "n"]
