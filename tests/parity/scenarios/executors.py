"""Executors: executor definitions, their config, and runs of the multiprocess executor.

Runs that leave the launching process go through ``execute_job`` with a job defined at
the top level of a module the scenario writes into its temporary folder (step processes
import it again), and a test instance. Pids are never recorded, only how many distinct
ones there were and whether they differ from the launching process's.
"""

import importlib
import os
import sys
import textwrap
from pathlib import Path

from _harness import dg, scenario

_HEADER = f"""\
import os
from pathlib import Path
import {dg.__name__} as dg

NOTES = Path(os.environ.get("EXECUTOR_SCENARIO_NOTES", "."))


def note(text):
    with open(NOTES / f"{{os.getpid()}}.log", "a") as f:
        f.write(text + "\\n")


def notes():
    return {{p.stem: p.read_text().split() for p in NOTES.glob("*.log")}}
"""


def _module(obs, body):
    """Write ``body`` (after a common header) as a module in the scenario's folder and
    import it; step processes import it again by name."""
    name = f"executor_jobs_{Path(obs.tmp).name.replace('-', '_')}"
    folder = Path(obs.tmp)
    (folder / "notes").mkdir(exist_ok=True)
    os.environ["EXECUTOR_SCENARIO_NOTES"] = str(folder / "notes")
    (folder / f"{name}.py").write_text(_HEADER + textwrap.dedent(body))
    if obs.tmp not in sys.path:
        sys.path.insert(0, obs.tmp)
    importlib.invalidate_caches()
    return importlib.import_module(name)


def _run(module, job_name, run_config=None, *, read_outputs=True, **kwargs):
    """Run ``job_name`` of ``module`` with ``execute_job`` in a test instance; returns the
    result, with ``notes`` (what the module noted, per process, by the end of the run) and
    ``outputs`` (node -> output of each step that succeeded).

    With ``read_outputs=False`` the result is not entered (``with``): entering it builds
    the job's resources in the launching process, to read outputs.
    """
    job = dg.reconstructable(getattr(module, job_name))
    with dg.instance_for_test() as instance:
        result = dg.execute_job(job, instance=instance, run_config=run_config, **kwargs)
        result.notes = module.notes()
        result.outputs = {}
        if not read_outputs:
            return result
        with result:
            for e in result.all_events:
                if e.event_type_value == "STEP_SUCCESS":
                    result.outputs[e.step_key] = result.output_for_node(e.step_key)
        return result


_PIDS = """
@dg.op
def first():
    return os.getpid()

@dg.op
def second(x):
    return [x, os.getpid()]

@dg.op
def third():
    return os.getpid()

@dg.job(executor_def=dg.multiprocess_executor)
def pids():
    second(first())
    third()

@dg.job
def pids_default():
    second(first())
    third()

@dg.job(executor_def=dg.in_process_executor)
def pids_in_process():
    second(first())
    third()

@dg.job(executor_def=dg.multiprocess_executor.configured({"max_concurrent": 1}))
def pids_configured():
    second(first())
    third()

@dg.job(
    executor_def=dg.multiprocess_executor.configured(
        lambda config: {"max_concurrent": config["width"]},
        config_schema={"width": int},
    )
)
def pids_mapped():
    second(first())
    third()

in_process_defs = dg.Definitions(jobs=[pids_default], executor=dg.in_process_executor)


def pids_from_in_process_defs():
    return in_process_defs.get_job_def("pids_default")


@dg.op
def run_id_of(context):
    return context.run_id

@dg.job(executor_def=dg.multiprocess_executor)
def run_ids():
    run_id_of()
"""


def _pid_facts(obs, result):
    out = result.outputs
    pids = [out["first"], out["second"][1], out["third"]]
    obs.record("success", result.success)
    obs.record("distinct_pids", len(set(pids)))
    obs.record("launcher_pid_used", os.getpid() in pids)
    obs.record("input_crossed_processes", out["second"][0] == out["first"])


# --- executor definitions -----------------------------------------------------------


@scenario
def builtin_executor_names(obs):
    obs.record("in_process", dg.in_process_executor.name)
    obs.record("multiprocess", dg.multiprocess_executor.name)
    obs.record("multi_or_in_process", dg.multi_or_in_process_executor.name)
    obs.kind("kind", dg.multiprocess_executor)


@scenario
def configured_executor_keeps_its_name(obs):
    two = dg.multiprocess_executor.configured({"max_concurrent": 2})
    obs.kind("kind", two)
    obs.record("name", two.name)


@scenario
def configured_executor_takes_a_new_name(obs):
    one = dg.multiprocess_executor.configured({"max_concurrent": 1}, name="one_at_a_time")
    obs.record("name", one.name)
    obs.record("original", dg.multiprocess_executor.name)


@scenario
def configured_in_process_executor(obs):
    quiet = dg.in_process_executor.configured({"retries": {"disabled": {}}}, name="no_retries")
    obs.record("name", quiet.name)


@scenario
def executor_decorator_with_arguments(obs):
    @dg.executor(name="chooser", config_schema={"parallel": bool})
    def chooser(init_context):
        return dg.in_process_executor.executor_creation_fn(init_context)

    obs.kind("kind", chooser)
    obs.record("name", chooser.name)


@scenario
def executor_decorator_bare(obs):
    @dg.executor
    def plain(init_context):
        return dg.in_process_executor.executor_creation_fn(init_context)

    obs.kind("kind", plain)
    obs.record("name", plain.name)


@scenario
def executor_definition_signature(obs):
    obs.signature("init", dg.ExecutorDefinition)


@scenario
def executor_decorator_signature(obs):
    obs.signature("decorator", dg.executor)


@scenario
def configured_signature(obs):
    obs.signature("configured", dg.multiprocess_executor.configured)


@scenario
def builtin_executors_have_creation_functions(obs):
    obs.record("in_process", callable(dg.in_process_executor.executor_creation_fn))
    obs.record("multiprocess", callable(dg.multiprocess_executor.executor_creation_fn))


@scenario
def job_default_executor(obs):
    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a()

    obs.record("name", j.executor_def.name)


@scenario
def job_executor_def_is_kept(obs):
    @dg.op
    def a():
        return 1

    @dg.job(executor_def=dg.in_process_executor)
    def j():
        a()

    obs.record("name", j.executor_def.name)


@scenario
def definitions_executor_applies_to_its_jobs(obs):
    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a()

    defs = dg.Definitions(jobs=[j], executor=dg.in_process_executor)
    obs.record("name", defs.get_job_def("j").executor_def.name)


@scenario
def job_with_configured_executor_runs_in_process(obs):
    @dg.op
    def a():
        return os.getpid()

    @dg.job(executor_def=dg.multiprocess_executor.configured({"max_concurrent": 2}))
    def j():
        a()

    result = j.execute_in_process()
    obs.record("success", result.success)
    obs.record("same_process", result.output_for_node("a") == os.getpid())


@scenario
def execute_in_process_ignores_a_multiprocess_executor(obs):
    @dg.op
    def a():
        return os.getpid()

    @dg.job(executor_def=dg.multiprocess_executor)
    def j():
        a()

    result = j.execute_in_process(run_config={"execution": {"config": {"max_concurrent": 2}}})
    obs.record("success", result.success)
    obs.record("same_process", result.output_for_node("a") == os.getpid())


@scenario
def default_executor_takes_multiprocess_selector_config(obs):
    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a()

    config = {"execution": {"config": {"multiprocess": {"max_concurrent": 3}}}}
    obs.record("success", j.execute_in_process(run_config=config).success)
    config = {"execution": {"config": {"in_process": {}}}}
    obs.record("in_process_success", j.execute_in_process(run_config=config).success)


@scenario
def execute_in_process_ignores_execution_config(obs):
    @dg.op
    def a():
        return 1

    @dg.job(executor_def=dg.multiprocess_executor)
    def j():
        a()

    config = {"execution": {"config": {"max_concurent": "many"}}}
    obs.raises(lambda: j.execute_in_process(run_config=config), "max_concurent")


@scenario
def multiprocess_config_type_error(obs):
    module = _module(obs, _PIDS)
    config = {"execution": {"config": {"max_concurrent": "many"}}}
    obs.raises(lambda: _run(module, "pids", run_config=config), "max_concurrent")


@scenario
def multiprocess_config_unknown_field(obs):
    module = _module(obs, _PIDS)
    config = {"execution": {"config": {"max_concurent": 2}}}
    obs.raises(lambda: _run(module, "pids", run_config=config), "max_concurent")


@scenario
def default_executor_rejects_two_choices(obs):
    module = _module(obs, _PIDS)
    config = {"execution": {"config": {"multiprocess": {}, "in_process": {}}}}
    obs.raises(lambda: _run(module, "pids_default", run_config=config), "execution")


@scenario
def configured_executor_run_config_is_accepted(obs):
    module = _module(obs, _PIDS)
    config = {"execution": {"config": {"max_concurrent": 3}}}
    obs.record("success", _run(module, "pids_configured", run_config=config).success)


# --- multiprocess runs: processes -----------------------------------------------------------


@scenario
def multiprocess_steps_run_in_distinct_processes(obs):
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids"))


@scenario
def multiprocess_one_at_a_time_still_a_process_per_step(obs):
    config = {"execution": {"config": {"max_concurrent": 1}}}
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids", run_config=config))


@scenario
def configured_multiprocess_executor_runs_a_process_per_step(obs):
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids_configured"))


@scenario
def definitions_executor_runs_execute_job_in_process(obs):
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids_from_in_process_defs"))


@scenario
def configured_executor_with_a_config_function(obs):
    config = {"execution": {"config": {"width": 1}}}
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids_mapped", run_config=config))


@scenario
def configured_executor_function_config_is_validated(obs):
    module = _module(obs, _PIDS)
    config = {"execution": {"config": {"width": "wide"}}}
    obs.raises(lambda: _run(module, "pids_mapped", run_config=config), "width")


@scenario
def step_process_sees_the_run_id(obs):
    result = _run(_module(obs, _PIDS), "run_ids")
    obs.record("same", result.outputs["run_id_of"] == result.run_id)


@scenario
def in_process_executor_through_execute_job(obs):
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids_in_process"))


@scenario
def default_executor_chooses_in_process_by_config(obs):
    config = {"execution": {"config": {"in_process": {}}}}
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids_default", run_config=config))


@scenario
def default_executor_chooses_multiprocess_by_config(obs):
    config = {"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}}
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids_default", run_config=config))


@scenario
def default_executor_runs_multiprocess(obs):
    _pid_facts(obs, _run(_module(obs, _PIDS), "pids_default"))


@scenario
def module_state_does_not_leak_between_steps(obs):
    module = _module(
        obs,
        """
        SEEN = []

        @dg.op
        def a():
            SEEN.append("a")
            return len(SEEN)

        @dg.op
        def b(x):
            SEEN.append("b")
            return [x, len(SEEN)]

        @dg.job(executor_def=dg.multiprocess_executor)
        def j():
            b(a())
        """,
    )
    obs.record("b", _run(module, "j").outputs["b"])


@scenario
def op_selection_runs_only_selected_steps(obs):
    result = _run(_module(obs, _PIDS), "pids", op_selection=["third"])
    obs.record("success", result.success)
    obs.record("nodes", sorted(result.outputs))
    obs.record("other_process", result.outputs["third"] != os.getpid())


# --- multiprocess runs: events -----------------------------------------------------------


_STEP_NOISE = ("LOG_MESSAGE", "LOGS_CAPTURED", "ENGINE_EVENT")


@scenario
def multiprocess_step_events(obs):
    result = _run(
        _module(obs, _PIDS), "pids", run_config={"execution": {"config": {"max_concurrent": 1}}}
    )
    for step in ("first", "second", "third"):
        mine = [e for e in result.all_events if e.step_key == step]
        obs.events(mine, key=step, skip=_STEP_NOISE)


@scenario
def multiprocess_run_events(obs):
    result = _run(_module(obs, _PIDS), "pids")
    run_level = [e for e in result.all_events if e.step_key is None]
    obs.events(run_level, skip=("LOGS_CAPTURED",))
    obs.record(
        "engine_messages",
        [
            e.message.split(" (pid")[0].split(" after ")[0]
            for e in run_level
            if e.event_type_value == "ENGINE_EVENT"
        ],
    )


@scenario
def multiprocess_worker_events_name_the_step(obs):
    result = _run(_module(obs, _PIDS), "pids")
    kinds = ("STEP_WORKER_STARTING", "STEP_WORKER_STARTED")
    messages = sorted(
        [e.event_type_value, e.message] for e in result.all_events if e.event_type_value in kinds
    )
    obs.record("messages", messages)


# --- resources -----------------------------------------------------------


_RESOURCES = """
@dg.resource
def tracked(init_context):
    note("init")
    try:
        yield "value"
    finally:
        note("teardown")

@dg.op(required_resource_keys={"tracked"})
def uses_a():
    return os.getpid()

@dg.op(required_resource_keys={"tracked"})
def uses_b(x):
    return os.getpid()

@dg.op
def needs_nothing():
    return os.getpid()

@dg.job(resource_defs={"tracked": tracked}, executor_def=dg.multiprocess_executor)
def j():
    uses_b(uses_a())
    needs_nothing()

@dg.job(resource_defs={"tracked": tracked}, executor_def=dg.in_process_executor)
def j_in_process():
    uses_b(uses_a())
    needs_nothing()
"""


@scenario
def resources_set_up_and_torn_down_once_per_step_process(obs):
    module = _module(obs, _RESOURCES)
    result = _run(module, "j")
    logs = result.notes
    obs.record("success", result.success)
    obs.record("processes_with_resource", len(logs))
    obs.record("per_process", sorted(" ".join(v) for v in logs.values()))
    obs.record("launcher_initialized", str(os.getpid()) in logs)
    step_pids = {str(result.outputs[n]) for n in ("uses_a", "uses_b")}
    obs.record("in_the_steps_processes", set(logs) == step_pids)


@scenario
def resources_in_process_once_per_run(obs):
    result = _run(_module(obs, _RESOURCES), "j_in_process", read_outputs=False)
    obs.record("success", result.success)
    obs.record("per_process", sorted(" ".join(v) for v in result.notes.values()))
    obs.record("launcher_only", list(result.notes) == [str(os.getpid())])


@scenario
def resource_init_events_carry_the_step(obs):
    result = _run(_module(obs, _RESOURCES), "j")
    inits = [e.step_key for e in result.all_events if e.event_type_value == "RESOURCE_INIT_SUCCESS"]
    obs.record("steps", sorted(set(inits)))


@scenario
def resource_failure_fails_the_step(obs):
    module = _module(
        obs,
        """
        @dg.resource
        def broken(init_context):
            raise ValueError("cannot connect")

        @dg.op(required_resource_keys={"broken"})
        def uses():
            return 1

        @dg.op
        def fine():
            return 2

        @dg.job(resource_defs={"broken": broken}, executor_def=dg.multiprocess_executor)
        def j():
            uses()
            fine()
        """,
    )
    result = _run(module, "j", read_outputs=False)
    obs.record("success", result.success)
    obs.record("failed", sorted(e.step_key for e in result.get_step_failure_events()))
    succeeded = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"]
    obs.record("succeeded", succeeded)


# --- failures -----------------------------------------------------------


_FAILURES = """
@dg.op
def boom():
    raise ValueError("boom in a step process")

@dg.op
def after(x):
    return x

@dg.op
def steady():
    return 42

@dg.job(executor_def=dg.multiprocess_executor)
def failing():
    after(boom())
    steady()

@dg.op
def segfault():
    import ctypes
    ctypes.string_at(0)

@dg.op
def hard_exit():
    os._exit(3)

@dg.job(executor_def=dg.multiprocess_executor)
def crashing():
    after(segfault())
    steady()

@dg.job(executor_def=dg.multiprocess_executor)
def exiting():
    after(hard_exit())
    steady()
"""


@scenario
def failing_step_skips_dependents_and_others_run(obs):
    result = _run(_module(obs, _FAILURES), "failing")
    obs.record("success", result.success)
    obs.record("failed", [e.step_key for e in result.get_step_failure_events()])
    obs.record("outputs", result.outputs)
    obs.record(
        "skipped", [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    )


@scenario
def failing_step_events(obs):
    result = _run(_module(obs, _FAILURES), "failing")
    mine = [e for e in result.all_events if e.step_key == "boom"]
    obs.events(mine, skip=_STEP_NOISE)
    (failure,) = result.get_step_failure_events()
    obs.record(
        "user_message_kept",
        "boom in a step process" in str(failure.step_failure_data.error.message),
    )
    obs.record("error_class", failure.step_failure_data.error.cls_name)


@scenario
def failing_step_run_ends_failed(obs):
    result = _run(_module(obs, _FAILURES), "failing")
    run_level = [e.event_type_value for e in result.all_events if e.step_key is None]
    obs.record("last", run_level[-1])


@scenario
def segfaulting_step_fails_alone(obs):
    result = _run(_module(obs, _FAILURES), "crashing")
    obs.record("success", result.success)
    obs.record("failed", [e.step_key for e in result.get_step_failure_events()])
    obs.record("outputs", result.outputs)


@scenario
def exiting_step_fails_alone(obs):
    result = _run(_module(obs, _FAILURES), "exiting")
    obs.record("success", result.success)
    obs.record("failed", [e.step_key for e in result.get_step_failure_events()])
    obs.record("outputs", result.outputs)


@scenario
def raise_on_error_raises_for_a_multiprocess_failure(obs):
    module = _module(obs, _FAILURES)

    def run():
        with dg.instance_for_test() as instance:
            dg.execute_job(
                dg.reconstructable(module.failing), instance=instance, raise_on_error=True
            )

    obs.raises(run, "boom")


# --- retries -----------------------------------------------------------


_RETRIES = """
@dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
def flaky():
    note("attempt")
    if len(notes_of_all()) < 3:
        raise ValueError("not yet")
    return "done"

@dg.op
def asks(context):
    note("attempt")
    if len(notes_of_all()) < 2:
        raise dg.RetryRequested(max_retries=3)
    return context.retry_number

def notes_of_all():
    return [line for lines in notes().values() for line in lines]

@dg.job(executor_def=dg.multiprocess_executor)
def policy():
    flaky()

@dg.job(executor_def=dg.multiprocess_executor)
def requested():
    asks()
"""


@scenario
def retry_policy_retries_in_step_processes(obs):
    module = _module(obs, _RETRIES)
    result = _run(module, "policy")
    obs.record("success", result.success)
    obs.record("output", result.outputs.get("flaky"))
    obs.record("attempts", sum(len(v) for v in module.notes().values()))
    kinds = [e.event_type_value for e in result.all_events if e.step_key == "flaky"]
    obs.record("up_for_retry", kinds.count("STEP_UP_FOR_RETRY"))
    obs.record("restarted", kinds.count("STEP_RESTARTED"))
    obs.record("successes", kinds.count("STEP_SUCCESS"))


@scenario
def retry_attempts_each_run_in_a_new_process(obs):
    module = _module(
        obs,
        """
        @dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
        def flaky():
            note("attempt")
            if sum(len(v) for v in notes().values()) < 3:
                raise ValueError("not yet")
            return "done"

        @dg.job(executor_def=dg.multiprocess_executor)
        def j():
            flaky()
        """,
    )
    result = _run(module, "j")
    obs.record("success", result.success)
    obs.record("attempts_per_process", sorted(len(v) for v in result.notes.values()))


@scenario
def retry_events_of_each_attempt(obs):
    result = _run(_module(obs, _RETRIES), "policy")
    mine = [e for e in result.all_events if e.step_key == "flaky"]
    obs.events(mine, skip=_STEP_NOISE)


@scenario
def retry_requested_counts_retry_number(obs):
    module = _module(obs, _RETRIES)
    result = _run(module, "requested")
    obs.record("success", result.success)
    obs.record("retry_number", result.outputs.get("asks"))


@scenario
def retries_disabled_by_executor_config(obs):
    module = _module(obs, _RETRIES)
    config = {"execution": {"config": {"retries": {"disabled": {}}}}}
    result = _run(module, "policy", run_config=config)
    obs.record("success", result.success)
    obs.record("attempts", sum(len(v) for v in module.notes().values()))


# --- limits -----------------------------------------------------------


@scenario
def tag_concurrency_limits_config_is_accepted(obs):
    module = _module(
        obs,
        """
        @dg.op(tags={"database": "warehouse"})
        def load():
            return os.getpid()

        @dg.op(tags={"database": "warehouse"})
        def other():
            return os.getpid()

        @dg.job(executor_def=dg.multiprocess_executor)
        def j():
            load()
            other()
        """,
    )
    limits = [{"key": "database", "value": "warehouse", "limit": 1}]
    config = {"execution": {"config": {"tag_concurrency_limits": limits}}}
    result = _run(module, "j", run_config=config)
    obs.record("success", result.success)
    obs.record("distinct", result.outputs["load"] != result.outputs["other"])


@scenario
def multiprocess_run_needs_a_persistent_instance(obs):
    module = _module(obs, _PIDS)

    def run():
        result = dg.execute_job(
            dg.reconstructable(module.pids), instance=dg.DagsterInstance.ephemeral()
        )
        if not result.success:
            raise RuntimeError("run failed")

    obs.raises(run, "ephemeral")


@scenario
def asset_job_materializes_through_step_processes(obs):
    module = _module(
        obs,
        """
        @dg.asset
        def upstream():
            note("upstream")
            return 2

        @dg.asset
        def downstream(upstream):
            note("downstream")
            return upstream * 10

        assets_job = dg.define_asset_job("assets_job", executor_def=dg.multiprocess_executor)
        defs = dg.Definitions(assets=[upstream, downstream], jobs=[assets_job])

        def all_assets():
            return defs.get_job_def("assets_job")
        """,
    )
    result = _run(module, "all_assets", read_outputs=False)
    obs.record("success", result.success)
    keys = [
        e.asset_key.path for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"
    ]
    obs.record("materialized", keys)
    obs.record("distinct_pids", len(set(result.notes)))


# --- user executors: what runs their steps ---------------------------------------------

_CUSTOM = (
    _PIDS
    + """
RETRIES = dg.Field(dg.Permissive(), default_value={"enabled": {}})

@dg.executor(name="chooser", config_schema={"parallel": bool, "retries": RETRIES})
def chooser(init_context):
    parallel = init_context.executor_config["parallel"]
    chosen = dg.multiprocess_executor if parallel else dg.in_process_executor
    return chosen.executor_creation_fn(init_context)

@dg.job(executor_def=chooser)
def pids_chooser():
    second(first())
    third()
"""
)


@scenario
def custom_executor_choosing_in_process_runs_steps_here(obs):
    config = {"execution": {"config": {"parallel": False}}}
    _pid_facts(obs, _run(_module(obs, _CUSTOM), "pids_chooser", run_config=config))


@scenario
def custom_executor_choosing_multiprocess_runs_a_process_per_step(obs):
    config = {"execution": {"config": {"parallel": True}}}
    _pid_facts(obs, _run(_module(obs, _CUSTOM), "pids_chooser", run_config=config))


_WRAPPING_EXECUTOR = """
@dg.op
def one():
    return 1


@dg.op
def plus(x):
    return x + 1


class Wrapping(dg.Executor):
    def __init__(self, inner):
        self.inner = inner

    @property
    def retries(self):
        return self.inner.retries

    def execute(self, plan_context, execution_plan):
        note("plan:" + ",".join(sorted(execution_plan.step_keys_to_execute)))
        note("job:" + plan_context.job_name)
        note("context:" + type(plan_context).__name__)
        yield from self.inner.execute(plan_context, execution_plan)
        note("after")


@dg.executor(name="wrapping", config_schema=dg.{inner}.config_schema)
def wrapping(init_context):
    note("init:" + type(init_context).__name__)
    note("config_retries:" + str("retries" in init_context.executor_config))
    note("pointer:" + type(init_context.job).__name__)
    return Wrapping(dg.{inner}.executor_creation_fn(init_context))


@dg.job(executor_def=wrapping)
def wrapped():
    plus(one())
"""


@scenario
def user_executor_wrapping_in_process_runs_the_steps(obs):
    module = _module(obs, _WRAPPING_EXECUTOR.format(inner="in_process_executor"))
    result = _run(module, "wrapped")
    obs.record("success", result.success)
    obs.record("outputs", result.outputs)
    obs.record("notes", sorted(n for lines in result.notes.values() for n in lines))
    obs.record("step_events", [e for e in _step_event_types(result)])


def _step_event_types(result):
    return [
        [e.event_type_value, e.step_key]
        for e in result.all_events
        if e.step_key and e.event_type_value in ("STEP_START", "STEP_SUCCESS")
    ]


@scenario
def user_executor_wrapping_multiprocess_runs_steps_in_processes(obs):
    module = _module(obs, _WRAPPING_EXECUTOR.format(inner="multiprocess_executor"))
    result = _run(module, "wrapped")
    obs.record("success", result.success)
    obs.record("outputs", result.outputs)
    launcher = str(os.getpid())
    obs.record("launcher_notes", sorted(result.notes.get(launcher, [])))
    obs.record("processes", len(result.notes))


@scenario
def executor_base_class_is_abstract(obs):
    obs.raises(dg.Executor, "abstract", key="base_error")

    class Incomplete(dg.Executor):
        def execute(self, plan_context, execution_plan):
            return iter(())

    obs.raises(Incomplete, "abstract", key="incomplete_error")
    import inspect

    obs.record("abstract", inspect.isabstract(dg.Executor))


@scenario
def executor_object_as_definitions_executor(obs):
    class Passing(dg.Executor):
        @property
        def retries(self):
            return None

        def execute(self, plan_context, execution_plan):
            return iter(())

    @dg.op
    def o():
        return 1

    @dg.job
    def j():
        o()

    defs = dg.Definitions(jobs=[j], executor=Passing())
    obs.record("name", defs.get_job_def("j").executor_def.name)
    hard = dg.ExecutorDefinition.hardcoded_executor(Passing())
    obs.record("hardcoded_name", hard.name)
    obs.record("in_process_run", defs.get_job_def("j").execute_in_process().success)


@scenario
def user_executor_failing_in_execute_fails_the_run(obs):
    module = _module(
        obs,
        """
        @dg.op
        def one():
            return 1


        class Broken(dg.Executor):
            @property
            def retries(self):
                return None

            def execute(self, plan_context, execution_plan):
                raise ValueError("executor broke")
                yield


        @dg.executor(name="broken")
        def broken(init_context):
            return Broken()


        @dg.job(executor_def=broken)
        def j():
            one()
        """,
    )
    result = _run(module, "j", read_outputs=False)
    obs.record("success", result.success)
    run_events = [e.event_type_value for e in result.all_events if not e.step_key]
    obs.record("run_failed", "PIPELINE_FAILURE" in run_events)
    obs.record("step_started", any(e.event_type_value == "STEP_START" for e in result.all_events))
