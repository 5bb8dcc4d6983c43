"""Dynamic outputs: DynamicOut/DynamicOutput, map and collect in graphs, the steps and
events of mapped copies, their outputs, errors, IO manager keys and paths, and runs of the
multiprocess executor.

Multiprocess runs go through ``execute_job`` with a job defined at the top level of a
module the scenario writes into its temporary folder (step processes import it again).
"""

import importlib
import os
import sys
import textwrap
from pathlib import Path

from _harness import dg, scenario


def _emitter(keys=("k0", "k1", "k2"), name="emit"):
    @dg.op(name=name, out=dg.DynamicOut())
    def emit():
        for i, key in enumerate(keys):
            yield dg.DynamicOutput(i, mapping_key=key)

    return emit


@dg.op
def _double(x):
    return x * 2


@dg.op
def _total(xs):
    return sum(xs)


@dg.op
def _listed(xs):
    return xs


@dg.op
def _ident(x):
    return x


def _starts(result):
    return [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]


@scenario
def map_and_collect_events(obs):
    emit = _emitter()

    @dg.job
    def j():
        _total(emit().map(_double).collect())

    result = j.execute_in_process()
    obs.record("success", result.success)
    obs.events(result)


@scenario
def step_output_messages_name_the_mapping_key(obs):
    emit = _emitter(("a", "b"))

    @dg.job
    def j():
        emit().map(_double)

    result = j.execute_in_process()
    obs.record(
        "outputs",
        [
            [e.step_key, e.message]
            for e in result.all_events
            if e.event_type_value in ("STEP_OUTPUT", "LOADED_INPUT")
        ],
    )
    obs.record(
        "handles",
        [
            [
                e.event_specific_data.step_output_handle.step_key,
                e.event_specific_data.step_output_handle.mapping_key,
            ]
            for e in result.all_events
            if e.event_type_value == "STEP_OUTPUT"
        ],
    )


@scenario
def outputs_of_dynamic_and_mapped_nodes(obs):
    emit = _emitter()

    @dg.job
    def j():
        _total(emit().map(_double).collect())

    result = j.execute_in_process()
    obs.record("emit", result.output_for_node("emit"))
    obs.record("mapped", result.output_for_node("_double"))
    obs.record("collected", result.output_for_node("_total"))


@scenario
def chained_maps_run_in_readiness_order(obs):
    emit = _emitter(("b", "a", "c"))

    @dg.op
    def one():
        return 1

    @dg.op
    def zzz():
        return 1

    @dg.op
    def a(x, y):
        return x * 10 + y

    @dg.op
    def b(x):
        return x + 1

    @dg.op
    def d(xs, z):
        return [xs, z]

    @dg.job
    def j():
        o = one()
        r = emit().map(lambda x: a(x, o)).map(b)
        _listed(r.collect())
        d(_emitter(("x", "y"), name="e2")().collect(), zzz())

    result = j.execute_in_process()
    obs.record("starts", _starts(result))
    obs.record("a", result.output_for_node("a"))
    obs.record("b", result.output_for_node("b"))
    obs.record("listed", result.output_for_node("_listed"))
    obs.record("d", result.output_for_node("d"))


@scenario
def map_then_collect_into_op_with_two_inputs(obs):
    emit = _emitter()

    @dg.op
    def base():
        return 100

    @dg.op
    def combine(xs, offset):
        return [x + offset for x in xs]

    @dg.job
    def j():
        combine(emit().map(_double).collect(), base())

    result = j.execute_in_process()
    obs.record("starts", _starts(result))
    obs.record("combined", result.output_for_node("combine"))


@scenario
def map_over_a_graph(obs):
    emit = _emitter()

    @dg.op
    def inc(x):
        return x + 1

    @dg.graph
    def sub(x):
        return inc.alias("inner")(inc(x))

    @dg.job
    def j():
        _listed(emit().map(sub).collect())

    result = j.execute_in_process()
    obs.record("starts", _starts(result))
    obs.record("sub", result.output_for_node("sub"))
    obs.record("sub.inc", result.output_for_node("sub.inc"))
    obs.record("listed", result.output_for_node("_listed"))


@scenario
def dynamic_output_of_a_graph(obs):
    emit = _emitter()

    @dg.graph
    def gd():
        return emit()

    @dg.job
    def j():
        _listed(gd().map(_double).collect())

    result = j.execute_in_process()
    obs.record("starts", _starts(result))
    obs.record("gd", result.output_for_node("gd"))
    obs.record("gd.emit", result.output_for_node("gd.emit"))
    obs.record("listed", result.output_for_node("_listed"))


@scenario
def collect_the_values_directly(obs):
    emit = _emitter(("z", "a"))

    @dg.job
    def j():
        _listed(emit().collect())

    result = j.execute_in_process()
    obs.events(result)
    obs.record("listed", result.output_for_node("_listed"))


@scenario
def returned_list_of_dynamic_outputs(obs):
    @dg.op(out=dg.DynamicOut())
    def emit():
        return [dg.DynamicOutput(i, mapping_key=f"n{i}") for i in range(2)]

    @dg.job
    def j():
        emit().map(_double)

    result = j.execute_in_process()
    obs.record("mapped", result.output_for_node("_double"))


@scenario
def required_dynamic_output_with_no_values(obs):
    emit = _emitter(())

    @dg.job
    def j():
        d = emit()
        _listed.alias("c1")(d.map(_ident).collect())
        _listed.alias("c2")(d.collect())

    result = j.execute_in_process()
    obs.record("success", result.success)
    obs.events(result)
    obs.record("c1", result.output_for_node("c1"))
    obs.record("c2", result.output_for_node("c2"))
    obs.raises(lambda: result.output_for_node("emit"), "No outputs found")
    obs.raises(lambda: result.output_for_node("_ident"), "No outputs found", key="mapped")


@scenario
def optional_dynamic_output_with_no_values_skips(obs):
    @dg.op(out=dg.DynamicOut(is_required=False))
    def emit():
        return
        yield

    @dg.job
    def j():
        d = emit()
        _listed.alias("c1")(d.map(_ident).collect())
        _listed.alias("c2")(d.collect())

    result = j.execute_in_process()
    obs.record("success", result.success)
    obs.events(result)
    obs.raises(lambda: result.output_for_node("c1"), "No outputs found")


@scenario
def duplicate_mapping_key_fails_the_step(obs):
    @dg.op(out=dg.DynamicOut())
    def dup():
        yield dg.DynamicOutput(1, mapping_key="a")
        yield dg.DynamicOutput(2, mapping_key="a")

    @dg.job
    def j():
        dup().map(_ident)

    result = j.execute_in_process(raise_on_error=False)
    obs.record("success", result.success)
    obs.events(result)
    obs.raises(j.execute_in_process, 'mapping_key "a"', "multiple times")


@scenario
def invalid_mapping_key_rejected(obs):
    obs.raises(lambda: dg.DynamicOutput(1, mapping_key="a-b"), '"a-b"', "not a valid name")
    obs.raises(lambda: dg.DynamicOutput(1, mapping_key="a b"), "not a valid name", key="space")
    obs.raises(lambda: dg.DynamicOutput(1, mapping_key=""), "not a valid name", key="empty")


@scenario
def dynamic_output_fields(obs):
    out = dg.DynamicOutput([1], mapping_key="a_B9", metadata={"rows": 3})
    obs.record("value", out.value)
    obs.record("mapping_key", out.mapping_key)
    obs.record("output_name", out.output_name)
    obs.metadata("metadata", out.metadata)
    named = dg.DynamicOutput(1, "k", output_name="other")
    obs.record("named", named.output_name)
    obs.record("equal", dg.DynamicOutput(1, "k") == dg.DynamicOutput(1, "k"))
    obs.record("is_output", isinstance(out, dg.Output))


@scenario
def dynamic_out_fields(obs):
    out = dg.DynamicOut(description="values", is_required=False)
    obs.record("is_out", isinstance(out, dg.Out))
    obs.record("is_dynamic", out.is_dynamic)
    obs.record("is_required", out.is_required)
    obs.record("description", out.description)
    obs.record("plain_is_dynamic", dg.Out().is_dynamic)


@scenario
def dynamic_output_for_a_plain_output_fails(obs):
    @dg.op
    def regular():
        yield dg.DynamicOutput(1, "a")

    @dg.job
    def j():
        regular()

    obs.raises(j.execute_in_process, 'op "regular" yielded a DynamicOutput', "did not use")


@scenario
def plain_output_for_a_dynamic_output_fails(obs):
    @dg.op(out=dg.DynamicOut())
    def plain():
        yield dg.Output(1)

    @dg.job
    def j():
        plain()

    obs.raises(j.execute_in_process, "defined as dynamic must yield DynamicOutput, got Output")


@scenario
def returned_value_for_a_dynamic_output_must_be_a_list(obs):
    @dg.op(out=dg.DynamicOut())
    def plain():
        return 5

    @dg.job
    def j():
        plain()

    obs.raises(j.execute_in_process, "expected a list of DynamicOutput objects", "<class 'int'>")


@scenario
def dynamic_output_passed_directly_rejected(obs):
    emit = _emitter()

    def define():
        @dg.job
        def j():
            _ident(emit())

    obs.raises(define, "received the dynamic output result from op 'emit' directly")


@scenario
def mapping_over_a_mapped_dynamic_output_rejected(obs):
    emit = _emitter()

    @dg.op(out=dg.DynamicOut())
    def emit_in(x):
        yield dg.DynamicOutput(x, "a")

    def run():
        @dg.job
        def j():
            emit().map(emit_in).map(_ident)

        j.execute_in_process()

    obs.raises(
        run,
        "op '_ident' cannot be downstream of more than one dynamic output",
        '"emit:result" and "emit_in:result"',
    )


@scenario
def collecting_inside_a_map_rejected(obs):
    emit = _emitter()

    @dg.op(out=dg.DynamicOut())
    def emit_in(x):
        yield dg.DynamicOutput(x, "a")

    def run():
        @dg.job
        def j():
            emit().map(lambda x: _listed(emit_in(x).collect()))

        j.execute_in_process()

    obs.raises(run, "op '_listed' cannot be downstream of more than one dynamic output")


@scenario
def mapping_key_in_the_op_context(obs):
    emit = _emitter(("first", "second"))

    @dg.op
    def which(context, x):
        return [context.get_mapping_key(), x]

    @dg.op
    def unmapped(context):
        return context.get_mapping_key()

    @dg.job
    def j():
        emit().map(which)
        unmapped()

    result = j.execute_in_process()
    obs.record("mapped", result.output_for_node("which"))
    obs.record("unmapped", result.output_for_node("unmapped"))


@scenario
def build_op_context_with_mapping_key(obs):
    @dg.op
    def which(context):
        return context.get_mapping_key()

    obs.record("given", which(dg.build_op_context(mapping_key="x")))
    obs.record("default", which(dg.build_op_context()))


@scenario
def direct_invocation_of_a_dynamic_op(obs):
    emit = _emitter(("p", "q"))

    @dg.op(out=dg.DynamicOut())
    def returned():
        return [dg.DynamicOutput("v", mapping_key="only")]

    obs.record("yielded", [[o.value, o.mapping_key] for o in emit()])
    obs.kind("yielded_kind", next(iter(emit())))
    obs.record("returned", [[o.value, o.mapping_key] for o in returned()])


@scenario
def failing_mapped_copy_leaves_the_collector_untouched(obs):
    emit = _emitter()

    @dg.op
    def maybe_fail(x):
        if x == 1:
            raise ValueError("boom")
        return x

    @dg.job
    def j():
        _listed(emit().map(maybe_fail).collect())

    result = j.execute_in_process(raise_on_error=False)
    obs.record("success", result.success)
    obs.events(result)
    obs.record("mapped", result.output_for_node("maybe_fail"))
    obs.record("failed", sorted(result.get_failed_step_keys()))


@scenario
def io_manager_contexts_carry_the_mapping_key(obs):
    emit = _emitter(("k0", "k1"))
    seen = []
    store = {}

    class Recording(dg.IOManager):
        def handle_output(self, context, obj):
            identifier = list(context.get_identifier())[1:]
            seen.append(["out", context.step_key, context.name, context.mapping_key, identifier])
            store[tuple(identifier)] = obj

        def load_input(self, context):
            up = context.upstream_output
            identifier = list(context.get_identifier())[1:]
            seen.append(["in", context.name, up.step_key, up.mapping_key, identifier])
            return store[tuple(identifier)]

    @dg.job(resource_defs={"io_manager": dg.IOManagerDefinition.hardcoded_io_manager(Recording())})
    def j():
        _total(emit().map(_double).collect())

    result = j.execute_in_process()
    obs.record("seen", seen)
    obs.record("total", result.output_for_node("_total"))


@scenario
def fs_io_manager_paths_of_mapped_outputs(obs):
    emit = _emitter(("k0", "k1"))
    base = Path(obs.tmp) / "storage"

    @dg.job(resource_defs={"io_manager": dg.fs_io_manager.configured({"base_dir": str(base)})})
    def j():
        _total(emit().map(_double).collect())

    result = j.execute_in_process()
    paths = sorted(str(p.relative_to(base / result.run_id)) for p in base.rglob("*") if p.is_file())
    obs.record("paths", paths)
    obs.record(
        "handled",
        [
            [e.step_key, str(e.event_specific_data.metadata["path"].value).split(result.run_id)[1]]
            for e in result.all_events
            if e.event_type_value == "HANDLED_OUTPUT"
        ],
    )
    obs.record("mapped", result.output_for_node("_double"))


_MODULE = """
import os

import {dg} as dg


@dg.op(out=dg.DynamicOut())
def emit():
    for i in range(3):
        yield dg.DynamicOutput(i, mapping_key=f"k{{i}}")


@dg.op
def one():
    return 10


@dg.op
def add(context, x, y):
    return [context.get_mapping_key(), x + y]


@dg.op
def total(xs):
    return [pair[1] for pair in xs]


@dg.op
def direct(xs):
    return xs


@dg.job
def mapped():
    o = one()
    d = emit()
    total(d.map(lambda x: add(x, o)).collect())
    direct(d.collect())


@dg.op(out=dg.DynamicOut(is_required=False))
def nothing():
    return
    yield


@dg.job
def skipped():
    direct(nothing().collect())


@dg.op
def maybe(x):
    if x == 1 and os.environ.get("DYNAMIC_SCENARIO_FAIL") == "1":
        raise ValueError("copy k1 fails")
    return x * 10


@dg.job(resource_defs={{"io_manager": dg.fs_io_manager}})
def flaky():
    direct(emit().map(maybe).collect())
"""


def _module(obs):
    name = f"dynamic_jobs_{Path(obs.tmp).name.replace('-', '_')}"
    folder = Path(obs.tmp)
    (folder / f"{name}.py").write_text(textwrap.dedent(_MODULE.format(dg=dg.__name__)))
    if obs.tmp not in sys.path:
        sys.path.insert(0, obs.tmp)
    importlib.invalidate_caches()
    return importlib.import_module(name)


@scenario
def multiprocess_map_and_collect(obs):
    module = _module(obs)
    with dg.instance_for_test() as instance:
        with dg.execute_job(dg.reconstructable(module.mapped), instance=instance) as result:
            obs.record("success", result.success)
            obs.record(
                "steps",
                sorted(
                    [e.event_type_value, e.step_key]
                    for e in result.all_events
                    if e.event_type_value in ("STEP_START", "STEP_SUCCESS", "STEP_SKIPPED")
                ),
            )
            obs.record("total", result.output_for_node("total"))
            obs.record("direct", result.output_for_node("direct"))
            obs.record("add", result.output_for_node("add"))
            obs.record("emit", result.output_for_node("emit"))


@scenario
def multiprocess_optional_dynamic_output_skips(obs):
    module = _module(obs)
    with dg.instance_for_test() as instance:
        result = dg.execute_job(dg.reconstructable(module.skipped), instance=instance)
        obs.record("success", result.success)
        obs.record(
            "steps",
            sorted(
                [e.event_type_value, e.step_key]
                for e in result.all_events
                if e.event_type_value
                in ("STEP_START", "STEP_SUCCESS", "STEP_SKIPPED", "STEP_FAILURE")
            ),
        )


def _reexecute_from_failure(obs, executor):
    module = _module(obs)
    config = {"execution": {"config": {executor: {}}}}
    with dg.instance_for_test() as instance:
        os.environ["DYNAMIC_SCENARIO_FAIL"] = "1"
        job = dg.reconstructable(module.flaky)
        first = dg.execute_job(job, instance=instance, run_config=config)
        obs.record("first", [first.success, sorted(first.get_failed_step_keys())])
        os.environ["DYNAMIC_SCENARIO_FAIL"] = "0"
        options = dg.ReexecutionOptions.from_failure(first.run_id, instance)
        with dg.execute_job(
            job, instance=instance, run_config=config, reexecution_options=options
        ) as second:
            obs.record("success", second.success)
            obs.record(
                "starts",
                [e.step_key for e in second.all_events if e.event_type_value == "STEP_START"],
            )
            obs.record("direct", second.output_for_node("direct"))


@scenario
def reexecution_from_failure_reruns_the_failed_copy(obs):
    _reexecute_from_failure(obs, "in_process")


@scenario
def multiprocess_reexecution_from_failure(obs):
    _reexecute_from_failure(obs, "multiprocess")


@scenario
def values_are_type_checked_one_by_one(obs):
    @dg.op(out=dg.DynamicOut())
    def annotated() -> list[dg.DynamicOutput[int]]:
        return [dg.DynamicOutput(1, "a")]

    @dg.op(out=dg.DynamicOut(str))
    def wrong():
        yield dg.DynamicOutput(1, "a")

    @dg.job
    def ok():
        annotated().map(_double)

    result = ok.execute_in_process()
    obs.record(
        "messages",
        [e.message for e in result.all_events if e.event_type_value == "STEP_OUTPUT"],
    )

    @dg.job
    def bad():
        wrong()

    obs.raises(bad.execute_in_process, 'expected type "String"', 'step output "result"')


@scenario
def map_and_collect_inside_a_subgraph_and_over_a_named_output(obs):
    @dg.op(out={"a": dg.DynamicOut(), "b": dg.Out()})
    def multi():
        yield dg.DynamicOutput(1, "x", output_name="a")
        yield dg.DynamicOutput(2, "y", output_name="a")
        yield dg.Output(5, "b")

    @dg.op
    def add(x, y):
        return x + y

    emit = _emitter(("k0", "k1"))

    @dg.graph
    def inner():
        return _total(emit().map(_double).collect())

    @dg.job
    def j():
        a, b = multi()
        _total.alias("t2")(a.map(lambda v: add(v, b)).collect())
        _double.alias("d2")(inner())

    result = j.execute_in_process()
    obs.record("starts", _starts(result))
    obs.record("t2", result.output_for_node("t2"))
    obs.record("d2", result.output_for_node("d2"))
    obs.record("inner._double", result.output_for_node("inner._double"))
    obs.record("multi.a", result.output_for_node("multi", "a"))
    obs.record("add", result.output_for_node("add"))


@scenario
def op_selection_of_mapped_and_collecting_ops(obs):
    emit = _emitter(("k0", "k1"))

    @dg.op
    def other():
        return 1

    @dg.job
    def j():
        _total(emit().map(_double).collect())
        other()

    for selection in (["emit", "_double"], ["emit*"], ["*_total"]):
        result = j.execute_in_process(op_selection=selection)
        obs.record(",".join(selection), _starts(result))
