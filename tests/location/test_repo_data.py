"""RepositoryData and the ways to make a RepositoryDefinition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvariantViolationError


@dg.op(required_resource_keys={"r"})
def needs(context: Any) -> Any:
    return context.resources.r


@dg.job
def uses_r() -> None:
    needs()


@dg.op
def one() -> int:
    return 1


@dg.job
def plain() -> None:
    one()


nightly = dg.ScheduleDefinition(job=plain, cron_schedule="@daily", name="nightly")


class Data(dg.RepositoryData):
    def get_all_jobs(self) -> Sequence[Any]:
        return [plain]

    def get_all_schedules(self) -> Sequence[Any]:
        return [nightly]

    def get_top_level_resources(self) -> Mapping[str, Any]:
        return {}

    def get_env_vars_by_top_level_resource(self) -> Mapping[str, set[str]]:
        return {}


def test_repository_from_a_data_subclass_answers_for_its_jobs_and_schedules() -> None:
    repo = dg.RepositoryDefinition("handmade", repository_data=Data(), description="d")
    assert (repo.name, repo.job_names, repo.description) == ("handmade", ["plain"], "d")
    assert repo.get_job("plain").execute_in_process().success
    assert [s.name for s in repo.schedule_defs] == ["nightly"]
    assert repo.repository_load_data is None


def test_data_defaults_and_missing_names() -> None:
    data = Data()
    assert data.get_job_names() == ["plain"] and data.has_schedule("nightly")
    assert list(data.get_all_sensors()) == [] and dict(data.get_assets_defs_by_key()) == {}
    with pytest.raises(InvariantViolationError, match=r"Could not find job nope .*\['plain'\]"):
        data.get_job("nope")
    with pytest.raises(InvariantViolationError, match="Could not find sensor s"):
        data.get_sensor("s")


def test_a_data_class_without_the_required_methods_cannot_be_made() -> None:
    class Partial(dg.RepositoryData):
        def get_all_jobs(self) -> Sequence[Any]:
            return []

    with pytest.raises(TypeError, match="abstract"):
        Partial()  # type: ignore[abstract]


def test_repository_without_data_is_refused() -> None:
    with pytest.raises(InvalidDefinitionError, match="repository_data must be a RepositoryData"):
        dg.RepositoryDefinition("r", repository_data=None)  # type: ignore[arg-type]


def test_repository_from_definitions_arguments_binds_resources() -> None:
    repo = dg.create_repository_using_definitions_args("named", jobs=[uses_r], resources={"r": 7})
    assert repo.name == "named"
    assert repo.get_job("uses_r").execute_in_process().output_for_node("needs") == 7


def test_bind_resources_to_jobs_is_a_list_that_warns() -> None:
    with pytest.warns(DeprecationWarning, match="BindResourcesToJobs is no longer needed"):
        bound = dg.BindResourcesToJobs([uses_r])
    assert bound == [uses_r]
    defs = dg.Definitions(jobs=bound, resources={"r": 3})
    assert defs.get_job_def("uses_r").execute_in_process().output_for_node("needs") == 3


def test_decorated_repository_still_answers() -> None:
    @dg.repository
    def repo() -> list[Any]:
        return [plain]

    assert repo.get_job("plain").name == "plain"


def test_load_defs_is_at_the_top_level() -> None:
    import headwater.components

    assert dg.load_defs is headwater.components.load_defs
