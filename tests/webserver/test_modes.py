"""Legacy pipelines over GraphQL: jobs and pipelines told apart, a mode picks the config
schema, the validation and the job a launched run runs; presets launch their saved config."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.conftest import run_query, server_context

from headwater.daemon.worker import start_queued_run
from headwater.storage import RunStatus

MODES_DEFS = """
import headwater as dg

@dg.resource(config_schema={"prefix": str})
def greeter(context):
    return context.resource_config["prefix"]

@dg.resource
def loud(_):
    return "LOUD"

@dg.solid(required_resource_keys={"greeter"})
def hello(context):
    context.log.info("said " + context.resources.greeter)
    return context.resources.greeter

@dg.solid
def after(x):
    return x

@dg.pipeline(
    mode_defs=[
        dg.ModeDefinition("dev", resource_defs={"greeter": greeter}, description="local"),
        dg.ModeDefinition("prod", resource_defs={"greeter": loud}),
    ],
    preset_defs=[
        dg.PresetDefinition(
            "dev_hi",
            run_config={"resources": {"greeter": {"config": {"prefix": "hi"}}}},
            mode="dev",
            tags={"preset": "yes"},
        )
    ],
)
def greet():
    after(hello())

@dg.op
def one():
    return 1

@dg.job
def plain_job():
    one()
"""

SELECTOR = {
    "repositoryName": "__repository__",
    "repositoryLocationName": "defs.py",
    "pipelineName": "greet",
}
DEV_CONFIG = {"resources": {"greeter": {"config": {"prefix": "yo"}}}}
LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename
  ... on LaunchRunSuccess { run { runId mode runConfigYaml tags { key value } } }
  ... on RunConfigValidationInvalid { errors { message } }
  ... on Error { message }
} }"""


@pytest.fixture
def modes_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    (tmp_path / "defs.py").write_text(MODES_DEFS)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    with server_context(tmp_path) as made:
        yield made


def _launch(context: Any, **params: Any) -> dict[str, Any]:
    answer = run_query(context, LAUNCH, params={"selector": SELECTOR, **params})
    return dict(answer["launchRun"])


def _logged(context: Any, run_id: str) -> list[str]:
    return [e.message for e in context.instance.run_events(run_id)]


def test_repositories_tell_jobs_from_legacy_pipelines(modes_context: Any) -> None:
    query = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
      pipelines { name isJob } jobs { name isJob } } } } }"""
    (repo,) = run_query(modes_context, query)["repositoriesOrError"]["nodes"]
    expected = [{"name": "greet", "isJob": False}, {"name": "plain_job", "isJob": True}]
    assert repo["pipelines"] == expected
    assert repo["jobs"] == expected


def test_a_repositorys_pipelines_resolve_their_modes_and_ops(modes_context: Any) -> None:
    query = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
      pipelines { name modes { name } solids { name } } } } } }"""
    (repo,) = run_query(modes_context, query)["repositoriesOrError"]["nodes"]
    greet = next(p for p in repo["pipelines"] if p["name"] == "greet")
    assert len(greet["modes"]) > 1 and greet["solids"]


def test_a_pipeline_answers_its_modes_and_presets(modes_context: Any) -> None:
    query = """query($s: PipelineSelector!) { pipelineOrError(params: $s) { ... on Pipeline {
      isJob modes { name description } presets { name mode runConfigYaml solidSelection
      tags { key value } } } } }"""
    pipeline = run_query(modes_context, query, s=SELECTOR)["pipelineOrError"]
    assert pipeline["isJob"] is False
    assert pipeline["modes"] == [
        {"name": "dev", "description": "local"},
        {"name": "prod", "description": None},
    ]
    assert pipeline["presets"] == [
        {
            "name": "dev_hi",
            "mode": "dev",
            "runConfigYaml": "resources:\n  greeter:\n    config:\n      prefix: hi\n",
            "solidSelection": None,
            "tags": [{"key": "preset", "value": "yes"}],
        }
    ]


def test_the_mode_picks_the_config_schema_and_the_validation(modes_context: Any) -> None:
    schema_query = """query($s: PipelineSelector!, $m: String) {
      runConfigSchemaOrError(selector: $s, mode: $m) {
        __typename ... on RunConfigSchema { jsonSchema isRunConfigValid { __typename } }
        ... on Error { message } } }"""
    dev = run_query(modes_context, schema_query, s=SELECTOR, m="dev")["runConfigSchemaOrError"]
    prod = run_query(modes_context, schema_query, s=SELECTOR, m="prod")["runConfigSchemaOrError"]
    assert "resources" in dev["jsonSchema"]["required"]
    assert "resources" not in prod["jsonSchema"].get("required", [])
    # Empty config: dev's greeter needs its prefix, prod's takes no config.
    assert dev["isRunConfigValid"]["__typename"] == "RunConfigValidationInvalid"
    assert prod["isRunConfigValid"]["__typename"] == "PipelineConfigValidationValid"
    unknown = run_query(modes_context, schema_query, s=SELECTOR, m="qa")["runConfigSchemaOrError"]
    assert unknown == {
        "__typename": "ModeNotFoundError",
        "message": "Mode qa not found in pipeline greet: its modes are ['dev', 'prod']",
    }


def test_launching_in_a_mode_runs_that_mode(modes_context: Any) -> None:
    answer = _launch(modes_context, mode="prod")
    assert answer["__typename"] == "LaunchRunSuccess", answer
    assert answer["run"]["mode"] == "prod"
    run_id = answer["run"]["runId"]
    assert start_queued_run(modes_context.instance, run_id)
    assert "said LOUD" in _logged(modes_context, run_id)
    dev = _launch(modes_context, mode="dev", runConfigData=DEV_CONFIG)
    assert dev["run"]["mode"] == "dev"
    assert start_queued_run(modes_context.instance, dev["run"]["runId"])
    assert "said yo" in _logged(modes_context, dev["run"]["runId"])


def test_a_launch_without_a_valid_mode_queues_nothing(modes_context: Any) -> None:
    none = _launch(modes_context)
    assert none["__typename"] == "NoModeProvidedError"
    assert "choose one with mode" in none["message"]
    assert _launch(modes_context, mode="qa")["__typename"] == "ModeNotFoundError"
    bad = _launch(modes_context, mode="dev")  # dev needs the greeter's prefix
    assert bad["__typename"] == "RunConfigValidationInvalid"
    assert modes_context.instance.get_runs() == []


def test_a_preset_launches_its_config_mode_and_tags(modes_context: Any) -> None:
    answer = _launch(modes_context, preset="dev_hi")
    assert answer["__typename"] == "LaunchRunSuccess", answer
    run = answer["run"]
    assert run["mode"] == "dev"
    assert {"key": "preset", "value": "yes"} in run["tags"]
    assert start_queued_run(modes_context.instance, run["runId"])
    assert "said hi" in _logged(modes_context, run["runId"])
    missing = _launch(modes_context, preset="nope")
    assert missing == {
        "__typename": "PresetNotFoundError",
        "message": "Preset nope not found in pipeline greet",
    }
    both = _launch(modes_context, preset="dev_hi", runConfigData=DEV_CONFIG)
    assert both["__typename"] == "ConflictingExecutionParamsError"


def test_a_reexecution_keeps_the_mode(modes_context: Any) -> None:
    parent = _launch(modes_context, mode="prod")["run"]["runId"]
    assert start_queued_run(modes_context.instance, parent)
    query = """mutation($p: ReexecutionParams!) { launchRunReexecution(reexecutionParams: $p) {
      __typename ... on LaunchRunSuccess { run { runId mode } } ... on Error { message } } }"""
    params = {"parentRunId": parent, "strategy": "ALL_STEPS"}
    answer = run_query(modes_context, query, p=params)["launchRunReexecution"]
    assert answer["run"]["mode"] == "prod", answer
    child = answer["run"]["runId"]
    assert start_queued_run(modes_context.instance, child)
    run = modes_context.instance.get_run(child)
    assert run is not None and run.status is RunStatus.SUCCESS
    assert "said LOUD" in _logged(modes_context, child)


def test_steps_in_their_own_processes_load_the_mode_too(modes_context: Any) -> None:
    config: dict[str, Any] = {"execution": {"config": {"multiprocess": {}}}}
    answer = _launch(modes_context, mode="prod", runConfigData=config)
    assert answer["__typename"] == "LaunchRunSuccess", answer
    run_id = answer["run"]["runId"]
    assert start_queued_run(modes_context.instance, run_id)
    assert "said LOUD" in _logged(modes_context, run_id)


def test_runs_filter_by_mode(modes_context: Any) -> None:
    prod = _launch(modes_context, mode="prod")["run"]["runId"]
    dev = _launch(modes_context, mode="dev", runConfigData=DEV_CONFIG)["run"]["runId"]
    query = """query($f: RunsFilter) { runsOrError(filter: $f) {
      ... on Runs { results { runId mode } } } }"""

    def ids(mode: str) -> list[str]:
        runs = run_query(modes_context, query, f={"mode": mode})["runsOrError"]["results"]
        return [r["runId"] for r in runs]

    assert ids("prod") == [prod]
    assert ids("dev") == [dev]
    assert ids("default") == []


def test_the_plan_of_a_pipeline_and_of_its_runs(modes_context: Any) -> None:
    plan = """query($s: PipelineSelector!, $m: String) {
      executionPlanOrError(pipeline: $s, mode: $m) {
        __typename ... on ExecutionPlan { steps { key } } ... on Error { message } } }"""
    for mode in (None, "prod"):
        answer = run_query(modes_context, plan, s=SELECTOR, m=mode)["executionPlanOrError"]
        assert answer == {
            "__typename": "ExecutionPlan",
            "steps": [{"key": "hello"}, {"key": "after"}],
        }
    unknown = run_query(modes_context, plan, s=SELECTOR, m="qa")["executionPlanOrError"]
    assert unknown["__typename"] == "ModeNotFoundError"
    run_id = _launch(modes_context, mode="prod")["run"]["runId"]
    query = """query($id: ID!) { runOrError(runId: $id) { ... on Run {
      executionPlan { steps { key } } } } }"""
    run = run_query(modes_context, query, id=run_id)["runOrError"]
    assert run["executionPlan"]["steps"] == [{"key": "hello"}, {"key": "after"}]
