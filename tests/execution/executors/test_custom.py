"""Executors whose creation function returns its own ``Executor`` subclass."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import headwater as dg
from headwater import Instance
from headwater.errors import InvalidDefinitionError
from headwater.execution.launch import execute_job

SEEN: list[str] = []


def in_process(init_context: Any) -> Any:
    create = dg.in_process_executor.executor_creation_fn
    assert create is not None
    return create(init_context)


@dg.op
def one() -> int:
    return 1


@dg.op
def plus(x: int) -> int:
    return x + 1


class Wrapping(dg.Executor):
    """Notes the plan, then runs it with the executor it wraps."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    @property
    def retries(self) -> Any:
        return self.inner.retries

    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[Any]:
        SEEN.append(f"{plan_context.job_name}:{','.join(execution_plan.step_keys_to_execute)}")
        yield from self.inner.execute(plan_context, execution_plan)
        SEEN.append("after")


@dg.executor(name="wrapping", config_schema=dg.in_process_executor.config_schema)
def wrapping(init_context: Any) -> Wrapping:
    SEEN.append(f"pointer:{init_context.job.job_name}")
    return Wrapping(in_process(init_context))


@dg.job(executor_def=wrapping)
def wrapped() -> None:
    plus(one())


class Idle(dg.Executor):
    """Runs nothing."""

    @property
    def retries(self) -> Any:
        return None

    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[Any]:
        return iter(())


@dg.job(executor_def=dg.ExecutorDefinition.hardcoded_executor(Idle()))
def idle() -> None:
    one()


class Twice(Wrapping):
    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[Any]:
        yield from self.inner.execute(plan_context, execution_plan)
        yield from self.inner.execute(plan_context, execution_plan)


@dg.executor(name="twice", config_schema=dg.in_process_executor.config_schema)
def twice(init_context: Any) -> Twice:
    return Twice(in_process(init_context))


@dg.job(executor_def=twice)
def twice_job() -> None:
    one()


@pytest.fixture
def instance(tmp_path: Any) -> Iterator[Instance]:
    with dg.instance_for_test(temp_dir=str(tmp_path)) as inst:
        yield inst


def test_wrapping_executor_runs_the_steps_through_the_one_it_wraps(instance: Instance) -> None:
    SEEN.clear()
    with execute_job(wrapped, instance) as result:
        assert result.success
        assert result.output_for_node("plus") == 2
    assert SEEN == ["pointer:wrapped", "wrapped:one,plus", "after"]


def test_executor_that_runs_nothing_ends_the_run_without_steps(instance: Instance) -> None:
    result = execute_job(idle, instance)
    assert result.success
    assert not [e for e in result.all_events if e.event_type_value == "STEP_START"]


def test_running_the_plan_twice_fails_the_run_with_the_reason(instance: Instance) -> None:
    result = execute_job(twice_job, instance)
    assert not result.success
    with pytest.raises(InvalidDefinitionError, match="ran its steps twice"):
        execute_job(twice_job, instance, raise_on_error=True)


def test_executor_base_class_needs_execute_and_retries() -> None:
    with pytest.raises(TypeError, match="abstract"):
        dg.Executor()  # type: ignore[abstract]


def test_hardcoded_executor_refuses_what_is_no_executor() -> None:
    with pytest.raises(InvalidDefinitionError, match="takes an Executor, got 3"):
        dg.ExecutorDefinition.hardcoded_executor(3)  # type: ignore[arg-type]


def test_definitions_wrap_an_executor_object() -> None:
    defs = dg.Definitions(jobs=[idle], executor=Idle())
    assert defs.executor is not None
    assert defs.executor.name == "__executor__"
    assert defs.executor.executor_creation_fn is not None


def make_job(n: int, label: str = "made") -> dg.JobDefinition:
    @dg.op(name="give")
    def give() -> int:
        return n

    @dg.job(name=f"{label}_{n}")
    def made() -> None:
        give()

    return made


def test_reconstructable_job_from_a_factory_with_arguments(instance: Instance) -> None:
    pointer = dg.build_reconstructable_job(
        __name__, "make_job", reconstructable_args=(3,), reconstructable_kwargs={"label": "x"}
    )
    assert pointer.job_name == "x_3"
    config: dict[str, Any] = {"execution": {"config": {"in_process": {}}}}
    with execute_job(pointer, instance, run_config=config) as result:
        assert isinstance(result, dg.JobExecutionResult)
        assert result.output_for_node("give") == 3


def test_reconstructable_job_refuses_a_missing_function_and_odd_arguments() -> None:
    with pytest.raises(dg.InvariantViolationError, match="no_such not found in module"):
        dg.build_reconstructable_job(__name__, "no_such")
    with pytest.raises(InvalidDefinitionError, match="must be JSON values"):
        dg.build_reconstructable_job(__name__, "make_job", reconstructable_args=(object(),))
