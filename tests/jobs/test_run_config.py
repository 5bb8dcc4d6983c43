"""Run config: the job's whole schema, every problem at once, the legacy ``solids`` key."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.config import Shape, deep_merge, process_config
from headwater.errors import InvalidConfigError
from headwater.jobs.run_config import normalize_legacy_keys

CALLS: list[str] = []


@dg.resource(config_schema={"connection": str})
def database(init_context: dg.InitResourceContext) -> Any:
    CALLS.append("database")
    return init_context.resource_config["connection"]


@dg.resource(config_schema={"ttl": int})
def unused_cache(init_context: dg.InitResourceContext) -> Any:
    CALLS.append("cache")
    return init_context.resource_config["ttl"]


@dg.op(config_schema={"batch_size": int}, required_resource_keys={"database"})
def load(context: dg.OpExecutionContext) -> tuple[Any, Any]:
    CALLS.append("load")
    return context.resources.database, context.op_config["batch_size"]


@dg.op
def free(x: int = 1) -> int:
    return x


@dg.job(resource_defs={"database": database, "cache": unused_cache})
def nightly() -> None:
    load()
    free()


GOOD = {
    "ops": {"load": {"config": {"batch_size": 10}}},
    "resources": {"database": {"config": {"connection": "sqlite://"}}},
}


def setup_function() -> None:
    CALLS.clear()


def test_schema_has_ops_resources_execution_and_loggers() -> None:
    schema = nightly.run_config_schema
    assert isinstance(schema, Shape)
    assert set(schema.fields) == {"ops", "resources", "execution", "loggers"}


def test_valid_run_config_reaches_ops_and_resources() -> None:
    result = nightly.execute_in_process(run_config=GOOD)
    assert result.output_for_node("load") == ("sqlite://", 10)


def test_every_problem_is_reported_at_once_with_paths_before_anything_runs() -> None:
    bad = {
        "ops": {"load": {"config": {"batch_size": "ten", "batchsize": 1}}, "nope": {}},
        "resources": {"database": {"config": {}}},
    }
    msg = (
        "4 problem(s) in run config for job 'nightly':\n"
        '  ops.load.config.batch_size: expected int, got str "ten"\n'
        '  ops.load.config: unknown field "batchsize"; did you mean "batch_size"?\n'
        '  ops: unknown field "nope"; expected one of "load", "free"\n'
        '  resources.database.config: missing required field "connection" (str)'
    )
    with pytest.raises(InvalidConfigError, match=re.escape(msg)) as caught:
        nightly.execute_in_process(run_config=bad)
    assert CALLS == []  # no resource was initialized, no op ran
    assert [p.code for p in caught.value.problems] == [
        "wrong_type",
        "unknown_field",
        "unknown_field",
        "missing_field",
    ]


def test_missing_required_config_names_its_path() -> None:
    msg = (
        "1 problem(s) in run config for job 'nightly':\n"
        '  ops.load.config: missing required field "batch_size" (int)'
    )
    with pytest.raises(InvalidConfigError, match=re.escape(msg)) as caught:
        nightly.execute_in_process(run_config={"resources": GOOD["resources"]})
    assert caught.value.problems[0].code == "missing_field"
    assert CALLS == []


def test_config_error_is_the_dagster_spelled_error_too() -> None:
    with pytest.raises(dg.DagsterInvalidConfigError):
        nightly.execute_in_process(run_config={})


def test_resources_the_run_does_not_need_are_not_required_but_are_validated() -> None:
    assert nightly.execute_in_process(run_config=GOOD).success
    assert "cache" not in CALLS
    bad = deep_merge(GOOD, {"resources": {"cache": {"config": {"ttl": "x"}}}})
    msg = (
        "1 problem(s) in run config for job 'nightly':\n"
        '  resources.cache.config.ttl: expected int, got str "x"'
    )
    with pytest.raises(InvalidConfigError, match=re.escape(msg)):
        nightly.execute_in_process(run_config=bad)


def test_legacy_solids_key_is_accepted_as_ops() -> None:
    legacy = {"solids": {"load": {"config": {"batch_size": 3}}}, "resources": GOOD["resources"]}
    assert nightly.execute_in_process(run_config=legacy).output_for_node("load") == (
        "sqlite://",
        3,
    )


def test_legacy_solids_key_is_normalized_at_every_graph_level() -> None:
    given = {"solids": {"outer": {"solids": {"inner": {"config": 1}}}, "leaf": 5}}
    assert normalize_legacy_keys(given) == {
        "ops": {"outer": {"ops": {"inner": {"config": 1}}}, "leaf": 5}
    }
    both: dict[str, Any] = {"ops": {"a": {}}, "solids": {"b": {}}}
    assert normalize_legacy_keys(both) == both  # ops wins; solids is then unknown


def test_job_default_config_merges_under_run_config_key_by_key() -> None:
    assert deep_merge({"a": {"b": 1, "c": 2}, "d": 1}, {"a": {"c": 3}, "e": 4}) == {
        "a": {"b": 1, "c": 3},
        "d": 1,
        "e": 4,
    }


def test_config_defaults_are_filled_in_for_ops() -> None:
    @dg.op(config_schema={"n": dg.Field(int, default_value=7)})
    def with_default(context: dg.OpExecutionContext) -> Any:
        return context.op_config["n"]

    @dg.job
    def defaults() -> None:
        with_default()

    assert defaults.execute_in_process().output_for_node("with_default") == 7


def test_op_without_schema_accepts_any_config() -> None:
    @dg.op
    def loose(context: dg.OpExecutionContext) -> Any:
        return context.op_config

    @dg.job
    def anything() -> None:
        loose()

    assert anything.execute_in_process().output_for_node("loose") is None
    result = anything.execute_in_process(run_config={"ops": {"loose": {"config": [1, "x"]}}})
    assert result.output_for_node("loose") == [1, "x"]


def test_unconnected_inputs_come_from_run_config() -> None:
    @dg.op
    def needs(x: int) -> int:
        return x * 2

    @dg.job
    def open_input() -> None:
        needs()

    result = open_input.execute_in_process(run_config={"ops": {"needs": {"inputs": {"x": 4}}}})
    assert result.output_for_node("needs") == 8
    wrapped = {"ops": {"needs": {"inputs": {"x": {"value": 5}}}}}
    assert open_input.execute_in_process(run_config=wrapped).output_for_node("needs") == 10
    msg = (
        "1 problem(s) in run config for job 'open_input':\n"
        '  ops.needs.inputs: missing required field "x" (any)'
    )
    with pytest.raises(InvalidConfigError, match=re.escape(msg)):
        open_input.execute_in_process()


def test_input_with_a_default_may_be_omitted_from_run_config() -> None:
    assert nightly.execute_in_process(run_config=GOOD).output_for_node("free") == 1
    given = deep_merge(GOOD, {"ops": {"free": {"inputs": {"x": 9}}}})
    assert nightly.execute_in_process(run_config=given).output_for_node("free") == 9


def test_nested_graph_config_lives_under_its_ops() -> None:
    @dg.op(config_schema=str)
    def greet(context: dg.OpExecutionContext) -> str:
        return f"hello {context.op_config}"

    @dg.graph
    def inner() -> None:
        greet()

    @dg.job
    def outer() -> None:
        inner()

    run_config = {"ops": {"inner": {"ops": {"greet": {"config": "you"}}}}}
    assert outer.execute_in_process(run_config=run_config).output_for_node("inner.greet") == (
        "hello you"
    )
    legacy = {"solids": {"inner": {"solids": {"greet": {"config": "old"}}}}}
    assert outer.execute_in_process(run_config=legacy).output_for_node("inner.greet") == (
        "hello old"
    )


def test_schema_validates_standalone_like_a_job_run() -> None:
    result = process_config(nightly.run_config_schema, GOOD)
    assert result.problems == ()
    assert result.value["ops"]["load"]["config"] == {"batch_size": 10}


@dg.op
def double(x: int) -> int:
    return x * 2


@dg.graph
def doubling(x: int) -> Any:
    return double(x)


def test_top_level_graph_inputs_come_from_root_inputs_in_run_config() -> None:
    job_def = doubling.to_job()
    assert job_def.execute_in_process(run_config={"inputs": {"x": 4}}).output_value() == 8
    wrapped = {"inputs": {"x": {"value": 5}}}
    assert job_def.execute_in_process(run_config=wrapped).output_value() == 10


def test_input_values_fill_the_root_inputs() -> None:
    assert doubling.execute_in_process(input_values={"x": 21}).output_value() == 42


def test_missing_top_level_input_names_the_root_inputs_path() -> None:
    msg = (
        "1 problem(s) in run config for job 'doubling':\n"
        '  inputs: missing required field "x" (any)'
    )
    with pytest.raises(InvalidConfigError, match=re.escape(msg)):
        doubling.execute_in_process()
