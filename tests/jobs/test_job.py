"""Jobs: a graph bound to resources, config and tags; checked when it is built."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError


@dg.op(required_resource_keys={"database"})
def query(context: dg.OpExecutionContext) -> Any:
    return context.resources.database


@dg.op(required_resource_keys={"database"})
def other_query(context: dg.OpExecutionContext) -> Any:
    return context.resources.database


@dg.graph
def reporting() -> None:
    query()


def test_missing_resource_names_op_and_job() -> None:
    msg = (
        "op 'query' requires resource 'database', which job 'reporting' does not provide; "
        "add it to the job's resource_defs (available: ['cache'])"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        reporting.to_job(resource_defs={"cache": object()})


def test_missing_resource_in_job_decorator_names_every_op_needing_it() -> None:
    msg = (
        "ops 'query', 'other_query' require resource 'database', which job 'both' does not "
        "provide; add it to the job's resource_defs (available: ['cache'])"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.job(resource_defs={"cache": object()})
        def both() -> None:
            query()
            other_query()


def test_missing_resource_of_a_nested_op_names_its_path() -> None:
    @dg.graph
    def inner() -> None:
        query()

    @dg.graph
    def outer() -> None:
        inner()

    msg = "op 'inner.query' requires resource 'database', which job 'outer' does not provide"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        outer.to_job(resource_defs={"cache": 1})


def test_job_without_resources_is_checked_when_it_runs() -> None:
    # As in the reference: resources may still come from execute_in_process or Definitions.
    @dg.job
    def bare() -> None:
        query()

    msg = (
        "op 'query' requires resource 'database', which job 'bare' does not provide; "
        "add it to the job's resource_defs (available: none)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        bare.execute_in_process()
    assert bare.execute_in_process(resources={"database": "db"}).output_for_node("query") == "db"


def test_missing_input_manager_of_a_nested_op_names_input_op_path_and_job() -> None:
    # Op jobs have no asset-level pre-check (assets/binding.py): the job's own check is the
    # only thing between a missing input manager and a KeyError deep in the step.
    @dg.op(ins={"x": dg.In(input_manager_key="loader")})
    def use(x: int) -> int:
        return x

    @dg.graph
    def inner() -> None:
        use()

    @dg.graph
    def outer() -> None:
        inner()

    msg = (
        "input manager with key 'loader' required by input 'x' of op 'inner.use' was not "
        "provided to job 'outer'; bind an @input_manager or IO manager under 'loader' in the "
        "job's resources, or change the input's input_manager_key (available: ['cache'])"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        outer.to_job(resource_defs={"cache": object()})

    @dg.input_manager
    def loader(_: dg.InputContext) -> int:
        return 7

    result = outer.to_job(resource_defs={"loader": loader}).execute_in_process()
    assert result.output_for_node("inner.use") == 7


def test_resource_needing_a_missing_resource_names_both_and_the_job() -> None:
    @dg.resource(required_resource_keys={"credentials"})
    def client(init_context: dg.InitResourceContext) -> str:
        return "client"

    msg = (
        "resource 'database' requires 'credentials', which job 'reporting' does not provide; "
        "add it to the job's resource_defs"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        reporting.to_job(resource_defs={"database": client})


def test_unused_resource_is_still_checked_for_its_dependencies() -> None:
    @dg.resource(required_resource_keys={"missing"})
    def spare(_: dg.InitResourceContext) -> int:
        return 1

    msg = "resource 'spare' requires 'missing', which job 'reporting' does not provide"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        reporting.to_job(resource_defs={"database": 1, "spare": spare})


def test_resource_cycle_prints_the_cycle() -> None:
    @dg.resource(required_resource_keys={"b"})
    def a(_: dg.InitResourceContext) -> int:
        return 1

    @dg.resource(required_resource_keys={"a"})
    def b(_: dg.InitResourceContext) -> int:
        return 2

    msg = (
        "resource dependency cycle: a → b → a (in job 'reporting'); "
        "remove one of these required_resource_keys"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        reporting.to_job(resource_defs={"database": 1, "a": a, "b": b})


def test_one_graph_makes_several_jobs_with_different_resources() -> None:
    prod = reporting.to_job(name="reporting_prod", resource_defs={"database": "postgres"})
    dev = reporting.to_job(name="reporting_dev", resource_defs={"database": "sqlite"})
    assert prod.graph is dev.graph is reporting
    assert prod.execute_in_process().output_for_node("query") == "postgres"
    assert dev.execute_in_process().output_for_node("query") == "sqlite"


def test_plain_objects_become_hardcoded_resources() -> None:
    job_def = reporting.to_job(resource_defs={"database": {"rows": 3}})
    assert isinstance(job_def.resource_defs["database"], dg.ResourceDefinition)
    assert job_def.execute_in_process().output_for_node("query") == {"rows": 3}


def test_with_resources_adds_to_or_replaces_the_job_resources() -> None:
    job_def = reporting.to_job(resource_defs={"database": "a"})
    replaced = job_def.with_resources({"database": "b", "extra": 1})
    assert sorted(replaced.resource_defs) == ["database", "extra"]
    assert replaced.execute_in_process().output_for_node("query") == "b"
    assert job_def.execute_in_process().output_for_node("query") == "a"


def test_execute_in_process_resources_override_the_job_for_one_run() -> None:
    job_def = reporting.to_job(resource_defs={"database": "a"})
    result = job_def.execute_in_process(resources={"database": "override"})
    assert result.output_for_node("query") == "override"


def test_job_options_name_tags_description_and_metadata() -> None:
    @dg.graph(tags={"from": "graph", "shared": "graph"})
    def g() -> None:
        query()

    job_def = g.to_job(
        name="named",
        description="about",
        tags={"shared": "job"},
        metadata={"owner": "me"},
        resource_defs={"database": 1},
    )
    assert job_def.name == "named"
    assert job_def.description == "about"
    assert job_def.tags == {"from": "graph", "shared": "job"}
    assert job_def.metadata == {"owner": "me"}
    assert job_def.graph_def is g
    assert job_def.required_resource_keys == frozenset({"database"})
    assert repr(job_def) == "<JobDefinition 'named'>"


def test_job_name_must_be_valid() -> None:
    msg = "job name 'bad name' is not valid: use letters, digits and underscores only"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        reporting.to_job(name="bad name")


def test_job_default_config_is_used_and_run_config_merges_over_it() -> None:
    @dg.op(config_schema={"a": int, "b": int})
    def pair(context: dg.OpExecutionContext) -> tuple[int, int]:
        return context.op_config["a"], context.op_config["b"]

    @dg.job(config={"ops": {"pair": {"config": {"a": 1, "b": 2}}}})
    def configured() -> None:
        pair()

    assert configured.execute_in_process().output_for_node("pair") == (1, 2)
    result = configured.execute_in_process(run_config={"ops": {"pair": {"config": {"b": 9}}}})
    assert result.output_for_node("pair") == (1, 9)


def test_graph_config_becomes_the_default_of_its_jobs() -> None:
    @dg.op(config_schema={"n": int})
    def n(context: dg.OpExecutionContext) -> Any:
        return context.op_config["n"]

    @dg.graph(config={"ops": {"n": {"config": {"n": 4}}}})
    def g() -> None:
        n()

    assert g.to_job().execute_in_process().output_for_node("n") == 4


def test_op_retry_policy_applies_to_ops_without_their_own() -> None:
    attempts: list[int] = []

    @dg.op
    def flaky(context: dg.OpExecutionContext) -> int:
        attempts.append(context.retry_number)
        if context.retry_number == 0:
            raise ValueError("first attempt fails")
        return context.retry_number

    @dg.job(op_retry_policy=dg.RetryPolicy(max_retries=1))
    def retried() -> None:
        flaky()

    assert retried.execute_in_process().output_for_node("flaky") == 1
    assert attempts == [0, 1]


def test_job_decorator_accepts_an_executor_definition() -> None:
    @dg.job(executor_def=dg.in_process_executor)
    def run_here() -> None:
        query()

    assert run_here.executor_def is dg.in_process_executor
