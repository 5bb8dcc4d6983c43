"""``pipelineOrError``: a job's ops and their dependencies, its modes, and its partitions
with each partition's run config and tags, asked with the UI's own documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.webserver.conftest import run_query, selector, server_context
from tests.webserver.ui_queries import ui_documents

PIPELINE_DEFS = """
import headwater as dg

@dg.op(description="makes one")
def first():
    return 1

@dg.op
def second(x, y):
    return x + y

@dg.job(tags={"team": "data"}, description="two ops")
def deps_job():
    one = first()
    second(one, first.alias("other")())

@dg.op(config_schema={"day": str})
def by_day(context):
    return context.op_config["day"]

@dg.static_partitioned_config(partition_keys=["a", "b"], tags_for_partition_fn=lambda k: {"k": k})
def letters(key):
    return {"ops": {"by_day": {"config": {"day": key}}}}

@dg.job(config=letters)
def partitioned_job():
    by_day()

@dg.job(partitions_def=dg.DynamicPartitionsDefinition(name="fruits"))
def dynamic_job():
    first()

@dg.repository
def repo():
    return [deps_job, partitioned_job, dynamic_job]
"""


@pytest.fixture
def pipeline_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    (tmp_path / "defs.py").write_text(PIPELINE_DEFS)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    with server_context(tmp_path) as made:
        yield made


def test_a_job_answers_its_ops_with_their_dependencies(pipeline_context: Any) -> None:
    job = run_query(pipeline_context, ui_documents()["JOB"], selector=selector("deps_job"))
    pipeline = job["pipelineOrError"]
    assert pipeline["__typename"] == "Pipeline"
    assert (pipeline["name"], pipeline["description"], pipeline["isJob"]) == (
        "deps_job",
        "two ops",
        True,
    )
    assert pipeline["modes"] == [{"name": "default", "description": None}]
    assert {"key": "team", "value": "data"} in pipeline["tags"]
    solids = {s["name"]: s for s in pipeline["solids"]}
    assert set(solids) == {"first", "other", "second"}
    assert solids["first"]["definition"] == {"name": "first", "description": "makes one"}
    assert solids["other"]["definition"]["name"] == "first"
    assert solids["first"]["inputs"] == []
    assert solids["first"]["outputs"] == [{"definition": {"name": "result"}}]
    inputs = {i["definition"]["name"]: i["dependsOn"] for i in solids["second"]["inputs"]}
    assert inputs == {
        "x": [{"definition": {"name": "result"}, "solid": {"name": "first"}}],
        "y": [{"definition": {"name": "result"}, "solid": {"name": "other"}}],
    }


def test_a_legacy_pipeline_answers_its_modes() -> None:
    # Code locations hold jobs; a legacy pipeline reaches the schema through its modes.
    import headwater as dg
    from headwater.webserver.schema.modes import modes_of

    @dg.solid
    def legacy_solid() -> int:
        return 1

    @dg.pipeline(
        mode_defs=[dg.ModeDefinition("dev", description="local"), dg.ModeDefinition("prod")]
    )
    def legacy_pipeline() -> None:
        legacy_solid()

    assert [(m["name"], m["description"]) for m in modes_of(legacy_pipeline)] == [
        ("dev", "local"),
        ("prod", None),
    ]


def test_an_unknown_job_is_pipeline_not_found(pipeline_context: Any) -> None:
    job = run_query(pipeline_context, ui_documents()["JOB"], selector=selector("nope"))
    assert job["pipelineOrError"]["__typename"] == "PipelineNotFoundError"
    assert "nope" in job["pipelineOrError"]["message"]


def test_an_unknown_op_in_the_selection_is_an_invalid_subset(pipeline_context: Any) -> None:
    query = "query($s: PipelineSelector!) { pipelineOrError(params: $s) { __typename "
    query += "... on InvalidSubsetError { message } } }"
    subset = {**selector("deps_job"), "solidSelection": ["ghost"]}
    answer = run_query(pipeline_context, query, s=subset)["pipelineOrError"]
    assert answer["__typename"] == "InvalidSubsetError"
    assert "ghost" in answer["message"]


def test_a_partitioned_job_answers_its_keys_and_each_partitions_config_and_tags(
    pipeline_context: Any,
) -> None:
    docs = ui_documents()
    keys = run_query(pipeline_context, docs["JOB_PARTITIONS"], selector=selector("partitioned_job"))
    assert keys["pipelineOrError"]["partitionKeysOrError"] == {
        "__typename": "PartitionKeys",
        "partitionKeys": ["a", "b"],
    }
    answer = run_query(
        pipeline_context,
        docs["JOB_PARTITION"],
        selector=selector("partitioned_job"),
        partitionName="b",
    )
    partition = answer["pipelineOrError"]["partition"]
    config = partition["runConfigOrError"]
    assert config["__typename"] == "PartitionRunConfig"
    assert config["yaml"] == "ops:\n  by_day:\n    config:\n      day: b\n"
    tags = {t["key"]: t["value"] for t in partition["tagsOrError"]["results"]}
    assert tags == {
        "k": "b",
        "dagster/partition": "b",
        "dagster/partition_set": "partitioned_job_partition_set",
    }


def test_an_unknown_partition_answers_a_python_error(pipeline_context: Any) -> None:
    answer = run_query(
        pipeline_context,
        ui_documents()["JOB_PARTITION"],
        selector=selector("partitioned_job"),
        partitionName="zzz",
    )
    partition = answer["pipelineOrError"]["partition"]
    assert partition["runConfigOrError"]["__typename"] == "PythonError"
    assert "zzz" in partition["tagsOrError"]["message"]


def test_dynamic_partitions_are_read_from_the_instance(pipeline_context: Any) -> None:
    pipeline_context.instance.add_dynamic_partitions("fruits", ["apple", "pear"])
    keys = run_query(
        pipeline_context, ui_documents()["JOB_PARTITIONS"], selector=selector("dynamic_job")
    )
    assert keys["pipelineOrError"]["partitionKeysOrError"]["partitionKeys"] == ["apple", "pear"]
    answer = run_query(
        pipeline_context,
        ui_documents()["JOB_PARTITION"],
        selector=selector("dynamic_job"),
        partitionName="pear",
    )
    partition = answer["pipelineOrError"]["partition"]
    assert partition["runConfigOrError"] == {"__typename": "PartitionRunConfig", "yaml": "{}\n"}
    assert partition["tagsOrError"]["results"] == [
        {"key": "dagster/partition", "value": "pear"},
        {"key": "dagster/partition_set", "value": "dynamic_job_partition_set"},
    ]


def test_partition_keys_page_by_cursor_and_from_the_end(pipeline_context: Any) -> None:
    pipeline_context.instance.add_dynamic_partitions("fruits", ["a", "b", "c", "d"])
    query = "query($s: PipelineSelector!, $c: String, $l: Int, $r: Boolean) { pipelineOrError("
    query += "params: $s) { ... on Pipeline { partitionKeysOrError(cursor: $c, limit: $l, "
    query += "reverse: $r) { partitionKeys } } } }"

    def page(**args: Any) -> list[str]:
        answer = run_query(pipeline_context, query, s=selector("dynamic_job"), **args)
        return list(answer["pipelineOrError"]["partitionKeysOrError"]["partitionKeys"])

    assert page(c="a", l=2) == ["b", "c"]
    assert page(l=2, r=True) == ["c", "d"]
    assert page(c="c", l=1, r=True) == ["b"]


def test_an_unpartitioned_job_has_no_partition_keys(pipeline_context: Any) -> None:
    from headwater.webserver import run_operation

    status, body = run_operation(
        pipeline_context,
        ui_documents()["JOB_PARTITIONS"],
        {"selector": selector("deps_job")},
        None,
    )
    assert status == 200
    assert "is not partitioned" in body["errors"][0]["message"]


def test_an_unpartitioned_jobs_partition_answers_errors(pipeline_context: Any) -> None:
    answer = run_query(
        pipeline_context,
        ui_documents()["JOB_PARTITION"],
        selector=selector("deps_job"),
        partitionName="a",
    )
    partition = answer["pipelineOrError"]["partition"]
    assert "is not partitioned" in partition["runConfigOrError"]["message"]
    assert partition["tagsOrError"]["__typename"] == "PythonError"
