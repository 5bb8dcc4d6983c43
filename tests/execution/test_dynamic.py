"""Dynamic outputs at run time: the plan that grows, mapped copies, collectors, skips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.execution.plan import build_plan


def _emitter(*keys: str, name: str = "emit", required: bool = True) -> Any:
    @dg.op(name=name, out=dg.DynamicOut(is_required=required))
    def emit() -> Any:
        for i, key in enumerate(keys):
            yield dg.DynamicOutput(i, mapping_key=key)

    return emit


@dg.op
def double(x: int) -> int:
    return x * 2


@dg.op
def listed(xs: list[Any]) -> list[Any]:
    return xs


@dg.op
def one() -> int:
    return 1


def _starts(result: Any) -> list[str]:
    return [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]


def _job(emit: Any) -> Any:
    @dg.job
    def j() -> None:
        listed(emit().map(double).collect())

    return j


def test_plan_holds_mapped_and_collecting_steps_until_resolved() -> None:
    plan = build_plan(_job(_emitter("a", "b")))
    assert [s.key for s in plan.steps] == ["emit"]
    assert plan.dynamic is not None
    assert [t.key for t in plan.dynamic.templates] == ["double", "listed"]
    grown, made = plan.resolve({("emit", "result"): ["a", "b"]})
    assert [s.key for s in made] == ["double[a]", "double[b]", "listed"]
    copy = grown.by_key["double[b]"]
    assert copy.mapping_key == "b" and copy.inputs[0].mapping_key == "b"
    assert copy.inputs[0].sources == (("emit", "result"),)
    collector = grown.by_key["listed"]
    assert collector.inputs[0].sources == (("double[a]", "result"), ("double[b]", "result"))
    assert collector.upstream == {"emit", "double[a]", "double[b]"}
    # Pure: the plan it came from is unchanged, and nothing is left waiting.
    assert [s.key for s in plan.steps] == ["emit"] and len(plan.dynamic.templates) == 2
    assert grown.dynamic is not None and grown.dynamic.templates == ()


def test_an_unproduced_dynamic_output_resolves_to_no_copies() -> None:
    plan = build_plan(_job(_emitter("a")))
    grown, made = plan.resolve({("emit", "result"): None})
    assert [s.key for s in made] == ["listed"]
    assert grown.by_key["listed"].inputs[0].sources == ()


def test_plain_jobs_have_no_dynamic_parts() -> None:
    @dg.job
    def j() -> None:
        double(one())

    assert not build_plan(j).is_dynamic


def test_map_and_collect_run_each_copy_and_gather_in_key_order() -> None:
    result = _job(_emitter("z", "a", "m")).execute_in_process()
    assert _starts(result) == ["emit", "double[z]", "double[a]", "double[m]", "listed"]
    assert result.output_for_node("emit") == {"z": 0, "a": 1, "m": 2}
    assert result.output_for_node("double") == {"z": 0, "a": 2, "m": 4}
    assert result.output_for_node("listed") == [0, 2, 4]


def test_chained_maps_and_a_regular_second_input() -> None:
    @dg.op
    def add(x: int, y: int) -> int:
        return x + y

    emit = _emitter("a", "b")

    @dg.job
    def j() -> None:
        o = one()
        listed(emit().map(lambda x: add(x, o)).map(double).collect())

    result = j.execute_in_process()
    assert _starts(result) == [
        "emit",
        "one",
        "add[a]",
        "add[b]",
        "double[a]",
        "double[b]",
        "listed",
    ]
    assert result.output_for_node("listed") == [2, 4]


def test_copies_see_their_mapping_key() -> None:
    @dg.op
    def which(context: dg.OpExecutionContext, x: int) -> Any:
        return context.get_mapping_key()

    emit = _emitter("first", "second")

    @dg.job
    def j() -> None:
        emit().map(which)

    assert j.execute_in_process().output_for_node("which") == {
        "first": "first",
        "second": "second",
    }


def test_required_output_with_no_values_collects_empty_lists() -> None:
    emit = _emitter()

    @dg.job
    def j() -> None:
        d = emit()
        listed.alias("mapped")(d.map(double).collect())
        listed.alias("values")(d.collect())

    result = j.execute_in_process()
    assert result.success
    assert result.output_for_node("mapped") == [] and result.output_for_node("values") == []
    with pytest.raises(InvariantViolationError, match="No outputs found"):
        result.output_for_node("double")


def test_optional_output_with_no_values_skips_the_collectors() -> None:
    result = _job(_emitter(required=False)).execute_in_process()
    assert result.success
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    assert skipped == ["listed"]


def test_failing_copy_leaves_the_others_and_the_collector_untouched() -> None:
    @dg.op
    def maybe_fail(x: int) -> int:
        if x == 1:
            raise ValueError("boom")
        return x

    emit = _emitter("a", "b", "c")

    @dg.job
    def j() -> None:
        listed(emit().map(maybe_fail).collect())

    result = j.execute_in_process(raise_on_error=False)
    assert not result.success
    assert result.get_failed_step_keys() == {"maybe_fail[b]"}
    assert "listed" not in {e.step_key for e in result.all_events}
    assert result.output_for_node("maybe_fail") == {"a": 0, "c": 2}


def test_failing_producer_leaves_everything_downstream_untouched() -> None:
    @dg.op(out=dg.DynamicOut())
    def broken() -> Any:
        raise ValueError("no values")
        yield

    result = _job(broken).execute_in_process(raise_on_error=False)
    assert _starts(result) == ["broken"] and not result.success
    assert {e.step_key for e in result.all_events} == {None, "broken"}


def test_repeated_mapping_key_fails_after_recording_the_first() -> None:
    @dg.op(out=dg.DynamicOut())
    def dup() -> Any:
        yield dg.DynamicOutput(1, mapping_key="a")
        yield dg.DynamicOutput(2, mapping_key="a")

    result = _job(dup).execute_in_process(raise_on_error=False)
    kinds = [e.event_type_value for e in result.all_events if e.step_key == "dup"]
    assert kinds == ["STEP_START", "STEP_OUTPUT", "HANDLED_OUTPUT", "STEP_FAILURE"]
    with pytest.raises(InvariantViolationError, match='mapping_key "a" multiple times'):
        _job(dup).execute_in_process()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("plain", "must yield DynamicOutput, got Output"),
        ("number", "expected a list of DynamicOutput objects"),
    ],
)
def test_a_dynamic_output_takes_dynamic_outputs_only(body: str, message: str) -> None:
    @dg.op(out=dg.DynamicOut())
    def plain() -> Any:
        yield dg.Output(1)

    @dg.op(out=dg.DynamicOut())
    def number() -> Any:
        return 5

    op = plain if body == "plain" else number

    @dg.job
    def j() -> None:
        op()

    with pytest.raises(InvariantViolationError, match=message):
        j.execute_in_process()


def test_dynamic_output_for_a_plain_output_fails() -> None:
    @dg.op
    def regular() -> Any:
        yield dg.DynamicOutput(1, "a")

    @dg.job
    def j() -> None:
        regular()

    with pytest.raises(InvariantViolationError, match="did not use DynamicOutputDefinition"):
        j.execute_in_process()


def test_mapping_over_a_copy_s_own_dynamic_output_is_refused() -> None:
    @dg.op(out=dg.DynamicOut())
    def inner(x: int) -> Any:
        yield dg.DynamicOutput(x, "a")

    emit = _emitter("a")

    @dg.job
    def j() -> None:
        emit().map(inner).map(double)

    with pytest.raises(InvalidDefinitionError, match="more than one dynamic output"):
        j.execute_in_process()


def test_mapped_subgraph_steps_are_keyed_inside_the_graph() -> None:
    @dg.graph
    def sub(x: int) -> Any:
        return double.alias("again")(double(x))

    emit = _emitter("a", "b")

    @dg.job
    def j() -> None:
        listed(emit().map(sub).collect())

    result = j.execute_in_process()
    assert _starts(result)[1:3] == ["sub.double[a]", "sub.double[b]"]
    assert result.output_for_node("sub") == {"a": 0, "b": 4}
    assert result.output_for_node("listed") == [0, 4]


def test_io_manager_stores_each_value_under_its_mapping_key(tmp_path: Path) -> None:
    emit = _emitter("a", "b")

    @dg.job(resource_defs={"io_manager": dg.FilesystemIOManager(base_dir=str(tmp_path))})
    def j() -> None:
        listed(emit().map(double).collect())

    result = j.execute_in_process()
    stored = sorted(
        str(p.relative_to(tmp_path / result.run_id)) for p in tmp_path.rglob("*") if p.is_file()
    )
    assert stored == [
        "double[a]/result",
        "double[b]/result",
        "emit/result/a",
        "emit/result/b",
        "listed/result",
    ]
    assert result.output_for_node("listed") == [0, 2]


def test_each_value_is_type_checked_against_the_output_s_type() -> None:
    @dg.op(out=dg.DynamicOut())
    def annotated() -> list[dg.DynamicOutput[int]]:
        return [dg.DynamicOutput(1, "a")]

    @dg.op(out=dg.DynamicOut(str))
    def wrong() -> Any:
        yield dg.DynamicOutput(1, "a")

    @dg.job
    def ok() -> None:
        annotated().map(double)

    result = ok.execute_in_process()
    assert result.output_for_node("double") == {"a": 2}
    message = next(e.message for e in result.all_events if e.event_type_value == "STEP_OUTPUT")
    assert message == 'Yielded output "result" mapping key "a" of type "Int". (Type check passed).'

    @dg.job
    def bad() -> None:
        wrong()

    with pytest.raises(dg.DagsterTypeCheckDidNotPass, match='expected type "String"'):
        bad.execute_in_process()


def test_op_selection_names_mapped_and_collecting_ops() -> None:
    job = _job(_emitter("a", "b"))
    assert _starts(job.execute_in_process(op_selection=["emit", "double"])) == [
        "emit",
        "double[a]",
        "double[b]",
    ]
    assert _starts(job.execute_in_process(op_selection=["*listed"]))[-1] == "listed"
    with pytest.raises(InvalidDefinitionError, match="leaves input 'x' of op 'double'"):
        job.execute_in_process(op_selection=["double"])
