"""Parity: observable source assets, observations and data versions; MaterializeResult's
value; loading stored asset values; the custom-path and adapter IO managers."""

import os
import pickle

from _harness import dg, scenario


def _observations(result):  # type: ignore[no-untyped-def]
    rows = []
    for e in result.all_events:
        if e.event_type_value != "ASSET_OBSERVATION":
            continue
        o = e.event_specific_data.asset_observation
        metadata = {k: getattr(v, "value", v) for k, v in o.metadata.items()}
        rows.append([list(o.asset_key.path), o.partition, dict(o.tags), metadata])
    return rows


class _MemIO(dg.IOManager):
    def __init__(self) -> None:
        self.values: dict = {}

    def handle_output(self, context, obj):  # type: ignore[no-untyped-def]
        self.values[tuple(context.asset_key.path)] = obj

    def load_input(self, context):  # type: ignore[no-untyped-def]
        return self.values.get(tuple(context.asset_key.path), "nothing stored")


def _source(version: str = "v1"):  # type: ignore[no-untyped-def]
    @dg.observable_source_asset
    def src():
        return dg.DataVersion(version)

    return src


def _observe_job(*assets, selection=None):  # type: ignore[no-untyped-def]
    job = dg.define_asset_job("observe_job", selection=selection or [assets[0]])
    return dg.Definitions(assets=list(assets), jobs=[job]).resolve_job_def("observe_job")


@scenario
def observable_source_runs_in_an_asset_job(obs):
    result = _observe_job(_source()).execute_in_process()
    obs.record("success", result.success)
    obs.events(result)
    obs.record("observations", _observations(result))


@scenario
def observation_step_output_is_nothing(obs):
    result = _observe_job(_source()).execute_in_process()
    messages = [e.message for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    obs.record("messages", messages)


@scenario
def observe_result_metadata_and_tags(obs):
    @dg.observable_source_asset
    def src():
        return dg.ObserveResult(
            data_version=dg.DataVersion("v2"), metadata={"rows": 3}, tags={"team": "data"}
        )

    result = _observe_job(src).execute_in_process()
    obs.record("observations", _observations(result))


@scenario
def observe_result_without_data_version(obs):
    @dg.observable_source_asset
    def src():
        return dg.ObserveResult(metadata={"seen": True})

    result = _observe_job(src).execute_in_process()
    obs.record("observations", _observations(result))


@scenario
def observe_function_receives_asset_context(obs):
    seen = {}

    @dg.observable_source_asset(name="raw", key_prefix=["lake"])
    def src(context):
        seen["key"] = context.asset_key.path
        seen["kind"] = type(context).__name__
        context.log.info("looking")
        return dg.DataVersion("v1")

    _observe_job(src).execute_in_process()
    obs.record("key", seen["key"])
    obs.record("context", seen["kind"])


@scenario
def observe_function_gets_resources(obs):
    class Lake(dg.ConfigurableResource):
        version: str

    @dg.observable_source_asset
    def src(lake: Lake):
        return dg.DataVersion(lake.version)

    job = dg.define_asset_job("observe_job", selection=[src])
    defs = dg.Definitions(assets=[src], jobs=[job], resources={"lake": Lake(version="from-lake")})
    result = defs.resolve_job_def("observe_job").execute_in_process()
    obs.record("observations", _observations(result))


@scenario
def observe_function_returning_wrong_kind_fails(obs):
    @dg.observable_source_asset
    def src():
        return 5

    job = _observe_job(src)
    obs.raises(job.execute_in_process, "must return a DataVersion", "int")
    result = job.execute_in_process(raise_on_error=False)
    obs.events(result, key="events")


@scenario
def observe_function_returning_none_fails(obs):
    @dg.observable_source_asset
    def src():
        return None

    obs.raises(lambda: _observe_job(src).execute_in_process(), "must return a DataVersion")


@scenario
def observe_function_raising_fails_the_step(obs):
    @dg.observable_source_asset
    def src():
        raise ValueError("lake offline")

    job = _observe_job(src)
    obs.raises(job.execute_in_process, "lake offline")
    obs.events(job.execute_in_process(raise_on_error=False))


@scenario
def observe_result_for_another_key_fails(obs):
    @dg.observable_source_asset
    def src():
        return dg.ObserveResult(asset_key="elsewhere", data_version=dg.DataVersion("v"))

    obs.raises(lambda: _observe_job(src).execute_in_process(), "elsewhere")


@scenario
def implicit_asset_job_includes_observable_sources(obs):
    src = _source()

    @dg.asset
    def down(src):
        return src

    defs = dg.Definitions(assets=[src, down], resources={"io_manager": _MemIO()})
    job = defs.resolve_implicit_global_asset_job_def()
    obs.record("nodes", sorted(d.name for d in job.graph.node_defs))
    result = job.execute_in_process()
    obs.events(result)
    obs.record("down", result.output_for_node("down"))


@scenario
def selections_leave_out_observable_sources(obs):
    @dg.observable_source_asset(group_name="g")
    def src():
        return dg.DataVersion("v1")

    @dg.asset(group_name="g")
    def down(src):
        return src

    graph = dg.Definitions(assets=[src, down, dg.AssetSpec("ext", group_name="g")])
    graph = graph.resolve_asset_graph()
    for label, selection in [
        ("all", dg.AssetSelection.all()),
        ("all_with_sources", dg.AssetSelection.all(include_sources=True)),
        ("groups", dg.AssetSelection.groups("g")),
        ("upstream", dg.AssetSelection.assets(down).upstream()),
        ("keys", dg.AssetSelection.keys("src")),
    ]:
        obs.record(label, sorted(k.to_user_string() for k in selection.resolve(graph)))


@scenario
def asset_job_over_all_assets_leaves_out_sources(obs):
    src = _source()

    @dg.asset
    def down(src):
        return src

    jobs = [
        dg.define_asset_job("plain", selection=dg.AssetSelection.all()),
        dg.define_asset_job("with_sources", selection=dg.AssetSelection.all(include_sources=True)),
    ]
    defs = dg.Definitions(assets=[src, down], jobs=jobs)
    for name in ("plain", "with_sources"):
        obs.record(name, sorted(d.name for d in defs.resolve_job_def(name).graph.node_defs))


@scenario
def materialize_leaves_out_observable_sources(obs):
    result = dg.materialize([_source()])
    obs.record("success", result.success)
    obs.events(result)


@scenario
def materialize_observes_a_selected_source(obs):
    src = _source()

    @dg.asset
    def down(src):
        return src

    result = dg.materialize([src, down], selection=[src])
    obs.events(result)
    obs.record("observations", _observations(result))


@scenario
def downstream_records_the_observed_version(obs):
    src = _source("v7")

    @dg.asset
    def down(src):
        return src

    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=[src, down], resources={"io_manager": _MemIO()})
    defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=instance)
    event = instance.get_latest_materialization_event(dg.AssetKey("down"))
    tags = event.asset_materialization.tags
    obs.record("input_version", tags.get("dagster/input_data_version/src"))
    obs.record("has_data_version", "dagster/data_version" in tags)


@scenario
def later_run_reads_the_last_observed_version(obs):
    instance = dg.DagsterInstance.ephemeral()
    _observe_job(_source("v1")).execute_in_process(instance=instance)
    _observe_job(_source("v2")).execute_in_process(instance=instance)

    @dg.asset(deps=["src"])
    def down():
        return 1

    dg.materialize([down], instance=instance)
    event = instance.get_latest_materialization_event(dg.AssetKey("down"))
    obs.record(
        "input_version", event.asset_materialization.tags.get("dagster/input_data_version/src")
    )


@scenario
def instance_latest_data_version_record(obs):
    src = _source("v3")

    @dg.asset
    def down(src):
        return src

    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=[src, down], resources={"io_manager": _MemIO()})
    defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=instance)

    def kind(key, **kwargs):  # type: ignore[no-untyped-def]
        record = instance.get_latest_data_version_record(dg.AssetKey(key), **kwargs)
        return None if record is None else record.event_log_entry.dagster_event.event_type_value

    obs.record("src", kind("src"))
    obs.record("src_as_source", kind("src", is_source=True))
    obs.record("src_not_source", kind("src", is_source=False))
    obs.record("down", kind("down"))
    obs.record("down_as_source", kind("down", is_source=True))
    obs.record("unknown", kind("nope"))


@scenario
def instance_fetch_observations_pages(obs):
    instance = dg.DagsterInstance.ephemeral()
    for version in ("a", "b", "c"):
        _observe_job(_source(version)).execute_in_process(instance=instance)
    newest = instance.fetch_observations(dg.AssetKey("src"), limit=2)
    obs.record("newest", [r.asset_observation.tags["dagster/data_version"] for r in newest.records])
    obs.record("has_more", newest.has_more)
    rest = instance.fetch_observations(dg.AssetKey("src"), limit=2, cursor=newest.cursor)
    obs.record("rest", [r.asset_observation.tags["dagster/data_version"] for r in rest.records])
    oldest = instance.fetch_observations(dg.AssetKey("src"), limit=5, ascending=True)
    obs.record("oldest", [r.asset_observation.tags["dagster/data_version"] for r in oldest.records])
    obs.record(
        "materializations",
        len(instance.fetch_materializations(dg.AssetKey("src"), limit=5).records),
    )


@scenario
def result_lists_observations(obs):
    result = _observe_job(_source("v4")).execute_in_process()
    obs.record("for_node", [dict(o.tags) for o in result.asset_observations_for_node("src")])
    events = result.get_asset_observation_events()
    obs.record("events", [e.event_type_value for e in events])
    obs.record("materializations", len(result.get_asset_materialization_events()))


@scenario
def partitioned_source_reports_versions_by_partition(obs):
    parts = dg.StaticPartitionsDefinition(["a", "b"])

    @dg.observable_source_asset(partitions_def=parts)
    def src():
        return dg.DataVersionsByPartition({"a": "1", "b": dg.DataVersion("2")})

    result = _observe_job(src).execute_in_process(partition_key="a")
    obs.record("observations", _observations(result))


@scenario
def partitioned_source_returning_one_version_fails(obs):
    parts = dg.StaticPartitionsDefinition(["a", "b"])

    @dg.observable_source_asset(partitions_def=parts)
    def src():
        return dg.DataVersion("1")

    job = _observe_job(src)
    obs.raises(lambda: job.execute_in_process(partition_key="a"), "DataVersionsByPartition")


@scenario
def unpartitioned_source_returning_versions_by_partition_fails(obs):
    @dg.observable_source_asset
    def src():
        return dg.DataVersionsByPartition({"a": "1"})

    obs.raises(lambda: _observe_job(src).execute_in_process(), "not partitioned")


@scenario
def data_versions_by_partition_coerces_strings(obs):
    versions = dg.DataVersionsByPartition({"a": "1", "b": dg.DataVersion("2")})
    by_partition = versions.data_versions_by_partition
    obs.record("values", {k: v.value for k, v in by_partition.items()})
    obs.kind("kind", by_partition["a"])
    obs.raises(lambda: dg.DataVersionsByPartition({"a": 1}))


@scenario
def multi_observable_source_asset_observes_each_key(obs):
    @dg.multi_observable_source_asset(specs=[dg.AssetSpec("left"), dg.AssetSpec("right")])
    def both():
        yield dg.ObserveResult(asset_key="left", data_version=dg.DataVersion("l1"))
        yield dg.ObserveResult(asset_key="right", metadata={"n": 2})

    job = dg.define_asset_job("observe_both", selection=[both])
    defs = dg.Definitions(assets=[both], jobs=[job])
    result = defs.resolve_job_def("observe_both").execute_in_process()
    obs.events(result)
    obs.record("observations", _observations(result))


@scenario
def observable_definitions_say_what_they_do(obs):
    @dg.multi_observable_source_asset(specs=[dg.AssetSpec("left")])
    def multi():
        yield dg.ObserveResult(asset_key="left")

    @dg.asset
    def plain():
        return 1

    src = _source()
    defs = dg.Definitions(assets=[src, multi, plain, dg.AssetSpec("ext")])
    for key in ("src", "left", "plain", "ext"):
        d = defs.resolve_assets_def(key)
        obs.record(key, [d.is_observable, d.is_materializable, d.is_executable])
    obs.record("source", [src.is_observable, src.key.path])


@scenario
def source_asset_with_observe_fn_observes(obs):
    def check_lake():
        return dg.DataVersion("by-hand")

    src = dg.SourceAsset("lake", observe_fn=check_lake)
    job = dg.define_asset_job("observe_job", selection=["lake"])
    result = (
        dg.Definitions(assets=[src], jobs=[job]).resolve_job_def("observe_job").execute_in_process()
    )
    obs.record("observations", _observations(result))


@scenario
def observe_result_fields(obs):
    result = dg.ObserveResult(
        asset_key="k", data_version=dg.DataVersion("x"), tags={"t": "1"}, check_results=None
    )
    obs.record("key", result.asset_key)
    obs.record("version", result.data_version.value)
    obs.record("tags", result.tags)
    obs.record("checks", list(result.check_results))
    obs.signature("signature", dg.ObserveResult)


@scenario
def observe_result_rejects_bad_tags(obs):
    obs.raises(lambda: dg.ObserveResult(tags={"bad key!": "x"}), "invalid tag keys", "bad key!")
    obs.raises(lambda: dg.ObserveResult(tags={"t": 1}), "must be strings", key="value_error")
    obs.raises(lambda: dg.MaterializeResult(tags={"a/b/c": "x"}), key="three_sections")


@scenario
def materialize_result_value_is_stored(obs):
    @dg.asset
    def first():
        return dg.MaterializeResult(value=5, metadata={"m": 1})

    @dg.asset
    def second(first):
        return first + 1

    result = dg.materialize([first, second])
    obs.record("second", result.output_for_node("second"))
    obs.record("first", result.output_for_node("first"))
    obs.events(result)
    rows = []
    for e in result.all_events:
        if e.event_type_value == "ASSET_MATERIALIZATION":
            md = e.materialization.metadata
            rows.append([e.asset_key.path, sorted(md), md["m"].value if "m" in md else None])
    obs.record("materializations", rows)


@scenario
def materialize_result_value_in_multi_asset_outs(obs):
    @dg.multi_asset(outs={"p": dg.AssetOut(), "q": dg.AssetOut()})
    def pq():
        yield dg.MaterializeResult(asset_key="p", value=10)
        yield dg.MaterializeResult(asset_key="q", value=2)

    @dg.asset
    def total(p, q):
        return p + q

    result = dg.materialize([pq, total])
    obs.record("total", result.output_for_node("total"))
    obs.record("p", result.output_for_node("pq", "p"))


@scenario
def materialize_result_value_on_spec_asset_fails(obs):
    @dg.multi_asset(specs=[dg.AssetSpec("x"), dg.AssetSpec("y")])
    def xy():
        yield dg.MaterializeResult(asset_key="x", value=10)
        yield dg.MaterializeResult(asset_key="y")

    result = dg.materialize([xy], raise_on_error=False)
    obs.record("success", result.success)
    obs.raises(lambda: dg.materialize([xy]), "Nothing", "Value must be None")


@scenario
def materialize_result_without_value_calls_no_io_manager(obs):
    @dg.asset
    def own():
        return dg.MaterializeResult(metadata={"rows": 1})

    io = _MemIO()
    result = dg.materialize([own], resources={"io_manager": io})
    obs.events(result)
    obs.record("stored", sorted(io.values))
    obs.signature("signature", dg.MaterializeResult)


@scenario
def materialize_result_value_none_is_stored(obs):
    @dg.asset
    def empty():
        return dg.MaterializeResult(value=None)

    io = _MemIO()
    result = dg.materialize([empty], resources={"io_manager": io})
    obs.record("stored", {"/".join(k): v for k, v in io.values.items()})
    obs.events(result)


@scenario
def data_provenance_from_tags(obs):
    provenance = dg.DataProvenance.from_tags(
        {
            "dagster/code_version": "7",
            "dagster/input_data_version/a/b": "v1",
            "dagster/input_event_pointer/a/b": "12",
            "dagster/data_version_is_user_provided": "true",
        }
    )
    obs.record("code_version", provenance.code_version)
    obs.record(
        "inputs", {k.to_user_string(): v.value for k, v in provenance.input_data_versions.items()}
    )
    obs.record(
        "storage_ids", {k.to_user_string(): v for k, v in provenance.input_storage_ids.items()}
    )
    obs.record("user_provided", provenance.is_user_provided)
    obs.record("has_input", provenance.has_input_asset(dg.AssetKey(["a", "b"])))
    obs.record("none", dg.DataProvenance.from_tags({"dagster/data_version": "x"}))


@scenario
def data_provenance_of_a_materialization(obs):
    src = _source("v9")

    @dg.asset(code_version="3")
    def down(src):
        return src

    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=[src, down], resources={"io_manager": _MemIO()})
    defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=instance)
    tags = instance.get_latest_materialization_event(dg.AssetKey("down")).asset_materialization.tags
    provenance = dg.DataProvenance.from_tags(tags)
    obs.record("code_version", provenance.code_version)
    obs.record(
        "inputs", {k.to_user_string(): v.value for k, v in provenance.input_data_versions.items()}
    )
    obs.record("user_provided", provenance.is_user_provided)


@scenario
def asset_value_loader_loads_through_the_io_manager(obs):
    @dg.asset
    def numbers():
        return [1, 2, 3]

    io = _MemIO()
    defs = dg.Definitions(assets=[numbers], resources={"io_manager": io})
    defs.resolve_implicit_global_asset_job_def().execute_in_process()
    with defs.get_asset_value_loader() as loader:
        obs.kind("loader", loader)
        obs.record("value", loader.load_asset_value("numbers"))
        obs.record("again", loader.load_asset_value(dg.AssetKey("numbers")))
    obs.record("direct", defs.load_asset_value("numbers"))


@scenario
def asset_value_loader_passes_partition_and_type(obs):
    seen = []

    class Recording(dg.IOManager):
        def handle_output(self, context, obj):  # type: ignore[no-untyped-def]
            pass

        def load_input(self, context):  # type: ignore[no-untyped-def]
            seen.append(
                [
                    context.asset_key.path,
                    context.partition_key if context.has_partition_key else None,
                    context.dagster_type.typing_type.__name__,
                    dict(context.definition_metadata or {}),
                    dict(context.upstream_output.definition_metadata or {}),
                ]
            )
            return "loaded"

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["a"]), metadata={"owner": "me"})
    def parted():
        return 1

    defs = dg.Definitions(assets=[parted], resources={"io_manager": Recording()})
    value = defs.load_asset_value(
        "parted", python_type=int, partition_key="a", metadata={"columns": 2}
    )
    obs.record("value", value)
    obs.record("seen", seen)


@scenario
def asset_value_loader_reads_the_filesystem_by_default(obs):
    @dg.asset
    def stored():
        return {"x": 1}

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([stored], resources={"io_manager": dg.FilesystemIOManager(base_dir=obs.tmp)})
    defs = dg.Definitions(
        assets=[stored], resources={"io_manager": dg.FilesystemIOManager(base_dir=obs.tmp)}
    )
    obs.record("value", defs.load_asset_value("stored", instance=instance))


@scenario
def custom_path_fs_io_manager_writes_the_declared_path(obs):
    base = os.path.join(obs.tmp, "base")
    manager = dg.custom_path_fs_io_manager.configured({"base_dir": base})

    @dg.op(out=dg.Out(metadata={"path": "sub/one.pkl"}))
    def one():
        return 1

    @dg.op(out=dg.Out(metadata={"path": "two.pkl"}))
    def plus(x):
        return x + 1

    @dg.job(resource_defs={"io_manager": manager})
    def j():
        plus(one())

    result = j.execute_in_process()
    obs.record("plus", result.output_for_node("plus"))
    obs.events(result)
    rows = []
    for e in result.all_events:
        if e.event_type_value == "ASSET_MATERIALIZATION":
            path = e.materialization.metadata["path"].value
            rows.append([e.asset_key.path, os.path.relpath(path, base)])
    obs.record("materializations", rows)
    with open(os.path.join(base, "sub", "one.pkl"), "rb") as handle:
        obs.record("file", pickle.load(handle))


@scenario
def custom_path_fs_io_manager_needs_base_dir(obs):
    @dg.op(out=dg.Out(metadata={"path": "x.pkl"}))
    def one():
        return 1

    @dg.job(resource_defs={"io_manager": dg.custom_path_fs_io_manager})
    def j():
        one()

    obs.raises(j.execute_in_process, "base_dir")
    obs.kind("kind", dg.custom_path_fs_io_manager)


@scenario
def legacy_io_manager_adapter_configures_the_wrapped_manager(obs):
    stored = {}

    class Old(dg.IOManager):
        def __init__(self, prefix):  # type: ignore[no-untyped-def]
            self.prefix = prefix

        def handle_output(self, context, obj):  # type: ignore[no-untyped-def]
            stored[context.asset_key.path[-1]] = (self.prefix, obj)

        def load_input(self, context):  # type: ignore[no-untyped-def]
            return stored[context.asset_key.path[-1]][1]

    @dg.io_manager(config_schema={"prefix": str})
    def old_io(context):  # type: ignore[no-untyped-def]
        return Old(context.resource_config["prefix"])

    class Adapter(dg.ConfigurableLegacyIOManagerAdapter):
        prefix: str

        @property
        def wrapped_io_manager(self):  # type: ignore[no-untyped-def]
            return old_io

    @dg.asset
    def a1():
        return 5

    @dg.asset
    def a2(a1):
        return a1 * 2

    result = dg.materialize([a1, a2], resources={"io_manager": Adapter(prefix="pp")})
    obs.record("a2", result.output_for_node("a2"))
    obs.record("stored", {k: list(v) for k, v in stored.items()})


@scenario
def legacy_io_manager_adapter_needs_wrapped_io_manager(obs):
    class NoWrap(dg.ConfigurableLegacyIOManagerAdapter):
        x: int = 1

    obs.raises(NoWrap, "abstract", "wrapped_io_manager")


@scenario
def asset_result_defaults(obs):
    for name, made in [
        ("materialize", dg.MaterializeResult()),
        ("observe", dg.ObserveResult()),
        ("given_empty", dg.MaterializeResult(metadata={}, tags={})),
    ]:
        obs.record(name, [made.metadata, made.tags, list(made.check_results), made.data_version])
    obs.record("equal", dg.MaterializeResult(asset_key="a") == dg.MaterializeResult(asset_key="a"))
    obs.record("value", dg.MaterializeResult(value=3).value)


@scenario
def observations_by_event_records_filter(obs):
    instance = dg.DagsterInstance.ephemeral()
    _observe_job(_source("r1")).execute_in_process(instance=instance)
    _observe_job(_source("r2")).execute_in_process(instance=instance)
    records = instance.get_event_records(
        dg.EventRecordsFilter(dg.DagsterEventType.ASSET_OBSERVATION, asset_key=dg.AssetKey("src")),
        limit=5,
    )
    obs.record("versions", [r.asset_observation.tags["dagster/data_version"] for r in records])
    obs.record("keys", [r.asset_key for r in records])
