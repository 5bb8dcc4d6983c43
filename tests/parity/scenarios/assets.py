"""Parity: asset definitions, asset jobs and selections, external upstream assets."""

from _harness import dg, scenario


def _mats(result):  # type: ignore[no-untyped-def]
    return [
        e.asset_key.to_user_string()
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    ]


def _mat_rows(obs, result, key="materializations"):  # type: ignore[no-untyped-def]
    # The "path" entry names a temporary folder that differs between the two runs.
    rows = []
    for e in result.all_events:
        if e.event_type_value != "ASSET_MATERIALIZATION":
            continue
        md = e.materialization.metadata
        rows.append(
            [
                e.asset_key.to_user_string(),
                e.partition,
                {k: [type(v).__name__, v.value] for k, v in md.items() if k != "path"},
            ]
        )
    obs.record(key, rows)


def _started(result):  # type: ignore[no-untyped-def]
    return [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]


@scenario
def materialize_two_assets(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a + 1

    r = dg.materialize([a, b])
    obs.record("success", r.success)
    obs.record("b", r.output_for_node("b"))
    _mat_rows(obs, r)


@scenario
def materialize_to_memory_values(obs):
    @dg.asset
    def a():
        return [1, 2]

    @dg.asset
    def b(a):
        return sum(a)

    r = dg.materialize_to_memory([a, b])
    obs.record("a", r.asset_value("a"))
    obs.record("b", r.asset_value("b"))


@scenario
def asset_deps_not_defined_is_external(obs):
    @dg.asset(deps=["upstream_table"])
    def a():
        return 1

    r = dg.materialize([a])
    obs.record("success", r.success)
    obs.record("mats", _mats(r))


@scenario
def asset_deps_external_in_definitions(obs):
    @dg.asset(deps=["raw"])
    def a():
        return 1

    defs = dg.Definitions(assets=[a])
    graph = defs.resolve_asset_graph()
    obs.record("keys", sorted(k.to_user_string() for k in graph.get_all_asset_keys()))
    obs.record(
        "materializable", sorted(k.to_user_string() for k in graph.materializable_asset_keys)
    )


@scenario
def asset_input_not_defined_raises_on_load(obs):
    @dg.asset
    def a(missing_upstream):
        return missing_upstream

    obs.raises(lambda: dg.materialize([a]))


@scenario
def asset_input_external_defined_as_spec(obs):
    @dg.asset
    def a(raw):
        return raw

    obs.raises(lambda: dg.materialize([dg.AssetSpec("raw"), a]))


@scenario
def implicit_job_runs_with_external_dep(obs):
    @dg.asset(deps=["raw"])
    def a():
        return 1

    defs = dg.Definitions(assets=[a])
    r = defs.get_implicit_global_asset_job_def().execute_in_process()
    obs.record("mats", _mats(r))


@scenario
def check_on_undefined_asset_in_definitions(obs):
    @dg.asset_check(asset="nowhere")
    def c():
        return dg.AssetCheckResult(passed=True)

    defs = dg.Definitions(asset_checks=[c])
    graph = defs.resolve_asset_graph()
    obs.record("keys", sorted(k.to_user_string() for k in graph.get_all_asset_keys()))


@scenario
def define_asset_job_star(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a + 1

    job = dg.define_asset_job("everything", selection="*")
    defs = dg.Definitions(assets=[a, b], jobs=[job])
    r = defs.get_job_def("everything").execute_in_process()
    obs.record("mats", _mats(r))


@scenario
def define_asset_job_default_selection_all(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    job = dg.define_asset_job("all_assets")
    defs = dg.Definitions(assets=[a, b], jobs=[job])
    r = defs.get_job_def("all_assets").execute_in_process()
    obs.record("mats", sorted(_mats(r)))


@scenario
def define_asset_job_list_of_strings(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    job = dg.define_asset_job("just_a", selection=["a"])
    defs = dg.Definitions(assets=[a, b], jobs=[job])
    obs.record("mats", _mats(defs.get_job_def("just_a").execute_in_process()))


@scenario
def define_asset_job_selection_string_downstream(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    @dg.asset
    def c(b):
        return b

    job = dg.define_asset_job("from_b", selection="b*")
    defs = dg.Definitions(assets=[a, b, c], jobs=[job])
    r = defs.get_job_def("from_b").execute_in_process()
    obs.record("mats", _mats(r))


@scenario
def define_asset_job_selection_string_upstream(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    @dg.asset
    def c(b):
        return b

    job = dg.define_asset_job("to_b", selection="*b")
    defs = dg.Definitions(assets=[a, b, c], jobs=[job])
    obs.record("mats", _mats(defs.get_job_def("to_b").execute_in_process()))


@scenario
def define_asset_job_selection_key_string(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    job = dg.define_asset_job("only_b", selection="b")
    defs = dg.Definitions(assets=[a, b], jobs=[job])
    obs.record("mats", _mats(defs.get_job_def("only_b").execute_in_process()))


@scenario
def define_asset_job_asset_selection_groups(obs):
    @dg.asset(group_name="g1")
    def a():
        return 1

    @dg.asset(group_name="g2")
    def b():
        return 2

    job = dg.define_asset_job("g1_job", selection=dg.AssetSelection.groups("g1"))
    defs = dg.Definitions(assets=[a, b], jobs=[job])
    obs.record("mats", _mats(defs.get_job_def("g1_job").execute_in_process()))


@scenario
def define_asset_job_unknown_key(obs):
    @dg.asset
    def a():
        return 1

    job = dg.define_asset_job("bad", selection=["nope"])
    obs.raises(lambda: dg.Definitions(assets=[a], jobs=[job]).get_job_def("bad"))


@scenario
def define_asset_job_name_and_kind(obs):
    job = dg.define_asset_job("named", selection="*", description="d", tags={"t": "1"})
    obs.record("name", job.name)


@scenario
def materialize_selection_star(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    r = dg.materialize([a, b], selection="*")
    obs.record("mats", _mats(r))


@scenario
def materialize_selection_subset(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    r = dg.materialize([a, b], selection=[b])
    obs.record("mats", _mats(r))


@scenario
def asset_selection_all(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    sel = dg.AssetSelection.all()
    keys = sel.resolve([a, b])
    obs.record("keys", sorted(k.to_user_string() for k in keys))


@scenario
def asset_selection_downstream_upstream(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    @dg.asset
    def c(b):
        return b

    obs.record(
        "down",
        sorted(
            k.to_user_string() for k in dg.AssetSelection.assets(a).downstream().resolve([a, b, c])
        ),
    )
    obs.record(
        "up",
        sorted(
            k.to_user_string() for k in dg.AssetSelection.assets(c).upstream().resolve([a, b, c])
        ),
    )
    obs.record(
        "up1",
        sorted(
            k.to_user_string()
            for k in dg.AssetSelection.assets(c).upstream(depth=1).resolve([a, b, c])
        ),
    )


@scenario
def asset_selection_set_ops(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 1

    @dg.asset
    def c():
        return 1

    s1 = dg.AssetSelection.assets(a, b)
    s2 = dg.AssetSelection.assets(b, c)
    obs.record("or", sorted(k.to_user_string() for k in (s1 | s2).resolve([a, b, c])))
    obs.record("and", sorted(k.to_user_string() for k in (s1 & s2).resolve([a, b, c])))
    obs.record("minus", sorted(k.to_user_string() for k in (s1 - s2).resolve([a, b, c])))


@scenario
def asset_selection_key_prefixes(obs):
    @dg.asset(key_prefix=["wh"])
    def a():
        return 1

    @dg.asset
    def b():
        return 1

    obs.record(
        "keys",
        sorted(k.to_user_string() for k in dg.AssetSelection.key_prefixes("wh").resolve([a, b])),
    )


@scenario
def asset_key_prefix_and_name(obs):
    @dg.asset(key_prefix=["raw", "db"], name="table")
    def t():
        return 1

    obs.record("key", list(t.key.path))
    obs.record("op", t.op.name)


@scenario
def asset_key_explicit(obs):
    @dg.asset(key=["x", "y"])
    def t():
        return 1

    obs.record("key", list(t.key.path))
    r = dg.materialize([t])
    obs.record("mats", _mats(r))


@scenario
def asset_key_from_user_string(obs):
    obs.record("k", list(dg.AssetKey.from_user_string("a/b/c").path))
    obs.record("s", dg.AssetKey(["a", "b"]).to_user_string())
    obs.record("pyid", dg.AssetKey(["a", "b"]).to_python_identifier())
    obs.record("with_prefix", list(dg.AssetKey("x").with_prefix("p").path))


@scenario
def asset_group_name_default(obs):
    @dg.asset
    def a():
        return 1

    obs.record("groups", {k.to_user_string(): v for k, v in a.group_names_by_key.items()})


@scenario
def asset_metadata_and_description(obs):
    @dg.asset(metadata={"owner": "me"}, description="desc")
    def a():
        return 1

    spec = a.specs_by_key[dg.AssetKey("a")]
    obs.record("description", spec.description)
    obs.record("md", dict(spec.metadata))


@scenario
def asset_tags_and_kinds(obs):
    @dg.asset(tags={"domain": "sales"}, kinds={"python"})
    def a():
        return 1

    spec = a.specs_by_key[dg.AssetKey("a")]
    obs.record("tags", dict(spec.tags))
    obs.record("kinds", sorted(spec.kinds))


@scenario
def asset_code_version(obs):
    @dg.asset(code_version="v1")
    def a():
        return 1

    obs.record("cv", a.code_versions_by_key[dg.AssetKey("a")])


@scenario
def asset_output_metadata_in_materialization(obs):
    @dg.asset
    def a():
        return dg.Output(1, metadata={"rows": 3})

    r = dg.materialize([a])
    _mat_rows(obs, r)


@scenario
def asset_materialize_result_metadata(obs):
    @dg.asset
    def a():
        return dg.MaterializeResult(metadata={"rows": 3, "name": "x"})

    r = dg.materialize([a])
    _mat_rows(obs, r)


@scenario
def asset_add_output_metadata(obs):
    @dg.asset
    def a(context):
        context.add_output_metadata({"n": 5})
        return 1

    r = dg.materialize([a])
    _mat_rows(obs, r)


@scenario
def multi_asset_specs(obs):
    @dg.multi_asset(specs=[dg.AssetSpec("x"), dg.AssetSpec("y")])
    def m():
        yield dg.MaterializeResult(asset_key="x")
        yield dg.MaterializeResult(asset_key="y")

    r = dg.materialize([m])
    obs.record("mats", _mats(r))
    obs.record("keys", sorted(k.to_user_string() for k in m.keys))


@scenario
def multi_asset_outs(obs):
    @dg.multi_asset(outs={"x": dg.AssetOut(), "y": dg.AssetOut()})
    def m():
        return 1, 2

    @dg.asset
    def z(x, y):
        return x + y

    r = dg.materialize([m, z])
    obs.record("z", r.output_for_node("z"))
    obs.record("mats", _mats(r))


@scenario
def multi_asset_subset(obs):
    @dg.multi_asset(
        outs={"x": dg.AssetOut(is_required=False), "y": dg.AssetOut(is_required=False)},
        can_subset=True,
    )
    def m(context):
        for key in sorted(context.selected_output_names):
            yield dg.Output(1, key)

    r = dg.materialize([m], selection=["x"])
    obs.record("mats", _mats(r))


@scenario
def asset_spec_fields(obs):
    s = dg.AssetSpec("a", deps=["b"], description="d", group_name="g", tags={"t": "v"})
    obs.record("key", list(s.key.path))
    obs.record("deps", [list(d.asset_key.path) for d in s.deps])
    obs.record("group", s.group_name)
    obs.record("tags", dict(s.tags))


@scenario
def asset_spec_replace_attributes(obs):
    s = dg.AssetSpec("a").replace_attributes(description="new", group_name="g")
    obs.record("fields", [s.description, s.group_name])


@scenario
def asset_spec_merge_attributes(obs):
    s = dg.AssetSpec("a", tags={"x": "1"}).merge_attributes(tags={"y": "2"})
    obs.record("tags", dict(s.tags))


@scenario
def asset_spec_with_io_manager_key(obs):
    s = dg.AssetSpec("a").with_io_manager_key("my_io")
    obs.record("md", sorted(s.metadata))


@scenario
def spec_in_materialize_is_not_run(obs):
    @dg.asset(deps=[dg.AssetSpec("src")])
    def a():
        return 1

    r = dg.materialize([dg.AssetSpec("src"), a])
    obs.record("mats", _mats(r))
    obs.record("started", _started(r))


@scenario
def asset_dep_object(obs):
    @dg.asset
    def up():
        return 1

    @dg.asset(deps=[dg.AssetDep(up)])
    def down():
        return 2

    r = dg.materialize([up, down])
    obs.record("started", _started(r))


@scenario
def asset_in_key(obs):
    @dg.asset(key_prefix="p")
    def up():
        return 4

    @dg.asset(ins={"value": dg.AssetIn(key=["p", "up"])})
    def down(value):
        return value * 2

    r = dg.materialize([up, down])
    obs.record("down", r.output_for_node("down"))


@scenario
def asset_in_key_prefix(obs):
    @dg.asset(key_prefix="p")
    def up():
        return 4

    @dg.asset(ins={"up": dg.AssetIn(key_prefix="p")})
    def down(up):
        return up + 1

    r = dg.materialize([up, down])
    obs.record("down", r.output_for_node("down"))


@scenario
def duplicate_asset_keys_rejected(obs):
    @dg.asset(name="same")
    def a1():
        return 1

    @dg.asset(name="same")
    def a2():
        return 2

    obs.raises(lambda: dg.materialize([a1, a2]))


@scenario
def asset_cycle_rejected(obs):
    @dg.asset(deps=["b"])
    def a():
        return 1

    @dg.asset(deps=["a"])
    def b():
        return 1

    obs.raises(lambda: dg.materialize([a, b]))


@scenario
def asset_failure_raises_user_error(obs):
    @dg.asset
    def a():
        raise ValueError("asset broke")

    obs.raises(lambda: dg.materialize([a]), "asset broke")


@scenario
def asset_failure_downstream_not_run(obs):
    @dg.asset
    def a():
        raise ValueError("asset broke")

    @dg.asset
    def b(a):
        return a

    r = dg.materialize([a, b], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("started", _started(r))


@scenario
def asset_direct_invocation(obs):
    @dg.asset
    def a():
        return 3

    @dg.asset
    def b(a):
        return a * 2

    obs.record("a", a())
    obs.record("b", b(5))


@scenario
def asset_direct_invocation_with_context(obs):
    @dg.asset
    def a(context):
        return context.asset_key.to_user_string()

    obs.record("a", a(dg.build_asset_context()))


@scenario
def graph_asset_basic(obs):
    @dg.op
    def one():
        return 1

    @dg.op
    def plus(x):
        return x + 1

    @dg.graph_asset
    def g():
        return plus(one())

    r = dg.materialize([g])
    obs.record("mats", _mats(r))
    obs.record("value", r.output_for_node("g"))


@scenario
def asset_context_properties(obs):
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext):
        seen["key"] = context.asset_key.to_user_string()
        seen["has_pk"] = context.has_partition_key
        seen["selected"] = sorted(k.to_user_string() for k in context.selected_asset_keys)
        seen["op"] = context.op_def.name
        return 1

    dg.materialize([a])
    obs.record("seen", seen)


@scenario
def assets_definition_attributes(obs):
    @dg.asset(deps=["x"])
    def a(b):
        return b

    obs.record("keys", sorted(k.to_user_string() for k in a.keys))
    obs.record("deps", sorted(k.to_user_string() for k in a.dependency_keys))
    obs.record("op", a.op.name)
    obs.record("node", a.node_def.name)
    obs.record("by_output", {n: k.to_user_string() for n, k in a.keys_by_output_name.items()})


@scenario
def assets_definition_keys_by_input_name(obs):
    @dg.asset(deps=["x"])
    def a(b):
        return b

    obs.record("by_input", {n: k.to_user_string() for n, k in a.keys_by_input_name.items()})


@scenario
def asset_with_resource_param(obs):
    class Greeter(dg.ConfigurableResource):
        word: str

    @dg.asset
    def a(greeter: Greeter):
        return greeter.word

    r = dg.materialize([a], resources={"greeter": Greeter(word="hi")})
    obs.record("a", r.output_for_node("a"))


@scenario
def asset_config(obs):
    class AConfig(dg.Config):
        n: int = 1

    @dg.asset
    def a(config: AConfig):
        return config.n

    r = dg.materialize([a], run_config={"ops": {"a": {"config": {"n": 5}}}})
    obs.record("a", r.output_for_node("a"))


@scenario
def load_assets_from_current_module_kind(obs):
    obs.record("has", hasattr(dg, "load_assets_from_modules"))


@scenario
def source_asset_dep(obs):
    src = dg.SourceAsset("src")

    @dg.asset(deps=[src])
    def a():
        return 1

    r = dg.materialize([src, a])
    obs.record("mats", _mats(r))


@scenario
def observable_source_asset_observes(obs):
    @dg.observable_source_asset
    def src():
        return dg.DataVersion("v1")

    obs.record("key", list(src.key.path))


@scenario
def materialize_tags(obs):
    @dg.asset
    def a():
        return 1

    r = dg.materialize([a], tags={"team": "x"})
    obs.record("tags", r.dagster_run.tags.get("team"))


@scenario
def materialize_partition_key(obs):
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["p1", "p2"]))
    def a(context):
        return context.partition_key

    r = dg.materialize([a], partition_key="p2")
    _mat_rows(obs, r)
    obs.record("value", r.output_for_node("a"))


@scenario
def asset_returns_none_annotation(obs):
    @dg.asset
    def a() -> None:
        pass

    r = dg.materialize([a])
    obs.record("mats", _mats(r))


@scenario
def asset_job_executes_subset_via_selection_list(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    job = dg.define_asset_job("j", selection=dg.AssetSelection.assets("b"))
    defs = dg.Definitions(assets=[a, b], jobs=[job])
    r = defs.get_job_def("j").execute_in_process()
    obs.record("started", _started(r))


@scenario
def asset_job_op_selection(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    defs = dg.Definitions(assets=[a, b])
    r = defs.get_implicit_global_asset_job_def().execute_in_process(
        asset_selection=[dg.AssetKey("a")]
    )
    obs.record("mats", _mats(r))


@scenario
def multi_asset_ins_reach_a_kwargs_function(obs):
    @dg.asset
    def up1():
        return 1

    @dg.asset
    def up2():
        return 2

    @dg.multi_asset(outs={"m": dg.AssetOut()}, ins={"a": dg.AssetIn("up1"), "b": dg.AssetIn("up2")})
    def body(context, **inputs):
        return sorted(inputs.items())

    result = dg.materialize([up1, up2, body])
    obs.record("out", result.output_for_node("body", "m"))
    obs.record("deps", sorted(k.to_user_string() for k in body.dependency_keys))
    obs.record("inputs", sorted(body.keys_by_input_name))


@scenario
def asset_ins_reach_a_kwargs_function(obs):
    @dg.asset
    def up():
        return 1

    @dg.asset(ins={"x": dg.AssetIn("up")})
    def single(**kw):
        return kw

    obs.record("out", dg.materialize([up, single]).output_for_node("single"))


@scenario
def asset_key_parts_take_any_text(obs):
    # Kedro's "params:rate" datasets become keys; a name made from one is still checked.
    key = dg.AssetKey(["base", "params:rate"])
    obs.record("s", key.to_user_string())
    obs.record("spaces", dg.AssetKey(["a b", "x.y"]).path)

    @dg.asset(ins={"p": dg.AssetIn(key=key)})
    def reads(p):
        return p

    obs.record("deps", sorted(k.to_user_string() for k in reads.dependency_keys))

    def named_from_it():
        @dg.asset(key=key)
        def rate():
            return 1

    obs.raises(named_from_it, "params:rate")


@scenario
def asset_selections_compare_by_how_they_were_built(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    sel = dg.AssetSelection
    job = dg.define_asset_job("j", selection=[a, b])
    obs.record("job_vs_assets", job.selection == sel.assets(a, b))
    obs.record("order", sel.assets(a, b) == sel.assets(b, a))
    obs.record("groups", [sel.groups("x") == sel.groups("x"), sel.groups("x") == sel.groups("y")])
    obs.record("all", [sel.all() == sel.all(), sel.assets(a) == sel.all()])
    obs.record("up", sel.assets(a).upstream() == sel.assets(a).upstream())
    obs.record("union", (sel.assets(a) | sel.assets(b)) == (sel.assets(a) | sel.assets(b)))
    string_job = dg.define_asset_job("k", selection="a")
    obs.record("string_job", string_job.selection == sel.from_string("a"))


@scenario
def asset_io_manager_def_binds_manager(obs):
    handled = []

    class Keep(dg.IOManager):
        def handle_output(self, context, obj):
            handled.append([context.asset_key.to_user_string(), obj])

        def load_input(self, context):
            return 41

    @dg.asset(io_manager_def=Keep())
    def thing():
        return 1

    @dg.asset
    def after(thing):
        return thing + 1

    obs.record("resources", sorted(thing.resource_defs))
    obs.record("manager_key", thing.get_io_manager_key_for_asset_key(dg.AssetKey("thing")))
    r = dg.materialize([thing, after])
    obs.record("handled", handled)
    obs.record("after", r.output_for_node("after"))
    obs.raises(lambda: dg.asset(io_manager_def=Keep(), io_manager_key="k")(lambda: 1))


@scenario
def asset_is_virtual_and_hidden_kwargs(obs):
    @dg.asset(is_virtual=True)
    def virt():
        return 1

    obs.record("is_virtual", virt.specs_by_key[dg.AssetKey("virt")].is_virtual)

    @dg.asset(compute_kind="sql", non_argument_deps={"up"})
    def kinded():
        return 1

    spec = kinded.specs_by_key[dg.AssetKey("kinded")]
    obs.record("deps", sorted(k.to_user_string() for k in kinded.dependency_keys))
    obs.record("kind_tag", spec.tags.get("dagster/kind/sql"))

    def unknown():
        @dg.asset(bogus=1)
        def x():
            return 1

    obs.raises(unknown, "bogus")


@scenario
def asset_spec_is_virtual_and_kwargs(obs):
    spec = dg.AssetSpec("a", is_virtual=True)
    obs.record("is_virtual", spec.is_virtual)
    obs.record("copied", spec.replace_attributes(description="d").is_virtual)
    obs.record("hidden_ok", dg.AssetSpec("b", auto_materialize_policy=None).key)
    obs.raises(lambda: dg.AssetSpec("a", bogus=1), "bogus")


@scenario
def asset_out_new_parameters(obs):
    out = dg.AssetOut(backfill_policy=dg.BackfillPolicy.single_run(), is_virtual=True)
    obs.record("backfill_policy", str(out.backfill_policy))
    obs.record("is_virtual", out.is_virtual)
    obs.record("positional", [dg.AssetOut("pre").key_prefix])
    obs.raises(lambda: dg.AssetOut(bogus=1), "bogus")

    @dg.multi_asset(outs={"m": dg.AssetOut(is_virtual=True, backfill_policy=None)})
    def multi():
        return 1

    obs.record("spec_virtual", multi.specs_by_key[dg.AssetKey("m")].is_virtual)


@scenario
def source_asset_io_manager_def(obs):
    class Load(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            return f"from {context.asset_key.to_user_string()}"

    src = dg.SourceAsset("raw", io_manager_def=Load())
    obs.record("manager_key", src.io_manager_key)
    obs.record("resources", sorted(src.resource_defs))

    @dg.asset
    def down(raw):
        return raw + "!"

    obs.record("down", dg.materialize([src, down]).output_for_node("down"))


@scenario
def source_asset_resource_defs_and_condition(obs):
    class Load(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            return 7

    src = dg.SourceAsset(
        "raw2",
        io_manager_key="k",
        resource_defs={"k": Load()},
        automation_condition=dg.AutomationCondition.eager(),
        auto_observe_interval_minutes=5,
    )
    obs.record("has_condition", src.automation_condition is not None)
    obs.record("interval", src.auto_observe_interval_minutes)

    @dg.asset
    def down2(raw2):
        return raw2 + 1

    obs.record("down", dg.materialize([src, down2]).output_for_node("down2"))


@scenario
def observable_source_asset_new_parameters(obs):
    class Load(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            return "loaded"

    @dg.observable_source_asset(
        io_manager_def=Load(),
        required_resource_keys={"foo"},
        resource_defs={"foo": dg.ResourceDefinition.hardcoded_resource(1)},
        automation_condition=dg.AutomationCondition.cron_tick_passed("@daily"),
    )
    def watched(context):
        return dg.DataVersion(str(context.resources.foo))

    obs.record("manager_key", watched.io_manager_key)
    obs.record("resources", sorted(watched.resource_defs))
    obs.record("has_condition", watched.automation_condition is not None)

    @dg.asset
    def reader(watched):
        return watched + "."

    obs.record("reader", dg.materialize([watched, reader]).output_for_node("reader"))


_MODULE = """
import {dg} as dg

src = dg.SourceAsset("raw")
ext = dg.AssetSpec("ext_spec")


@dg.asset(automation_condition=dg.AutomationCondition.eager())
def a(raw):
    return 1


@dg.asset(deps=[ext])
def b(a):
    return a + 1


@dg.asset
def c():
    return 3
"""


def _load_module(obs, name):  # type: ignore[no-untyped-def]
    import importlib
    import pathlib
    import sys

    pathlib.Path(obs.tmp, f"{name}.py").write_text(_MODULE.replace("{dg}", dg.__name__))
    sys.path.insert(0, obs.tmp)
    return importlib.import_module(name)


def _describe_loaded(loaded):  # type: ignore[no-untyped-def]
    rows = []
    for item in loaded:
        if isinstance(item, dg.AssetsDefinition):
            key = item.key
            condition = item.automation_conditions_by_key.get(key)
            rows.append(
                [
                    "AssetsDefinition",
                    key.to_user_string(),
                    sorted(k.to_user_string() for k in item.asset_deps[key]),
                    {n: k.to_user_string() for n, k in item.keys_by_input_name.items()},
                    condition.get_label() if condition is not None else None,
                    str(item.backfill_policy) if item.backfill_policy else None,
                ]
            )
        else:
            rows.append([type(item).__name__, item.key.to_user_string()])
    return sorted(rows, key=str)


@scenario
def load_assets_key_prefix_renames_dependencies(obs):
    module = _load_module(obs, "loaded_one")
    loaded = dg.load_assets_from_modules([module], key_prefix="pp")
    obs.record("loaded", _describe_loaded(loaded))
    chosen = [
        x
        for x in loaded
        if isinstance(x, dg.AssetsDefinition) and x.key.to_user_string() in ("pp/a", "pp/b")
    ]
    stub = dg.AssetSpec("raw")
    r = dg.materialize([*chosen, stub], selection=["pp/b"], raise_on_error=False)
    obs.record("started", [e.step_key for e in r.all_events if e.event_type_value == "STEP_START"])


@scenario
def load_assets_source_prefix_and_overrides(obs):
    module = _load_module(obs, "loaded_two")
    loaded = dg.load_assets_from_modules(
        [module],
        key_prefix="pp",
        source_key_prefix="ss",
        automation_condition=dg.AutomationCondition.on_cron("@daily"),
        backfill_policy=dg.BackfillPolicy.multi_run(2),
        include_specs=True,
    )
    obs.record("loaded", _describe_loaded(loaded))
    obs.raises(lambda: dg.load_assets_from_modules([module], bogus=1), "bogus")


def _type_messages(result):
    """[step, message] of each STEP_INPUT/STEP_OUTPUT event (they name the checked type)."""
    return [
        [e.step_key, e.message]
        for e in result.all_events
        if e.event_type_value in ("STEP_INPUT", "STEP_OUTPUT")
    ]


@scenario
def asset_in_dagster_type_default_reads_annotation(obs):
    @dg.asset
    def up():
        return "text"

    @dg.asset(ins={"up": dg.AssetIn()})
    def typed(up: int):
        return 1

    r = dg.materialize([up, typed], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("failed", [e.step_key for e in r.all_events if e.event_type_value == "STEP_FAILURE"])


@scenario
def asset_in_dagster_type_none_is_any(obs):
    @dg.asset
    def up():
        return "text"

    @dg.asset(ins={"up": dg.AssetIn(dagster_type=None)})
    def untyped(up: int):
        return 1

    r = dg.materialize([up, untyped], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("types", _type_messages(r))


@scenario
def asset_out_dagster_type_default_and_none(obs):
    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut(dagster_type=None)})
    def pair() -> tuple[int, int]:
        return 1, "not an int"

    r = dg.materialize([pair], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("types", _type_messages(r))

    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def wrong() -> tuple[int, int]:
        return "not an int", 2

    r = dg.materialize([wrong], raise_on_error=False)
    obs.record("annotated_success", r.success)


@scenario
def asset_out_legacy_freshness_policy_kept(obs):
    out = dg.AssetOut(legacy_freshness_policy=dg.LegacyFreshnessPolicy(maximum_lag_minutes=5))
    obs.record("on_out", out.legacy_freshness_policy.maximum_lag_minutes)

    @dg.multi_asset(outs={"m": out})
    def multi():
        return 1

    spec = multi.specs_by_key[dg.AssetKey("m")]
    obs.record("on_spec", spec.legacy_freshness_policy.maximum_lag_minutes)
    obs.record("freshness_policy", spec.freshness_policy)


@scenario
def asset_out_auto_materialize_policy_becomes_condition(obs):
    out = dg.AssetOut(auto_materialize_policy=dg.AutoMaterializePolicy.eager())
    obs.record("has_condition", out.automation_condition is not None)

    @dg.multi_asset(outs={"m": out})
    def multi():
        return 1

    spec = multi.specs_by_key[dg.AssetKey("m")]
    obs.record("spec_has_condition", spec.automation_condition is not None)


@scenario
def asset_out_from_spec(obs):
    spec = dg.AssetSpec("made", group_name="g", metadata={"m": 1}, owners=["team:x"], kinds={"py"})
    out = dg.AssetOut.from_spec(spec, io_manager_key="store", is_required=False)
    obs.record("out", [out.key.to_user_string(), out.io_manager_key, out.is_required])
    obs.record("out_facts", [out.group_name, dict(out.metadata), list(out.owners)])

    @dg.multi_asset(outs={"o": out}, can_subset=True)
    def multi():
        yield dg.Output(1, "o")

    made = multi.specs_by_key[dg.AssetKey("made")]
    obs.record("spec", [made.group_name, dict(made.metadata), list(made.owners)])
    obs.record("kinds", sorted(made.kinds))


@scenario
def asset_out_from_spec_with_deps_rejected(obs):
    spec = dg.AssetSpec("made", deps=["up"])
    obs.raises(lambda: dg.AssetOut.from_spec(spec), "deps")
