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


def _refs(definition):
    """{key: [[class, basename or url, line, label]]} of a definition's code references."""
    out = {}
    for key, md in definition.metadata_by_key.items():
        value = md.get("dagster/code_references")
        rows = []
        for ref in value.code_references if value is not None else []:
            if hasattr(ref, "file_path"):
                rows.append(["local", os.path.basename(ref.file_path), ref.line_number, ref.label])
            else:
                rows.append(["url", ref.url, ref.label])
        out[key.to_user_string()] = rows
    return out


def _code_assets():
    @dg.asset
    def orders():
        return 1

    @dg.multi_asset(specs=[dg.AssetSpec("m1"), dg.AssetSpec("m2")])
    def both():
        pass

    return orders, both


@scenario
def code_reference_classes_hold_their_fields(obs):
    local = dg.LocalFileCodeReference(file_path="/a/b.py", line_number=3, label="x")
    obs.record("local", [local.file_path, local.line_number, local.label, local.source])
    bare = dg.LocalFileCodeReference(file_path="/a/b.py")
    obs.record("bare", [bare.line_number, bare.label, bare.source])
    url = dg.UrlCodeReference(url="https://h.io/f.py")
    obs.record("url", [url.url, url.label, url.source])
    value = dg.CodeReferencesMetadataValue(code_references=[local, url])
    obs.kind("class", value)
    obs.record("value_is_self", value.value is value)
    obs.record("count", len(value.code_references))
    obs.record("equal", value == dg.CodeReferencesMetadataValue(code_references=[local, url]))


@scenario
def with_source_code_references_records_file_and_line(obs):
    orders, both = _code_assets()
    spec = dg.AssetSpec("ext")
    out = dg.with_source_code_references([orders, both, spec])
    obs.record("refs_orders", _refs(out[0]))
    obs.record("refs_both", _refs(out[1]))
    obs.record("spec_unchanged", out[2] is spec)
    obs.record("original_untouched", _refs(orders) == {"orders": []})


@scenario
def with_source_code_references_appends_to_existing_ones(obs):
    given = dg.CodeReferencesMetadataValue(
        code_references=[dg.UrlCodeReference(url="https://h.io/doc", label="doc")]
    )

    @dg.asset(metadata={"dagster/code_references": given, "owner": "x"})
    def orders():
        return 1

    (out,) = dg.with_source_code_references([orders])
    obs.record("refs", _refs(out))
    obs.record("keys", sorted(out.metadata_by_key[dg.AssetKey("orders")]))


@scenario
def anchor_based_file_path_mapping_maps_relative_to_the_anchor(obs):
    from pathlib import Path

    mapping = dg.AnchorBasedFilePathMapping(
        local_file_anchor=Path("/home/u/repo/pkg/__init__.py"),
        file_anchor_path_in_repository="src/pkg/__init__.py",
    )
    obs.record("sibling", mapping.convert_to_source_control_path(Path("/home/u/repo/pkg/a.py")))
    obs.record("nested", mapping.convert_to_source_control_path(Path("/home/u/repo/pkg/s/b.py")))
    obs.record("is_mapping", isinstance(mapping, dg.FilePathMapping))


@scenario
def link_code_references_to_git_builds_branch_urls(obs):
    orders, both = _code_assets()
    here = os.path.dirname(os.path.abspath(__file__))
    mapping = dg.AnchorBasedFilePathMapping(
        local_file_anchor=os.path.join(here, "x.py"), file_anchor_path_in_repository="src/x.py"
    )
    local = dg.with_source_code_references([orders, both])
    hub = dg.link_code_references_to_git(local, "https://github.com/o/r", "main", mapping)
    obs.record("github", [_refs(d) for d in hub])
    lab = dg.link_code_references_to_git(local, "https://gitlab.com/o/r", "dev", mapping)
    obs.record("gitlab", [_refs(d) for d in lab])
    forced = dg.link_code_references_to_git(
        local, "https://git.example.com/o/r", "main", mapping, platform="gitlab"
    )
    obs.record("forced", [_refs(d) for d in forced])
    obs.raises(
        lambda: dg.link_code_references_to_git(local, "https://example.com/r", "main", mapping),
        "platform",
    )


@scenario
def link_code_references_to_git_leaves_assets_without_references(obs):
    orders, _ = _code_assets()
    mapping = dg.AnchorBasedFilePathMapping(
        local_file_anchor="/x/a.py", file_anchor_path_in_repository="a.py"
    )
    (out,) = dg.link_code_references_to_git([orders], "https://github.com/o/r", "main", mapping)
    obs.record("refs", _refs(out))


@scenario
def map_asset_specs_maps_specs_and_definitions(obs):
    @dg.multi_asset(specs=[dg.AssetSpec("m1"), dg.AssetSpec("m2", owners=["a@b.io"])])
    def both():
        pass

    out = dg.map_asset_specs(
        lambda s: s.replace_attributes(owners=[*s.owners, "team:data"], group_name="g"),
        [both, dg.AssetSpec("ext")],
    )
    obs.kind("first", out[0])
    obs.kind("second", out[1])
    obs.record("owners", {s.key.to_user_string(): list(s.owners) for s in out[0].specs})
    obs.record("groups", {s.key.to_user_string(): s.group_name for s in out[0].specs})
    obs.record("spec_owners", list(out[1].owners))
    obs.record("original_owners", {s.key.to_user_string(): list(s.owners) for s in both.specs})


@scenario
def map_asset_specs_refuses_a_changed_key(obs):
    @dg.asset
    def orders():
        return 1

    obs.raises(
        lambda: dg.map_asset_specs(lambda s: s.replace_attributes(key="other"), [orders]),
        "orders",
        "other",
        "must not change keys",
    )
    (spec,) = dg.map_asset_specs(lambda s: s.replace_attributes(key="other"), [dg.AssetSpec("ext")])
    obs.record("spec_key", spec.key)


@scenario
def map_asset_specs_result_materializes_with_new_metadata(obs):
    @dg.asset
    def orders():
        return 1

    (mapped,) = dg.map_asset_specs(
        lambda s: s.replace_attributes(metadata={**s.metadata, "owner": "x"}), [orders]
    )
    obs.record("metadata", sorted(mapped.metadata_by_key[dg.AssetKey("orders")]))
    result = dg.materialize([mapped])
    obs.record("success", result.success)
    obs.record("value", result.output_for_node("orders"))


_PACKAGE = {
    "__init__.py": """
from _harness import dg

@dg.asset
def a():
    return 1

@dg.asset_check(asset=a)
def a_ok():
    return dg.AssetCheckResult(passed=True)

aj = dg.define_asset_job("aj", selection=[a])

@dg.op
def o():
    pass

@dg.job
def opjob():
    o()

every_minute = dg.ScheduleDefinition(job=aj, cron_schedule="* * * * *")

@dg.sensor(job=opjob)
def sen():
    return None

spec = dg.AssetSpec("ext")
""",
    "sub/__init__.py": "",
    "sub/more.py": """
from _harness import dg
from {name} import a

@dg.asset(deps=[a])
def b():
    return 2
""",
}


def _package(name):
    """A package ``name`` on a fresh sys.path entry, imported."""
    import importlib
    import sys
    import tempfile

    root = tempfile.mkdtemp()
    for rel, text in _PACKAGE.items():
        path = os.path.join(root, name, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text.replace("{name}", name))
    sys.path.insert(0, root)
    return importlib.import_module(name)


def _defs_summary(defs):
    keys = set()
    for item in defs.assets:
        if isinstance(item, dg.AssetSpec):
            keys.add(item.key.to_user_string())
        else:
            keys.update(k.to_user_string() for k in item.keys)
    return {
        "asset_keys": sorted(keys),
        "checks": len(list(defs.asset_checks or [])),
        "jobs": sorted(j.name for j in defs.jobs),
        "schedules": sorted(s.name for s in defs.schedules),
        "sensors": sorted(s.name for s in defs.sensors),
    }


@scenario
def load_definitions_from_module_collects_module_scope_objects(obs):
    pkg = _package("nm_pkg_module")
    defs = dg.load_definitions_from_module(pkg)
    obs.record("defs", _defs_summary(defs))
    obs.record("job_ran", defs.get_job_def("opjob").execute_in_process().success)


@scenario
def load_definitions_from_package_module_walks_submodules(obs):
    pkg = _package("nm_pkg_package")
    obs.record("defs", _defs_summary(dg.load_definitions_from_package_module(pkg)))


@scenario
def load_definitions_from_package_name_imports_and_binds_resources(obs):
    _package("nm_pkg_name")
    defs = dg.load_definitions_from_package_name("nm_pkg_name", resources={"r": 1})
    obs.record("defs", _defs_summary(defs))
    obs.record("resources", sorted(defs.resources))
    obs.raises(lambda: dg.load_definitions_from_package_name("nm_no_such_pkg"), "nm_no_such_pkg")


@scenario
def load_definitions_from_modules_merges_modules(obs):
    import importlib

    pkg = _package("nm_pkg_modules")
    more = importlib.import_module("nm_pkg_modules.sub.more")
    defs = dg.load_definitions_from_modules([pkg, more])
    obs.record("defs", _defs_summary(defs))
    result = dg.materialize([a for a in defs.assets if not isinstance(a, dg.AssetSpec)])
    obs.record("materialized", result.success)


@scenario
def load_definitions_from_current_module_reads_the_caller(obs):
    pkg = _package("nm_pkg_current")
    path = os.path.join(os.path.dirname(pkg.__file__), "sub", "here.py")
    with open(path, "w") as f:
        f.write(
            "from _harness import dg\n\n"
            "@dg.asset\ndef here():\n    return 3\n\n"
            "defs = dg.load_definitions_from_current_module()\n"
        )
    import importlib

    here = importlib.import_module("nm_pkg_current.sub.here")
    obs.record("defs", _defs_summary(here.defs))


@scenario
def load_assets_and_checks_from_package_name(obs):
    _package("nm_pkg_assets")
    found = dg.load_assets_from_package_name("nm_pkg_assets", group_name="g")
    obs.record("assets", sorted(k.to_user_string() for a in found for k in a.keys))
    obs.record("groups", sorted({g for a in found for g in a.group_names_by_key.values()}))
    checks = dg.load_asset_checks_from_package_name("nm_pkg_assets")
    obs.record("checks", len(checks))
    obs.kind("check_class", checks[0])


@scenario
def asset_or_check_key_is_a_union_of_both_keys(obs):
    key = dg.AssetKey(["a"])
    check = dg.AssetCheckKey(asset_key=key, name="c")
    obs.record("asset_key", isinstance(key, dg.AssetOrCheckKey))
    obs.record("check_key", isinstance(check, dg.AssetOrCheckKey))
    obs.record("str", isinstance("a", dg.AssetOrCheckKey))
    obs.record("members", sorted(t.__name__ for t in dg.AssetOrCheckKey.__args__))


@scenario
def asset_partition_status_members(obs):
    obs.record("members", [[m.name, m.value] for m in dg.AssetPartitionStatus])
    obs.record("lookup", dg.AssetPartitionStatus("FAILED"))


@scenario
def type_check_fn_receives_a_type_check_context(obs):
    seen = {}

    def check(context, value):
        seen["is_context"] = isinstance(context, dg.TypeCheckContext)
        seen["run_id_is_str"] = isinstance(context.run_id, str)
        seen["has_log"] = context.log is not None
        seen["resource"] = context.resources.greeting
        return isinstance(value, int)

    Even = dg.DagsterType(type_check_fn=check, name="Even", required_resource_keys={"greeting"})

    @dg.op(out=dg.Out(Even))
    def make():
        return 2

    @dg.job(resource_defs={"greeting": dg.ResourceDefinition.hardcoded_resource("hi")})
    def j():
        make()

    obs.record("success", j.execute_in_process().success)
    obs.record("seen", seen)


# MetadataEntry and the metadata value constructors -----------------------------------------


@scenario
def metadata_entry_normalizes_its_value(obs):
    entry = dg.MetadataEntry("rows", value=3)
    obs.record("label_description", [entry.label, entry.description])
    obs.kind("value_kind", entry.value)
    obs.record("value", entry.value.value)
    obs.record("same_object", entry.value is entry.entry_data)
    obs.record("is_tuple", isinstance(entry, tuple))
    obs.record("equal_old_name", entry == dg.MetadataEntry("rows", entry_data=3))
    obs.kind("null_kind", dg.MetadataEntry("x").value)
    obs.kind("text_kind", dg.MetadataEntry("x", description="d", value="s").value)
    obs.record("asdict_keys", sorted(dg.MetadataEntry("x", value=1)._asdict()))


@scenario
def metadata_entry_rejects_bad_input(obs):
    obs.raises(lambda: dg.MetadataEntry("x", value=object()), key="bad_value")
    obs.raises(lambda: dg.MetadataEntry("x", value=1, entry_data=2), key="both_names")
    obs.raises(lambda: dg.MetadataEntry(1, value=1), key="label_not_str")


@scenario
def metadata_values_construct_from_their_fields(obs):
    made = {
        "bool": dg.BoolMetadataValue(True),
        "int": dg.IntMetadataValue(value=3),
        "float": dg.FloatMetadataValue(1.5),
        "text": dg.TextMetadataValue("t"),
        "url": dg.UrlMetadataValue(url="http://x"),
        "md": dg.MarkdownMetadataValue("# h"),
        "timestamp": dg.TimestampMetadataValue(1.0),
        "run": dg.DagsterRunMetadataValue("abc"),
        "job": dg.DagsterJobMetadataValue("j", "loc"),
        "artifact": dg.PythonArtifactMetadataValue("os.path", "join"),
        "asset": dg.DagsterAssetMetadataValue(dg.AssetKey("a")),
    }
    for name, value in made.items():
        obs.kind(f"kind_{name}", value)
    obs.record("values", {k: made[k].value for k in ("bool", "int", "float", "text", "url", "md")})
    obs.record("job_fields", [made["job"].job_name, made["job"].location_name])
    obs.record("job_repository", made["job"].repository_name)
    obs.record("run_id", made["run"].run_id)
    obs.record("artifact", [made["artifact"].module, made["artifact"].name])


@scenario
def text_like_metadata_values_default_to_empty(obs):
    obs.record(
        "defaults",
        [dg.TextMetadataValue().text, dg.UrlMetadataValue().url, dg.MarkdownMetadataValue().md_str],
    )
    obs.record("null_is_falsy", bool(dg.NullMetadataValue()))


@scenario
def table_record_and_schema_value_construct(obs):
    record = dg.TableRecord(data={"a": 1, "b": "x"})
    obs.record("data", dict(record.data))
    schema = dg.TableSchema(columns=[dg.TableColumn("a", "int")])
    value = dg.TableSchemaMetadataValue(schema)
    obs.record("schema_columns", [c.name for c in value.schema.columns])
    obs.raises(lambda: dg.TableRecord(data={"a": object()}))


@scenario
def config_schema_cannot_be_instantiated(obs):
    obs.raises(dg.ConfigSchema)
    obs.record("is_class", isinstance(dg.ConfigSchema, type))


@scenario
def file_path_mapping_is_abstract(obs):
    obs.raises(dg.FilePathMapping)

    class Mapping(dg.FilePathMapping):
        def convert_to_source_control_path(self, local_path):
            return "repo/" + local_path.name

    import pathlib

    obs.record("converted", Mapping().convert_to_source_control_path(pathlib.Path("/a/b.py")))
