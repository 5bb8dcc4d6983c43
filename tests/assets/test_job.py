"""Running assets: materialize, materialize_to_memory and define_asset_job."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, MissingValueError
from headwater.io import PickledObjectFilesystemIOManager
from headwater.metadata import IntMetadataValue, TextMetadataValue, UrlMetadataValue

CALLS: list[str] = []


@dg.asset
def numbers() -> list[int]:
    CALLS.append("numbers")
    return [1, 2, 3]


@dg.asset
def total(numbers: list[int]) -> int:
    CALLS.append("total")
    return sum(numbers)


@dg.asset
def doubled(total: int) -> int:
    CALLS.append("doubled")
    return total * 2


ALL = [numbers, total, doubled]


@pytest.fixture(autouse=True)
def _clear_calls() -> None:
    CALLS.clear()


def fs(tmp_path: Path) -> dict[str, Any]:
    return {"io_manager": dg.FilesystemIOManager(base_dir=str(tmp_path / "store"))}


def materialized_keys(result: dg.ExecuteInProcessResult) -> list[str]:
    return [e.data["asset_key"] for e in result.get_asset_materialization_events()]


def test_materialize_runs_assets_in_dependency_order(tmp_path: Path) -> None:
    result = dg.materialize([doubled, numbers, total], resources=fs(tmp_path))
    assert result.success
    assert CALLS == ["numbers", "total", "doubled"]
    assert result.output_for_node("total") == 6
    assert result.asset_value("doubled") == 12
    assert result.asset_value(dg.AssetKey("numbers")) == [1, 2, 3]
    assert materialized_keys(result) == ["numbers", "total", "doubled"]
    assert (tmp_path / "store" / "doubled").is_file()


def test_materialize_defaults_to_the_instances_storage_folder(tmp_path: Path) -> None:
    instance = dg.Instance.local_temp(tmp_path)
    result = dg.materialize([numbers], instance=instance)
    assert result.success
    assert (Path(instance.storage_directory()) / "numbers").is_file()
    assert result.run.job_name == "__ephemeral_asset_job__"


def test_materialize_to_memory_writes_nothing(tmp_path: Path) -> None:
    instance = dg.Instance.local_temp(tmp_path)
    result = dg.materialize_to_memory(ALL, instance=instance)
    assert result.success
    assert result.asset_value("doubled") == 12
    storage = Path(instance.storage_directory())
    assert not any((storage / name).exists() for name in ("numbers", "total", "doubled"))
    assert materialized_keys(result) == ["numbers", "total", "doubled"]


def test_materialize_to_memory_refuses_an_io_manager_its_assets_store_with() -> None:
    msg = (
        "Attempted to call `materialize_to_memory` with a resource provided for io manager key "
        "'io_manager'. Do not provide resources for io manager keys when calling "
        "`materialize_to_memory`, as it will override io management behavior for all keys; "
        "use materialize(...) to store values with your IO manager"
    )
    with pytest.raises(dg.DagsterInvariantViolationError, match=re.escape(msg)):
        dg.materialize_to_memory(ALL, resources={"io_manager": dg.mem_io_manager})


def test_selection_loads_unselected_upstream_from_an_earlier_run(tmp_path: Path) -> None:
    instance = dg.Instance.local_temp(tmp_path)
    assert dg.materialize(ALL, resources=fs(tmp_path), instance=instance).success
    CALLS.clear()
    result = dg.materialize(ALL, resources=fs(tmp_path), instance=instance, selection="doubled")
    assert result.success
    assert CALLS == ["doubled"]
    assert result.asset_value("doubled") == 12
    loaded = [e for e in result.all_events if e.event_type is dg.EventType.LOADED_INPUT]
    assert [(e.step_key, e.data["input_name"]) for e in loaded] == [("doubled", "total")]


def test_selection_without_an_earlier_run_fails_naming_the_missing_value(tmp_path: Path) -> None:
    result = dg.materialize(
        ALL, resources=fs(tmp_path), selection=["doubled"], raise_on_error=False
    )
    assert not result.success
    failure = result.get_step_failure_events()[0]
    assert failure.step_key == "doubled"
    assert failure.error is not None
    path = tmp_path / "store" / "total"
    assert failure.error.message == (
        "IO manager 'io_manager' (PickledObjectFilesystemIOManager) failed to load input "
        "'total' of step "
        f"'doubled' (asset 'total'): MissingValueError: FilesystemIOManager could not load "
        f"asset 'total': no file at {path}; materialize it first"
    )


def test_selection_by_selection_object_and_string_syntax(tmp_path: Path) -> None:
    res = fs(tmp_path)
    result = dg.materialize(
        ALL, resources=res, selection=dg.AssetSelection.keys("total").upstream()
    )
    assert materialized_keys(result) == ["numbers", "total"]
    assert materialized_keys(dg.materialize(ALL, resources=res, selection="total+")) == [
        "total",
        "doubled",
    ]


def test_materialize_result_records_metadata_without_an_io_manager(tmp_path: Path) -> None:
    @dg.asset
    def table_written(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        context.add_output_metadata({"by_context": 1})
        return dg.MaterializeResult(
            metadata={
                "rows": 10,
                "note": "fine",
                "dashboard": dg.MetadataValue.url("https://example.com/d"),
            },
            tags={"run_kind": "test"},
        )

    result = dg.materialize([table_written], resources=fs(tmp_path))
    assert result.success
    assert not (tmp_path / "store").exists()  # the asset stored its own data
    [mat] = result.asset_materializations_for_node("table_written")
    assert mat.asset_key == dg.AssetKey("table_written")
    assert mat.metadata == {
        "by_context": IntMetadataValue(1),
        "rows": IntMetadataValue(10),
        "note": TextMetadataValue("fine"),
        "dashboard": UrlMetadataValue("https://example.com/d"),
    }
    [event] = result.get_asset_materialization_events()
    assert event.data["tags"] == {"run_kind": "test"}
    with pytest.raises(dg.DagsterInvalidInvocationError, match="holds no value for asset"):
        result.asset_value("table_written")


def test_multi_asset_with_outs_stores_each_output(tmp_path: Path) -> None:
    @dg.multi_asset(outs={"evens": dg.AssetOut(), "odds": dg.AssetOut(key_prefix="parts")})
    def split(numbers: list[int]):
        return [n for n in numbers if n % 2 == 0], [n for n in numbers if n % 2]

    @dg.asset(ins={"odds": dg.AssetIn(key=["parts", "odds"])})
    def odd_count(odds: list[int]) -> int:
        return len(odds)

    result = dg.materialize([numbers, split, odd_count], resources=fs(tmp_path))
    assert result.success
    assert result.output_for_node("split", "evens") == [2]
    assert result.asset_value("parts/odds") == [1, 3]
    assert result.asset_value("odd_count") == 2
    assert (tmp_path / "store" / "parts" / "odds").is_file()


def test_multi_asset_with_specs_yields_a_result_per_key() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("left"), dg.AssetSpec("right", deps=["left"])])
    def sides():
        yield dg.MaterializeResult(asset_key="left", metadata={"side": "l"})
        yield dg.MaterializeResult(asset_key="right", metadata={"side": "r"})

    result = dg.materialize_to_memory([sides])
    assert materialized_keys(result) == ["left", "right"]
    assert [m.metadata["side"] for m in result.asset_materializations_for_node("sides")] == [
        TextMetadataValue("l"),
        TextMetadataValue("r"),
    ]


SUBSET_SEEN: list[list[str]] = []


@dg.multi_asset(specs=[dg.AssetSpec("first"), dg.AssetSpec("second")], can_subset=True)
def subsettable(context: dg.AssetExecutionContext):
    keys = sorted(context.selected_asset_keys)
    SUBSET_SEEN.append([k.to_user_string() for k in keys])
    for key in keys:
        yield dg.MaterializeResult(asset_key=key)


def test_can_subset_multi_asset_computes_only_the_selected_keys() -> None:
    SUBSET_SEEN.clear()
    result = dg.materialize_to_memory([subsettable], selection="second")
    assert result.success
    assert SUBSET_SEEN == [["second"]]
    assert materialized_keys(result) == ["second"]
    assert materialized_keys(dg.materialize_to_memory([subsettable])) == ["first", "second"]


def test_selecting_part_of_a_multi_asset_that_cannot_subset_is_rejected() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("p1"), dg.AssetSpec("p2")])
    def pair():
        yield dg.MaterializeResult(asset_key="p1")
        yield dg.MaterializeResult(asset_key="p2")

    msg = (
        "job '__ephemeral_asset_job__' selects ['p2'] of 'pair', which computes ['p1', 'p2'] "
        "together and cannot compute a subset; select all of its assets, or declare it "
        "@multi_asset(can_subset=True)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.materialize_to_memory([pair], selection="p2")


def test_external_upstream_is_loaded_by_its_io_manager(tmp_path: Path) -> None:
    io = fs(tmp_path)
    seeder = PickledObjectFilesystemIOManager(base_dir=tmp_path / "store")
    seeder.handle_output(dg.build_output_context(asset_key=dg.AssetKey("ext")), {"seeded": True})

    @dg.asset
    def reads_ext(ext: dict[str, bool]) -> bool:
        return ext["seeded"]

    result = dg.materialize([dg.AssetSpec("ext"), reads_ext], resources=io)
    assert result.asset_value("reads_ext") is True


def test_external_asset_in_memory_run_needs_an_io_manager() -> None:
    @dg.asset
    def reads_ext(ext: int) -> int:
        return ext

    message = (
        "input 'ext' of step 'reads_ext' loads asset 'ext', which this run does not "
        "materialize, and no IO manager 'io_manager' is bound to load it: the run keeps "
        "values in memory only and holds none for 'ext'; produce it in the same run, or use "
        "materialize() or Definitions, which bind a filesystem IO manager (or your own) to "
        "load it"
    )
    result = dg.materialize_to_memory([dg.AssetSpec("ext"), reads_ext], raise_on_error=False)
    [failure] = result.get_step_failure_events()
    assert failure.error is not None
    assert failure.error.message == message
    # Raised, it is the KeyError the reference's in-memory IO manager lets out.
    with pytest.raises(KeyError) as raised:
        dg.materialize_to_memory([dg.AssetSpec("ext"), reads_ext])
    assert isinstance(raised.value, MissingValueError)
    assert str(raised.value) == message


class Limit(dg.Config):
    n: int = 1


def test_run_config_and_tags_reach_the_asset() -> None:
    seen: dict[str, Any] = {}

    @dg.asset
    def limited(context: dg.AssetExecutionContext, config: Limit) -> int:
        seen["tag"] = context.get_tag("who")
        return config.n

    result = dg.materialize_to_memory(
        [limited], run_config={"ops": {"limited": {"config": {"n": 4}}}}, tags={"who": "me"}
    )
    assert result.asset_value("limited") == 4
    assert seen == {"tag": "me"}


def test_failing_asset_raises_its_own_error_or_skips_downstream() -> None:
    @dg.asset
    def broken() -> int:
        raise ValueError("bad data")

    @dg.asset
    def after(broken: int) -> int:
        return broken

    with pytest.raises(ValueError, match="bad data"):
        dg.materialize_to_memory([broken, after])
    result = dg.materialize_to_memory([broken, after], raise_on_error=False)
    assert result.is_node_failed("broken")
    # as in the reference, a step downstream of a failure records nothing
    assert result.is_node_untouched("after")
    assert not result.is_node_skipped("after")


def test_define_asset_job_resolves_its_selection_in_definitions(tmp_path: Path) -> None:
    job = dg.define_asset_job("nightly", selection="*total", tags={"k": "v"})
    # '*total' is everything upstream, which Dagster's clause parser says as the largest depth.
    assert (
        repr(job)
        == "<UnresolvedAssetJobDefinition 'nightly' selection=9223372036854775807+key:\"total\">"
    )
    defs = dg.Definitions(assets=ALL, jobs=[job], resources=fs(tmp_path))
    resolved = defs.get_job_def("nightly")
    assert resolved.name == "nightly"
    result = resolved.execute_in_process()
    assert result.success
    assert CALLS == ["numbers", "total"]
    assert result.run.tags == {"k": "v"}
    assert materialized_keys(result) == ["numbers", "total"]


def test_define_asset_job_without_selection_takes_every_executable_asset() -> None:
    defs = dg.Definitions(
        assets=[*ALL, dg.AssetSpec("ext")],
        jobs=[dg.define_asset_job("everything")],
        resources={"io_manager": dg.mem_io_manager},
    )
    result = defs.get_job_def("everything").execute_in_process()
    assert materialized_keys(result) == ["numbers", "total", "doubled"]


@dg.asset(required_resource_keys={"db"})
def needs_db() -> int:
    return 1


def test_materialize_without_a_resource_names_the_asset_and_resources_keyword() -> None:
    msg = (
        "asset 'needs_db' requires resource 'db', which materialize() does not provide; "
        "pass it in materialize(..., resources={'db': ...}) (available: ['io_manager'])"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.materialize([needs_db], instance=dg.DagsterInstance.ephemeral())


def test_materialize_checks_the_resources_of_assets_it_does_not_select() -> None:
    # As the reference: the assets given are checked as a whole, like a Definitions.
    msg = "asset 'needs_db' requires resource 'db', which materialize_to_memory() does not"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.materialize_to_memory([needs_db, numbers], selection=[numbers])


def test_materialize_names_an_io_manager_key_it_was_not_given() -> None:
    @dg.asset(io_manager_key="warehouse")
    def stored() -> int:
        return 1

    msg = (
        "asset 'stored' requires resource 'warehouse', which materialize() does not provide; "
        "pass it in materialize(..., resources={'warehouse': ...}) (available: ['io_manager'])"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.materialize([stored], instance=dg.DagsterInstance.ephemeral())
