"""Runs over GraphQL: look-ups, filters and pages, termination, deletion, read-only."""

from __future__ import annotations

from typing import Any

from tests.webserver.conftest import run_query

from headwater.storage import Run, RunStatus

RUNS = """
query($filter: RunsFilter, $cursor: String, $limit: Int) {
  runsOrError(filter: $filter, cursor: $cursor, limit: $limit) {
    __typename
    ... on Runs { results { runId status jobName tags { key value } } count }
    ... on InvalidPipelineRunsFilterError { message }
  }
}
"""


def _add(context: Any, run_id: str, job: str, status: RunStatus, when: float, **tags: str) -> None:
    context.instance.add_runs(
        [Run(run_id=run_id, job_name=job, status=status, tags=tags, create_time=when)]
    )


def test_runs_filter_by_status_job_and_tag_and_page_by_cursor(context: Any) -> None:
    for i in range(5):
        status = RunStatus.SUCCESS if i % 2 else RunStatus.FAILURE
        _add(context, f"run-{i}", "my_job" if i < 4 else "sleepy", status, 100.0 + i, n=str(i))
    first = run_query(context, RUNS, limit=2)["runsOrError"]
    assert [r["runId"] for r in first["results"]] == ["run-4", "run-3"]
    rest = run_query(context, RUNS, limit=10, cursor="run-3")["runsOrError"]
    assert [r["runId"] for r in rest["results"]] == ["run-2", "run-1", "run-0"]
    failed = run_query(context, RUNS, filter={"statuses": ["FAILURE"], "pipelineName": "my_job"})
    assert [r["runId"] for r in failed["runsOrError"]["results"]] == ["run-2", "run-0"]
    tagged = run_query(context, RUNS, filter={"tags": [{"key": "n", "value": "3"}]})
    assert [r["runId"] for r in tagged["runsOrError"]["results"]] == ["run-3"]
    created = run_query(context, RUNS, filter={"createdAfter": 102.5}, limit=1)["runsOrError"]
    assert [r["runId"] for r in created["results"]] == ["run-4"]
    assert created["count"] == 2
    bad = run_query(context, RUNS, cursor="nope")["runsOrError"]
    assert bad["__typename"] == "InvalidPipelineRunsFilterError"
    assert "nope" in bad["message"]


def test_run_or_error_and_delete_run(context: Any) -> None:
    _add(context, "r1", "my_job", RunStatus.SUCCESS, 1.0)
    query = "query($id: ID!) { runOrError(runId: $id) { __typename ... on Run { runId status } "
    query += "... on RunNotFoundError { runId message } } }"
    assert run_query(context, query, id="r1")["runOrError"]["status"] == "SUCCESS"
    missing = run_query(context, query, id="zzz")["runOrError"]
    assert missing == {
        "__typename": "RunNotFoundError",
        "runId": "zzz",
        "message": "Run zzz could not be found.",
    }
    delete = "mutation($id: String!) { deleteRun(runId: $id) { __typename "
    delete += "... on DeletePipelineRunSuccess { runId } ... on RunNotFoundError { message } } }"
    assert run_query(context, delete, id="r1")["deleteRun"]["runId"] == "r1"
    assert context.instance.get_run("r1") is None
    assert run_query(context, delete, id="r1")["deleteRun"]["__typename"] == "RunNotFoundError"


def test_terminate_a_queued_run_cancels_it_and_a_finished_one_fails(context: Any) -> None:
    _add(context, "q", "my_job", RunStatus.QUEUED, 1.0)
    _add(context, "done", "my_job", RunStatus.SUCCESS, 1.0)
    mutation = "mutation($id: String!) { terminateRun(runId: $id) { __typename "
    mutation += "... on TerminateRunSuccess { run { status } } "
    mutation += "... on TerminateRunFailure { message } } }"
    assert run_query(context, mutation, id="q")["terminateRun"] == {
        "__typename": "TerminateRunSuccess",
        "run": {"status": "CANCELED"},
    }
    failure = run_query(context, mutation, id="done")["terminateRun"]
    assert failure["__typename"] == "TerminateRunFailure"
    assert "already finished" in failure["message"]


def test_read_only_refuses_every_mutation_with_a_typed_error(context: Any) -> None:
    context.read_only = True
    _add(context, "q", "my_job", RunStatus.QUEUED, 1.0)
    for mutation in (
        'mutation { terminateRun(runId: "q") { __typename ... on UnauthorizedError { message } } }',
        'mutation { deleteRun(runId: "q") { __typename ... on UnauthorizedError { message } } }',
        "mutation { reloadWorkspace { __typename ... on UnauthorizedError { message } } }",
        'mutation { launchRun(executionParams: {selector: {jobName: "my_job", '
        'repositoryName: "__repository__", repositoryLocationName: "defs.py"}}) '
        "{ __typename ... on UnauthorizedError { message } } }",
    ):
        (answer,) = run_query(context, mutation).values()
        assert answer["__typename"] == "UnauthorizedError"
        assert "--read-only" in answer["message"]
    assert context.instance.get_run("q").status is RunStatus.QUEUED
    assert len(context.instance.get_runs()) == 1


def test_read_only_sits_in_the_mutation_guard_so_a_new_mutation_is_refused_too() -> None:
    from types import SimpleNamespace

    from headwater.webserver.auth.guard import _guarded

    ran: list[str] = []
    resolve = _guarded(lambda _p, _i, **_a: ran.append("ran"), "someNewMutation", True)
    info = SimpleNamespace(context=SimpleNamespace(read_only=True, user=None))
    answer = resolve(None, info)
    assert ran == [] and answer["__typename"] == "UnauthorizedError"
    assert answer["message"].startswith("cannot run someNewMutation: ")
    assert "--read-only" in answer["message"]
    info.context.read_only = False
    resolve(None, info)
    assert ran == ["ran"]


def test_read_only_answers_of_every_mutation_keep_their_wording(context: Any) -> None:
    context.read_only = True
    _add(context, "q", "my_job", RunStatus.QUEUED, 1.0)
    sel = '{repositoryName: "__repository__", repositoryLocationName: "defs.py"'
    unauthorized = "{ __typename ... on UnauthorizedError { message } }"
    cases = {
        f'terminateRun(runId: "q") {unauthorized}': "terminate run q",
        f'deletePipelineRun(runId: "q") {unauthorized}': "delete run q",
        f'reloadRepositoryLocation(repositoryLocationName: "defs.py") {unauthorized}': (
            "reload code location defs.py"
        ),
        f'shutdownRepositoryLocation(repositoryLocationName: "defs.py") {unauthorized}': (
            "shut down code location defs.py"
        ),
        f'startSchedule(scheduleSelector: {sel}, scheduleName: "nightly"}}) {unauthorized}': (
            "change a schedule"
        ),
        f'startSensor(sensorSelector: {sel}, sensorName: "watcher"}}) {unauthorized}': (
            "change a sensor"
        ),
    }
    for field, action in cases.items():
        (answer,) = run_query(context, "mutation { " + field + " }").values()
        assert answer["__typename"] == "UnauthorizedError", field
        assert answer["message"].startswith(f"cannot {action}: this web server was started")
    many = run_query(
        context,
        'mutation { terminateRuns(runIds: ["q", "r"]) { __typename ... on TerminateRunsResult '
        "{ terminateRunResults " + unauthorized + " } } }",
    )["terminateRuns"]["terminateRunResults"]
    assert [r["message"].split(":")[0] for r in many] == [
        "cannot terminate run q",
        "cannot terminate run r",
    ]
    assert context.instance.get_run("q").status is RunStatus.QUEUED


def test_update_time_is_the_latest_of_end_start_and_creation_and_filters_by_it(
    context: Any,
) -> None:
    context.instance.add_runs(
        [
            Run(run_id="made", job_name="j", create_time=10.0),
            Run(run_id="begun", job_name="j", create_time=1.0, start_time=20.0),
            Run(run_id="done", job_name="j", create_time=2.0, start_time=3.0, end_time=30.0),
        ]
    )
    query = "{ runsOrError { ... on Runs { results { ... on Run { runId updateTime } } } } }"
    times = {
        r["runId"]: r["updateTime"] for r in run_query(context, query)["runsOrError"]["results"]
    }
    assert times == {"made": 10.0, "begun": 20.0, "done": 30.0}
    after = run_query(context, RUNS, filter={"updatedAfter": 15.0})["runsOrError"]
    assert sorted(r["runId"] for r in after["results"]) == ["begun", "done"]
    before = run_query(context, RUNS, filter={"updatedBefore": 25.0})["runsOrError"]
    assert sorted(r["runId"] for r in before["results"]) == ["begun", "made"]
