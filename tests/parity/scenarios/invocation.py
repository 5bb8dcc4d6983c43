"""Asking for a run: what materialize says of a missing resource, and partitions given by
keyword or by the run's tags."""

from _harness import dg, scenario


@scenario
def materialize_without_a_resource_names_the_asset(obs):
    @dg.asset(required_resource_keys={"db"})
    def needs_db(context):
        return 1

    obs.raises(lambda: dg.materialize([needs_db]), "'needs_db'", "'db'")


@scenario
def materialize_checks_resources_of_unselected_assets(obs):
    @dg.asset(required_resource_keys={"db"})
    def needs_db(context):
        return 1

    @dg.asset
    def other():
        return 2

    obs.raises(lambda: dg.materialize([needs_db, other], selection=[other]), "'needs_db'", "'db'")


@scenario
def materialize_without_an_io_manager_key(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    obs.raises(lambda: dg.materialize([stored]), "'warehouse'")


@scenario
def partition_tag_gives_the_partition(obs):
    colors = dg.StaticPartitionsDefinition(["red", "blue"])

    @dg.asset(partitions_def=colors)
    def paint(context):
        return context.partition_key

    job = dg.Definitions(
        assets=[paint],
        jobs=[dg.define_asset_job("paint_job", selection=[paint], partitions_def=colors)],
    ).get_job_def("paint_job")
    result = job.execute_in_process(tags={"dagster/partition": "blue"})
    obs.record("success", result.success)
    obs.record("partition_key", result.dagster_run.tags.get("dagster/partition"))
    obs.record("value", result.output_for_node("paint"))


@scenario
def partition_tag_on_an_unpartitioned_job_is_ignored(obs):
    @dg.op
    def plain():
        return 1

    @dg.job
    def plain_job():
        plain()

    obs.record("success", plain_job.execute_in_process(tags={"dagster/partition": "blue"}).success)


@scenario
def materialize_to_memory_keeps_every_io_manager_key_in_memory(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    result = dg.materialize_to_memory([stored])
    obs.record("success", result.success)
    obs.record("value", result.output_for_node("stored"))


# materialize_to_memory gives every IO manager key the assets store under an in-memory
# manager, and refuses a resource for one of those keys (it would be silently replaced).


class _Store(dg.IOManager):
    def handle_output(self, context, obj):
        pass

    def load_input(self, context):
        return "from-store"


@scenario
def materialize_to_memory_loads_downstream_from_a_keyed_asset(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    @dg.asset
    def down(stored):
        return stored + 1

    obs.record("value", dg.materialize_to_memory([stored, down]).output_for_node("down"))


@scenario
def materialize_to_memory_refuses_a_resource_for_an_io_manager_key(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    obs.raises(
        lambda: dg.materialize_to_memory([stored], resources={"warehouse": _Store()}),
        "materialize_to_memory",
        "'warehouse'",
    )


@scenario
def materialize_to_memory_refuses_the_default_io_manager_its_assets_use(obs):
    @dg.asset
    def plain():
        return 1

    obs.raises(
        lambda: dg.materialize_to_memory([plain], resources={"io_manager": _Store()}),
        "materialize_to_memory",
        "'io_manager'",
    )


@scenario
def materialize_to_memory_takes_an_io_manager_no_asset_stores_with(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    result = dg.materialize_to_memory([stored], resources={"io_manager": _Store()})
    obs.record("value", result.output_for_node("stored"))


@scenario
def materialize_to_memory_passes_other_resources_through(obs):
    @dg.asset(io_manager_key="warehouse", required_resource_keys={"db"})
    def stored(context):
        return context.resources.db

    result = dg.materialize_to_memory([stored], resources={"db": "conn"})
    obs.record("value", result.output_for_node("stored"))


@scenario
def materialize_to_memory_refuses_an_io_manager_bound_to_an_asset(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    bound = dg.with_resources([stored], {"warehouse": _Store()})
    obs.raises(lambda: dg.materialize_to_memory(bound), "materialize_to_memory", "'warehouse'")


@scenario
def materialize_to_memory_refuses_an_asset_io_manager_def(obs):
    @dg.asset(io_manager_def=dg.IOManagerDefinition.hardcoded_io_manager(_Store()))
    def with_def():
        return 1

    obs.raises(
        lambda: dg.materialize_to_memory([with_def]),
        "materialize_to_memory",
        "Do not provide resources for io manager keys",
    )


@scenario
def materialize_to_memory_keeps_each_multi_asset_key_in_memory(obs):
    @dg.multi_asset(
        outs={"m1": dg.AssetOut(io_manager_key="k1"), "m2": dg.AssetOut(io_manager_key="k2")}
    )
    def multi():
        return 1, 2

    result = dg.materialize_to_memory([multi])
    obs.record(
        "values", [result.output_for_node("multi", "m1"), result.output_for_node("multi", "m2")]
    )
    obs.raises(
        lambda: dg.materialize_to_memory([multi], resources={"k2": _Store()}),
        "materialize_to_memory",
        "'k2'",
    )


@scenario
def materialize_to_memory_keeps_a_graph_assets_inner_op_key_in_memory(obs):
    @dg.op(out=dg.Out(io_manager_key="inner"))
    def inner_op():
        return 3

    @dg.op
    def outer_op(x):
        return x * 2

    @dg.graph_asset
    def graphed():
        return outer_op(inner_op())

    obs.record("value", dg.materialize_to_memory([graphed]).output_for_node("graphed"))
    obs.raises(
        lambda: dg.materialize_to_memory([graphed], resources={"inner": _Store()}),
        "materialize_to_memory",
        "'inner'",
    )


@scenario
def materialize_to_memory_leaves_input_managers_to_resources(obs):
    @dg.asset
    def upstream():
        return 1

    @dg.asset(ins={"upstream": dg.AssetIn(input_manager_key="loader")})
    def via_loader(upstream):
        return upstream

    @dg.input_manager
    def loader():
        return "loaded"

    obs.raises(lambda: dg.materialize_to_memory([upstream, via_loader]), "'loader'")
    result = dg.materialize_to_memory([upstream, via_loader], resources={"loader": loader})
    obs.record("value", result.output_for_node("via_loader"))


@scenario
def materialize_to_memory_keeps_a_source_assets_key_in_memory(obs):
    src = dg.SourceAsset("src", io_manager_key="src_io")

    @dg.asset
    def from_src(src):
        return src

    # The in-memory manager holds nothing for the source asset: the load fails.
    result = dg.materialize_to_memory([src, from_src], raise_on_error=False)
    obs.record("success", result.success)
    obs.raises(
        lambda: dg.materialize_to_memory([src, from_src], resources={"src_io": _Store()}),
        "materialize_to_memory",
        "'src_io'",
    )


@scenario
def materialize_to_memory_leaves_a_bare_asset_specs_key_to_resources(obs):
    ext = dg.AssetSpec("ext").with_io_manager_key("ext_io")

    @dg.asset
    def from_ext(ext):
        return ext

    obs.raises(lambda: dg.materialize_to_memory([ext, from_ext]), "'ext_io'")
    result = dg.materialize_to_memory([ext, from_ext], resources={"ext_io": _Store()})
    obs.record("value", result.output_for_node("from_ext"))


@scenario
def materialize_to_memory_unselected_upstream_is_not_in_memory(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    @dg.asset
    def down(stored):
        return stored + 1

    result = dg.materialize_to_memory([stored, down], selection=["down"], raise_on_error=False)
    obs.record("success", result.success)


@scenario
def materialize_to_memory_counts_check_results_as_the_default_io_manager(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    @dg.asset_check(asset=stored)
    def positive():
        return dg.AssetCheckResult(passed=True)

    obs.raises(
        lambda: dg.materialize_to_memory([stored, positive], resources={"io_manager": _Store()}),
        "materialize_to_memory",
        "'io_manager'",
    )
    obs.record("success", dg.materialize_to_memory([stored, positive]).success)


def _asset_with_an_input_manager():
    @dg.asset
    def upstream():
        return 1

    @dg.asset(ins={"upstream": dg.AssetIn(input_manager_key="loader")})
    def via_loader(upstream):
        return upstream

    return [upstream, via_loader]


@scenario
def materialize_without_an_input_manager_names_the_key(obs):
    obs.raises(lambda: dg.materialize(_asset_with_an_input_manager()), "'loader'", "'via_loader'")


@scenario
def definitions_without_an_input_manager_names_the_key(obs):
    defs = dg.Definitions(assets=_asset_with_an_input_manager())
    obs.raises(defs.get_implicit_global_asset_job_def, "'loader'", "'via_loader'")


def _direct_instance_facts(instance):
    return {
        "isa_instance": isinstance(instance, dg.DagsterInstance),
        "ephemeral": instance.is_ephemeral,
        "runs": len(instance.get_runs()),
    }


@scenario
def build_op_context_without_instance_gives_an_ephemeral_one(obs):
    seen = {}

    @dg.resource
    def probe(init_context):
        seen["resource"] = init_context.instance
        return 1

    with dg.build_op_context(resources={"probe": probe}) as context:
        obs.record("facts", _direct_instance_facts(context.instance))
        obs.record("shared_with_resources", seen["resource"] is context.instance)
        obs.record("same_on_each_read", context.instance is context.instance)


@scenario
def build_asset_context_without_instance_gives_an_ephemeral_one(obs):
    with dg.build_asset_context() as context:
        obs.record("facts", _direct_instance_facts(context.instance))


@scenario
def build_op_context_keeps_the_instance_given(obs):
    instance = dg.DagsterInstance.ephemeral()
    obs.record("same", dg.build_op_context(instance=instance).instance is instance)
