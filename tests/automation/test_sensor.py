from __future__ import annotations

import re
import types
from typing import Any

import pytest

import headwater as hw
from headwater.automation import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    build_sensor_context,
    sensor,
)
from headwater.errors import InvalidDefinitionError, InvalidInvocationError

from .conftest import CountedClient, Lifecycle, daily_job, report_job


def test_decorator_defaults() -> None:
    @sensor(job=daily_job)
    def new_files(context: SensorEvaluationContext) -> None:
        """Watches the drop folder."""

    assert new_files.name == "new_files"
    assert new_files.minimum_interval_seconds == 30
    assert new_files.default_status is DefaultSensorStatus.STOPPED
    assert new_files.job_name == "daily_job"
    assert new_files.job is daily_job
    assert new_files.jobs == [daily_job]
    assert new_files.required_resource_keys == frozenset()
    assert new_files.description is None  # the docstring is not used, as in the reference


def test_several_jobs_and_job_name_targets() -> None:
    @sensor(jobs=[daily_job, report_job], minimum_interval_seconds=5)
    def both(context: SensorEvaluationContext) -> None: ...

    assert both.targets.names == ("daily_job", "report_job")
    with pytest.raises(InvalidDefinitionError, match="targets several jobs"):
        _ = both.job_name
    assert both.minimum_interval_seconds == 5

    @sensor("report_job", name="by_name", default_status=DefaultSensorStatus.RUNNING)
    def named(context: SensorEvaluationContext) -> None: ...

    assert (named.name, named.job_name, named.has_jobs) == ("by_name", "report_job", False)
    with pytest.raises(InvalidDefinitionError, match="no single job object"):
        _ = named.job
    assert named.default_status is DefaultSensorStatus.RUNNING


def test_definition_errors_name_the_sensor() -> None:
    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape(
            "sensor 's' got job and jobs; give only one of job, jobs, job_name, "
            "asset_selection and target"
        ),
    ):

        @sensor(job=daily_job, jobs=[report_job])
        def s(context: SensorEvaluationContext) -> None: ...

    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape("sensor 'neg': minimum_interval_seconds is -1; it must be 0 or more"),
    ):

        @sensor(job=daily_job, minimum_interval_seconds=-1)
        def neg(context: SensorEvaluationContext) -> None: ...

    with pytest.raises(InvalidDefinitionError, match=re.escape("sensor 'star' takes *args")):

        @sensor(job=daily_job)
        def star(*args: Any) -> None: ...


def test_direct_invocation_returns_the_output_and_a_generator_as_a_generator() -> None:
    @sensor(job=daily_job)
    def files(context: SensorEvaluationContext) -> Any:
        yield RunRequest(run_key=f"after-{context.cursor}")

    produced = files(build_sensor_context(cursor="3"))
    assert isinstance(produced, types.GeneratorType)
    assert list(produced) == [RunRequest(run_key="after-3")]

    @sensor(job=daily_job)
    def quiet(context: SensorEvaluationContext) -> SensorResult:
        return SensorResult(skip_reason="nothing", cursor="9")

    assert quiet(build_sensor_context()) == SensorResult(
        skip_reason=SkipReason("nothing"), cursor="9"
    )


class UsersAPI(hw.ConfigurableResource):
    """The seed's pattern: a ConfigurableResource parameter on a sensor."""

    base_url: str = "https://example.invalid"

    def fetch_users(self) -> list[str]:
        return ["ada", "grace"]


@sensor(job=daily_job)
def process_new_users(context: SensorEvaluationContext, users_api: UsersAPI) -> list[RunRequest]:
    return [RunRequest(run_key=user) for user in users_api.fetch_users()]


def test_seed_pattern_sensor_with_a_configurable_resource_parameter() -> None:
    assert process_new_users.required_resource_keys == frozenset({"users_api"})
    with_context = process_new_users(build_sensor_context(resources={"users_api": UsersAPI()}))
    assert [r.run_key for r in with_context] == ["ada", "grace"]

    class FakeUsersAPI:
        def fetch_users(self) -> list[str]:
            return ["1", "2", "3"]

    run_requests = process_new_users(build_sensor_context(), users_api=FakeUsersAPI())
    assert len(run_requests) == 3


def test_context_resources_by_required_keys(lifecycle: Lifecycle) -> None:
    @sensor(job=daily_job, required_resource_keys={"client"})
    def legacy(context: SensorEvaluationContext) -> list[RunRequest]:
        lifecycle.events.append("body")
        return [RunRequest(run_key=k) for k in context.resources.client.fetch()]

    assert legacy.required_resource_keys == frozenset({"client"})
    context = build_sensor_context(resources={"client": CountedClient(name="k")})
    assert [r.run_key for r in legacy(context)] == ["k-1", "k-2"]
    assert [r.run_key for r in legacy(context)] == ["k-1", "k-2"]
    # set up and torn down once per call
    assert lifecycle.events == ["setup k", "body", "teardown k"] * 2


def test_bad_direct_calls() -> None:
    msg = (
        "sensor 'process_new_users' got unexpected keyword argument(s) other; it takes the "
        "context and its resource parameters (users_api)"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        process_new_users(build_sensor_context(), other=1)
    msg = (
        "sensor 'process_new_users' expects a SensorEvaluationContext "
        "(build_sensor_context()), got str"
    )
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        process_new_users("context", users_api=UsersAPI())
