"""A step's facts (what running it reads of its job) are worked out on its first run and
kept for the job's later runs; a job with other resources has its own (a step shared by
two jobs reads each one's in its runs)."""

from __future__ import annotations

import headwater as dg
from headwater.execution.run import plan_for


@dg.op
def first() -> int:
    return 1


@dg.op
def add_one(x: int) -> int:
    return x + 1


@dg.job
def chain() -> None:
    add_one(add_one(first()))


def _shown(result: dg.ExecuteInProcessResult) -> list[tuple[str, str | None, str | None, dict]]:
    """The step events of a run, without what differs between runs (times, durations)."""
    return [
        (e.event_type.value, e.step_key, e.message, dict(e.data))
        for e in result.all_events
        if e.step_key is not None and e.event_type is not dg.DagsterEventType.STEP_SUCCESS
    ]


def test_the_facts_of_a_step_serve_every_run_of_its_job() -> None:
    before = _shown(chain.execute_in_process())
    steps = plan_for(chain).steps
    facts = [step.facts for step in steps]
    assert all(f is not None and f.job is chain for f in facts)
    assert _shown(chain.execute_in_process()) == before
    assert [step.facts for step in steps] == facts  # the same objects: not worked out again


def test_the_job_with_an_io_manager_bound_hands_it_every_output() -> None:
    chain.execute_in_process()
    outputs: dict[str, object] = {}

    class Kept(dg.IOManager):
        def handle_output(self, context: dg.OutputContext, obj: object) -> None:
            outputs[context.step_key] = obj

        def load_input(self, context: dg.InputContext) -> object:
            assert context.upstream_output is not None
            return outputs[context.upstream_output.step_key]

    result = chain.execute_in_process(resources={"io_manager": Kept()})
    assert result.output_for_node("add_one_2") == 3
    assert outputs == {"first": 1, "add_one": 2, "add_one_2": 3}  # the manager stored each


def test_two_jobs_sharing_steps_each_see_their_own_facts() -> None:
    # Jobs never share a plan today (with_resources copies build their own), but facts live
    # on Step objects: a step run for one job, then another, must not read the first's
    # facts (here: the first keeps values in memory, the second hands them to its manager).
    outputs: dict[str, object] = {}

    class Kept(dg.IOManager):
        def handle_output(self, context: dg.OutputContext, obj: object) -> None:
            outputs[context.step_key] = obj

        def load_input(self, context: dg.InputContext) -> object:
            assert context.upstream_output is not None
            return outputs[context.upstream_output.step_key]

    bound = chain.with_resources({"io_manager": Kept()})
    bound._plan = plan_for(chain)  # the same Step objects
    steps = plan_for(chain).steps
    chain.execute_in_process()
    assert all(step.facts.job is chain for step in steps)
    assert bound.execute_in_process().output_for_node("add_one_2") == 3
    assert outputs == {"first": 1, "add_one": 2, "add_one_2": 3}
    assert all(step.facts.job is bound for step in steps)
    outputs.clear()
    assert chain.execute_in_process().output_for_node("add_one_2") == 3
    assert outputs == {}  # back to the first job: kept in memory, its manager not called
    assert all(step.facts.job is chain for step in steps)


def test_step_messages_name_the_annotated_types() -> None:
    @dg.op
    def source() -> list[int]:
        return [1]

    @dg.op
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    @dg.job
    def j() -> None:
        total(source())

    result = j.execute_in_process()
    assert [e.message for e in result.all_events if e.event_type_value == "STEP_INPUT"] == [
        'Got input "numbers" of type "[Int]". (Type check passed).'
    ]
    assert [e.message for e in result.all_events if e.event_type_value == "STEP_OUTPUT"] == [
        'Yielded output "result" of type "[Int]". (Type check passed).',
        'Yielded output "result" of type "Int". (Type check passed).',
    ]
