"""Where an event logged with ``context.log_event`` sits in the run's log: recorded when it
is logged, between the step's log lines written before and after it (in an op, an asset, an
IO manager, a retried or failing body, and on the multiprocess executor), and kept in the
instance when the body fails afterwards.
"""

import importlib
import sys
import textwrap
from pathlib import Path

from _harness import dg, scenario


def _step_log(instance, run_id, lines=("before", "after")):
    """``[what, step]`` of the step-level records of the run, in order: an event's type, or
    ``LOG:<message>`` for the lines the scenario logged (the framework's own lines, such as
    an IO manager's path, differ between the implementations)."""
    rows = []
    for record in instance.all_logs(run_id):
        if record.step_key is None:
            continue
        event = record.dagster_event
        if event is not None:
            rows.append([event.event_type_value, record.step_key])
        elif record.user_message in lines:
            rows.append([f"LOG:{record.user_message}", record.step_key])
    return rows


@scenario
def op_log_event_sits_between_log_lines(obs):
    @dg.op
    def logs(context):
        context.log.info("before")
        context.log_event(dg.AssetMaterialization("m", metadata={"n": 1}))
        context.log_event(dg.AssetObservation("o"))
        context.log_event(dg.ExpectationResult(True, label="e"))
        context.log.info("after")
        return 1

    @dg.job
    def j():
        logs()

    instance = dg.DagsterInstance.ephemeral()
    result = j.execute_in_process(instance=instance)
    obs.record("log", _step_log(instance, result.run_id))
    obs.events(result)
    obs.materializations(result)


@scenario
def asset_log_event_sits_between_log_lines(obs):
    @dg.asset
    def logged(context):
        context.log.info("before")
        context.log_event(dg.AssetObservation("logged", metadata={"seen": True}))
        context.log_event(dg.AssetMaterialization("elsewhere"))
        context.log.info("after")
        return 1

    with dg.instance_for_test() as instance:
        result = dg.materialize([logged], instance=instance)
        obs.record("log", _step_log(instance, result.run_id))
        obs.events(result)


@scenario
def log_event_then_raise_keeps_the_event_in_the_instance(obs):
    @dg.op
    def fails(context):
        context.log.info("before")
        context.log_event(dg.AssetMaterialization("kept"))
        context.log.info("after")
        raise ValueError("after logging")

    @dg.job
    def j():
        fails()

    with dg.instance_for_test() as instance:
        result = j.execute_in_process(instance=instance, raise_on_error=False)
        obs.record("success", result.success)
        obs.record("log", _step_log(instance, result.run_id))
        latest = instance.get_latest_materialization_event(dg.AssetKey("kept"))
        obs.record("in_instance", latest is not None)


@scenario
def retried_attempts_each_keep_their_logged_event(obs):
    @dg.op
    def retried(context):
        context.log.info("before")
        context.log_event(dg.AssetObservation(f"attempt_{context.retry_number}"))
        if context.retry_number == 0:
            raise dg.RetryRequested(max_retries=1)
        context.log.info("after")
        return 1

    @dg.job
    def j():
        retried()

    instance = dg.DagsterInstance.ephemeral()
    result = j.execute_in_process(instance=instance)
    obs.record("success", result.success)
    obs.record("log", _step_log(instance, result.run_id))
    observed = [
        r.dagster_event.asset_key.to_user_string()
        for r in instance.all_logs(result.run_id)
        if r.dagster_event is not None and r.dagster_event.event_type_value == "ASSET_OBSERVATION"
    ]
    obs.record("observed", observed)


@scenario
def logged_check_evaluation_sits_between_log_lines(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("c", asset="checked")])
    def checked(context):
        context.log.info("before")
        context.log_event(
            dg.AssetCheckEvaluation(
                asset_key=dg.AssetKey("checked"),
                check_name="c",
                passed=False,
                description="logged",
            )
        )
        context.log.info("after")
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=True)])

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([checked], instance=instance)
    obs.record("log", _step_log(instance, result.run_id))
    obs.events(result)
    obs.check_evaluations(result)
    obs.record(
        "messages",
        [e.message for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"],
    )


@scenario
def io_manager_log_event_sits_between_its_log_lines(obs):
    class Logging(dg.IOManager):
        def handle_output(self, context, obj):
            context.log.info("before")
            context.log_event(dg.AssetMaterialization("stored"))
            context.log_event(dg.AssetObservation("seen"))
            context.log.info("after")

        def load_input(self, context):
            return 1

    @dg.op(out=dg.Out(io_manager_key="io"))
    def out():
        return 1

    @dg.job(resource_defs={"io": Logging()})
    def j():
        out()

    instance = dg.DagsterInstance.ephemeral()
    result = j.execute_in_process(instance=instance)
    obs.record("log", _step_log(instance, result.run_id))
    obs.events(result)


_JOBS = """\
import {dg} as dg


@dg.op
def logs(context):
    context.log.info("before")
    context.log_event(dg.AssetMaterialization("mp"))
    context.log.info("after")
    return 1


@dg.op
def fails(context):
    context.log.info("before")
    context.log_event(dg.AssetObservation("mp_failed"))
    context.log.info("after")
    raise ValueError("after logging")


@dg.job(executor_def=dg.multiprocess_executor)
def mp_job():
    logs()
    fails()
"""


@scenario
def multiprocess_log_event_sits_between_log_lines(obs):
    name = f"logged_event_jobs_{Path(obs.tmp).name.replace('-', '_')}"
    (Path(obs.tmp) / f"{name}.py").write_text(textwrap.dedent(_JOBS.format(dg=dg.__name__)))
    if obs.tmp not in sys.path:
        sys.path.insert(0, obs.tmp)
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    with dg.instance_for_test() as instance:
        result = dg.execute_job(dg.reconstructable(module.mp_job), instance=instance)
        obs.record("success", result.success)
        # The steps run at once: each step's records in order, steps apart.
        log = _step_log(instance, result.run_id)
        for step in ("logs", "fails"):
            obs.record(step, [row[0] for row in log if row[1] == step])
        obs.record(
            "in_instance", instance.get_latest_materialization_event(dg.AssetKey("mp")) is not None
        )
