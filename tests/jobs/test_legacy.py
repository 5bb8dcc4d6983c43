"""The legacy API: solids, pipelines and modes as a thin layer over ops and jobs."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


@dg.solid(required_resource_keys={"store"})
def read_store(context: dg.OpExecutionContext) -> Any:
    return context.resources.store


@dg.solid
def plain() -> int:
    return 1


def test_a_solid_is_an_op() -> None:
    assert isinstance(read_store, dg.SolidDefinition)
    assert isinstance(read_store, dg.OpDefinition)


def test_pipeline_without_modes_gets_a_default_mode() -> None:
    @dg.pipeline
    def simple() -> None:
        plain()

    assert isinstance(simple, dg.PipelineDefinition)
    assert simple.mode_names == ["default"]
    result = dg.execute_pipeline(simple)
    assert result.success
    assert result.result_for_solid("plain").output_value() == 1


def test_mode_definition_defaults_its_name() -> None:
    mode = dg.ModeDefinition(resource_defs={"store": 1})
    assert mode.name == "default"
    assert repr(mode) == "<ModeDefinition 'default'>"


def test_each_mode_runs_with_its_own_resources() -> None:
    @dg.pipeline(
        mode_defs=[
            dg.ModeDefinition("memory", resource_defs={"store": "in-memory"}),
            dg.ModeDefinition("disk", resource_defs={"store": "on-disk"}),
        ]
    )
    def stored() -> None:
        read_store()

    assert stored.mode_names == ["memory", "disk"]
    assert dg.execute_pipeline(stored, mode="memory").output_for_node("read_store") == "in-memory"
    assert dg.execute_pipeline(stored, mode="disk").output_for_node("read_store") == "on-disk"
    assert repr(stored) == "<PipelineDefinition 'stored' modes=['memory', 'disk']>"


def test_mode_lacking_a_resource_a_solid_needs_names_mode_and_key() -> None:
    msg = (
        "a solid of pipeline 'lacking' requires resource 'store', which mode 'empty' of "
        "pipeline 'lacking' does not provide; add it to the mode's resource_defs"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.pipeline(
            mode_defs=[
                dg.ModeDefinition("full", resource_defs={"store": 1}),
                dg.ModeDefinition("empty", resource_defs={}),
            ]
        )
        def lacking() -> None:
            read_store()


def test_mode_lacking_a_resource_another_resource_needs_names_mode_and_key() -> None:
    @dg.resource(required_resource_keys={"foo"})
    def emit_foo(init_context: dg.InitResourceContext) -> Any:
        return init_context.resources.foo

    msg = (
        "resource 'store' requires 'foo', which mode 'broken' of pipeline 'p' does not "
        "provide; add it to the mode's resource_defs"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.pipeline(mode_defs=[dg.ModeDefinition("broken", resource_defs={"store": emit_foo})])
        def p() -> None:
            read_store()


def test_cyclic_resources_in_a_mode_print_the_cycle() -> None:
    @dg.resource(required_resource_keys={"b"})
    def a(_: dg.InitResourceContext) -> int:
        return 1

    @dg.resource(required_resource_keys={"a"})
    def b(_: dg.InitResourceContext) -> int:
        return 2

    msg = (
        "resource dependency cycle: a → b → a (in mode 'cyclic' of pipeline 'p'); "
        "remove one of these required_resource_keys"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.pipeline(mode_defs=[dg.ModeDefinition("cyclic", resource_defs={"a": a, "b": b})])
        def p() -> None:
            plain()


def test_duplicate_mode_names_are_an_error() -> None:
    msg = "pipeline 'p' has several modes named ['x']; mode names must be unique"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.pipeline(mode_defs=[dg.ModeDefinition("x"), dg.ModeDefinition("x")])
        def p() -> None:
            plain()


@dg.pipeline(mode_defs=[dg.ModeDefinition("one"), dg.ModeDefinition("two")])
def two_modes() -> None:
    plain()


def test_unknown_mode_lists_the_modes() -> None:
    msg = "pipeline 'two_modes' has no mode 'three'; its modes are ['one', 'two']"
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        dg.execute_pipeline(two_modes, mode="three")


def test_omitting_the_mode_of_a_pipeline_with_several_is_an_error() -> None:
    msg = (
        "pipeline 'two_modes' has modes ['one', 'two']; choose one with mode=... "
        "(or -d on the command line)"
    )
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        dg.execute_pipeline(two_modes)


def test_execute_pipeline_rejects_a_job_and_says_what_to_call() -> None:
    @dg.job
    def a_job() -> None:
        plain()

    msg = (
        "execute_pipeline expects a @pipeline, got <JobDefinition 'a_job'>; run a job with "
        "job.execute_in_process(...)"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        dg.execute_pipeline(a_job)  # type: ignore[arg-type]


def test_execute_pipeline_takes_solids_run_config_tags_and_selection() -> None:
    @dg.solid(config_schema={"word": str})
    def say(context: dg.OpExecutionContext) -> Any:
        return context.op_config["word"]

    @dg.pipeline
    def talk() -> None:
        say()
        plain()

    result = dg.execute_pipeline(
        talk,
        run_config={"solids": {"say": {"config": {"word": "hi"}}}},
        tags={"source": "test"},
        solid_selection=["say"],
    )
    assert result.output_for_node("say") == "hi"
    assert result.run.tags["source"] == "test"
    assert [e.step_key for e in result.get_step_success_events()] == ["say"]


def test_execute_pipeline_raises_the_solid_error_unless_told_not_to() -> None:
    error = ValueError("solid broke")

    @dg.solid
    def broken() -> None:
        raise error

    @dg.pipeline
    def breaks() -> None:
        broken()

    with pytest.raises(ValueError, match="solid broke") as caught:
        dg.execute_pipeline(breaks)
    assert caught.value is error
    result = dg.execute_pipeline(breaks, raise_on_error=False)
    assert not result.success
    assert not result.result_for_solid("broken").success


def test_get_job_returns_the_job_of_a_mode() -> None:
    job_def = two_modes.get_job("two")
    assert isinstance(job_def, dg.JobDefinition)
    assert job_def.name == "two_modes"


def test_selection_queries_follow_dependencies() -> None:
    @dg.op
    def a() -> int:
        return 1

    @dg.op
    def b(x: int) -> int:
        return x + 1

    @dg.op
    def c(x: int) -> int:
        return x + 1

    @dg.op
    def d() -> int:
        return 0

    @dg.job
    def chain() -> None:
        c(b(a()))
        d()

    def ran(selection: list[str]) -> list[str]:
        result = chain.execute_in_process(op_selection=selection)
        return sorted(str(e.step_key) for e in result.all_events if e.is_step_success)

    assert ran(["*b"]) == ["a", "b"]
    assert ran(["a*"]) == ["a", "b", "c"]
    assert ran(["a+"]) == ["a", "b"]
    assert ran(["+b+"]) == ["a", "b", "c"]
    assert ran(["d"]) == ["d"]
    with pytest.raises(dg.DagsterInvalidSubsetError, match=r"names \['\*zzz'\]"):
        chain.execute_in_process(op_selection=["*zzz"])


def test_input_definition_root_manager_key_loads_the_input() -> None:
    @dg.input_manager
    def loader(context: dg.InputContext) -> int:
        return 42

    @dg.solid(input_defs=[dg.InputDefinition("x", root_manager_key="loader")])
    def plus_one(x: int) -> int:
        return x + 1

    @dg.pipeline(mode_defs=[dg.ModeDefinition(resource_defs={"loader": loader})])
    def p() -> None:
        plus_one()

    assert dg.execute_pipeline(p).result_for_solid("plus_one").output_value() == 43
