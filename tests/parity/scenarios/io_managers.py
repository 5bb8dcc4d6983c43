"""Parity: IO managers, their contexts, input managers, In(asset_key=/input_manager_key=)."""

import os
import pickle

from _harness import dg, scenario


class Recorder(dg.IOManager):
    """Keeps values in a dict and remembers what its contexts said."""

    def __init__(self) -> None:
        self.values: dict = {}
        self.seen: list = []

    def _key(self, context):  # type: ignore[no-untyped-def]
        if context.has_asset_key:
            return tuple(context.asset_key.path)
        return tuple(context.get_identifier())

    def handle_output(self, context, obj):  # type: ignore[no-untyped-def]
        self.seen.append(["out", context.name, context.has_asset_key])
        self.values[self._key(context)] = obj

    def load_input(self, context):  # type: ignore[no-untyped-def]
        self.seen.append(["in", context.name, context.has_asset_key])
        return self.values[
            self._key(context.upstream_output) if context.upstream_output else self._key(context)
        ]


@scenario
def output_context_properties_for_op(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            seen["name"] = context.name
            seen["step_key"] = context.step_key
            seen["has_asset_key"] = context.has_asset_key
            seen["has_partition_key"] = context.has_partition_key
            seen["md"] = dict(context.definition_metadata)
            seen["id"] = list(context.get_identifier())[1:]

        def load_input(self, context):
            return None

    @dg.op(out=dg.Out(metadata={"m": 1}))
    def f():
        return 1

    @dg.job(resource_defs={"io_manager": M()})
    def j():
        f()

    j.execute_in_process()
    obs.record("seen", seen)


@scenario
def output_context_properties_for_asset(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            seen["key"] = context.asset_key.to_user_string()
            seen["has_asset_key"] = context.has_asset_key
            seen["has_partition_key"] = context.has_partition_key
            seen["asset_id"] = list(context.get_asset_identifier())
            seen["md"] = sorted(context.definition_metadata)

        def load_input(self, context):
            return None

    @dg.asset(key_prefix="p", metadata={"owner": "me"})
    def a():
        return 1

    dg.materialize([a], resources={"io_manager": M()})
    obs.record("seen", seen)


@scenario
def input_context_properties(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            self.v = obj

        def load_input(self, context):
            seen["name"] = context.name
            seen["has_asset_key"] = context.has_asset_key
            seen["key"] = context.asset_key.to_user_string()
            seen["upstream_name"] = context.upstream_output.name
            seen["upstream_key"] = context.upstream_output.asset_key.to_user_string()
            seen["md"] = dict(context.definition_metadata)
            seen["has_pk"] = context.has_partition_key
            return self.v

    @dg.asset
    def up():
        return 3

    @dg.asset(ins={"up": dg.AssetIn(metadata={"x": 1})})
    def down(up):
        return up + 1

    m = M()
    r = dg.materialize([up, down], resources={"io_manager": m})
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def io_context_partition_key(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            seen["has"] = context.has_partition_key
            seen["pk"] = context.partition_key
            seen["asset_pk"] = context.asset_partition_key
            seen["keys"] = list(context.asset_partition_keys)
            seen["has_asset_partitions"] = context.has_asset_partitions

        def load_input(self, context):
            return None

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["a", "b"]))
    def p():
        return 1

    dg.materialize([p], partition_key="b", resources={"io_manager": M()})
    obs.record("seen", seen)


@scenario
def io_context_time_window(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            w = context.asset_partitions_time_window
            seen["window"] = [w.start.isoformat(), w.end.isoformat()]
            seen["range"] = [
                context.asset_partition_key_range.start,
                context.asset_partition_key_range.end,
            ]

        def load_input(self, context):
            return None

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def p():
        return 1

    dg.materialize([p], partition_key="2024-01-03", resources={"io_manager": M()})
    obs.record("seen", seen)


@scenario
def output_context_no_partition_key_raises(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            seen["has"] = context.has_partition_key
            try:
                context.partition_key
                seen["raised"] = None
            except Exception as exc:
                seen["raised"] = type(exc).__name__

        def load_input(self, context):
            return None

    @dg.asset
    def a():
        return 1

    dg.materialize([a], resources={"io_manager": M()})
    obs.record("has", seen["has"])
    obs.record("raised", seen["raised"] is not None)


@scenario
def output_context_add_output_metadata(obs):
    class M(dg.IOManager):
        def handle_output(self, context, obj):
            context.add_output_metadata({"rows": len(obj)})

        def load_input(self, context):
            return None

    @dg.asset
    def a():
        return [1, 2]

    r = dg.materialize([a], resources={"io_manager": M()})
    mats = r.asset_materializations_for_node("a")
    obs.record("rows", mats[0].metadata["rows"].value)


@scenario
def io_manager_decorator_with_config(obs):
    @dg.io_manager(config_schema={"prefix": str})
    def my_io(init_context):
        prefix = init_context.resource_config["prefix"]

        class M(dg.IOManager):
            store = {}

            def handle_output(self, context, obj):
                M.store[prefix + context.name] = obj

            def load_input(self, context):
                return M.store[prefix + context.upstream_output.name]

        return M()

    @dg.op
    def one():
        return 1

    @dg.op
    def plus(x):
        return x + 1

    @dg.job(resource_defs={"io_manager": my_io.configured({"prefix": "p_"})})
    def j():
        plus(one())

    obs.record("out", j.execute_in_process().output_for_node("plus"))


@scenario
def configurable_io_manager(obs):
    class Dict(dg.ConfigurableIOManager):
        label: str

        def handle_output(self, context, obj):
            context.add_output_metadata({"label": self.label})

        def load_input(self, context):
            return 10

    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a + 1

    r = dg.materialize([a, b], resources={"io_manager": Dict(label="L")})
    obs.record("b", r.output_for_node("b"))
    mats = r.asset_materializations_for_node("a")
    obs.record("label", mats[0].metadata["label"].value)


@scenario
def io_manager_key_on_asset(obs):
    rec = Recorder()

    @dg.asset(io_manager_key="special")
    def a():
        return 5

    @dg.asset
    def b(a):
        return a * 2

    r = dg.materialize([a, b], resources={"special": rec})
    obs.record("b", r.output_for_node("b"))
    obs.record("seen", rec.seen)


@scenario
def io_manager_key_on_out(obs):
    rec = Recorder()

    @dg.op(out=dg.Out(io_manager_key="special"))
    def a():
        return 5

    @dg.op
    def b(x):
        return x * 2

    @dg.job(resource_defs={"special": rec})
    def j():
        b(a())

    r = j.execute_in_process()
    obs.record("b", r.output_for_node("b"))
    obs.record("seen", rec.seen)


@scenario
def missing_io_manager_key(obs):
    @dg.asset(io_manager_key="nope")
    def a():
        return 5

    obs.raises(lambda: dg.materialize([a]))


@scenario
def fs_io_manager_layout_for_assets(obs):
    base = os.path.join(obs.tmp, "store")

    @dg.asset(key_prefix=["wh"])
    def a():
        return {"x": 1}

    dg.materialize([a], resources={"io_manager": dg.FilesystemIOManager(base_dir=base)})
    path = os.path.join(base, "wh", "a")
    obs.record("exists", os.path.exists(path))
    with open(path, "rb") as f:
        obs.record("value", pickle.load(f))


@scenario
def fs_io_manager_layout_partitioned(obs):
    base = os.path.join(obs.tmp, "store")

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["p1", "p2"]))
    def a(context):
        return context.partition_key

    dg.materialize(
        [a], partition_key="p2", resources={"io_manager": dg.FilesystemIOManager(base_dir=base)}
    )
    obs.record("files", sorted(os.listdir(os.path.join(base, "a"))))


@scenario
def fs_io_manager_layout_multi_partitioned(obs):
    base = os.path.join(obs.tmp, "store")
    p = dg.MultiPartitionsDefinition(
        {
            "date": dg.StaticPartitionsDefinition(["d1"]),
            "region": dg.StaticPartitionsDefinition(["eu"]),
        }
    )

    @dg.asset(partitions_def=p)
    def a(context):
        return 1

    dg.materialize(
        [a], partition_key="d1|eu", resources={"io_manager": dg.FilesystemIOManager(base_dir=base)}
    )
    found = []
    for dirpath, _dirs, files in os.walk(os.path.join(base, "a")):
        for name in files:
            found.append(os.path.relpath(os.path.join(dirpath, name), base))
    obs.record("files", sorted(found))


@scenario
def fs_io_manager_layout_for_ops(obs):
    base = os.path.join(obs.tmp, "store")

    @dg.op
    def one():
        return 1

    @dg.job(resource_defs={"io_manager": dg.fs_io_manager.configured({"base_dir": base})})
    def j():
        one()

    r = j.execute_in_process()
    path = os.path.join(base, r.run_id, "one", "result")
    obs.record("exists", os.path.exists(path))


@scenario
def fs_io_manager_round_trip(obs):
    base = os.path.join(obs.tmp, "store")

    @dg.asset
    def a():
        return [1, 2, 3]

    @dg.asset
    def b(a):
        return sum(a)

    io = dg.FilesystemIOManager(base_dir=base)
    dg.materialize([a], resources={"io_manager": io})
    r = dg.materialize([a, b], selection=[b], resources={"io_manager": io})
    obs.record("b", r.output_for_node("b"))


@scenario
def fs_io_manager_path_metadata(obs):
    base = os.path.join(obs.tmp, "store")

    @dg.asset
    def a():
        return 1

    r = dg.materialize([a], resources={"io_manager": dg.FilesystemIOManager(base_dir=base)})
    md = r.asset_materializations_for_node("a")[0].metadata
    obs.record("path_kind", type(md["path"]).__name__)
    obs.record("path", os.path.relpath(md["path"].value, base))


@scenario
def mem_io_manager_values(obs):
    @dg.op
    def one():
        return 1

    @dg.op
    def plus(x):
        return x + 1

    @dg.job(resource_defs={"io_manager": dg.mem_io_manager})
    def j():
        plus(one())

    r = j.execute_in_process()
    obs.record("out", r.output_for_node("plus"))


@scenario
def in_memory_io_manager_class(obs):
    @dg.asset
    def a():
        return 4

    @dg.asset
    def b(a):
        return a + 1

    r = dg.materialize([a, b], resources={"io_manager": dg.InMemoryIOManager()})
    obs.record("b", r.output_for_node("b"))


@scenario
def input_manager_decorator(obs):
    @dg.input_manager
    def loader(context):
        return 42

    @dg.op(ins={"x": dg.In(input_manager_key="loader")})
    def use(x):
        return x + 1

    @dg.job(resource_defs={"loader": loader})
    def j():
        use()

    obs.record("out", j.execute_in_process().output_for_node("use"))


@scenario
def input_manager_class(obs):
    class Loader(dg.InputManager):
        def load_input(self, context):
            return context.name.upper()

    @dg.input_manager
    def loader():
        return Loader()

    @dg.op(ins={"x": dg.In(input_manager_key="loader")})
    def use(x):
        return x

    @dg.job(resource_defs={"loader": loader})
    def j():
        use()

    obs.record("out", j.execute_in_process().output_for_node("use"))


@scenario
def input_manager_overrides_upstream(obs):
    @dg.input_manager
    def loader(context):
        return ["from", context.upstream_output.name]

    @dg.op
    def produce():
        return "real"

    @dg.op(ins={"x": dg.In(input_manager_key="loader")})
    def use(x):
        return x

    @dg.job(resource_defs={"loader": loader})
    def j():
        use(produce())

    obs.record("out", j.execute_in_process().output_for_node("use"))


@scenario
def input_manager_on_asset_in(obs):
    @dg.input_manager
    def loader(context):
        return context.asset_key.to_user_string()

    @dg.asset(ins={"up": dg.AssetIn(key="up", input_manager_key="loader")})
    def down(up):
        return up + "!"

    r = dg.materialize([down], resources={"loader": loader})
    obs.record("down", r.output_for_node("down"))


@scenario
def in_asset_key_loads_asset(obs):
    store = {}

    class Keep(dg.IOManager):
        def handle_output(self, context, obj):
            store[tuple(context.asset_key.path)] = obj

        def load_input(self, context):
            return store[tuple(context.asset_key.path)]

    @dg.asset
    def source():
        return 7

    dg.materialize([source], resources={"io_manager": Keep()})

    @dg.op(ins={"x": dg.In(asset_key=dg.AssetKey("source"))})
    def use(x):
        return x * 3

    @dg.job(resource_defs={"io_manager": Keep()})
    def j():
        use()

    obs.record("out", j.execute_in_process().output_for_node("use"))


@scenario
def in_signature(obs):
    obs.signature("sig", dg.In)


@scenario
def input_manager_missing_resource(obs):
    @dg.op(ins={"x": dg.In(input_manager_key="nope")})
    def use(x):
        return x

    def build():
        @dg.job
        def j():
            use()

        return j.execute_in_process()

    obs.raises(build)


@scenario
def build_output_context_standalone(obs):
    ctx = dg.build_output_context(name="result", step_key="s", asset_key="a")
    obs.record("name", ctx.name)
    obs.record("key", ctx.asset_key.to_user_string())
    obs.record("has_pk", ctx.has_partition_key)


@scenario
def build_input_context_standalone(obs):
    up = dg.build_output_context(name="result", step_key="s")
    ctx = dg.build_input_context(name="x", upstream_output=up, definition_metadata={"m": 1})
    obs.record("name", ctx.name)
    obs.record("upstream", ctx.upstream_output.name)
    obs.record("md", dict(ctx.definition_metadata))
    obs.record("has_asset_key", ctx.has_asset_key)


@scenario
def io_manager_direct_use_with_built_contexts(obs):
    m = dg.InMemoryIOManager()
    out = dg.build_output_context(name="result", step_key="s", asset_key="a")
    m.handle_output(out, 5)
    ctx = dg.build_input_context(asset_key="a", upstream_output=out)
    obs.record("loaded", m.load_input(ctx))


@scenario
def io_manager_load_error_raises(obs):
    class Broken(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            raise KeyError("not stored")

    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    obs.raises(lambda: dg.materialize([a, b], resources={"io_manager": Broken()}))


@scenario
def io_manager_handle_error_fails_step(obs):
    class Broken(dg.IOManager):
        def handle_output(self, context, obj):
            raise RuntimeError("cannot store")

        def load_input(self, context):
            return None

    @dg.asset
    def a():
        return 1

    r = dg.materialize([a], resources={"io_manager": Broken()}, raise_on_error=False)
    obs.record("success", r.success)
    obs.record(
        "mats",
        [e.event_type_value for e in r.all_events if e.event_type_value == "ASSET_MATERIALIZATION"],
    )


@scenario
def nothing_output_not_stored(obs):
    rec = Recorder()

    @dg.op(out=dg.Out(dg.Nothing))
    def first():
        pass

    @dg.op(ins={"after": dg.In(dg.Nothing)})
    def second():
        return 1

    @dg.job(resource_defs={"io_manager": rec})
    def j():
        second(after=first())

    j.execute_in_process()
    obs.record("seen", rec.seen)


@scenario
def upath_io_manager_subclass(obs):
    from pathlib import Path

    class JsonIO(dg.UPathIOManager):
        extension = ".json"

        def dump_to_path(self, context, obj, path):
            import json

            path.write_text(json.dumps(obj))

        def load_from_path(self, context, path):
            import json

            return json.loads(path.read_text())

    base = Path(obs.tmp) / "up"

    @dg.asset
    def a():
        return {"k": 1}

    @dg.asset
    def b(a):
        return a["k"] + 1

    r = dg.materialize([a, b], resources={"io_manager": JsonIO(base_path=base)})
    obs.record("b", r.output_for_node("b"))
    obs.record("files", sorted(p.name for p in base.rglob("*") if p.is_file()))


@scenario
def op_input_context_without_asset(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            self.v = obj
            seen["out_id"] = list(context.get_identifier())[1:]

        def load_input(self, context):
            seen["has_asset_key"] = context.has_asset_key
            seen["upstream_step"] = context.upstream_output.step_key
            seen["upstream_name"] = context.upstream_output.name
            seen["name"] = context.name
            return self.v

    @dg.op
    def one():
        return 1

    @dg.op
    def plus(x):
        return x + 1

    @dg.job(resource_defs={"io_manager": M()})
    def j():
        plus(one())

    obs.record("out", j.execute_in_process().output_for_node("plus"))
    obs.record("seen", seen)


@scenario
def io_manager_sees_output_metadata_from_out(obs):
    seen = {}

    class M(dg.IOManager):
        def handle_output(self, context, obj):
            seen["md"] = dict(context.definition_metadata)

        def load_input(self, context):
            return None

    @dg.op(out={"a": dg.Out(metadata={"x": 1}), "b": dg.Out(metadata={"y": 2})})
    def two():
        return 1, 2

    @dg.job(resource_defs={"io_manager": M()})
    def j():
        two()

    j.execute_in_process()
    obs.record("last_md", seen["md"])


@scenario
def io_manager_multi_asset_outputs(obs):
    rec = Recorder()

    @dg.multi_asset(outs={"x": dg.AssetOut(), "y": dg.AssetOut()})
    def m():
        return 1, 2

    dg.materialize([m], resources={"io_manager": rec})
    obs.record("seen", rec.seen)
    obs.record("keys", sorted(list(k) for k in rec.values))


@scenario
def io_manager_resource_init_once_per_run(obs):
    inits = []

    @dg.io_manager
    def counting(_init):
        inits.append(1)
        return dg.InMemoryIOManager()

    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a

    dg.materialize([a, b], resources={"io_manager": counting})
    obs.record("inits", len(inits))


@scenario
def io_manager_loads_from_previous_run(obs):
    base = os.path.join(obs.tmp, "prev")

    @dg.asset
    def a():
        return "stored"

    @dg.asset
    def b(a):
        return a + "!"

    io = dg.FilesystemIOManager(base_dir=base)
    dg.materialize([a], resources={"io_manager": io})
    r = dg.materialize([a, b], selection=["b"], resources={"io_manager": io})
    obs.record("b", r.output_for_node("b"))
    obs.record("started", [e.step_key for e in r.all_events if e.event_type_value == "STEP_START"])


# test contexts: asset_spec, output_metadata, step_context ------------------------------------


@scenario
def build_output_context_keeps_asset_spec_and_output_metadata(obs):
    spec = dg.AssetSpec("a", metadata={"m": 1})
    ctx = dg.build_output_context(asset_spec=spec, output_metadata={"o": 2})
    obs.record("spec_key", ctx.asset_spec.key)
    obs.record("output_metadata", dict(ctx.output_metadata))
    obs.record("has_asset_key", ctx.has_asset_key)
    obs.record("definition_metadata", dict(ctx.definition_metadata))


@scenario
def build_output_context_without_spec_or_step_context(obs):
    ctx = dg.build_output_context(asset_key="b")
    obs.record("output_metadata", dict(ctx.output_metadata))
    obs.raises(lambda: ctx.asset_spec, "asset_spec", key="asset_spec")
    obs.raises(lambda: ctx.step_context, "step_context", key="step_context")


@scenario
def build_input_context_step_context_is_optional(obs):
    ctx = dg.build_input_context(name="x", step_context=None)
    obs.record("name", ctx.name)
    obs.raises(lambda: ctx.step_context, "step_context")


@scenario
def build_input_context_range_and_definition_give_the_keys(obs):
    ctx = dg.build_input_context(
        asset_key="a",
        asset_partition_key_range=dg.PartitionKeyRange("a", "b"),
        asset_partitions_def=dg.StaticPartitionsDefinition(["a", "b", "c"]),
    )
    obs.record("keys", sorted(ctx.asset_partition_keys))  # the reference returns a set's order
    obs.record("has_partitions", ctx.has_asset_partitions)


@scenario
def io_manager_sees_output_metadata_and_asset_spec_in_a_run(obs):
    seen = []

    class Manager(dg.IOManager):
        def handle_output(self, context, obj):
            spec = context.asset_spec.key if context.has_asset_key else None
            metadata = {k: v.value for k, v in context.output_metadata.items()}
            seen.append([metadata, spec])

        def load_input(self, context):
            return 1

    @dg.asset(io_manager_key="m", metadata={"d": 1})
    def a():
        return dg.Output(1, metadata={"rows": 3})

    @dg.op(out=dg.Out(io_manager_key="m"))
    def o():
        return dg.Output(2, metadata={"k": "v"})

    @dg.job(resource_defs={"m": Manager()})
    def j():
        o()

    dg.materialize([a], resources={"m": Manager()})
    j.execute_in_process()
    obs.record("seen", seen)


def _loaded_inputs(result):
    """[step, message, input name, manager key] of each LOADED_INPUT event."""
    return [
        [
            e.step_key,
            e.message,
            e.event_specific_data.input_name,
            e.event_specific_data.manager_key,
        ]
        for e in result.all_events
        if e.event_type_value == "LOADED_INPUT"
    ]


def _upstream_facts(context):
    """What an input manager can read of the output its input loads."""
    up = context.upstream_output
    if up is None:
        return None
    return {
        "name": up.name,
        "step_key": up.step_key,
        "asset_key": up.asset_key.to_user_string() if up.has_asset_key else None,
        "definition_metadata": dict(up.definition_metadata or {}),
    }


@scenario
def asset_in_input_manager_loads_instead_of_upstream_io_manager(obs):
    calls = []

    @dg.input_manager
    def loader(context):
        calls.append(["loader", context.name, context.asset_key.to_user_string()])
        calls.append(["metadata", dict(context.definition_metadata or {})])
        calls.append(["upstream", _upstream_facts(context)])
        return "loaded " + context.asset_key.to_user_string()

    class Store(dg.IOManager):
        def handle_output(self, context, obj):
            calls.append(["handle", context.asset_key.to_user_string()])

        def load_input(self, context):
            calls.append(["store load", context.asset_key.to_user_string()])
            return "stored"

    @dg.asset
    def up():
        return "real"

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader", metadata={"cols": ["a"]})})
    def down(up):
        return up + "!"

    r = dg.materialize([up, down], resources={"loader": loader, "io_manager": Store()})
    obs.record("down", r.output_for_node("down"))
    obs.record("calls", calls)
    obs.record("loaded", _loaded_inputs(r))
    obs.events(r)


@scenario
def asset_in_input_manager_upstream_outside_the_run(obs):
    calls = []

    @dg.input_manager
    def loader(context):
        calls.append(["upstream", _upstream_facts(context)])
        return 10

    @dg.asset(metadata={"owner": "me"})
    def up():
        return 1

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader")})
    def down(up):
        return up + 1

    r = dg.materialize(
        [up, down],
        selection=[down.key],
        resources={"loader": loader, "io_manager": dg.InMemoryIOManager()},
    )
    obs.record("down", r.output_for_node("down"))
    obs.record("calls", calls)
    obs.record("loaded", _loaded_inputs(r))
    obs.events(r)


@scenario
def io_manager_upstream_output_for_asset_outside_the_run(obs):
    seen = []

    class Store(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            seen.append(_upstream_facts(context))
            return 3

    @dg.asset(metadata={"rows": 2}, io_manager_key="store")
    def up():
        return 1

    @dg.asset
    def down(up):
        return up * 2

    r = dg.materialize(
        [up, down], selection=[down.key], resources={"store": Store(), "io_manager": Store()}
    )
    obs.record("down", r.output_for_node("down"))
    obs.record("seen", seen)


@scenario
def asset_in_input_manager_is_an_io_manager(obs):
    class Other(dg.IOManager):
        def handle_output(self, context, obj):
            raise AssertionError("the input manager only loads")

        def load_input(self, context):
            return {"from": "other", "key": context.asset_key.to_user_string()}

    @dg.asset
    def up():
        return 1

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="other")})
    def down(up):
        return up

    r = dg.materialize([up, down], resources={"other": Other()})
    obs.record("down", r.output_for_node("down"))
    obs.record("loaded", _loaded_inputs(r))


@scenario
def asset_in_input_manager_missing_resource(obs):
    @dg.asset
    def up():
        return 1

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader")})
    def down(up):
        return up

    fragment = (
        "input manager with key 'loader' required by input 'up' of op 'down' was not provided"
    )
    obs.raises(lambda: dg.materialize([up, down]), fragment, key="materialize")
    defs = dg.Definitions(assets=[up, down], jobs=[dg.define_asset_job("all")])
    obs.raises(lambda: defs.get_job_def("all"), fragment, key="definitions")


@scenario
def in_input_manager_missing_resource_names_it(obs):
    @dg.op(ins={"x": dg.In(input_manager_key="nope")})
    def use(x):
        return x

    @dg.job
    def j():
        use()

    fragment = "input manager with key 'nope' required by input 'x' of op 'use' was not provided"
    obs.raises(j.execute_in_process, fragment)


@scenario
def asset_in_input_manager_not_a_manager(obs):
    # The reference refuses the plain resource when the job is built; headwater when the
    # input is loaded (a function-style resource's value is only known once built).
    @dg.resource
    def plain(_):
        return 5

    @dg.asset
    def up():
        return 1

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader")})
    def down(up):
        return up

    fragment = "input manager with key 'loader' required by input 'up' of op 'down', but received"
    obs.raises(lambda: dg.materialize([up, down], resources={"loader": plain}), fragment)


@scenario
def materialize_to_memory_unselected_upstream_is_a_key_error(obs):
    @dg.asset
    def up():
        return 1

    @dg.asset
    def down(up):
        return up + 1

    r = dg.materialize_to_memory([up, down], selection=[down], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("failed_steps", [e.step_key for e in r.get_step_failure_events()])
    obs.raises(lambda: dg.materialize_to_memory([up, down], selection=[down]), "up")


@scenario
def in_memory_input_manager_with_nothing_stored_is_a_key_error(obs):
    @dg.asset
    def up():
        return 1

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="im")})
    def down(up):
        return up + 1

    def go():
        dg.materialize([up, down], selection=[down], resources={"im": dg.mem_io_manager})

    obs.raises(go, "up")
    context = dg.build_input_context(
        upstream_output=dg.build_output_context(step_key="s", name="result", run_id="r1")
    )
    obs.raises(lambda: dg.InMemoryIOManager().load_input(context), key="direct")


def _upstream_run_facts(context):
    up = context.upstream_output
    return {"run_id": up.run_id, "identifier": list(context.get_identifier())}


@scenario
def input_manager_upstream_outside_the_run_has_the_ephemeral_run_id(obs):
    seen = []

    @dg.input_manager
    def loader(context):
        seen.append(_upstream_run_facts(context))
        return 10

    class Store(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            seen.append(_upstream_run_facts(context))
            return 20

    @dg.asset
    def up():
        return 1

    @dg.asset(ins={"up": dg.AssetIn(input_manager_key="loader")})
    def down(up):
        return up + 1

    @dg.asset
    def down_io(up):
        return up + 1

    dg.materialize(
        [up, down, down_io],
        selection=[down, down_io],
        resources={"loader": loader, "io_manager": Store()},
    )
    obs.record("seen", seen)


@scenario
def build_output_context_run_id_defaults_to_ephemeral(obs):
    obs.record("run_id", dg.build_output_context(step_key="s", name="result").run_id)
    context = dg.build_output_context(step_key="s", name="result")
    obs.record("identifier", list(context.get_identifier()))


@scenario
def output_context_log_event_takes_materializations_and_observations(obs):
    context = dg.build_output_context(step_key="s", name="result")
    context.log_event(dg.AssetMaterialization("a"))
    context.log_event(dg.AssetObservation("a"))
    obs.record("logged", [type(e).__name__ for e in context.get_logged_events()])
    obs.raises(lambda: context.log_event(dg.ExpectationResult(True, label="rows")))


@scenario
def load_asset_value_upstream_run_id(obs):
    seen = []

    class Store(dg.IOManager):
        def handle_output(self, context, obj):
            pass

        def load_input(self, context):
            seen.append(context.upstream_output.run_id)
            return 1

    @dg.asset
    def up():
        return 1

    defs = dg.Definitions(assets=[up], resources={"io_manager": Store()})
    obs.record("value", defs.load_asset_value("up"))
    obs.record("seen", seen)
