"""Metadata values named in issue 9 §2: pools, Python artifacts, jobs and column lineage."""

import os

from _harness import dg, scenario


def _lineage():
    dep = dg.TableColumnDep(asset_key=["raw", "orders"], column_name="amount")
    return dg.TableColumnLineage(deps_by_column={"total": [dep]})


@scenario
def pool_metadata_value_fields(obs):
    v = dg.MetadataValue.pool("db")
    obs.kind("class", v)
    obs.record("fields", [v.pool, v.name, v.value])
    obs.record("equal_to_direct", v == dg.PoolMetadataValue("db"))
    obs.record("hash_equal", hash(v) == hash(dg.PoolMetadataValue("db")))


@scenario
def python_artifact_metadata_value_records_module_and_name(obs):
    v = dg.MetadataValue.python_artifact(os.path.join)
    obs.kind("class", v)
    obs.record("fields", [v.module, v.name])
    obs.record("value_is_self", v.value is v)
    obs.raises(lambda: dg.MetadataValue.python_artifact(3), "python_artifact")


@scenario
def job_metadata_value_fields(obs):
    v = dg.MetadataValue.job("nightly", "loc")
    obs.kind("class", v)
    obs.record("fields", [v.job_name, v.location_name, v.repository_name])
    w = dg.DagsterJobMetadataValue(job_name="nightly", location_name="loc", repository_name="r")
    obs.record("direct", [w.job_name, w.location_name, w.repository_name])
    obs.record("value_is_self", v.value is v)


@scenario
def table_column_dep_coerces_its_asset_key(obs):
    obs.record("str", dg.TableColumnDep(asset_key="a/b", column_name="c").asset_key)
    obs.record("list", dg.TableColumnDep(asset_key=["a", "b"], column_name="c").asset_key)
    key = dg.AssetKey(["x"])
    obs.record("key", dg.TableColumnDep(asset_key=key, column_name="c").asset_key)
    obs.record(
        "equal",
        dg.TableColumnDep(asset_key="a", column_name="c")
        == dg.TableColumnDep(asset_key=["a"], column_name="c"),
    )


@scenario
def table_column_lineage_holds_deps_by_column(obs):
    lineage = _lineage()
    obs.record(
        "deps",
        {
            col: [[d.asset_key, d.column_name] for d in deps]
            for col, deps in lineage.deps_by_column.items()
        },
    )


@scenario
def column_lineage_metadata_value_wraps_the_lineage(obs):
    lineage = _lineage()
    v = dg.MetadataValue.column_lineage(lineage)
    obs.kind("class", v)
    obs.record("value_is_lineage", v.value == lineage)
    obs.record("column_lineage_is_lineage", v.column_lineage == lineage)
    direct = dg.TableColumnLineageMetadataValue(column_lineage=lineage)
    obs.record("equal_to_direct", direct == v)


@scenario
def new_metadata_values_on_an_asset_reach_its_definition(obs):
    @dg.asset(
        metadata={
            "pool": dg.MetadataValue.pool("db"),
            "job": dg.MetadataValue.job("nightly", "loc"),
        }
    )
    def orders():
        return 1

    md = orders.metadata_by_key[dg.AssetKey(["orders"])]
    obs.kind("pool_kind", md["pool"])
    obs.kind("job_kind", md["job"])
    obs.record("pool", md["pool"].value)


@scenario
def new_metadata_values_on_a_materialization(obs):
    @dg.asset
    def orders():
        return dg.MaterializeResult(
            metadata={
                "pool": dg.MetadataValue.pool("db"),
                "lineage": dg.MetadataValue.column_lineage(_lineage()),
                "artifact": dg.MetadataValue.python_artifact(os.path.join),
                "job": dg.MetadataValue.job("nightly", "loc", repository_name="r"),
            }
        )

    result = dg.materialize([orders])
    obs.record("success", result.success)
    (mat,) = result.asset_materializations_for_node("orders")
    md = mat.metadata
    obs.record("pool", md["pool"].value)
    lin = md["lineage"].value
    obs.record(
        "lineage",
        {c: [[d.asset_key, d.column_name] for d in deps] for c, deps in lin.deps_by_column.items()},
    )
    obs.record("artifact", [md["artifact"].module, md["artifact"].name])
    job = md["job"]
    obs.record("job", [job.job_name, job.location_name, job.repository_name])
