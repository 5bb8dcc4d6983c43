"""Launching over GraphQL: config as a mapping or YAML, typed config errors (nothing is
queued), op selection and re-execution carried to the run worker."""

from __future__ import annotations

from typing import Any

from tests.webserver.conftest import run_query

from headwater.daemon.worker import start_queued_run
from headwater.events import EventType
from headwater.storage import RunStatus

SELECTOR = {"repositoryName": "__repository__", "repositoryLocationName": "defs.py"}
LAUNCH = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId status tags { key value } } }
    ... on RunConfigValidationInvalid {
      pipelineName
      errors { __typename message path reason
        ... on FieldNotDefinedConfigError { fieldName }
        ... on MissingFieldConfigError { field { name } } }
    }
    ... on PipelineNotFoundError { message }
    ... on InvalidSubsetError { message }
  }
}
"""
VALID = """
query($selector: PipelineSelector!, $config: RunConfigData) {
  isPipelineConfigValid(pipeline: $selector, mode: "default", runConfigData: $config) {
    __typename
    ... on PipelineConfigValidationValid { pipelineName }
    ... on RunConfigValidationInvalid { errors { message path reason } }
  }
}
"""


def _launch(context: Any, job: str, config: Any, **extra: Any) -> dict[str, Any]:
    params = {"selector": {**SELECTOR, "jobName": job, **extra}, "runConfigData": config}
    return run_query(context, LAUNCH, params=params)["launchRun"]


def _steps_started(context: Any, run_id: str) -> list[str]:
    events = context.instance.run_events(run_id)
    return [e.step_key for e in events if e.event_type is EventType.STEP_START]


def test_launch_queues_a_run_with_config_as_yaml_and_tags(context: Any) -> None:
    params = {
        "selector": {**SELECTOR, "pipelineName": "my_job"},
        "runConfigData": "ops:\n  first:\n    config:\n      n: 4\n",
        "executionMetadata": {"tags": [{"key": "team", "value": "data"}]},
    }
    answer = run_query(context, LAUNCH, params=params)["launchRun"]
    assert answer["__typename"] == "LaunchRunSuccess"
    run = context.instance.get_run(answer["run"]["runId"])
    assert run.status is RunStatus.QUEUED
    assert run.run_config == {"ops": {"first": {"config": {"n": 4}}}}
    assert run.tags["team"] == "data"


def test_invalid_config_answers_typed_errors_and_queues_nothing(context: Any) -> None:
    answer = _launch(context, "my_job", {"ops": {"first": {"config": {"m": 1}}}})
    assert answer["__typename"] == "RunConfigValidationInvalid"
    by_type = {e["__typename"]: e for e in answer["errors"]}
    unknown = by_type["FieldNotDefinedConfigError"]
    assert unknown["reason"] == "FIELD_NOT_DEFINED"
    assert unknown["path"][:3] == ["ops", "first", "config"]
    missing = by_type["MissingFieldConfigError"]
    assert missing["reason"] == "MISSING_REQUIRED_FIELD"
    assert context.instance.get_runs() == []
    not_yaml = _launch(context, "my_job", "ops: [unclosed")
    assert not_yaml["__typename"] == "RunConfigValidationInvalid"
    assert "not valid YAML" in not_yaml["errors"][0]["message"]
    assert _launch(context, "nope", {})["__typename"] == "PipelineNotFoundError"
    assert context.instance.get_runs() == []


def test_is_pipeline_config_valid_and_the_config_schema(context: Any) -> None:
    selector = {**SELECTOR, "pipelineName": "my_job"}
    good = run_query(context, VALID, selector=selector, config="ops: {first: {config: {n: 1}}}")
    assert good["isPipelineConfigValid"] == {
        "__typename": "PipelineConfigValidationValid",
        "pipelineName": "my_job",
    }
    bad = run_query(
        context, VALID, selector=selector, config={"ops": {"first": {"config": {"n": "x"}}}}
    )["isPipelineConfigValid"]
    assert bad["errors"] == [
        {
            "message": 'ops.first.config.n: expected int, got str "x"',
            "path": ["ops", "first", "config", "n"],
            "reason": "RUNTIME_TYPE_MISMATCH",
        }
    ]
    schema = run_query(
        context,
        "query($s: PipelineSelector!) { runConfigSchemaOrError(selector: $s) { __typename "
        "... on RunConfigSchema { jsonSchema rootDefaultYaml } } }",
        s=selector,
    )["runConfigSchemaOrError"]
    assert schema["__typename"] == "RunConfigSchema"
    assert "ops" in schema["jsonSchema"]["properties"]


def test_op_selection_reaches_the_run_worker(context: Any) -> None:
    answer = _launch(
        context, "my_job", {"ops": {"first": {"config": {"n": 1}}}}, solidSelection=["first"]
    )
    run_id = answer["run"]["runId"]
    assert start_queued_run(context.instance, run_id)
    assert _steps_started(context, run_id) == ["first"]
    bad = _launch(context, "my_job", {}, solidSelection=["nope"])
    assert bad["__typename"] == "InvalidSubsetError"


def test_reexecution_from_failure_reruns_the_failed_steps(context: Any) -> None:
    _location, job = context.workspace.find_job("flaky_job")
    parent = job.execute_in_process(
        run_config={"ops": {"flaky": {"config": {"fail": True}}}},
        instance=context.instance,
        raise_on_error=False,
    )
    assert not parent.success
    mutation = """
    mutation($params: ExecutionParams, $how: ReexecutionParams) {
      launchRunReexecution(executionParams: $params, reexecutionParams: $how) {
        __typename ... on LaunchRunSuccess { run { runId } }
        ... on ConflictingExecutionParamsError { message }
      }
    }"""
    params = {
        "selector": {**SELECTOR, "jobName": "flaky_job"},
        "runConfigData": {"ops": {"flaky": {"config": {"fail": False}}}},
    }
    how = {"parentRunId": parent.run_id, "strategy": "FROM_FAILURE"}
    answer = run_query(context, mutation, params=params, how=how)["launchRunReexecution"]
    child = answer["run"]["runId"]
    assert start_queued_run(context.instance, child)
    run = context.instance.get_run(child)
    assert run.status is RunStatus.SUCCESS
    assert run.tags["dagster/parent_run_id"] == parent.run_id
    assert sorted(_steps_started(context, child)) == ["after", "flaky"]
    again = run_query(
        context, mutation, params=None, how={"parentRunId": child, "strategy": "FROM_FAILURE"}
    )
    assert again["launchRunReexecution"]["__typename"] == "ConflictingExecutionParamsError"


def test_execution_plan_and_a_runs_step_stats(context: Any) -> None:
    query = """query($s: PipelineSelector!) { executionPlanOrError(pipeline: $s, mode: "default") {
      __typename ... on ExecutionPlan { steps { key kind outputs { name }
        inputs { name dependsOn { key } } } } } }"""
    plan = run_query(context, query, s={**SELECTOR, "pipelineName": "my_job"})
    steps = {s["key"]: s for s in plan["executionPlanOrError"]["steps"]}
    assert steps["second"]["inputs"] == [{"name": "x", "dependsOn": [{"key": "first"}]}]
    assert steps["first"]["outputs"] == [{"name": "result"}]
    _location, job = context.workspace.find_job("flaky_job")
    result = job.execute_in_process(
        run_config={"ops": {"flaky": {"config": {"fail": True}}}},
        instance=context.instance,
        raise_on_error=False,
    )
    stats = run_query(
        context,
        "query($id: ID!) { runOrError(runId: $id) { ... on Run { stepStats { stepKey status "
        "startTime endTime } executionPlan { steps { key } } "
        "stats { ... on RunStatsSnapshot { stepsSucceeded stepsFailed endTime } } } } }",
        id=result.run_id,
    )["runOrError"]
    by_step = {s["stepKey"]: s for s in stats["stepStats"]}
    assert by_step["flaky"]["status"] == "FAILURE"
    assert by_step["flaky"]["startTime"] <= by_step["flaky"]["endTime"]
    assert [s["key"] for s in stats["executionPlan"]["steps"]] == ["flaky", "after"]
    assert stats["stats"]["stepsFailed"] == 1 and stats["stats"]["stepsSucceeded"] == 0
    assert stats["stats"]["endTime"] is not None
