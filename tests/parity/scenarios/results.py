"""What execute_in_process and materialize return: outputs, events and node status."""

from _harness import dg, scenario


def _nested_job():
    @dg.op
    def one():
        return 1

    @dg.op
    def add_one(x):
        return x + 1

    @dg.graph
    def inner(x):
        return add_one(add_one(x))

    @dg.job
    def outer():
        add_one(inner(one()))

    return outer


def _failing_job():
    @dg.op
    def ok():
        return 1

    @dg.op
    def boom(x):
        raise ValueError("bad")

    @dg.op
    def after(x):
        return x

    @dg.job
    def failing():
        after(boom(ok()))

    return failing


@scenario
def result_public_names(obs):
    r = _nested_job().execute_in_process()
    names = [
        "all_events",
        "all_node_events",
        "asset_materializations_for_node",
        "asset_observations_for_node",
        "asset_value",
        "compute_events_for_handle",
        "dagster_run",
        "events_for_node",
        "expectation_results_for_node",
        "failure_data_for_node",
        "filter_events",
        "get_asset_check_evaluations",
        "get_asset_materialization_events",
        "get_asset_materialization_planned_events",
        "get_asset_observation_events",
        "get_failed_step_keys",
        "get_run_failure_event",
        "get_run_success_event",
        "get_step_failure_events",
        "get_step_skipped_events",
        "get_step_success_events",
        "is_node_failed",
        "is_node_skipped",
        "is_node_success",
        "is_node_untouched",
        "job_def",
        "output_for_node",
        "output_value",
        "retry_attempts_for_node",
        "run_id",
        "success",
    ]
    obs.record("has", {n: hasattr(r, n) for n in names})
    obs.kind("kind", r)


@scenario
def output_for_node_of_ops_graphs_and_nested_ops(obs):
    r = _nested_job().execute_in_process()
    obs.record("op", r.output_for_node("one"))
    obs.record("graph", r.output_for_node("inner"))
    obs.record("nested", r.output_for_node("inner.add_one"))
    obs.record("nested_2", r.output_for_node("inner.add_one_2"))
    obs.record("last", r.output_for_node("add_one"))


@scenario
def output_for_node_named_output(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def two():
        return 1, 2

    @dg.job
    def j():
        two()

    r = j.execute_in_process()
    obs.record("a", r.output_for_node("two", "a"))
    obs.record("b", r.output_for_node("two", "b"))


@scenario
def output_for_unknown_node(obs):
    r = _nested_job().execute_in_process()
    obs.raises(lambda: r.output_for_node("nope"), "has no op named nope")


@scenario
def output_for_unknown_output(obs):
    r = _nested_job().execute_in_process()
    obs.raises(lambda: r.output_for_node("one", "c"), "one has no output named c")


@scenario
def output_for_a_failed_node(obs):
    r = _failing_job().execute_in_process(raise_on_error=False)
    obs.raises(lambda: r.output_for_node("boom"), "No outputs found for output 'result'", "boom")


@scenario
def output_value_of_a_job_without_outputs(obs):
    r = _nested_job().execute_in_process()
    obs.raises(r.output_value, "outer", "has no outputs")


@scenario
def output_value_of_a_graph_job(obs):
    @dg.op
    def one():
        return 1

    @dg.graph(out={"final": dg.GraphOut()})
    def g():
        return {"final": one()}

    r = g.to_job().execute_in_process()
    obs.record("final", r.output_value("final"))
    obs.raises(r.output_value, "Could not find top-level output 'result'")


@scenario
def graph_execute_in_process_output_value(obs):
    @dg.op
    def one():
        return 1

    @dg.graph
    def g():
        return one()

    r = g.execute_in_process()
    obs.record("out", r.output_value())
    obs.record("node", r.output_for_node("one"))


@scenario
def node_status_helpers(obs):
    r = _failing_job().execute_in_process(raise_on_error=False)
    obs.record(
        "status",
        {
            n: [
                r.is_node_success(n),
                r.is_node_failed(n),
                r.is_node_skipped(n),
                r.is_node_untouched(n),
            ]
            for n in ["ok", "boom", "after", "nope"]
        },
    )


@scenario
def node_status_of_a_skipped_node(obs):
    @dg.op(out={"a": dg.Out(is_required=False)})
    def maybe():
        if False:
            yield dg.Output(1, "a")

    @dg.op
    def use(x):
        return x

    @dg.job
    def j():
        use(maybe())

    r = j.execute_in_process()
    obs.record("skipped", r.is_node_skipped("use"))
    obs.record("untouched", r.is_node_untouched("use"))
    obs.record("success", r.is_node_success("use"))
    obs.record("skipped_events", [e.step_key for e in r.get_step_skipped_events()])


@scenario
def failed_step_keys(obs):
    r = _failing_job().execute_in_process(raise_on_error=False)
    obs.record("keys", r.get_failed_step_keys())
    obs.record("failure_steps", [e.step_key for e in r.get_step_failure_events()])
    obs.record("success_steps", [e.step_key for e in r.get_step_success_events()])


@scenario
def run_failure_and_success_events(obs):
    r = _failing_job().execute_in_process(raise_on_error=False)
    obs.record("failure", r.get_run_failure_event().event_type_value)
    obs.raises(r.get_run_success_event, "No event of type", "PIPELINE_SUCCESS", key="no_success")
    ok = _nested_job().execute_in_process()
    obs.record("success", ok.get_run_success_event().event_type_value)
    obs.raises(ok.get_run_failure_event, "No event of type", "PIPELINE_FAILURE", key="no_failure")


@scenario
def failure_data_for_node(obs):
    r = _failing_job().execute_in_process(raise_on_error=False)
    obs.record("boom", r.failure_data_for_node("boom").error.cls_name)
    obs.record("ok", r.failure_data_for_node("ok"))


@scenario
def filter_events_by_predicate(obs):
    r = _nested_job().execute_in_process()
    obs.record("successes", [e.step_key for e in r.filter_events(lambda e: e.is_step_success)])
    obs.record("count", len(r.filter_events(lambda e: e.is_step_event)))


@scenario
def events_for_node_cover_a_graph(obs):
    r = _nested_job().execute_in_process()
    obs.record("inner", [[e.event_type_value, e.step_key] for e in r.events_for_node("inner")])
    obs.record("one", [e.event_type_value for e in r.events_for_node("one")])
    obs.record("unknown", r.events_for_node("nope"))


@scenario
def all_node_events_are_step_events(obs):
    r = _nested_job().execute_in_process()
    obs.record("count", len(r.all_node_events))
    obs.record("kinds", sorted({e.event_type_value for e in r.all_node_events}))


@scenario
def retry_attempts_for_node(obs):
    calls = []

    @dg.op(retry_policy=dg.RetryPolicy(max_retries=3))
    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ValueError("x")
        return 1

    @dg.job
    def j():
        flaky()

    r = j.execute_in_process()
    obs.record("attempts", r.retry_attempts_for_node("flaky"))


@scenario
def run_record_on_the_result(obs):
    r = _nested_job().execute_in_process(tags={"k": "v"})
    obs.record("job_name", r.dagster_run.job_name)
    obs.record("status", r.dagster_run.status.name)
    obs.record("tags", r.dagster_run.tags.get("k"))
    obs.record("same_id", r.dagster_run.run_id == r.run_id)
    obs.record("job_def", r.job_def.name)
    obs.record("success", r.success)


@scenario
def asset_value_of_materialize_to_memory(obs):
    @dg.asset
    def a():
        return 3

    @dg.asset
    def b(a):
        return a * 2

    r = dg.materialize_to_memory([a, b])
    obs.record("a", r.asset_value("a"))
    obs.record("b", r.asset_value(dg.AssetKey("b")))
    obs.record("via_node", r.output_for_node("b"))


@scenario
def asset_value_of_a_prefixed_key(obs):
    @dg.asset(key_prefix=["warehouse"])
    def orders():
        return [1]

    r = dg.materialize_to_memory([orders])
    obs.record("value", r.asset_value(["warehouse", "orders"]))


@scenario
def get_asset_check_evaluations(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("pos", asset="a")])
    def a():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True, metadata={"n": 1})

    @dg.asset_check(asset=a)
    def a_ok(a):
        return dg.AssetCheckResult(passed=a > 5, description="big")

    r = dg.materialize_to_memory([a, a_ok])
    obs.check_evaluations(r)
    evs = r.get_asset_check_evaluations()
    obs.kind("kind", evs[0])
    obs.record("descriptions", [e.description for e in evs])


@scenario
def check_evaluation_severity_warn(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def warns(a):
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)

    r = dg.materialize_to_memory([a, warns])
    obs.check_evaluations(r)
    obs.record("success", r.success)


@scenario
def materialization_events_and_metadata(obs):
    @dg.asset
    def a():
        return dg.Output(1, metadata={"rows": 3, "label": "x"})

    @dg.asset
    def b():
        return dg.MaterializeResult(metadata={"ok": True})

    r = dg.materialize_to_memory([a, b])
    obs.materializations(r)


@scenario
def asset_materializations_for_node(obs):
    @dg.op
    def logs(context):
        context.log_event(dg.AssetMaterialization("ext", metadata={"n": 1}))
        return 1

    @dg.job
    def j():
        logs()

    r = j.execute_in_process()
    mats = r.asset_materializations_for_node("logs")
    obs.record("keys", [list(m.asset_key.path) for m in mats])
    obs.metadata("metadata", mats[0].metadata)


@scenario
def asset_observation_events(obs):
    @dg.op
    def observes(context):
        context.log_event(dg.AssetObservation("obs_key", metadata={"n": 2}))
        return 1

    @dg.job
    def j():
        observes()

    r = j.execute_in_process()
    events = r.get_asset_observation_events()
    obs.record("keys", [list(e.asset_key.path) for e in events])
    obs.record("node", [list(o.asset_key.path) for o in r.asset_observations_for_node("observes")])


@scenario
def planned_events_are_absent_in_process(obs):
    @dg.asset
    def a():
        return 1

    r = dg.materialize_to_memory([a])
    obs.record("planned", len(r.get_asset_materialization_planned_events()))


@scenario
def partitioned_materialization(obs):
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x", "y"]))
    def p(context):
        return context.partition_key

    r = dg.materialize_to_memory([p], partition_key="y")
    obs.materializations(r)
    obs.record("value", r.asset_value("p"))
    obs.record("tag", r.dagster_run.tags.get("dagster/partition"))


@scenario
def materialize_result_annotation_with_its_value_type(obs):
    # Libraries annotate `-> MaterializeResult[pl.DataFrame]`; the class must be subscriptable.
    import typing

    alias = dg.MaterializeResult[int]
    obs.record("origin_is_class", typing.get_origin(alias) is dg.MaterializeResult)
    obs.record("args", [a.__name__ for a in typing.get_args(alias)])

    @dg.asset
    def annotated() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"rows": 3})

    result = dg.materialize([annotated])
    obs.record("success", result.success)
    obs.materializations(result)
