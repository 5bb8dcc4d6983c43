"""Parity: graph-backed assets (graph_asset, graph_multi_asset, AssetsDefinition.from_graph
and from_op), the AssetsDefinition constructor, and PendingNodeInvocation."""

from _harness import dg, scenario


def _step_events(result):  # type: ignore[no-untyped-def]
    return [[e.event_type_value, e.step_key] for e in result.all_events if e.step_key]


def _by_key(mapping):  # type: ignore[no-untyped-def]
    return {
        k.to_user_string(): sorted(x.to_user_string() for x in v) if isinstance(v, set) else v
        for k, v in mapping.items()
    }


def _mat_keys(result):  # type: ignore[no-untyped-def]
    return [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]


def _ops():  # type: ignore[no-untyped-def]
    @dg.op
    def fetch(upstream):
        return upstream + 1

    @dg.op
    def double(x):
        return x * 2

    return fetch, double


@scenario
def graph_asset_steps_and_events(obs):
    fetch, double = _ops()

    @dg.asset
    def upstream():
        return 1

    @dg.graph_asset
    def g_asset(upstream):
        return double(fetch(upstream))

    @dg.asset
    def down(g_asset):
        return g_asset + 100

    r = dg.materialize([upstream, g_asset, down])
    obs.record("success", r.success)
    obs.record("steps", _step_events(r))
    obs.record("materialized", _mat_keys(r))
    obs.record("values", [r.output_for_node("g_asset"), r.output_for_node("down")])


@scenario
def graph_asset_definition_attributes(obs):
    fetch, double = _ops()

    @dg.graph_asset
    def g_asset(upstream):
        return double(fetch(upstream))

    obs.kind("node_def", g_asset.node_def)
    obs.record("node_name", g_asset.node_def.name)
    obs.record("key", g_asset.key)
    obs.record("keys_by_input_name", g_asset.keys_by_input_name)
    obs.record("keys_by_output_name", g_asset.keys_by_output_name)
    obs.record("dependency_keys", sorted(k.to_user_string() for k in g_asset.dependency_keys))
    obs.record("can_subset", g_asset.can_subset)
    obs.record("inner_nodes", sorted(n.name for n in g_asset.node_def.node_defs))


@scenario
def graph_asset_keyword_facts(obs):
    @dg.asset
    def root():
        return 2

    @dg.op
    def plus(x):
        return x + 1

    @dg.graph_asset(
        ins={"upstream": dg.AssetIn("root")},
        key_prefix=["pre"],
        group_name="grp",
        metadata={"a": 1},
        tags={"t": "v"},
        owners=["a@b.com"],
        code_version="v1",
        kinds={"python"},
        description="desc",
    )
    def gk(upstream):
        return plus(upstream)

    spec = gk.specs_by_key[gk.key]
    obs.record("key", gk.key)
    obs.record("graph_name", gk.node_def.name)
    obs.record("keys_by_input_name", gk.keys_by_input_name)
    obs.record("group", _by_key(gk.group_names_by_key))
    obs.record("metadata", dict(spec.metadata))
    obs.record("tags", dict(spec.tags))
    obs.record("owners", list(spec.owners))
    obs.record("code_versions", _by_key(gk.code_versions_by_key))
    obs.record("kinds", sorted(spec.kinds))
    obs.record("descriptions", _by_key(gk.descriptions_by_key))
    obs.record("graph_description", gk.node_def.description)
    r = dg.materialize([root, gk])
    obs.record("value", r.output_for_node("pre__gk"))
    obs.record("steps", [s for s in _step_events(r) if s[0] == "STEP_START"])


@scenario
def graph_asset_with_key(obs):
    @dg.op
    def one():
        return 1

    @dg.graph_asset(key=["a", "b"])
    def whatever():
        return one()

    obs.record("key", whatever.key)
    obs.record("graph_name", whatever.node_def.name)
    r = dg.materialize([whatever])
    obs.record("steps", [s for s in _step_events(r) if s[0] == "STEP_START"])


@scenario
def graph_asset_unknown_kwarg(obs):
    @dg.op
    def one():
        return 1

    def build():
        @dg.graph_asset(not_a_param=1)
        def g():
            return one()

    obs.raises(build)


@scenario
def graph_asset_intermediate_outputs_are_not_assets(obs):
    fetch, double = _ops()

    @dg.op
    def start():
        return 3

    @dg.graph_asset
    def chain():
        return double(fetch(start()))

    r = dg.materialize([chain])
    obs.record("materialized", _mat_keys(r))
    obs.record("value", r.output_for_node("chain"))
    obs.record("inner", r.output_for_node("chain.fetch"))
    obs.record("handled", [s for s in _step_events(r) if s[0] == "HANDLED_OUTPUT"])


@scenario
def graph_multi_asset_materializes_each_output(obs):
    @dg.op
    def start():
        return 1

    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def split(x):
        return x + 1, x + 2

    @dg.graph_multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut(key_prefix="pre")})
    def gm():
        a, b = split(start())
        return {"a": a, "b": b}

    obs.record("keys", sorted(k.to_user_string() for k in gm.keys))
    obs.record("keys_by_output_name", gm.keys_by_output_name)
    obs.record("node", gm.node_def.name)
    r = dg.materialize([gm])
    obs.record("steps", _step_events(r))
    obs.record("materialized", _mat_keys(r))
    obs.record("values", [r.output_for_node("gm", "a"), r.output_for_node("gm", "b")])


@scenario
def graph_multi_asset_tuple_return(obs):
    @dg.op
    def one():
        return 1

    @dg.op
    def two():
        return 2

    @dg.graph_multi_asset(outs={"x": dg.AssetOut(), "y": dg.AssetOut()})
    def pair():
        return one(), two()

    r = dg.materialize([pair])
    obs.record("materialized", sorted(_mat_keys(r)))
    obs.record("values", [r.output_for_node("pair", "x"), r.output_for_node("pair", "y")])


@scenario
def graph_multi_asset_without_subset_refuses_selection(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def split():
        return 1, 2

    @dg.graph_multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def gm():
        a, b = split()
        return {"a": a, "b": b}

    obs.raises(lambda: dg.materialize([gm], selection=["a"]))


@scenario
def graph_multi_asset_can_subset(obs):
    seen = []

    @dg.op
    def start(context):
        seen.append(sorted(k.to_user_string() for k in context.selected_asset_keys))
        return 1

    @dg.op(out={"a": dg.Out(is_required=False), "b": dg.Out(is_required=False)})
    def split2(context, x):
        seen.append(sorted(context.selected_output_names))
        if "a" in context.selected_output_names:
            yield dg.Output(x + 1, "a")
        if "b" in context.selected_output_names:
            yield dg.Output(x + 2, "b")

    @dg.graph_multi_asset(outs={"a2": dg.AssetOut(), "b2": dg.AssetOut()}, can_subset=True)
    def gm2():
        a, b = split2(start())
        return {"a2": a, "b2": b}

    obs.record("can_subset", gm2.can_subset)
    r = dg.materialize([gm2], selection=["a2"])
    obs.record("success", r.success)
    obs.record("steps", _step_events(r))
    obs.record("materialized", _mat_keys(r))
    obs.record("seen", seen)


@scenario
def graph_asset_inner_op_context(obs):
    seen = {}

    @dg.op
    def look(context):
        seen["has_assets_def"] = context.has_assets_def
        seen["keys"] = sorted(k.to_user_string() for k in context.assets_def.keys)
        seen["selected"] = sorted(k.to_user_string() for k in context.selected_asset_keys)
        return 1

    @dg.graph_asset
    def looked():
        return look()

    dg.materialize([looked])
    obs.record("seen", seen)


@scenario
def graph_asset_dict_config(obs):
    @dg.op(config_schema={"n": int})
    def cfg_op(context):
        return context.op_config["n"]

    @dg.graph_asset(config={"cfg_op": {"config": {"n": 3}}})
    def g_cfg():
        return cfg_op()

    obs.record("value", dg.materialize([g_cfg]).output_for_node("g_cfg"))
    ignored = {"ops": {"g_cfg": {"config": {"cfg_op": {"config": {"n": 6}}}}}}
    obs.record("given_config_ignored", dg.materialize([g_cfg], run_config=ignored).success)
    wrong = {"ops": {"g_cfg": {"ops": {"cfg_op": {"config": {"n": 5}}}}}}
    obs.raises(lambda: dg.materialize([g_cfg], run_config=wrong), "ops")


@scenario
def graph_asset_run_config_reaches_inner_ops(obs):
    @dg.op(config_schema={"n": int})
    def cfg_op(context):
        return context.op_config["n"]

    @dg.graph_asset
    def g_cfg2():
        return cfg_op()

    rc = {"ops": {"g_cfg2": {"ops": {"cfg_op": {"config": {"n": 7}}}}}}
    obs.record("value", dg.materialize([g_cfg2], run_config=rc).output_for_node("g_cfg2"))
    obs.raises(lambda: dg.materialize([g_cfg2]), "n")


@scenario
def graph_asset_config_mapping(obs):
    @dg.op(config_schema={"n": int})
    def cfg_op(context):
        return context.op_config["n"]

    @dg.graph_asset(
        config=dg.ConfigMapping(
            config_schema={"m": int},
            config_fn=lambda c: {"cfg_op": {"config": {"n": c["m"] * 2}}},
        )
    )
    def g_map():
        return cfg_op()

    rc = {"ops": {"g_map": {"config": {"m": 5}}}}
    obs.record("value", dg.materialize([g_map], run_config=rc).output_for_node("g_map"))


@scenario
def graph_asset_partitioned(obs):
    pd = dg.StaticPartitionsDefinition(["x", "y"])

    @dg.op
    def part_op(context):
        return context.partition_key

    @dg.graph_asset(partitions_def=pd)
    def g_part():
        return part_op()

    obs.record("partitions", list(g_part.partitions_def.get_partition_keys()))
    r = dg.materialize([g_part], partition_key="y")
    obs.record("value", r.output_for_node("g_part"))
    obs.record(
        "materializations",
        [[e.asset_key.to_user_string(), e.partition] for e in r.get_asset_materialization_events()],
    )


@scenario
def graph_asset_resources(obs):
    class Res(dg.ConfigurableResource):
        v: int = 4

    @dg.op
    def res_op(res: Res):
        return res.v

    @dg.graph_asset
    def g_res():
        return res_op()

    r = dg.materialize([g_res], resources={"res": Res(v=9)})
    obs.record("value", r.output_for_node("g_res"))
    obs.raises(lambda: dg.materialize([g_res]), "res")


@scenario
def graph_asset_resource_defs_bound(obs):
    @dg.op(required_resource_keys={"num"})
    def read(context):
        return context.resources.num

    @dg.graph_asset(resource_defs={"num": dg.ResourceDefinition.hardcoded_resource(5)})
    def bound():
        return read()

    obs.record("resource_keys", sorted(bound.resource_defs))
    obs.record("value", dg.materialize([bound]).output_for_node("bound"))


@scenario
def graph_asset_inner_io_manager(obs):
    handled = []

    class MemIO(dg.IOManager):
        def handle_output(self, context, obj):
            handled.append([context.step_key, context.name, context.asset_key.to_user_string()])

        def load_input(self, context):
            return 1

    @dg.op(out=dg.Out(io_manager_key="my_io"))
    def io_op():
        return 11

    @dg.graph_asset
    def g_io():
        return io_op()

    r = dg.materialize([g_io], resources={"my_io": MemIO()})
    obs.record("steps", _step_events(r))
    obs.record("handled", handled)


@scenario
def graph_asset_downstream_loads_through_io_manager(obs):
    stored = {}

    class DictIO(dg.IOManager):
        def handle_output(self, context, obj):
            stored[context.asset_key.to_user_string()] = obj

        def load_input(self, context):
            return stored[context.asset_key.to_user_string()] * 10

    @dg.op
    def seven():
        return 7

    @dg.graph_asset
    def g():
        return seven()

    @dg.asset
    def after(g):
        return g + 1

    r = dg.materialize([g, after], resources={"io_manager": DictIO()})
    obs.record("stored", stored)
    obs.record("after", r.output_for_node("after"))


@scenario
def graph_asset_hooks(obs):
    ran = []

    @dg.success_hook
    def hk(context):
        ran.append(context.op.name)

    @dg.op
    def a():
        return 1

    @dg.op
    def b(x):
        return x

    @dg.graph_asset(hooks={hk})
    def hooked():
        return b(a())

    dg.materialize([hooked])
    obs.record("ran", sorted(ran))


@scenario
def graph_asset_inner_failure(obs):
    @dg.op
    def boom():
        raise ValueError("inner broke")

    @dg.op
    def after(x):
        return x

    @dg.graph_asset
    def broken():
        return after(boom())

    r = dg.materialize([broken], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("steps", _step_events(r))
    obs.raises(lambda: dg.materialize([broken]), "inner broke")


@scenario
def graph_asset_with_asset_check(obs):
    @dg.op
    def compute():
        return 5

    @dg.graph_asset
    def g2():
        return compute()

    @dg.asset_check(asset=g2)
    def g2_check(g2):
        return dg.AssetCheckResult(passed=g2 == 5)

    r = dg.materialize([g2, g2_check])
    obs.record("steps", _step_events(r))
    obs.check_evaluations(r)


@scenario
def graph_asset_check_specs(obs):
    @dg.op
    def compute():
        return 5

    @dg.op
    def chk():
        return dg.AssetCheckResult(passed=True, metadata={"n": 1})

    @dg.graph_asset(check_specs=[dg.AssetCheckSpec("positive", asset="g")])
    def g():
        return {"result": compute(), "g_positive": chk()}

    obs.record("check_keys", sorted(k.to_user_string() for k in g.check_keys))
    obs.record("asset_outputs", sorted(g.keys_by_output_name))
    r = dg.materialize([g])
    obs.record("steps", _step_events(r))
    obs.check_evaluations(r)


@scenario
def graph_multi_asset_check_specs(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def two():
        return 1, 2

    @dg.op
    def judge(x):
        return dg.AssetCheckResult(passed=x > 5)

    @dg.graph_multi_asset(
        outs={"a": dg.AssetOut(), "b": dg.AssetOut()},
        check_specs=[dg.AssetCheckSpec("big", asset="b")],
    )
    def gm():
        a, b = two()
        return {"a": a, "b": b, "b_big": judge(b)}

    r = dg.materialize([gm])
    obs.record("success", r.success)
    obs.record("steps", _step_events(r))
    obs.check_evaluations(r)


@scenario
def graph_asset_check_spec_for_other_asset(obs):
    @dg.op
    def one():
        return 1

    def build():
        @dg.graph_asset(check_specs=[dg.AssetCheckSpec("c", asset="elsewhere")])
        def g():
            return one()

    obs.raises(build)


@scenario
def graph_asset_in_asset_job(obs):
    @dg.asset
    def root():
        return 2

    @dg.op
    def plus(x):
        return x + 1

    @dg.graph_asset
    def gj(root):
        return plus(root)

    defs = dg.Definitions(
        assets=[root, gj],
        jobs=[dg.define_asset_job("jj", selection=["root", "gj"])],
    )
    r = defs.resolve_job_def("jj").execute_in_process()
    obs.record("steps", [s for s in _step_events(r) if s[0] == "STEP_START"])
    obs.record("value", r.output_for_node("gj"))
    r = defs.resolve_implicit_global_asset_job_def().execute_in_process()
    obs.record("global_materialized", sorted(_mat_keys(r)))


@scenario
def graph_asset_selected_alone_loads_upstream(obs):
    @dg.asset
    def root():
        return 2

    @dg.op
    def plus(x):
        return x + 1

    @dg.graph_asset
    def gs(root):
        return plus(root)

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([root, gs], instance=instance)
    r = dg.materialize([root, gs], selection=["gs"], instance=instance)
    obs.record("steps", _step_events(r))
    obs.record("value", r.output_for_node("gs"))


@scenario
def graph_asset_aliased_ops(obs):
    @dg.op
    def add_one(x):
        return x + 1

    @dg.op
    def zero():
        return 0

    @dg.graph_asset
    def counted():
        return add_one.alias("second")(add_one.alias("first")(zero()))

    r = dg.materialize([counted])
    obs.record("steps", [s for s in _step_events(r) if s[0] == "STEP_START"])
    obs.record("value", r.output_for_node("counted"))


@scenario
def assets_definition_from_graph(obs):
    @dg.op
    def plus(up):
        return up + 1

    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def fork(v):
        return v, v * 10

    @dg.graph(out={"x": dg.GraphOut(), "y": dg.GraphOut()})
    def pipeline(up):
        return fork(plus(up))

    @dg.asset
    def up():
        return 1

    obs.raises(
        lambda: dg.AssetsDefinition.from_graph(
            pipeline, keys_by_output_name={"y": dg.AssetKey("why")}
        )
    )
    ad = dg.AssetsDefinition.from_graph(
        pipeline,
        keys_by_input_name={"up": dg.AssetKey("up")},
        keys_by_output_name={"x": dg.AssetKey("x"), "y": dg.AssetKey("why")},
        key_prefix="pp",
        group_name="grp",
        descriptions_by_output_name={"x": "the x"},
    )
    obs.record("keys", sorted(k.to_user_string() for k in ad.keys))
    obs.record("groups", _by_key(ad.group_names_by_key))
    obs.record("descriptions", _by_key(ad.descriptions_by_key))
    obs.record("deps", _by_key(ad.asset_deps))
    r = dg.materialize([up, ad])
    obs.record("materialized", sorted(_mat_keys(r)))
    obs.record("value", r.output_for_node("pipeline", "y"))


@scenario
def assets_definition_from_op(obs):
    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def two(up):
        return up + 1, up + 2

    fo = dg.AssetsDefinition.from_op(
        two, keys_by_input_name={"up": dg.AssetKey("up")}, key_prefix="pp", group_name="g"
    )
    obs.record("keys", sorted(k.to_user_string() for k in fo.keys))
    obs.record("groups", _by_key(fo.group_names_by_key))
    obs.record("keys_by_input_name", fo.keys_by_input_name)
    obs.record("deps", _by_key(fo.asset_deps))
    internal = dg.AssetsDefinition.from_op(two, internal_asset_deps={"y": set()})
    obs.record("internal_deps", _by_key(internal.asset_deps))
    obs.record("internal_inputs", internal.keys_by_input_name)

    @dg.asset
    def up():
        return 1

    r = dg.materialize([up, fo])
    obs.record("materialized", sorted(_mat_keys(r)))
    obs.raises(
        lambda: dg.AssetsDefinition.from_op(two, internal_asset_deps={"nope": set()}), "nope"
    )


@scenario
def assets_definition_constructor(obs):
    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def two(up):
        return up + 1, up + 2

    ad = dg.AssetsDefinition(
        keys_by_input_name={"up": dg.AssetKey("up")},
        keys_by_output_name={"x": dg.AssetKey("x"), "y": dg.AssetKey("y")},
        node_def=two,
        group_names_by_key={dg.AssetKey("x"): "gx"},
        descriptions_by_key={dg.AssetKey("y"): "why"},
    )
    obs.record("keys", sorted(k.to_user_string() for k in ad.keys))
    obs.record("groups", _by_key(ad.group_names_by_key))
    obs.record("deps", _by_key(ad.asset_deps))
    obs.record("descriptions", _by_key(ad.descriptions_by_key))
    obs.record("node", ad.node_def.name)

    @dg.asset
    def up():
        return 1

    r = dg.materialize([up, ad])
    obs.record("x", r.output_for_node("two", "x"))


@scenario
def assets_definition_constructor_specs(obs):
    @dg.op(out={"x": dg.Out(), "y": dg.Out()})
    def two(up):
        return up + 1, up + 2

    ad = dg.AssetsDefinition(
        specs=[dg.AssetSpec("x", deps=["up"]), dg.AssetSpec("y")],
        node_def=two,
        keys_by_output_name={"x": dg.AssetKey("x"), "y": dg.AssetKey("y")},
        keys_by_input_name={"up": dg.AssetKey("up")},
    )
    obs.record("deps", _by_key(ad.asset_deps))
    ext = dg.AssetsDefinition(specs=[dg.AssetSpec("s1", group_name="q")])
    obs.record("external_keys", sorted(k.to_user_string() for k in ext.keys))
    obs.record("external_executable", ext.is_executable)
    obs.record("external_groups", _by_key(ext.group_names_by_key))
    partial = dg.AssetsDefinition(keys_by_output_name={"x": dg.AssetKey("x")}, node_def=two)
    obs.record("partial_keys", sorted(k.to_user_string() for k in partial.keys))
    selected = dg.AssetsDefinition(
        keys_by_output_name={"x": dg.AssetKey("x"), "y": dg.AssetKey("y")},
        node_def=two,
        selected_asset_keys={dg.AssetKey("x")},
    )
    obs.record("selected_keys", sorted(k.to_user_string() for k in selected.keys))
    obs.raises(
        lambda: dg.AssetsDefinition(keys_by_output_name={"zz": dg.AssetKey("x")}, node_def=two),
        "zz",
    )


@scenario
def pending_node_invocation_public(obs):
    @dg.op
    def add1(x: int) -> int:
        return x + 1

    p = add1.alias("a").tag({"t": "1"})
    obs.kind("alias", p)
    obs.kind("tag", add1.tag({"x": "y"}))
    obs.kind("hooks", add1.with_hooks(set()))
    obs.kind("retry", add1.with_retry_policy(dg.RetryPolicy()))
    obs.record("isinstance", isinstance(p, dg.PendingNodeInvocation))
    obs.record("attrs", [p.given_alias, p.tags, p.node_def.name, len(p.hook_defs)])
    obs.record("retry_policy", p.retry_policy)
    obs.record("chained", [p.alias("b").given_alias, p.tag({"u": "2"}).tags])
    obs.record("direct_call", p(5))
    obs.raises(lambda: add1.alias("bad name"), "bad name")


@scenario
def pending_graph_invocation_to_job(obs):
    ran = []

    @dg.success_hook
    def hk(context):
        ran.append(context.op.name)

    @dg.op
    def one():
        return 1

    @dg.graph
    def g():
        one()

    pending = g.alias("renamed").with_hooks({hk}).tag({"team": "x"})
    job = pending.to_job()
    obs.record("job_name", job.name)
    r = job.execute_in_process()
    obs.record("success", r.success)
    obs.record("ran", ran)
    obs.record("in_process", pending.execute_in_process().success)


@scenario
def graph_definition_input_assets(obs):
    class Load(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            return f"loaded {context.asset_key.to_user_string()}"

    @dg.op
    def use(x):
        return x + "!"

    src = dg.SourceAsset("raw", io_manager_key="dio")
    g = dg.GraphDefinition(name="g", node_defs=[use], input_assets={"use": {"x": src}})
    obs.record("input_assets", sorted(g.input_assets))
    r = g.to_job(resource_defs={"dio": Load()}).execute_in_process()
    obs.record("value", r.output_for_node("use"))
    obs.record("steps", _step_events(r))

    @dg.asset(io_manager_key="dio")
    def up():
        return "x"

    g3 = dg.GraphDefinition(name="g3", node_defs=[use], node_input_source_assets={"use": {"x": up}})
    obs.record(
        "from_asset",
        g3.to_job(resource_defs={"dio": Load()}).execute_in_process().output_for_node("use"),
    )


@scenario
def graph_definition_extra_parameters(obs):
    @dg.op
    def one():
        return 1

    g = dg.GraphDefinition(name="g4", node_defs=[one], composition_fn=lambda: None)
    obs.record("name", g.name)
    obs.record(
        "positional_ok", dg.GraphDefinition(name="g5", node_defs=[one], positional_inputs=[]).name
    )
    obs.raises(lambda: dg.GraphDefinition(name="g6", node_defs=[one], bogus=1), "bogus")


@scenario
def op_definition_positional_parameters(obs):
    def fn(context, x):
        return x * 2

    o = dg.OpDefinition(fn, "twice", {"x": dg.In()}, None, "doubles", None, None, {"t": "1"}, "v1")
    obs.record("attrs", [o.name, o.description, dict(o.tags), o.version])
    o2 = dg.OpDefinition(fn, "twice2", {"x": dg.In()}, code_version="c2")
    obs.record("code_version", o2.version)

    obs.raises(lambda: dg.OpDefinition(fn), "name")


@scenario
def graph_asset_asset_selection_runs_the_whole_graph(obs):
    @dg.op
    def one():
        return 1

    @dg.op
    def inc(x):
        return x + 1

    @dg.graph_asset
    def g():
        return inc(one())

    @dg.asset
    def other():
        return 5

    defs = dg.Definitions(assets=[g, other])
    job = defs.resolve_implicit_global_asset_job_def()
    r = job.execute_in_process(asset_selection=[dg.AssetKey("g")])
    obs.record("started", [e.step_key for e in r.all_events if e.event_type_value == "STEP_START"])
    obs.record("value", r.output_for_node("g"))
