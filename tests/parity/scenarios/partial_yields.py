"""A step whose body yields results and then raises: what it yielded before the error is
recorded (outputs stored, materializations, check evaluations, logged events), then the
step fails with the body's error. In process and on the multiprocess executor.
"""

import importlib
import sys
import textwrap
from pathlib import Path

from _harness import dg, scenario


def _facts(obs, result, instance=None, keys=()):
    obs.record("success", result.success)
    obs.events(result)
    # The IO manager's path metadata names a temporary folder: keys and metadata names only.
    obs.record(
        "materializations",
        [
            [e.asset_key.to_user_string(), sorted(e.materialization.metadata)]
            for e in result.get_asset_materialization_events()
        ],
    )
    obs.check_evaluations(result)
    if instance is not None:
        obs.record(
            "in_instance",
            {
                k: instance.get_latest_materialization_event(dg.AssetKey(k)) is not None
                for k in keys
            },
        )


@scenario
def asset_yields_output_then_raises(obs):
    @dg.asset
    def gen_out():
        yield dg.Output(1)
        raise ValueError("after output")

    with dg.instance_for_test() as instance:
        result = dg.materialize([gen_out], instance=instance, raise_on_error=False)
        _facts(obs, result, instance, ["gen_out"])
    obs.raises(lambda: dg.materialize([gen_out]), "after output")


@scenario
def asset_yields_check_result_then_raises(obs):
    @dg.asset(
        check_specs=[dg.AssetCheckSpec("c1", asset="chk"), dg.AssetCheckSpec("c2", asset="chk")]
    )
    def chk():
        yield dg.AssetCheckResult(passed=True, check_name="c1", metadata={"rows": 3})
        raise ValueError("after check")

    result = dg.materialize([chk], raise_on_error=False)
    _facts(obs, result)
    obs.raises(lambda: dg.materialize([chk]), "after check")


@scenario
def failed_blocking_check_then_raise_fails_with_the_body_error(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("c1", asset="blk", blocking=True)])
    def blk():
        yield dg.AssetCheckResult(
            passed=False, check_name="c1", severity=dg.AssetCheckSeverity.ERROR
        )
        raise ValueError("body failed")

    result = dg.materialize([blk], raise_on_error=False)
    _facts(obs, result)
    obs.raises(lambda: dg.materialize([blk]), "body failed")


@scenario
def multi_asset_yields_one_of_two_outputs_then_raises(obs):
    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def two():
        yield dg.Output(1, "a")
        raise ValueError("after a")

    @dg.asset
    def after_b(b):
        return b

    with dg.instance_for_test() as instance:
        result = dg.materialize([two, after_b], instance=instance, raise_on_error=False)
        _facts(obs, result, instance, ["a", "b", "after_b"])
    obs.raises(lambda: dg.materialize([two]), "after a")


@scenario
def asset_yields_materialize_result_then_raises(obs):
    @dg.asset
    def mr():
        yield dg.MaterializeResult(metadata={"x": 1})
        raise ValueError("after result")

    result = dg.materialize([mr], raise_on_error=False)
    _facts(obs, result)


@scenario
def asset_yields_observation_and_materialization_then_raises(obs):
    @dg.asset
    def obs_a():
        yield dg.AssetObservation("obs_a", metadata={"y": 2})
        yield dg.AssetMaterialization("other")
        raise ValueError("after events")

    result = dg.materialize([obs_a], raise_on_error=False)
    _facts(obs, result)


@scenario
def op_yields_materialization_then_raises(obs):
    @dg.op
    def op_mat(context):
        context.log_event(dg.AssetObservation("logged"))
        yield dg.AssetMaterialization("m1", metadata={"n": 1})
        raise ValueError("after materialization")

    @dg.job
    def j():
        op_mat()

    _facts(obs, j.execute_in_process(raise_on_error=False))
    obs.raises(j.execute_in_process, "after materialization")


@scenario
def op_returning_after_log_event_then_raising_keeps_nothing(obs):
    @dg.op
    def plain(context):
        context.log_event(dg.AssetMaterialization("m1"))
        raise ValueError("plain body")

    @dg.job
    def j():
        plain()

    _facts(obs, j.execute_in_process(raise_on_error=False))


@scenario
def op_yields_output_then_raises_downstream_does_not_run(obs):
    @dg.op
    def up():
        yield dg.Output(1)
        raise ValueError("boom")

    @dg.op
    def down(x):
        return x

    @dg.job
    def j():
        down(up())

    result = j.execute_in_process(raise_on_error=False)
    _facts(obs, result)
    obs.record("up_output_kept", result.output_for_node("up"))


@scenario
def retried_generator_keeps_each_attempts_outputs(obs):
    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=1))
    def retried():
        yield dg.Output(1)
        raise ValueError("retry")

    _facts(obs, dg.materialize([retried], raise_on_error=False))


# --- the multiprocess executor ------------------------------------------------------

_JOBS = """\
import {dg} as dg


@dg.op
def op_mat(context):
    context.log_event(dg.AssetObservation("logged"))
    yield dg.AssetMaterialization("m1")
    raise ValueError("after materialization")


@dg.op
def up():
    yield dg.Output(1)
    raise ValueError("boom")


@dg.op
def down(x):
    return x


@dg.job(executor_def=dg.multiprocess_executor)
def op_job():
    op_mat()
    down(up())


@dg.asset(check_specs=[dg.AssetCheckSpec("c1", asset="chk")])
def chk():
    yield dg.AssetCheckResult(passed=True, check_name="c1")
    raise ValueError("after check")


@dg.multi_asset(outs={{"a": dg.AssetOut(), "b": dg.AssetOut()}})
def two():
    yield dg.Output(1, "a")
    raise ValueError("after a")


defs = dg.Definitions(
    assets=[chk, two],
    jobs=[dg.define_asset_job("assets_job", selection=["chk", "a", "b"])],
    executor=dg.multiprocess_executor,
)


def assets_job():
    return defs.get_job_def("assets_job")
"""


def _module(obs):
    name = f"partial_yield_jobs_{Path(obs.tmp).name.replace('-', '_')}"
    (Path(obs.tmp) / f"{name}.py").write_text(textwrap.dedent(_JOBS.format(dg=dg.__name__)))
    if obs.tmp not in sys.path:
        sys.path.insert(0, obs.tmp)
    importlib.invalidate_caches()
    return importlib.import_module(name)


def _multiprocess(obs, job_name, keys):
    module = _module(obs)
    with dg.instance_for_test() as instance:
        result = dg.execute_job(dg.reconstructable(getattr(module, job_name)), instance=instance)
        # Steps run concurrently: each step's events in order, steps sorted.
        events = [[e.event_type_value, e.step_key] for e in result.all_events if e.step_key]
        obs.record("success", result.success)
        obs.record("step_events", sorted(events, key=lambda e: e[1]))
        obs.record(
            "materialized",
            sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()),
        )
        obs.check_evaluations(result)
        obs.record(
            "in_instance",
            {
                k: instance.get_latest_materialization_event(dg.AssetKey(k)) is not None
                for k in keys
            },
        )


@scenario
def multiprocess_op_yields_then_raises(obs):
    _multiprocess(obs, "op_job", ["m1", "logged"])


@scenario
def multiprocess_assets_yield_then_raise(obs):
    _multiprocess(obs, "assets_job", ["chk", "a", "b"])


@scenario
def returned_tuple_with_an_undeclared_output_keeps_the_first(obs):
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def returns():
        return 1, dg.Output(2, "c")

    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def yields():
        yield dg.Output(1, "a")
        yield dg.Output(2, "c")

    @dg.job
    def j():
        returns()
        yields()

    result = j.execute_in_process(raise_on_error=False)
    obs.record("success", result.success)
    obs.events(result)
    obs.record(
        "kept", [result.output_for_node("returns", "a"), result.output_for_node("yields", "a")]
    )
