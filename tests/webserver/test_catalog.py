"""Schedules, sensors, assets, resources, the daemon's health and event logs over GraphQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.webserver.conftest import run_query

from headwater.daemon.store import Tick, read_instigator, record_tick

REPO = {"repositoryName": "__repository__", "repositoryLocationName": "defs.py"}


def test_schedules_with_ticks_start_stop_and_reset(context: Any) -> None:
    record_tick(
        context.instance, "schedule", "defs.py", "nightly", Tick(5.0, "SKIPPED", skip_reason="no")
    )
    query = """query($r: RepositorySelector!) { schedulesOrError(repositorySelector: $r) {
      ... on Schedules { results { name cronSchedule pipelineName
        scheduleState { id status ticks { status timestamp skipReason } } } } } }"""
    (schedule,) = run_query(context, query, r=REPO)["schedulesOrError"]["results"]
    assert schedule["cronSchedule"] == "0 0 * * *"
    assert schedule["pipelineName"] == "my_job"
    assert schedule["scheduleState"]["status"] == "STOPPED"
    assert schedule["scheduleState"]["ticks"] == [
        {"status": "SKIPPED", "timestamp": 5.0, "skipReason": "no"}
    ]
    start = """mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) {
      __typename ... on ScheduleStateResult { scheduleState { id status } } } }"""
    started = run_query(context, start, s={**REPO, "scheduleName": "nightly"})["startSchedule"]
    assert started["scheduleState"]["status"] == "RUNNING"
    assert read_instigator(context.instance, "schedule", "defs.py", "nightly").status == "RUNNING"
    stop = """mutation($id: String!) { stopRunningSchedule(id: $id) {
      ... on ScheduleStateResult { scheduleState { status } } } }"""
    stopped = run_query(context, stop, id=started["scheduleState"]["id"])
    assert stopped["stopRunningSchedule"]["scheduleState"]["status"] == "STOPPED"
    reset = """mutation($s: ScheduleSelector!) { resetSchedule(scheduleSelector: $s) {
      ... on ScheduleStateResult { scheduleState { status isDefaultStatus } } } }"""
    done = run_query(context, reset, s={**REPO, "scheduleName": "nightly"})["resetSchedule"]
    assert done["scheduleState"] == {"status": "STOPPED", "isDefaultStatus": True}
    missing = run_query(
        context,
        "mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) { __typename } }",
        s={**REPO, "scheduleName": "nope"},
    )
    assert missing["startSchedule"]["__typename"] == "ScheduleNotFoundError"


def test_sensors_start_and_stop(context: Any) -> None:
    start = """mutation($s: SensorSelector!) { startSensor(sensorSelector: $s) {
      __typename ... on Sensor { name sensorState { id status } } } }"""
    sensor = run_query(context, start, s={**REPO, "sensorName": "watcher"})["startSensor"]
    assert sensor["sensorState"]["status"] == "RUNNING"
    stop = """mutation($id: String!) { stopSensor(id: $id) {
      ... on StopSensorMutationResult { instigationState { status } } } }"""
    stopped = run_query(context, stop, id=sensor["sensorState"]["id"])["stopSensor"]
    assert stopped["instigationState"]["status"] == "STOPPED"
    listed = run_query(
        context,
        "query($r: RepositorySelector!) { sensorsOrError(repositorySelector: $r) { "
        "... on Sensors { results { name minIntervalSeconds } } } }",
        r=REPO,
    )
    assert listed["sensorsOrError"]["results"] == [{"name": "watcher", "minIntervalSeconds": 3600}]


def test_assets_with_partitions_latest_materialization_and_staleness(context: Any) -> None:
    import headwater as dg

    module = context.workspace.get("defs.py").code.module
    result = dg.materialize([module.upstream], partition_key="a", instance=context.instance)
    assert result.success
    query = """{ assetNodes { assetKey { path } staleStatus dependencyKeys { path }
      isPartitioned partitionKeys partitionStatuses partitionStats { numMaterialized
      numPartitions } requiredResources { resourceKey }
      assetMaterializations(limit: 1) { runId partition } } }"""
    nodes = {n["assetKey"]["path"][0]: n for n in run_query(context, query)["assetNodes"]}
    up, down = nodes["upstream"], nodes["downstream"]
    assert up["partitionKeys"] == ["a", "b"]
    assert up["partitionStatuses"] == {"a": "MATERIALIZED", "b": "MISSING"}
    assert up["partitionStats"] == {"numMaterialized": 1, "numPartitions": 2}
    assert up["assetMaterializations"] == [{"runId": result.run_id, "partition": "a"}]
    assert up["staleStatus"] == "FRESH"
    assert down["staleStatus"] == "MISSING"
    assert down["dependencyKeys"] == [{"path": ["upstream"]}]
    assert down["requiredResources"] == [{"resourceKey": "db"}]
    page = run_query(
        context,
        "{ assetsOrError(limit: 1) { ... on AssetConnection { nodes { key { path } } cursor } } }",
    )["assetsOrError"]
    assert page == {"nodes": [{"key": {"path": ["downstream"]}}], "cursor": "downstream"}


def test_resources_show_config_with_env_vars_masked(context: Any) -> None:
    query = """query($r: RepositorySelector!) { allTopLevelResourceDetailsOrError(
      repositorySelector: $r) { ... on ResourceDetailsList { results { name
      configuredValues { key value type } assetKeysUsing { path } } } } }"""
    data = run_query(context, query, r=REPO)
    assert "hunter2" not in json.dumps(data)
    (db,) = data["allTopLevelResourceDetailsOrError"]["results"]
    assert db["configuredValues"] == [
        {"key": "user", "value": '"me"', "type": "VALUE"},
        {"key": "password", "value": "WEB_TEST_SECRET", "type": "ENV_VAR"},
    ]
    assert db["assetKeysUsing"] == [{"path": ["downstream"]}]


def test_daemon_health_without_a_daemon(context: Any) -> None:
    data = run_query(
        context,
        "{ instance { daemonHealth { allDaemonStatuses { daemonType "
        "healthy lastHeartbeatTime } } } }",
    )
    statuses = data["instance"]["daemonHealth"]["allDaemonStatuses"]
    assert {s["daemonType"] for s in statuses} >= {"scheduler", "sensors", "run_queue"}
    assert all(s["healthy"] is False and s["lastHeartbeatTime"] is None for s in statuses)


def test_daemon_status_answers_dagster_daemon_type_names(context: Any) -> None:
    query = (
        "query($t: String) { instance { daemonHealth "
        "{ daemonStatus(daemonType: $t) { daemonType } } } }"
    )
    for asked, duty in [
        ("SCHEDULER", "scheduler"),
        ("QUEUED_RUN_COORDINATOR", "run_queue"),
        ("sensors", "sensors"),
    ]:
        data = run_query(context, query, t=asked)
        assert data["instance"]["daemonHealth"]["daemonStatus"]["daemonType"] == duty


def test_logs_for_run_pages_by_cursor(context: Any) -> None:
    _location, job = context.workspace.find_job("my_job")
    result = job.execute_in_process(
        run_config={"ops": {"first": {"config": {"n": 2}}}}, instance=context.instance
    )
    query = """query($id: ID!, $after: String, $limit: Int) {
      logsForRun(runId: $id, afterCursor: $after, limit: $limit) { __typename
        ... on EventConnection { cursor hasMore events { __typename
          ... on MessageEvent { message stepKey eventType level } } } } }"""
    everything = run_query(context, query, id=result.run_id)["logsForRun"]
    assert everything["hasMore"] is False
    kinds = [e["__typename"] for e in everything["events"]]
    assert kinds[0] == "RunStartingEvent" or "RunStartEvent" in kinds
    assert "LogMessageEvent" in kinds and kinds[-1] == "RunSuccessEvent"
    logged = [e for e in everything["events"] if e["__typename"] == "LogMessageEvent"]
    assert logged[0]["message"] == "first got 2" and logged[0]["level"] == "INFO"
    pages, cursor = [], None
    while True:
        page = run_query(context, query, id=result.run_id, after=cursor, limit=3)["logsForRun"]
        pages.extend(page["events"])
        cursor = page["cursor"]
        if not page["hasMore"]:
            break
    assert pages == everything["events"]
    missing = run_query(context, query, id="nope")["logsForRun"]
    assert missing["__typename"] == "RunNotFoundError"


def test_reload_workspace_reads_changed_code(context: Any) -> None:
    location = context.workspace.get("defs.py")
    path = location.pointer.python_file
    with open(path, "a") as file:
        file.write("\n@dg.job\ndef added():\n    second(first())\n\ndefs.jobs.append(added)\n")
    # Definitions copies its inputs; define a fresh one instead.
    with open(path, "a") as file:
        file.write("defs = dg.Definitions(jobs=[my_job, added])\n")
    data = run_query(
        context,
        "mutation { reloadWorkspace { __typename ... on Workspace { "
        "locationEntries { name locationOrLoadError { __typename "
        "... on RepositoryLocation { repositories { jobs { name } } } } } "
        "} } }",
    )
    (entry,) = data["reloadWorkspace"]["locationEntries"]
    jobs = [j["name"] for j in entry["locationOrLoadError"]["repositories"][0]["jobs"]]
    assert "added" in jobs


@pytest.mark.parametrize("cursor", [str(2**63), "9" * 400, "-1", "twelve"])
def test_a_cursor_this_api_never_gave_answers_a_clear_error(context: Any, cursor: str) -> None:
    import asyncio
    import inspect

    from headwater.storage import Run, RunStatus
    from headwater.webserver.schema import get_schema

    context.instance.add_runs([Run(run_id="r", job_name="my_job", status=RunStatus.SUCCESS)])
    query = """query($after: String, $before: String) {
      logsForRun(runId: "r", afterCursor: $after, beforeCursor: $before) { __typename
        ... on PythonError { message } } }"""
    for given in ({"after": cursor}, {"before": cursor}):
        answer = run_query(context, query, **given)["logsForRun"]
        assert answer["__typename"] == "PythonError", answer
        assert "is not one this API returned" in answer["message"]
        assert "OverflowError" not in answer["message"]

    async def first() -> Any:
        from graphql import parse, subscribe

        stream: Any = subscribe(
            get_schema(),
            parse(
                'subscription($c: String) { pipelineRunLogs(runId: "r", cursor: $c) { '
                "__typename ... on PipelineRunLogsSubscriptionFailure { message } } }"
            ),
            context_value=context,
            variable_values={"c": cursor},
        )
        if inspect.isawaitable(stream):
            stream = await stream
        result = await stream.__anext__()
        await stream.aclose()
        return result

    result = asyncio.run(first())
    assert result.errors is None, result.errors
    failure = result.data["pipelineRunLogs"]
    assert failure["__typename"] == "PipelineRunLogsSubscriptionFailure"
    assert "is not one this API returned" in failure["message"]
