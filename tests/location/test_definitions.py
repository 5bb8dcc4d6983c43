"""Definitions: resources bound once, load-time errors, jobs, merging, loading values."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvariantViolationError

INITS: list[str] = []


class Counter(dg.ConfigurableResource):
    name: str

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        INITS.append(self.name)


@pytest.fixture(autouse=True)
def _clear() -> None:
    INITS.clear()


@dg.asset
def base(counter: Counter) -> str:
    return counter.name


@dg.asset
def shout(base: str) -> str:
    return base.upper()


@dg.op
def greet(counter: Counter) -> str:
    return f"hi {counter.name}"


@dg.job
def greeting() -> None:
    greet()


def fs(tmp_path: Path) -> Any:
    return dg.FilesystemIOManager(base_dir=str(tmp_path / "io"))


def test_resources_are_bound_once_for_assets_and_jobs(tmp_path: Path) -> None:
    defs = dg.Definitions(
        assets=[base, shout],
        jobs=[greeting],
        resources={"counter": Counter(name="shared"), "io_manager": fs(tmp_path)},
    )
    assets_run = defs.get_implicit_global_asset_job_def().execute_in_process()
    assert assets_run.asset_value("shout") == "SHARED"
    assert defs.get_job_def("greeting").execute_in_process().output_for_node("greet") == (
        "hi shared"
    )
    assert INITS == ["shared", "shared"]  # once per run, not once per step


def test_a_jobs_own_resource_wins_over_the_locations() -> None:
    @dg.job(resource_defs={"counter": Counter(name="own")})
    def own_job() -> None:
        greet()

    defs = dg.Definitions(jobs=[own_job], resources={"counter": Counter(name="location")})
    result = defs.get_job_def("own_job").execute_in_process()
    assert result.output_for_node("greet") == "hi own"


def test_missing_resource_names_the_asset_and_the_key() -> None:
    defs = dg.Definitions(assets=[base, shout], resources={"other": 1})
    msg = (
        "asset 'base' requires resource 'counter', which Definitions does not provide; add "
        "it to Definitions(resources={...}) (available: ['other'])"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions.validate_loadable(defs)
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        defs.get_implicit_global_asset_job_def()


def test_missing_io_manager_key_is_a_missing_resource() -> None:
    @dg.asset(io_manager_key="warehouse_io")
    def stored() -> int:
        return 1

    msg = (
        "asset 'stored' requires resource 'warehouse_io', which Definitions does not "
        "provide; add it to Definitions(resources={...}) (available: none)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions.validate_loadable(dg.Definitions(assets=[stored]))


def test_missing_resource_of_an_op_job_names_op_and_job() -> None:
    msg = (
        "op 'greet' requires resource 'counter', which job 'greeting' does not provide; add "
        "it to the job's resource_defs (available: none)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions(jobs=[greeting]).get_job_def("greeting")
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions.validate_loadable(dg.Definitions(jobs=[greeting]))


def test_duplicate_asset_key_names_both_definitions() -> None:
    @dg.asset(name="shout")
    def shout_again(base: str) -> str:
        return base

    msg = (
        f"asset 'shout' is defined twice: by function 'shout' ({__name__}) and by function "
        f"'shout_again' ({__name__}); asset keys must be unique"
    )
    defs = dg.Definitions(assets=[base, shout, shout_again])  # built lazily, as the reference
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        defs.resolve_asset_graph()
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions.validate_loadable(defs)


def test_unknown_input_names_both_keys() -> None:
    msg = (
        "asset 'shout' loads input 'base' from 'base', which no asset defines; define it, or "
        "declare it external with AssetSpec('base')"
    )
    defs = dg.Definitions(assets=[shout])
    assert defs.get_assets_def("shout") is shout  # found without building the graph
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        defs.resolve_asset_graph()
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions.validate_loadable(defs)
    assert dg.Definitions(assets=[dg.AssetSpec("base"), shout]).asset_graph.executable_keys == {
        dg.AssetKey("shout")
    }


def test_cycle_is_printed() -> None:
    @dg.asset(deps=["pong"])
    def ping() -> None:
        return None

    @dg.asset(deps=[ping])
    def pong() -> None:
        return None

    msg = "assets depend on each other in a cycle: ping → pong → ping; remove one of these"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions(assets=[ping, pong]).resolve_asset_graph()


def test_unknown_job_name_lists_the_jobs() -> None:
    defs = dg.Definitions(
        assets=[base],
        jobs=[greeting, dg.define_asset_job("assets_only", "base")],
        resources={"counter": Counter(name="x")},
    )
    msg = "no job named 'greting' in these Definitions; jobs are ['assets_only', 'greeting']"
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        defs.get_job_def("greting")
    assert defs.job_names == ["greeting", "assets_only"]
    assert defs.has_job("greeting") and not defs.has_job("greting")
    assert defs.resolve_job_def("assets_only").name == "assets_only"


def test_two_jobs_with_one_name_are_rejected() -> None:
    defs = dg.Definitions(jobs=[dg.define_asset_job("same"), dg.define_asset_job("same")])
    msg = "Definitions has two jobs named 'same'; job names must be unique"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        defs.get_all_job_defs()


def test_implicit_global_asset_job_covers_every_executable_asset(tmp_path: Path) -> None:
    defs = dg.Definitions(
        assets=[dg.AssetSpec("raw"), base, shout],
        resources={"counter": Counter(name="c"), "io_manager": fs(tmp_path)},
    )
    job = defs.get_implicit_global_asset_job_def()
    assert job is defs.resolve_implicit_global_asset_job_def()
    assert job.name == "__ASSET_JOB"
    assert defs.job_names == []
    result = job.execute_in_process()
    assert [e.data["asset_key"] for e in result.get_asset_materialization_events()] == [
        "base",
        "shout",
    ]


def test_no_implicit_job_without_executable_assets() -> None:
    msg = (
        "these Definitions have no single job over every asset: there are no executable "
        "assets, or they use different partitions definitions (define one job per "
        "partitions definition with define_asset_job)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions(assets=[dg.AssetSpec("only_external")]).get_implicit_global_asset_job_def()


def test_define_asset_job_with_unknown_key_fails_when_resolved() -> None:
    defs = dg.Definitions(
        assets=[base], jobs=[dg.define_asset_job("j", "bse")], resources={"counter": 1}
    )
    msg = "asset selection names unknown assets: 'bse' (did you mean 'base'?)"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        defs.get_job_def("j")


def test_non_job_in_jobs_is_rejected() -> None:
    msg = (
        "'nightly' is not a job; Definitions(jobs=...) takes @job, GraphDefinition.to_job "
        "and define_asset_job definitions"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions(jobs=["nightly"]).job_names


def test_merge_combines_partial_definitions() -> None:
    assets_part = dg.Definitions(assets=[base, shout])
    jobs_part = dg.Definitions(jobs=[greeting])
    counter = Counter(name="merged")
    resources_part = dg.Definitions(resources={"counter": counter})
    merged = dg.Definitions.merge(assets_part, jobs_part, resources_part)
    dg.Definitions.validate_loadable(merged)
    assert merged.resources == {"counter": counter}
    assert merged.job_names == ["greeting"]
    assert merged.get_assets_def("shout") is shout
    assert repr(merged) == "<Definitions assets=2 jobs=['greeting'] schedules=[] sensors=[]>"


def test_merge_accepts_the_same_resource_twice_but_not_two_different_ones() -> None:
    shared = Counter(name="a")
    dg.Definitions.merge(
        dg.Definitions(resources={"counter": shared}), dg.Definitions(resources={"counter": shared})
    )
    msg = (
        "Definitions.merge: resource 'counter' is bound differently in two of the merged "
        "Definitions; bind it once"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        dg.Definitions.merge(
            dg.Definitions(resources={"counter": shared}),
            dg.Definitions(resources={"counter": Counter(name="b")}),
        )


def test_get_assets_def_for_an_unknown_key() -> None:
    defs = dg.Definitions(assets=[base], resources={"counter": 1})
    assert defs.get_assets_def(dg.AssetKey("base")) is base
    with pytest.raises(InvariantViolationError, match="no asset 'nope' in these Definitions"):
        defs.get_assets_def("nope")


def test_load_asset_value_after_a_materialization(tmp_path: Path) -> None:
    defs = dg.Definitions(
        assets=[base, shout],
        resources={"counter": Counter(name="stored"), "io_manager": fs(tmp_path)},
    )
    assert defs.get_implicit_global_asset_job_def().execute_in_process().success
    assert defs.load_asset_value("shout") == "STORED"
    with defs.get_asset_value_loader() as loader:
        assert loader.load_asset_value(dg.AssetKey("base")) == "stored"
        assert loader.load_asset_value(["shout"]) == "STORED"


def test_load_asset_value_uses_the_default_fs_io_manager_of_the_instance(tmp_path: Path) -> None:
    instance = dg.Instance.local_temp(tmp_path)
    defs = dg.Definitions(assets=[base], resources={"counter": Counter(name="x")})
    assert defs.get_implicit_global_asset_job_def().execute_in_process(instance=instance).success
    assert defs.load_asset_value("base", instance=instance) == "x"


def test_load_asset_value_before_any_materialization_says_so(tmp_path: Path) -> None:
    defs = dg.Definitions(assets=[base], resources={"counter": 1, "io_manager": fs(tmp_path)})
    msg = (
        "FilesystemIOManager could not load asset 'base': no file at "
        f"{tmp_path / 'io' / 'base'}; materialize it first"
    )
    with pytest.raises(dg.DagsterError, match=re.escape(msg)):
        defs.load_asset_value("base")


@dg.definitions
def lazy_defs() -> dg.Definitions:
    INITS.append("built")
    return dg.Definitions(assets=[base], resources={"counter": Counter(name="lazy")})


def test_definitions_decorator_builds_once_on_demand() -> None:
    assert INITS == []
    built = lazy_defs()
    assert isinstance(built, dg.Definitions)
    assert lazy_defs() is built
    assert INITS == ["built"]
    assert lazy_defs.__name__ == "lazy_defs"


def test_definitions_decorator_must_return_definitions() -> None:
    @dg.definitions
    def broken() -> Any:
        return [base]

    msg = (
        "@definitions function 'broken' returned [<AssetsDefinition base>]; it must return "
        "a Definitions object"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        broken()


def test_loading_a_value_initializes_only_its_io_manager(tmp_path: Path) -> None:
    defs = dg.Definitions(
        assets=[base],
        resources={"counter": Counter(name="loaded"), "io_manager": fs(tmp_path)},
    )
    assert defs.get_implicit_global_asset_job_def().execute_in_process().success
    INITS.clear()
    with defs.get_asset_value_loader() as loader:
        assert loader.load_asset_value("base") == "loaded"
        assert loader.load_asset_value("base") == "loaded"
    assert INITS == []  # 'counter' is the asset's resource, not the manager's


def test_the_location_executor_runs_jobs_that_name_none() -> None:
    @dg.job(executor_def=dg.in_process_executor)
    def own_executor() -> None:
        greet()

    defs = dg.Definitions(
        jobs=[greeting, own_executor],
        resources={"counter": Counter(name="c")},
        executor=dg.multiprocess_executor,
    )
    assert defs.get_job_def("greeting").executor_def is dg.multiprocess_executor
    assert defs.get_job_def("own_executor").executor_def is dg.in_process_executor


def test_merge_refuses_two_different_executors() -> None:
    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape("Definitions.merge: the Definitions name different executors"),
    ):
        dg.Definitions.merge(
            dg.Definitions(executor=dg.in_process_executor),
            dg.Definitions(executor=dg.multiprocess_executor),
        )


def test_jobs_of_schedules_and_sensors_are_jobs_of_the_location_with_its_resources() -> None:
    @dg.job
    def scheduled() -> None:
        greet()

    @dg.job
    def sensed() -> None:
        greet()

    @dg.sensor(job=sensed)
    def watcher() -> None:
        return None

    nightly = dg.ScheduleDefinition(name="nightly", cron_schedule="0 0 * * *", job=scheduled)
    defs = dg.Definitions(
        schedules=[nightly], sensors=[watcher], resources={"counter": Counter(name="bound")}
    )
    assert defs.job_names == ["scheduled", "sensed"]
    result = defs.get_job_def("sensed").execute_in_process()
    assert result.output_for_node("greet") == "hi bound"
    assert defs.get_schedule_def("nightly") is nightly
    assert defs.get_sensor_def("watcher") is watcher


def test_unknown_schedule_or_sensor_lists_the_known_ones() -> None:
    nightly = dg.ScheduleDefinition(name="nightly", cron_schedule="0 0 * * *", job=greeting)
    defs = dg.Definitions(schedules=[nightly], resources={"counter": Counter(name="c")})
    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape(
            "no schedule named 'weekly' in these Definitions; schedules are ['nightly']"
        ),
    ):
        defs.get_schedule_def("weekly")
    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape("no sensor named 'watcher' in these Definitions; sensors are none"),
    ):
        defs.get_sensor_def("watcher")


def test_no_implicit_asset_job_when_assets_use_different_partitions() -> None:
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
    def lettered() -> int:
        return 1

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x"]))
    def other() -> int:
        return 2

    defs = dg.Definitions(assets=[lettered, other])
    with pytest.raises(InvalidDefinitionError, match="use different partitions definitions"):
        defs.get_implicit_global_asset_job_def()
