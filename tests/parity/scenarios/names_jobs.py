"""Names of the jobs area that Dagster exports: paths, run tags and error classes."""

import os
import tempfile

from _harness import dg, scenario


@scenario
def file_relative_path_joins_to_the_file_folder(obs):
    obs.record("sibling", dg.file_relative_path("/a/b/c.py", "d.yaml"))
    obs.record("nested", dg.file_relative_path("/a/b/c.py", "sub/d.sql"))


@scenario
def file_relative_path_resolves_dot_dot(obs):
    obs.record("up", dg.file_relative_path("/a/b/c.py", "../x/y.txt"))
    obs.record("dot", dg.file_relative_path("/a/b/c.py", "./y.txt"))


@scenario
def file_relative_path_of_an_absolute_path_is_that_path(obs):
    obs.record("abs", dg.file_relative_path("/a/b/c.py", "/etc/z.yaml"))


@scenario
def file_relative_path_of_a_relative_dunderfile_is_absolute(obs):
    with tempfile.TemporaryDirectory() as tmp:
        real = os.path.realpath(tmp)
        before = os.getcwd()
        os.chdir(real)
        try:
            got = dg.file_relative_path("pkg/mod.py", "conf.yaml")
        finally:
            os.chdir(before)
        obs.record("relative_to_cwd", os.path.relpath(got, real))
        obs.record("absolute", os.path.isabs(got))


@scenario
def file_relative_path_follows_a_symlinked_file(obs):
    with tempfile.TemporaryDirectory() as tmp:
        real = os.path.realpath(tmp)
        os.makedirs(os.path.join(real, "src"))
        os.makedirs(os.path.join(real, "links"))
        target = os.path.join(real, "src", "mod.py")
        open(target, "w").close()
        link = os.path.join(real, "links", "mod.py")
        os.symlink(target, link)
        got = dg.file_relative_path(link, "conf.yaml")
        obs.record("relative_to_tmp", os.path.relpath(got, real))


@scenario
def max_runtime_seconds_tag_value(obs):
    obs.record("tag", dg.MAX_RUNTIME_SECONDS_TAG)


@scenario
def max_runtime_seconds_tag_is_kept_on_the_run(obs):
    @dg.op
    def one():
        return 1

    @dg.job(tags={dg.MAX_RUNTIME_SECONDS_TAG: "60"})
    def j():
        one()

    r = j.execute_in_process()
    obs.record("success", r.success)
    obs.record("tag", r.dagster_run.tags.get(dg.MAX_RUNTIME_SECONDS_TAG))


@scenario
def event_log_invalid_for_run_message_and_run_id(obs):
    err = dg.DagsterEventLogInvalidForRun(run_id="abc")
    obs.record("message", str(err))
    obs.record("run_id", err.run_id)
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))

    def boom():
        raise dg.DagsterEventLogInvalidForRun("r1")

    obs.raises(boom, "Event logs invalid for run id r1")


@scenario
def execution_step_not_found_keeps_step_keys(obs):
    err = dg.DagsterExecutionStepNotFoundError("no step nope", step_keys=["nope", "other"])
    obs.record("message", str(err))
    obs.record("step_keys", err.step_keys)
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))


@scenario
def subprocess_error_keeps_its_error_infos(obs):
    err = dg.DagsterSubprocessError("children failed", subprocess_error_infos=[])
    obs.record("message", str(err))
    obs.record("infos", err.subprocess_error_infos)
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))


@scenario
def unmet_executor_requirements_is_a_dagster_error(obs):
    err = dg.DagsterUnmetExecutorRequirementsError("needs a persistent instance")
    obs.record("message", str(err))
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))
    obs.record("not_user_code", isinstance(err, dg.DagsterUserCodeExecutionError))


def _ops():
    @dg.op
    def one():
        return 1

    @dg.op
    def add(x, y=None):
        return x + (y or 0)

    @dg.op
    def total(xs):
        return sum(xs)

    return one, add, total


@scenario
def graph_definition_with_dependency_definitions_runs(obs):
    one, add, _ = _ops()
    g = dg.GraphDefinition(
        name="explicit",
        node_defs=[one, add],
        dependencies={"add": {"x": dg.DependencyDefinition("one")}},
    )
    r = g.to_job().execute_in_process()
    obs.record("success", r.success)
    obs.record("out", r.output_for_node("add"))
    obs.events(r)


@scenario
def graph_definition_node_invocation_alias_and_fan_in(obs):
    one, add, total = _ops()
    g = dg.GraphDefinition(
        name="aliased",
        node_defs=[one, add, total],
        dependencies={
            "add": {"x": dg.DependencyDefinition("one")},
            dg.NodeInvocation("add", alias="add2"): {"x": dg.DependencyDefinition("add", "result")},
            "total": {
                "xs": dg.MultiDependencyDefinition(
                    [dg.DependencyDefinition("add"), dg.DependencyDefinition("add2")]
                )
            },
        },
    )
    r = g.to_job().execute_in_process()
    obs.record("success", r.success)
    obs.record("add2", r.output_for_node("add2"))
    obs.record("total", r.output_for_node("total"))
    obs.record("steps", sorted({e.step_key for e in r.all_events if e.step_key}))


@scenario
def graph_definition_node_invocation_with_tags_runs(obs):
    @dg.op
    def tagged():
        return 1

    g = dg.GraphDefinition(
        name="tagged_graph",
        node_defs=[tagged],
        dependencies={dg.NodeInvocation("tagged", alias="t1", tags={"team": "a"}): {}},
    )
    r = g.to_job().execute_in_process()
    obs.record("success", r.success)
    obs.record("out", r.output_for_node("t1"))


@scenario
def graph_definition_input_and_output_mappings(obs):
    one, add, _ = _ops()
    inner = dg.GraphDefinition(
        name="inner",
        node_defs=[add],
        input_mappings=[
            dg.InputMapping(
                graph_input_name="a", mapped_node_name="add", mapped_node_input_name="x"
            )
        ],
        output_mappings=[
            dg.OutputMapping(
                graph_output_name="out", mapped_node_name="add", mapped_node_output_name="result"
            )
        ],
    )

    @dg.job
    def outer():
        inner(one())

    r = outer.execute_in_process()
    obs.record("success", r.success)
    obs.record("out", r.output_for_node("inner", "out"))
    obs.events(r)
    alone = inner.execute_in_process(input_values={"a": 5})
    obs.record("alone", alone.output_value("out"))


@scenario
def graph_definition_unknown_upstream_node(obs):
    one, add, _ = _ops()
    obs.raises(
        lambda: dg.GraphDefinition(
            name="b",
            node_defs=[one, add],
            dependencies={"add": {"x": dg.DependencyDefinition("nope")}},
        ),
        "nope",
        "add",
    )


@scenario
def graph_definition_unknown_input(obs):
    one, add, _ = _ops()
    obs.raises(
        lambda: dg.GraphDefinition(
            name="b",
            node_defs=[one, add],
            dependencies={"add": {"z": dg.DependencyDefinition("one")}},
        ),
        "does not have input",
        '"z"',
    )


@scenario
def graph_definition_unknown_upstream_output(obs):
    one, add, _ = _ops()
    obs.raises(
        lambda: dg.GraphDefinition(
            name="b",
            node_defs=[one, add],
            dependencies={"add": {"x": dg.DependencyDefinition("one", "nah")}},
        ),
        "does not have output",
        '"nah"',
    )


@scenario
def graph_definition_mapping_to_unknown_node(obs):
    _, add, _ = _ops()
    obs.raises(
        lambda: dg.GraphDefinition(
            name="b", node_defs=[add], output_mappings=[dg.OutputMapping("o", "nope", "result")]
        ),
        "output mapping",
        "'nope'",
        key="output_mapping",
    )
    obs.raises(
        lambda: dg.GraphDefinition(
            name="b",
            node_defs=[add],
            input_mappings=[
                dg.InputMapping(
                    graph_input_name="a", mapped_node_name="nope", mapped_node_input_name="x"
                )
            ],
        ),
        "input mapping",
        "'nope'",
        key="input_mapping",
    )


@scenario
def graph_definition_same_def_listed_twice_is_one_node(obs):
    one, _, _ = _ops()
    g = dg.GraphDefinition(name="twice", node_defs=[one, one])
    r = g.to_job().execute_in_process()
    obs.record("success", r.success)
    obs.record("steps", sorted({e.step_key for e in r.all_events if e.step_key}))


@scenario
def dependency_definition_values(obs):
    d = dg.DependencyDefinition("a", "o", "desc")
    obs.record("repr", repr(dg.DependencyDefinition("a")))
    obs.record("fields", [d.node, d.output, d.description])
    obs.record("equal", dg.DependencyDefinition("a") == dg.DependencyDefinition("a"))
    obs.record("fan_in", d.is_fan_in())
    m = dg.MultiDependencyDefinition([d, dg.DependencyDefinition("b")])
    obs.record("multi_fan_in", m.is_fan_in())
    obs.record("multi_nodes", [x.node for x in m.get_node_dependencies()])


@scenario
def node_invocation_and_mapping_reprs(obs):
    obs.record("node_invocation", repr(dg.NodeInvocation("x")))
    obs.record("node_invocation_alias", dg.NodeInvocation("x", alias="y").alias)
    obs.record("graph_in", repr(dg.GraphIn(description="d")))
    obs.record("graph_in_default", dg.GraphIn().description)
    obs.record(
        "input_mapping",
        repr(
            dg.InputMapping(graph_input_name="a", mapped_node_name="n", mapped_node_input_name="x")
        ),
    )
    obs.record("output_mapping", repr(dg.OutputMapping("out", "n", "result")))


@scenario
def graph_in_describes_a_graph_input(obs):
    _, add, _ = _ops()

    @dg.graph(ins={"a": dg.GraphIn(description="the start")})
    def g(a):
        return add(a)

    obs.record("out", g.execute_in_process(input_values={"a": 4}).output_value())


def _config_op():
    @dg.op(config_schema={"n": int})
    def op1(context):
        return context.op_config["n"]

    return op1


@scenario
def config_mapping_decorator_with_schema(obs):
    op1 = _config_op()

    @dg.config_mapping(config_schema={"x": int})
    def doubled(val):
        return {"ops": {"op1": {"config": {"n": val["x"] * 2}}}}

    @dg.job(config=doubled)
    def j():
        op1()

    obs.record("type", type(doubled).__name__)
    obs.record("out", j.execute_in_process(run_config={"x": 3}).output_for_node("op1"))
    obs.raises(lambda: j.execute_in_process(run_config={"x": "no"}), "x")


@scenario
def config_mapping_bare_decorator_needs_no_run_config(obs):
    op1 = _config_op()

    @dg.config_mapping
    def fixed(val):
        return {"ops": {"op1": {"config": {"n": 7}}}}

    @dg.job(config=fixed)
    def j():
        op1()

    obs.record("out", j.execute_in_process().output_for_node("op1"))


@scenario
def config_mapping_takes_a_config_class(obs):
    op1 = _config_op()

    class Outer(dg.Config):
        y: int

    @dg.config_mapping
    def from_class(c: Outer):
        return {"ops": {"op1": {"config": {"n": c.y + 1}}}}

    @dg.job(config=from_class)
    def j():
        op1()

    obs.record("out", j.execute_in_process(run_config={"y": 4}).output_for_node("op1"))


@scenario
def config_mapping_on_a_graph(obs):
    op1 = _config_op()

    @dg.config_mapping(config_schema={"x": int})
    def plain(val):
        return {"op1": {"config": {"n": val["x"]}}}

    @dg.graph(config=plain)
    def g():
        op1()

    @dg.job
    def j():
        g()

    @dg.config_mapping(config_schema={"x": int}, receive_processed_config_values=False)
    def unused(val):
        return val

    obs.record("flag", unused.receive_processed_config_values)
    obs.record("default_flag", plain.receive_processed_config_values)
    r = j.execute_in_process(run_config={"ops": {"g": {"config": {"x": 9}}}})
    obs.record("out", r.output_for_node("g.op1"))


@scenario
def expectation_results_yielded_from_an_op(obs):
    @dg.op
    def expect():
        yield dg.ExpectationResult(success=True, label="ok", description="fine", metadata={"n": 1})
        yield dg.ExpectationResult(success=False, label="bad")
        yield dg.Output(1)

    @dg.job
    def j():
        expect()

    r = j.execute_in_process()
    obs.record("success", r.success)
    obs.events(r)
    found = [e for e in r.all_events if e.event_type_value == "STEP_EXPECTATION_RESULT"]
    obs.record("messages", [e.message for e in found])
    results = [e.event_specific_data.expectation_result for e in found]
    obs.record("fields", [[x.success, x.label, x.description, sorted(x.metadata)] for x in results])
    obs.record("n_value", results[0].metadata["n"].value)
    by_node = r.expectation_results_for_node("expect")
    obs.record("for_node", [[x.success, x.label] for x in by_node])


@scenario
def expectation_result_logged_with_context(obs):
    @dg.op
    def ctx_log(context):
        context.log_event(dg.ExpectationResult(success=True, label="ctx"))
        context.log_event(dg.ExpectationResult(success=True))
        return 2

    @dg.job
    def j():
        ctx_log()

    r = j.execute_in_process()
    obs.record("success", r.success)
    found = [e for e in r.all_events if e.event_type_value == "STEP_EXPECTATION_RESULT"]
    obs.record("messages", [e.message for e in found])
    obs.record("out", r.output_for_node("ctx_log"))


@scenario
def expectation_result_defaults(obs):
    e = dg.ExpectationResult(True)
    obs.record("repr", repr(e))
    obs.record("fields", [e.success, e.label, e.description, dict(e.metadata)])


@scenario
def expectation_result_returned_is_an_error(obs):
    @dg.op
    def ret():
        return dg.ExpectationResult(True)

    @dg.job
    def j():
        ret()

    obs.raises(j.execute_in_process, "ExpectationResult", "ret")


@scenario
def executor_requirement_members(obs):
    obs.record("members", [m.name for m in dg.ExecutorRequirement])
    obs.record("values", [m.value for m in dg.ExecutorRequirement])
    obs.record(
        "job_is_pipeline",
        dg.ExecutorRequirement.RECONSTRUCTABLE_JOB
        is dg.ExecutorRequirement.RECONSTRUCTABLE_PIPELINE,
    )


@scenario
def multiple_process_executor_requirements_list(obs):
    obs.record("names", [r.name for r in dg.multiple_process_executor_requirements()])


@scenario
def executor_decorator_takes_requirements(obs):
    @dg.executor(name="custom", requirements=dg.multiple_process_executor_requirements())
    def custom(init_context):
        return dg.in_process_executor.executor_creation_fn(init_context)

    obs.record("name", custom.name)


@scenario
def raise_execution_interrupts_turns_sigint_into_an_error(obs):
    import signal
    import threading

    main = threading.current_thread() is threading.main_thread()
    obs.record("main_thread", main)
    before = signal.getsignal(signal.SIGINT)

    def interrupt():
        with dg.raise_execution_interrupts():
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs between bytecodes
                pass

    if main:
        obs.raises(interrupt, key="interrupt")
        obs.record("handler_restored", signal.getsignal(signal.SIGINT) is before)


@scenario
def raise_execution_interrupts_without_interrupt(obs):
    with dg.raise_execution_interrupts():
        value = 1 + 1
    obs.record("value", value)


@scenario
def asset_job_key_names_a_job(obs):
    key = dg.AssetJobKey("nightly")
    obs.record("repr", repr(key))
    obs.record("job_name", key.job_name)
    obs.record("user_string", key.to_user_string())
    obs.record("from_user_string", dg.AssetJobKey.from_user_string("x").job_name)
    obs.record("equal", key == dg.AssetJobKey(job_name="nightly"))
    obs.record("hashable", len({key, dg.AssetJobKey("nightly")}))
    obs.record("ordered", dg.AssetJobKey("a") < dg.AssetJobKey("b"))
    obs.record("db_string", key.to_db_string())
    obs.record("from_db", [dg.AssetJobKey.from_db_string(key.to_db_string()) == key])
    obs.record("from_other_db", dg.AssetJobKey.from_db_string('["a"]'))
    obs.raises(dg.AssetJobKey, key="no_name")


@scenario
def resources_at_the_top_level_is_callable(obs):
    obs.record("callable", callable(dg.resources))
    obs.record("returns", dg.resources())
    obs.signature("signature", dg.resources)
