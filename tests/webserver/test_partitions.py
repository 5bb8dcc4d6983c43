"""A job's partitions over GraphQL: the keys of the assets selected in an asset job, and
each partition's runs and status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.conftest import run_query, selector, server_context

from headwater.daemon.worker import start_queued_run

PARTITION_DEFS = """
import headwater as dg

days = dg.StaticPartitionsDefinition(["d1", "d2", "d3"])

@dg.asset(partitions_def=days)
def daily():
    return 1

@dg.asset
def plain():
    return 1

@dg.op(config_schema={"fail": dg.Field(bool, default_value=False)})
def work(context):
    if context.op_config["fail"]:
        raise RuntimeError("asked to fail")

@dg.job(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
def by_letter():
    work()

defs = dg.Definitions(
    assets=[daily, plain],
    jobs=[by_letter, dg.define_asset_job("mixed", selection=["daily", "plain"])],
)
"""
KEYS = """query($s: PipelineSelector!, $k: [AssetKeyInput!]) { pipelineOrError(params: $s) {
  ... on Pipeline { partitionKeysOrError(selectedAssetKeys: $k) { partitionKeys } } } }"""
PARTITION = """query($s: PipelineSelector!, $p: String!, $k: [AssetKeyInput!], $f: RunsFilter) {
  pipelineOrError(params: $s) { ... on Pipeline { partition(partitionName: $p,
    selectedAssetKeys: $k) { name status runs(filter: $f) { runId status }
    tagsOrError { __typename ... on PartitionTags { results { key value } }
      ... on PythonError { message } } } } } }"""
LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } } }"""


@pytest.fixture
def partitions_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    (tmp_path / "defs.py").write_text(PARTITION_DEFS)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    with server_context(tmp_path) as made:
        yield made


def _errors(context: Any, query: str, **variables: Any) -> list[str]:
    from headwater.webserver import run_operation

    status, body = run_operation(context, query, variables, None)
    assert status == 200
    return [e["message"] for e in body.get("errors", [])]


def test_selected_assets_give_their_own_partition_keys(partitions_context: Any) -> None:
    def keys(*selected: str) -> Any:
        answer = run_query(
            partitions_context,
            KEYS,
            s=selector("mixed"),
            k=[{"path": [s]} for s in selected] or None,
        )
        return answer["pipelineOrError"]["partitionKeysOrError"]["partitionKeys"]

    assert keys() == ["d1", "d2", "d3"]
    assert keys("daily") == ["d1", "d2", "d3"]
    (plain,) = _errors(partitions_context, KEYS, s=selector("mixed"), k=[{"path": ["plain"]}])
    assert plain == (
        "the assets selected in job 'mixed' are not partitioned, so they have no partition "
        "keys; select partitioned assets, or leave selectedAssetKeys out"
    )
    (ghost,) = _errors(partitions_context, KEYS, s=selector("mixed"), k=[{"path": ["ghost"]}])
    assert ghost == (
        "selectedAssetKeys names assets that job 'mixed' does not materialize: ['ghost']; "
        "its assets are ['daily', 'plain']"
    )
    (ops,) = _errors(partitions_context, KEYS, s=selector("by_letter"), k=[{"path": ["daily"]}])
    assert "materializes no assets" in ops


def test_a_partition_of_unpartitioned_selected_assets_answers_an_error(
    partitions_context: Any,
) -> None:
    answer = run_query(
        partitions_context, PARTITION, s=selector("mixed"), p="d1", k=[{"path": ["plain"]}]
    )
    tags = answer["pipelineOrError"]["partition"]["tagsOrError"]
    assert tags["__typename"] == "PythonError"
    assert "not partitioned" in tags["message"]


def _launch(context: Any, partition: str, fail: bool) -> str:
    params = {
        "selector": {**selector("by_letter"), "jobName": "by_letter"},
        "runConfigData": {"ops": {"work": {"config": {"fail": fail}}}},
        "executionMetadata": {"tags": [{"key": "dagster/partition", "value": partition}]},
    }
    run_id = run_query(context, LAUNCH, params=params)["launchRun"]["run"]["runId"]
    start_queued_run(context.instance, run_id)
    return str(run_id)


def test_a_partition_answers_its_runs_and_the_latest_status(partitions_context: Any) -> None:
    def partition(name: str, **filt: Any) -> dict[str, Any]:
        answer = run_query(
            partitions_context, PARTITION, s=selector("by_letter"), p=name, f=filt or None
        )
        return dict(answer["pipelineOrError"]["partition"])

    assert partition("a")["status"] is None
    assert partition("a")["runs"] == []
    first = _launch(partitions_context, "a", fail=False)
    second = _launch(partitions_context, "a", fail=True)
    other = _launch(partitions_context, "b", fail=False)
    a = partition("a")
    assert a["status"] == "FAILURE"
    assert a["runs"] == [
        {"runId": second, "status": "FAILURE"},
        {"runId": first, "status": "SUCCESS"},
    ]
    assert partition("a", statuses=["SUCCESS"])["runs"] == [{"runId": first, "status": "SUCCESS"}]
    assert partition("b")["runs"] == [{"runId": other, "status": "SUCCESS"}]
    assert partition("b")["status"] == "SUCCESS"


def test_a_negative_partition_keys_limit_is_refused(partitions_context: Any) -> None:
    # A slice with a negative end would answer every key but the last ones, not a page.
    query = """query($s: PipelineSelector!, $l: Int, $r: Boolean) { pipelineOrError(params: $s) {
      ... on Pipeline { partitionKeysOrError(limit: $l, reverse: $r) { partitionKeys } } } }"""
    for reverse in (False, True):
        (message,) = _errors(partitions_context, query, s=selector("mixed"), l=-1, r=reverse)
        assert message == "partitionKeysOrError: limit is -1; pass 0 or more"
    answer = run_query(partitions_context, query, s=selector("mixed"), l=1, r=True)
    assert answer["pipelineOrError"]["partitionKeysOrError"]["partitionKeys"] == ["d3"]
