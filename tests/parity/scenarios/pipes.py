"""Pipes in both directions.

The orchestrator side is ``dg`` (Dagster's or headwater's ``PipesSubprocessClient``,
``open_pipes_session``, injectors and readers). The external side is a script the scenario
writes into ``obs.tmp`` and runs with the orchestrator's interpreter; it imports either
``dagster_pipes`` or ``headwater_pipes``. Most orchestrator scenarios run once with each
external module (names ending ``__dp`` and ``__hwp``), so that the reference orchestrator
checks headwater_pipes and headwater's orchestrator checks the real dagster_pipes.

Scenarios without a suffix that use ``pipes`` run the implementation's own external module
in this process (``dagster_pipes`` under the reference, ``headwater_pipes`` under headwater).
"""

import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

from _harness import IMPL, dg, pipes, scenario

# headwater_pipes is standard library only: any interpreter can import it from its source.
HWP_SRC = str(Path(__file__).resolve().parents[3] / "headwater-pipes" / "src")
EXTERNALS = {"dp": "dagster_pipes", "hwp": "headwater_pipes"}

# Events a step emits about its own work (run-level and resource events are other areas').
STEP_EVENTS = {
    "STEP_START",
    "STEP_OUTPUT",
    "ASSET_MATERIALIZATION",
    "ASSET_CHECK_EVALUATION",
    "STEP_SUCCESS",
    "STEP_FAILURE",
}


def write_script(obs, body, module, name="external.py"):
    """Write an external script that imports ``module`` (as ``p``) and runs ``body``."""
    head = (
        "import sys\n"
        f"sys.path.insert(0, {HWP_SRC!r})\n"
        f"import {module} as p\n"
        f"from {module} import open_dagster_pipes\n"
    )
    path = os.path.join(obs.tmp, name)
    with open(path, "w") as f:
        f.write(head + textwrap.dedent(body))
    return path


def quiet_preview(fn):
    """Run ``fn`` without the reference's PreviewWarning about its own internal use of
    ``PipesMessageReader.expected_writer_count``: Dagster's code calls its preview API on
    every Pipes run, which no user code asks for, so it is not compared."""

    def run(*args):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*expected_writer_count.*")
            return fn(*args)

    run.__name__ = fn.__name__
    return run


def both(fn):
    """Register ``fn(obs, module)`` once per external module."""
    fn = quiet_preview(fn)
    for short, module in EXTERNALS.items():

        def run(obs, module=module):
            return fn(obs, module)

        scenario(run, name=f"{fn.__name__}__{short}")
    return fn


def pipes_execution_error():
    """The class Dagster raises when the external process fails (not exported at its top
    level: users import it from ``dagster._core.errors``)."""
    if IMPL == "dagster":
        from dagster._core.errors import DagsterPipesExecutionError

        return DagsterPipesExecutionError
    return dg.DagsterPipesExecutionError


def raises_pipes_failure(obs, fn, code):
    """Record that ``fn`` raises the Pipes execution error for exit code ``code``."""
    try:
        fn()
    except Exception as exc:
        obs.record("is_pipes_execution_error", isinstance(exc, pipes_execution_error()))
        obs.record(
            "message_says_code",
            f"External execution process failed with code {code}" in str(exc),
        )
    else:
        obs.record("is_pipes_execution_error", None)


def client(**kwargs):
    return dg.PipesSubprocessClient(**kwargs)


def step_events(result):
    return [
        [e.event_type_value, e.step_key]
        for e in result.all_events
        if e.event_type_value in STEP_EVENTS
    ]


def run_asset(obs, module, body, *, check_specs=None, key="a", extras=None, hold=None, **mat):
    """Materialize one asset whose body runs ``body`` through Pipes; return the result.

    ``hold`` (a dict) receives the completed invocation, for scenarios that read it.
    """
    script = write_script(obs, body, module)

    @dg.asset(name=key, check_specs=check_specs or [])
    def the_asset(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        invocation = pipes_client.run(
            command=[sys.executable, script], context=context, extras=extras
        )
        if hold is not None:
            hold["invocation"] = invocation
        return invocation.get_results()

    return dg.materialize([the_asset], resources={"pipes_client": client()}, **mat)


def mat_rows(result):
    rows = []
    for m in result.asset_materializations_for_node("a"):
        rows.append([list(m.asset_key.path), m.partition, sorted(m.metadata)])
    return rows


# --- the orchestrator's results -----------------------------------------------------------


@both
def materialization_metadata_reaches_the_run(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"rows": 3, "ratio": 0.5, "name": "x"})
        """,
    )
    obs.record("success", result.success)
    mats = result.asset_materializations_for_node("a")
    obs.record("count", len(mats))
    obs.metadata("metadata", mats[0].metadata)
    obs.record("key", list(mats[0].asset_key.path))


@both
def step_events_of_a_pipes_asset(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"rows": 3})
        """,
    )
    obs.record("step_events", step_events(result))


@both
def step_events_with_a_check(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization()
            c.report_asset_check("ok", passed=True)
        """,
        check_specs=[dg.AssetCheckSpec("ok", asset="a")],
    )
    obs.record("step_events", step_events(result))


@both
def get_results_types(obs, module):
    hold = {}
    run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"n": 1})
            c.report_asset_check("ok", passed=False, metadata={"why": "low"})
        """,
        check_specs=[dg.AssetCheckSpec("ok", asset="a")],
        hold=hold,
    )
    results = hold["invocation"].get_results()
    obs.record("kinds", [type(r).__name__ for r in results])
    obs.kind("container", results)


@both
def get_materialize_result_fields(obs, module):
    hold = {}
    run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"n": 1}, data_version="v9")
        """,
        hold=hold,
    )
    mr = hold["invocation"].get_materialize_result()
    obs.kind("kind", mr)
    obs.record("asset_key", list(mr.asset_key.path))
    obs.metadata("metadata", mr.metadata)
    obs.record("data_version", mr.data_version.value if mr.data_version else None)
    obs.record("check_results", len(mr.check_results or []))


@both
def get_materialize_result_when_nothing_reported(obs, module):
    hold = {}
    result = run_asset(obs, module, "print('no report')\n", hold=hold)
    mr = hold["invocation"].get_materialize_result()
    obs.kind("kind", mr)
    obs.record("asset_key", list(mr.asset_key.path))
    obs.record("metadata", sorted(mr.metadata or {}))
    obs.record("success", result.success)
    obs.record("materializations", len(result.asset_materializations_for_node("a")))


@both
def get_materialize_result_carries_checks(obs, module):
    hold = {}
    run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization()
            c.report_asset_check("ok", passed=True)
        """,
        check_specs=[dg.AssetCheckSpec("ok", asset="a")],
        hold=hold,
    )
    mr = hold["invocation"].get_materialize_result()
    obs.record("checks", [[r.check_name, r.passed] for r in mr.check_results])


@both
def get_asset_check_result_fields(obs, module):
    hold = {}
    run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization()
            c.report_asset_check("ok", passed=False, severity="WARN", metadata={"n": 2})
        """,
        check_specs=[dg.AssetCheckSpec("ok", asset="a")],
        hold=hold,
    )
    obs.raises(
        hold["invocation"].get_asset_check_result,
        "AssetCheckResult",
        "1 MaterializeResults",
        key="with_a_materialization",
    )
    cr = hold["invocation"].get_results()[1]
    obs.kind("kind", cr)
    obs.record("check_name", cr.check_name)
    obs.record("asset_key", list(cr.asset_key.path))
    obs.record("passed", cr.passed)
    obs.record("severity", cr.severity)
    obs.metadata("metadata", cr.metadata)


@both
def get_asset_check_result_without_a_check_raises(obs, module):
    hold = {}
    run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization()
        """,
        hold=hold,
    )
    obs.raises(hold["invocation"].get_asset_check_result, "AssetCheckResult")


@both
def custom_messages_in_order(obs, module):
    hold = {}
    run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_custom_message({"a": 1})
            c.report_custom_message([1, 2, "three"])
            c.report_custom_message("plain")
            c.report_asset_materialization()
        """,
        hold=hold,
    )
    messages = hold["invocation"].get_custom_messages()
    obs.kind("container", messages)
    obs.record("messages", list(messages))


@both
def check_evaluations_in_the_run(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization()
            c.report_asset_check("ok", passed=True, metadata={"n": 1})
            c.report_asset_check("warned", passed=False, severity="WARN")
        """,
        check_specs=[dg.AssetCheckSpec("ok", asset="a"), dg.AssetCheckSpec("warned", asset="a")],
    )
    obs.record("success", result.success)
    obs.check_evaluations(result)


@both
def failed_error_check_does_not_fail_the_step(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization()
            c.report_asset_check("ok", passed=False, severity="ERROR")
        """,
        check_specs=[dg.AssetCheckSpec("ok", asset="a")],
    )
    obs.record("success", result.success)
    obs.record("passed", [e.passed for e in result.get_asset_check_evaluations()])


@both
def data_version_becomes_a_tag(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(data_version="abc")
        """,
    )
    mat = result.asset_materializations_for_node("a")[0]
    tags = dict(mat.tags or {})
    obs.record("data_version", tags.get("dagster/data_version"))
    obs.record("user_provided", tags.get("dagster/data_version_is_user_provided"))


@both
def extras_reach_the_external_process(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(
                metadata={"extras": {"raw_value": dict(c.extras), "type": "json"},
                          "one": c.get_extra("one")}
            )
        """,
        extras={"one": 1, "nested": {"list": [1, "b"], "none": None}},
    )
    obs.metadata("metadata", result.asset_materializations_for_node("a")[0].metadata)


@both
def get_extra_of_a_missing_key_fails_the_process(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                c.get_extra("missing")
            """,
        ),
        1,
    )


@both
def context_fields_seen_by_the_external_process(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={
                "asset_key": c.asset_key,
                "asset_keys": {"raw_value": c.asset_keys, "type": "json"},
                "is_asset_step": c.is_asset_step,
                "is_partition_step": c.is_partition_step,
                "job_name": c.job_name,
                "retry_number": c.retry_number,
                "has_run_id": bool(c.run_id),
                "provenance": {"raw_value": c.provenance, "type": "json"},
                "code_version": {"raw_value": c.code_version, "type": "json"},
                "is_closed": c.is_closed,
            })
        """,
    )
    obs.metadata("metadata", result.asset_materializations_for_node("a")[0].metadata)


@both
def run_id_matches_the_orchestrator(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_custom_message(c.run_id)
        """,
        module,
    )
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        inv = pipes_client.run(command=[sys.executable, script], context=context)
        seen["same"] = inv.get_custom_messages() == (context.run_id,)
        return inv.get_results()

    dg.materialize([a], resources={"pipes_client": client()})
    obs.record("same", seen["same"])


@both
def partition_key_seen_by_the_external_process(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={
                "key": c.partition_key,
                "is_partition_step": c.is_partition_step,
                "range": {"raw_value": list(c.partition_key_range), "type": "json"},
            })
        """,
        module,
    )

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x", "y"]))
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        return pipes_client.run(command=[sys.executable, script], context=context).get_results()

    result = dg.materialize([a], resources={"pipes_client": client()}, partition_key="y")
    mat = result.asset_materializations_for_node("a")[0]
    obs.record("partition", mat.partition)
    obs.metadata("metadata", mat.metadata)


@both
def time_window_seen_by_the_external_process(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            w = c.partition_time_window
            c.report_asset_materialization(metadata={"start": w["start"], "end": w["end"],
                                                     "key": c.partition_key})
        """,
        module,
    )

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        return pipes_client.run(command=[sys.executable, script], context=context).get_results()

    result = dg.materialize([a], resources={"pipes_client": client()}, partition_key="2024-01-03")
    obs.metadata("metadata", result.asset_materializations_for_node("a")[0].metadata)


@both
def unpartitioned_partition_key_raises_in_the_process(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                c.partition_key
            """,
        ),
        1,
    )


@both
def multi_asset_reports_each_key(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            for key in c.asset_keys:
                c.report_asset_materialization(asset_key=key, metadata={"k": key})
        """,
        module,
    )

    @dg.multi_asset(specs=[dg.AssetSpec("m1"), dg.AssetSpec("m2")])
    def both_assets(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        return pipes_client.run(command=[sys.executable, script], context=context).get_results()

    result = dg.materialize([both_assets], resources={"pipes_client": client()})
    rows = [
        [list(m.asset_key.path), m.metadata["k"].value]
        for m in result.asset_materializations_for_node("both_assets")
    ]
    obs.record("rows", sorted(rows))


@both
def multi_asset_asset_key_raises_in_the_process(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.asset_key
        """,
        module,
    )

    @dg.multi_asset(specs=[dg.AssetSpec("m1"), dg.AssetSpec("m2")])
    def both_assets(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        return pipes_client.run(command=[sys.executable, script], context=context).get_results()

    raises_pipes_failure(
        obs,
        lambda: dg.materialize([both_assets], resources={"pipes_client": client()}),
        1,
    )


@both
def metadata_types(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={
                "int": 1, "float": 1.5, "str": "s", "bool": True, "none": None,
                "list": [1, 2],
                "text": {"raw_value": "t", "type": "text"},
                "url": {"raw_value": "http://x.y", "type": "url"},
                "path": {"raw_value": "/a/b", "type": "path"},
                "notebook": {"raw_value": "/n.ipynb", "type": "notebook"},
                "json": {"raw_value": {"k": [1]}, "type": "json"},
                "md": {"raw_value": "# h", "type": "md"},
                "tfloat": {"raw_value": 2.5, "type": "float"},
                "tint": {"raw_value": 3, "type": "int"},
                "tbool": {"raw_value": False, "type": "bool"},
                "null": {"raw_value": None, "type": "null"},
                "run": {"raw_value": "abc", "type": "dagster_run"},
                "asset": {"raw_value": "x/y", "type": "asset"},
                "ts": {"raw_value": 1700000000.0, "type": "timestamp"},
                "infer": {"raw_value": 4, "type": "__infer__"},
            })
        """,
    )
    obs.metadata("metadata", result.asset_materializations_for_node("a")[0].metadata)


@both
def table_metadata_types(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={
                "schema": {"raw_value": {"columns": [{"name": "id", "type": "int"}]},
                           "type": "table_schema"},
                "table": {"raw_value": {"records": [{"id": 1}],
                                        "schema": [{"name": "id", "type": "int"}]},
                          "type": "table"},
            })
        """,
    )
    md = result.asset_materializations_for_node("a")[0].metadata
    obs.record("kinds", {k: type(v).__name__ for k, v in md.items()})
    schema = md["schema"].schema
    obs.record("columns", [[c.name, c.type] for c in schema.columns])
    obs.record("records", [dict(r.data) for r in md["table"].records])


@both
def log_messages_do_not_fail_the_step(obs, module):
    result = run_asset(
        obs,
        module,
        """
        with open_dagster_pipes() as c:
            c.log.debug("d")
            c.log.info("i")
            c.log.warning("w")
            c.log.error("e")
            c.log.critical("c")
            c.report_asset_materialization()
        """,
    )
    obs.record("success", result.success)
    obs.record("materializations", len(result.asset_materializations_for_node("a")))


@both
def op_with_pipes_has_custom_messages_and_no_results(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_custom_message({"is_asset_step": c.is_asset_step})
        """,
        module,
    )
    seen = {}

    @dg.op
    def o(context: dg.OpExecutionContext, pipes_client: dg.PipesSubprocessClient):
        inv = pipes_client.run(command=[sys.executable, script], context=context)
        seen["results"] = len(inv.get_results())
        seen["custom"] = list(inv.get_custom_messages())

    @dg.job(resource_defs={"pipes_client": client()})
    def j():
        o()

    result = j.execute_in_process()
    obs.record("success", result.success)
    obs.record("seen", seen)


@both
def op_external_asset_key_raises(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.asset_key
        """,
        module,
    )

    @dg.op
    def o(context: dg.OpExecutionContext, pipes_client: dg.PipesSubprocessClient):
        pipes_client.run(command=[sys.executable, script], context=context).get_results()

    @dg.job(resource_defs={"pipes_client": client()})
    def j():
        o()

    raises_pipes_failure(obs, j.execute_in_process, 1)


@both
def env_and_cwd_reach_the_process(obs, module):
    sub = os.path.join(obs.tmp, "sub")
    os.mkdir(sub)
    script = write_script(
        obs,
        """
        import os
        with open_dagster_pipes() as c:
            c.report_custom_message({
                "run_env": os.environ.get("FROM_RUN"),
                "client_env": os.environ.get("FROM_CLIENT"),
                "cwd_name": os.path.basename(os.getcwd()),
            })
        """,
        module,
    )
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        inv = pipes_client.run(
            command=[sys.executable, script], context=context, env={"FROM_RUN": "r"}
        )
        seen["custom"] = list(inv.get_custom_messages())
        return inv.get_results()

    dg.materialize([a], resources={"pipes_client": client(env={"FROM_CLIENT": "c"}, cwd=sub)})
    obs.record("custom", seen["custom"])


# --- failures -----------------------------------------------------------------------------


@both
def process_exit_code_fails_the_step(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(obs, module, "import sys\nsys.exit(3)\n"),
        3,
    )


@both
def process_failure_without_raise_on_error(obs, module):
    result = run_asset(obs, module, "import sys\nsys.exit(2)\n", raise_on_error=False)
    obs.record("success", result.success)
    obs.record("step_events", step_events(result))
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    obs.record("failures", len(failures))


@both
def exception_inside_the_session_fails_the_step(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                raise ValueError("boom inside")
            """,
        ),
        1,
    )


@both
def reporting_twice_fails_the_process(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                c.report_asset_materialization()
                c.report_asset_materialization()
            """,
        ),
        1,
    )


@both
def reporting_an_unknown_asset_fails_the_process(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                c.report_asset_materialization(asset_key="zzz")
            """,
        ),
        1,
    )


@both
def undeclared_check_fails_the_step(obs, module):
    obs.raises(
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                c.report_asset_check("nope", passed=True)
            """,
        ),
        "AssetCheckResult",
    )


@both
def check_reported_for_an_unknown_asset_fails_the_process(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                c.report_asset_check("ok", passed=True, asset_key="zzz")
            """,
            check_specs=[dg.AssetCheckSpec("ok", asset="a")],
        ),
        1,
    )


@both
def missing_command_raises(obs, module):
    @dg.asset
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        return pipes_client.run(
            command=[os.path.join(obs.tmp, "no-such-program")], context=context
        ).get_results()

    obs.raises(lambda: dg.materialize([a], resources={"pipes_client": client()}))


# --- open_pipes_session, injectors and readers --------------------------------------------


def _session_run(obs, module, body, injector, reader, *, extras=None):
    script = write_script(obs, body, module)
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext):
        with dg.open_pipes_session(
            context=context, context_injector=injector, message_reader=reader, extras=extras
        ) as session:
            env = dict(os.environ, **session.get_bootstrap_env_vars())
            code = subprocess.run([sys.executable, script], env=env, check=False).returncode
            seen["code"] = code
            seen["env_keys"] = sorted(session.get_bootstrap_env_vars())
        seen["custom"] = list(session.get_custom_messages())
        yield from session.get_results()

    result = dg.materialize([a])
    seen["mats"] = [sorted(m.metadata) for m in result.asset_materializations_for_node("a")]
    return seen


REPORT = """
with open_dagster_pipes() as c:
    c.report_custom_message(c.get_extra("tag"))
    c.report_asset_materialization(metadata={"m": 1})
"""


@both
def session_with_temp_file_injector_and_reader(obs, module):
    seen = _session_run(
        obs,
        module,
        REPORT,
        dg.PipesTempFileContextInjector(),
        dg.PipesTempFileMessageReader(),
        extras={"tag": "t1"},
    )
    obs.record("seen", seen)


@both
def session_with_env_injector(obs, module):
    seen = _session_run(
        obs,
        module,
        REPORT,
        dg.PipesEnvContextInjector(),
        dg.PipesTempFileMessageReader(),
        extras={"tag": "t2"},
    )
    obs.record("seen", seen)


@both
def session_with_file_injector_and_file_reader(obs, module):
    seen = _session_run(
        obs,
        module,
        REPORT,
        dg.PipesFileContextInjector(os.path.join(obs.tmp, "ctx.json")),
        dg.PipesFileMessageReader(os.path.join(obs.tmp, "messages.jsonl")),
        extras={"tag": "t3"},
    )
    obs.record("seen", seen)


@both
def session_bootstrap_cli_arguments(obs, module):
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext):
        with dg.open_pipes_session(
            context=context,
            context_injector=dg.PipesTempFileContextInjector(),
            message_reader=dg.PipesTempFileMessageReader(),
        ) as session:
            seen["cli"] = sorted(session.get_bootstrap_cli_arguments())
            params = session.get_bootstrap_params()
            seen["params"] = sorted(params)
        return dg.MaterializeResult()

    dg.materialize([a])
    obs.record("seen", seen)


@both
def session_env_vars_decode_to_params(obs, module):
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext):
        with dg.open_pipes_session(
            context=context,
            context_injector=dg.PipesEnvContextInjector(),
            message_reader=dg.PipesTempFileMessageReader(),
        ) as session:
            env = session.get_bootstrap_env_vars()
            decoded = pipes.decode_env_var(env["DAGSTER_PIPES_CONTEXT"])
            seen["context_param_keys"] = sorted(decoded)
            seen["data_keys"] = sorted(decoded.get("data", {}))
            seen["messages_param_keys"] = sorted(
                pipes.decode_env_var(env["DAGSTER_PIPES_MESSAGES"])
            )
        return dg.MaterializeResult()

    dg.materialize([a])
    obs.record("seen", seen)


# --- the external side, in this process ---------------------------------------------------


def _clear_env():
    for var in ("DAGSTER_PIPES_CONTEXT", "DAGSTER_PIPES_MESSAGES"):
        os.environ.pop(var, None)


@scenario
@quiet_preview
def is_dagster_pipes_process_outside(obs):
    _clear_env()
    obs.record("env", pipes.PipesEnvVarParamsLoader().is_dagster_pipes_process())
    obs.record("mapping", pipes.PipesMappingParamsLoader({}).is_dagster_pipes_process())
    obs.record("cli", pipes.PipesCliArgsParamsLoader().is_dagster_pipes_process())


@scenario
@quiet_preview
def is_dagster_pipes_process_inside(obs):
    loader = pipes.PipesMappingParamsLoader(
        {"DAGSTER_PIPES_CONTEXT": pipes.encode_env_var({"data": {}})}
    )
    obs.record("context_only", loader.is_dagster_pipes_process())
    loader = pipes.PipesMappingParamsLoader(
        {"DAGSTER_PIPES_MESSAGES": pipes.encode_env_var({"path": "x"})}
    )
    obs.record("messages_only", loader.is_dagster_pipes_process())


@scenario
@quiet_preview
def context_get_outside_a_session_raises(obs):
    _clear_env()
    obs.record("initialized", pipes.PipesContext.is_initialized())
    obs.raises(pipes.PipesContext.get, "PipesContext", "open_dagster_pipes")


@scenario
@quiet_preview
def open_dagster_pipes_outside_a_pipes_process(obs):
    _clear_env()
    pipes.PipesContext._instance = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        context = pipes.open_dagster_pipes()
    obs.record(
        "pipes_warnings", [issubclass(w.category, pipes.DagsterPipesWarning) for w in caught]
    )
    obs.record(
        "mentions",
        ["not launched" in str(w.message).lower() or "dagster" in str(w.message) for w in caught],
    )
    # Everything is a no-op: reporting and logging do not raise.
    context.log.info("x")
    context.report_asset_materialization(metadata={"a": 1})
    context.report_custom_message({"b": 2})
    obs.record("initialized", pipes.PipesContext.is_initialized())
    obs.record("get_is_it", pipes.PipesContext.get() is context)
    pipes.PipesContext._instance = None


@scenario
@quiet_preview
def protocol_constants(obs):
    obs.record("context_var", pipes.DAGSTER_PIPES_CONTEXT_ENV_VAR)
    obs.record("messages_var", pipes.DAGSTER_PIPES_MESSAGES_ENV_VAR)
    obs.record("version", pipes.PIPES_PROTOCOL_VERSION)


@scenario
@quiet_preview
def env_var_encoding_round_trips(obs):
    value = {"a": [1, 2, {"b": None}], "s": "é"}
    encoded = pipes.encode_env_var(value)
    obs.record("decoded", pipes.decode_env_var(encoded))
    obs.record("is_str", isinstance(encoded, str))
    obs.record("same_as_param", pipes.encode_param(value) == encoded)
    obs.record("param_decoded", pipes.decode_param(pipes.encode_param(value)))


def _in_process_session(obs, context_data, extras=None):
    """Open a session in this process as an orchestrator would launch it; return the
    context and the path messages go to."""
    path = os.path.join(obs.tmp, "messages.jsonl")
    data = {
        "asset_keys": ["a"],
        "code_version_by_asset_key": {"a": None},
        "provenance_by_asset_key": {"a": None},
        "partition_key": None,
        "partition_key_range": None,
        "partition_time_window": None,
        "run_id": "r1",
        "job_name": "j",
        "retry_number": 0,
        "extras": extras or {},
    }
    data.update(context_data)
    loader = pipes.PipesMappingParamsLoader(
        {
            "DAGSTER_PIPES_CONTEXT": pipes.encode_env_var({"data": data}),
            "DAGSTER_PIPES_MESSAGES": pipes.encode_env_var({"path": path}),
        }
    )
    pipes.PipesContext._instance = None
    return pipes.open_dagster_pipes(params_loader=loader), path


def _messages(path):
    out = []
    with open(path) as f:
        for line in f:
            message = json.loads(line)
            params = message.get("params") or {}
            if message["method"] in ("opened", "closed"):
                params = sorted(params) if isinstance(params, dict) else params
            out.append([message["method"], params, message.get("__dagster_pipes_version")])
    return out


@scenario
@quiet_preview
def in_process_session_messages(obs):
    context, path = _in_process_session(obs, {})
    context.report_asset_materialization(metadata={"n": 1}, data_version="v")
    context.report_custom_message({"x": 1})
    context.close()
    obs.record("messages", _messages(path))
    obs.record("is_closed", context.is_closed)


@scenario
@quiet_preview
def in_process_check_message(obs):
    context, path = _in_process_session(obs, {})
    context.report_asset_check(
        "c", passed=False, severity="WARN", metadata={"m": {"raw_value": "u", "type": "url"}}
    )
    context.close()
    obs.record("messages", _messages(path))


@scenario
@quiet_preview
def in_process_log_messages(obs):
    context, path = _in_process_session(obs, {})
    context.log.info("hello")
    context.log.warning("careful")
    context.close()
    obs.record("messages", [m for m in _messages(path) if m[0] == "log"])


@scenario
@quiet_preview
def in_process_context_fields(obs):
    context, _path = _in_process_session(
        obs,
        {
            "partition_key": "p",
            "partition_key_range": {"start": "p", "end": "p"},
            "code_version_by_asset_key": {"a": "v1"},
        },
        extras={"e": 1},
    )
    obs.record(
        "fields",
        {
            "asset_key": context.asset_key,
            "asset_keys": context.asset_keys,
            "partition_key": context.partition_key,
            "range": list(context.partition_key_range),
            "code_version": context.code_version,
            "code_version_by_asset_key": dict(context.code_version_by_asset_key),
            "extras": dict(context.extras),
            "extra": context.get_extra("e"),
            "job_name": context.job_name,
            "run_id": context.run_id,
            "retry_number": context.retry_number,
            "is_asset_step": context.is_asset_step,
            "is_partition_step": context.is_partition_step,
            "get_is_self": pipes.PipesContext.get() is context,
            "initialized": pipes.PipesContext.is_initialized(),
        },
    )
    context.close()


# Misuses of an open context, one scenario each: what is raised, and which words it uses.
IN_PROCESS_ERRORS = {
    "asset_key_of_two_assets": (lambda c: c.asset_key, ("asset_key",)),
    "partition_key_without_partitions": (lambda c: c.partition_key, ("partition",)),
    "missing_extra": (lambda c: c.get_extra("nope"), ("nope",)),
    "report_for_an_unknown_asset": (
        lambda c: c.report_asset_materialization(asset_key="zzz"),
        ("zzz",),
    ),
    "report_without_asset_key_for_two_assets": (
        lambda c: c.report_asset_materialization(),
        (),
    ),
    "non_string_data_version": (
        lambda c: c.report_asset_materialization(asset_key="a", data_version=5),
        (),
    ),
    "unknown_check_severity": (
        lambda c: c.report_asset_check("c", passed=True, severity="NOPE", asset_key="a"),
        (),
    ),
    "non_bool_passed": (
        lambda c: c.report_asset_check("c", passed="yes", asset_key="a"),
        (),
    ),
    "non_string_check_name": (
        lambda c: c.report_asset_check(3, passed=True, asset_key="a"),
        (),
    ),
}


def _in_process_error(name, call, fragments):
    def run(obs):
        context, _path = _in_process_session(obs, {"asset_keys": ["a", "b"]})
        try:
            obs.raises(lambda: call(context), *fragments)
        finally:
            context.close()

    scenario(run, name=f"in_process_error_{name}")


for _name, (_call, _fragments) in IN_PROCESS_ERRORS.items():
    _in_process_error(_name, _call, _fragments)


@scenario
@quiet_preview
def in_process_metadata_type_errors(obs):
    context, _path = _in_process_session(obs, {})
    obs.raises(
        lambda: context.report_asset_materialization(
            metadata={"x": {"raw_value": 1, "type": "nonsense"}}
        ),
        "nonsense",
        key="bad_type",
    )
    obs.raises(
        lambda: context.report_asset_materialization(metadata={"x": {"a": 1}}),
        "raw_value",
        key="plain_dict",
    )
    obs.raises(
        lambda: context.report_asset_materialization(metadata={1: 2}),
        key="int_key",
    )
    context.close()


@scenario
@quiet_preview
def in_process_report_after_close_raises(obs):
    context, _path = _in_process_session(obs, {})
    context.close()
    obs.raises(lambda: context.report_custom_message(1), "closed")
    obs.record("is_closed", context.is_closed)


@scenario
@quiet_preview
def in_process_exception_in_session_is_reported(obs):
    context, path = _in_process_session(obs, {})
    try:
        with context:
            raise KeyError("kaboom")
    except KeyError:
        obs.record("reraised", True)
    closed = [m for m in _messages(path) if m[0] == "closed"]
    with open(path) as f:
        last = json.loads(f.read().splitlines()[-1])
    exception = (last.get("params") or {}).get("exception") or {}
    obs.record("closed_count", len(closed))
    obs.record("exception_keys", sorted(exception))
    obs.record("exception_name", exception.get("name"))
    obs.record("exception_message", exception.get("message"))


@both
def asset_check_runs_pipes(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_asset_check("fresh", passed=True, asset_key="a", metadata={"age": 3})
        """,
        module,
    )
    seen = {}

    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a, name="fresh")
    def fresh(context, pipes_client: dg.PipesSubprocessClient):
        inv = pipes_client.run(
            command=[sys.executable, script], context=context.op_execution_context
        )
        result = inv.get_asset_check_result()
        seen["kind"] = type(result).__name__
        return result

    result = dg.materialize([a, fresh], resources={"pipes_client": client()})
    obs.record("success", result.success)
    obs.record("seen", seen)
    obs.check_evaluations(result)


# --- signatures -----------------------------------------------------------------------------

SIGNATURES = {
    "PipesSubprocessClient": lambda: dg.PipesSubprocessClient,
    "PipesSubprocessClient_run": lambda: dg.PipesSubprocessClient.run,
    "open_pipes_session": lambda: dg.open_pipes_session,
    "PipesTempFileContextInjector": lambda: dg.PipesTempFileContextInjector,
    "PipesEnvContextInjector": lambda: dg.PipesEnvContextInjector,
    "PipesFileContextInjector": lambda: dg.PipesFileContextInjector,
    "PipesTempFileMessageReader": lambda: dg.PipesTempFileMessageReader,
    "PipesFileMessageReader": lambda: dg.PipesFileMessageReader,
    "get_results": lambda: dg.PipesClientCompletedInvocation.get_results,
    "get_materialize_result": lambda: dg.PipesClientCompletedInvocation.get_materialize_result,
    "get_asset_check_result": lambda: dg.PipesClientCompletedInvocation.get_asset_check_result,
    "external_open_dagster_pipes": lambda: pipes.open_dagster_pipes,
    "external_report_asset_materialization": lambda: (
        pipes.PipesContext.report_asset_materialization
    ),
    "external_report_asset_check": lambda: pipes.PipesContext.report_asset_check,
    "external_report_custom_message": lambda: pipes.PipesContext.report_custom_message,
    "external_get_extra": lambda: pipes.PipesContext.get_extra,
    "external_PipesMappingParamsLoader": lambda: pipes.PipesMappingParamsLoader,
    "external_PipesFileMessageWriterChannel": lambda: pipes.PipesFileMessageWriterChannel,
}


def _signature_scenario(name, get):
    def run(obs):
        obs.signature("signature", get())

    scenario(run, name=f"signature_{name}")


for _name, _get in SIGNATURES.items():
    _signature_scenario(_name, _get)


@both
def client_with_file_injector_and_reader(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"via": "files"})
        """,
        module,
    )

    @dg.asset
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        return pipes_client.run(command=[sys.executable, script], context=context).get_results()

    pipes_client = dg.PipesSubprocessClient(
        context_injector=dg.PipesFileContextInjector(os.path.join(obs.tmp, "ctx.json")),
        message_reader=dg.PipesFileMessageReader(os.path.join(obs.tmp, "msgs.jsonl")),
    )
    result = dg.materialize([a], resources={"pipes_client": pipes_client})
    obs.metadata("metadata", result.asset_materializations_for_node("a")[0].metadata)


@both
def yield_from_get_results(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"n": 1})
            c.report_asset_check("ok", passed=True)
        """,
        module,
    )

    @dg.asset(check_specs=[dg.AssetCheckSpec("ok", asset="a")])
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        yield from pipes_client.run(command=[sys.executable, script], context=context).get_results()

    result = dg.materialize([a], resources={"pipes_client": client()})
    obs.record("success", result.success)
    obs.record("step_events", step_events(result))
    obs.check_evaluations(result)


@both
def external_logs_reach_the_run_log(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.log.debug("debug line")
            c.log.info("info line")
            c.log.warning("warning line")
            c.log.error("error line")
            c.log.critical("critical line")
        """,
        module,
    )

    @dg.asset
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        return pipes_client.run(command=[sys.executable, script], context=context).get_results()

    with dg.instance_for_test() as instance:
        result = dg.materialize([a], resources={"pipes_client": client()}, instance=instance)
        lines = [
            [e.level, e.user_message]
            for e in instance.all_logs(result.run_id)
            if e.dagster_event is None and e.user_message.endswith(" line")
        ]
    obs.record("lines", lines)


@both
def the_external_logger_is_a_logging_logger(obs, module):
    # Taken first and used later, as a script that binds `log = c.log` does: what it is, and
    # what a user's handler, filter, level, exc_info and extra do to what the run receives.
    script = write_script(
        obs,
        """
        import logging

        with open_dagster_pipes() as c:
            log = c.log
            facts = {
                "is_logger": isinstance(log, logging.Logger),
                "same": log is c.log,
                "level": log.level,
                "propagate": log.propagate,
                "parent": log.parent is None,
                "handlers": len(log.handlers),
                "debug_enabled": log.isEnabledFor(logging.DEBUG),
            }
            seen = []

            class Keep(logging.Handler):
                def emit(self, record):
                    seen.append([record.levelname, record.getMessage(), record.funcName])

            keep = Keep()
            log.addHandler(keep)
            log.info("kept %s", "line")
            log.removeHandler(keep)
            log.addFilter(lambda record: "secret" not in record.getMessage())
            log.warning("secret line")
            log.warning("public line")
            log.filters.clear()
            try:
                raise ValueError("boom")
            except ValueError:
                log.exception("exception line")
            log.error("extra line", extra={"k": 1})
            facts["seen"] = seen
            c.report_custom_message(facts)
        """,
        module,
    )
    facts = []

    @dg.asset
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        invocation = pipes_client.run(command=[sys.executable, script], context=context)
        facts.extend(invocation.get_custom_messages())
        return invocation.get_results()

    with dg.instance_for_test() as instance:
        result = dg.materialize([a], resources={"pipes_client": client()}, instance=instance)
        lines = [
            [e.level, e.user_message]
            for e in instance.all_logs(result.run_id)
            if e.dagster_event is None and e.user_message.endswith(" line")
        ]
    obs.record("success", result.success)
    obs.record("facts", facts)
    obs.record("lines", lines)


@both
def op_reporting_a_materialization_fails_the_process(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"n": 1})
        """,
        module,
    )

    @dg.op
    def o(context: dg.OpExecutionContext, pipes_client: dg.PipesSubprocessClient):
        pipes_client.run(command=[sys.executable, script], context=context).get_results()

    @dg.job(resource_defs={"pipes_client": client()})
    def j():
        o()

    raises_pipes_failure(obs, j.execute_in_process, 1)


@both
def non_json_custom_message_fails_the_process(obs, module):
    raises_pipes_failure(
        obs,
        lambda: run_asset(
            obs,
            module,
            """
            with open_dagster_pipes() as c:
                c.report_custom_message(object())
            """,
        ),
        1,
    )


@both
def bootstrap_env_vars_seen_by_the_process(obs, module):
    hold = {}
    run_asset(
        obs,
        module,
        """
        import os
        with open_dagster_pipes() as c:
            c.report_custom_message(sorted(k for k in os.environ if k.startswith("DAGSTER_PIPES")))
        """,
        hold=hold,
    )
    obs.record("env", list(hold["invocation"].get_custom_messages()))


@both
def code_version_and_provenance_seen_by_the_process(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            p = c.provenance
            c.report_custom_message({
                "code_version": c.code_version,
                "provenance": None if p is None else {
                    "code_version": p["code_version"],
                    "inputs": sorted(p["input_data_versions"]),
                    "is_user_provided": p["is_user_provided"],
                },
            })
            c.report_asset_materialization(data_version="dv1")
        """,
        module,
    )
    seen = []

    @dg.asset(code_version="cv1")
    def a(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        inv = pipes_client.run(command=[sys.executable, script], context=context)
        seen.extend(inv.get_custom_messages())
        return inv.get_results()

    with dg.instance_for_test() as instance:
        dg.materialize([a], resources={"pipes_client": client()}, instance=instance)
        dg.materialize([a], resources={"pipes_client": client()}, instance=instance)
    obs.record("first", seen[0])
    obs.record("second", seen[1])


@both
def upstream_versions_in_the_provenance(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            p = c.provenance
            c.report_custom_message(None if p is None else sorted(p["input_data_versions"]))
        """,
        module,
    )
    seen = []

    @dg.asset
    def up():
        return 1

    @dg.asset(deps=[up])
    def down(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        inv = pipes_client.run(command=[sys.executable, script], context=context)
        seen.extend(inv.get_custom_messages())
        return inv.get_results()

    with dg.instance_for_test() as instance:
        dg.materialize([up, down], resources={"pipes_client": client()}, instance=instance)
        dg.materialize([up, down], resources={"pipes_client": client()}, instance=instance)
    obs.record("seen", seen)


@both
def get_materialize_result_of_a_multi_asset_raises(obs, module):
    script = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            for key in c.asset_keys:
                c.report_asset_materialization(asset_key=key)
        """,
        module,
    )
    hold = {}

    @dg.multi_asset(specs=[dg.AssetSpec("m1"), dg.AssetSpec("m2")])
    def both_assets(context: dg.AssetExecutionContext, pipes_client: dg.PipesSubprocessClient):
        inv = pipes_client.run(command=[sys.executable, script], context=context)
        hold["invocation"] = inv
        return inv.get_results()

    dg.materialize([both_assets], resources={"pipes_client": client()})
    obs.raises(hold["invocation"].get_materialize_result, "get_results()")


@both
def get_results_without_implicit_materializations(obs, module):
    hold = {}
    run_asset(obs, module, "print('silent')\n", hold=hold)
    invocation = hold["invocation"]
    obs.record("implicit", len(invocation.get_results()))
    obs.record("explicit_only", len(invocation.get_results(implicit_materializations=False)))
    obs.raises(
        lambda: invocation.get_materialize_result(implicit_materialization=False),
        key="no_materialization",
    )


@scenario
@quiet_preview
def in_process_open_twice_returns_the_same_context(obs):
    context, _path = _in_process_session(obs, {})
    again = pipes.open_dagster_pipes()
    obs.record("same", again is context)
    context.close()
    context.close()  # closing twice is harmless
    obs.record("closed", context.is_closed)
    pipes.PipesContext._instance = None


def _run_external(obs, body, messages_params, context_data=None):
    """Run an external script (the implementation's own module) with the given params;
    return its stdout and stderr lines."""
    data = {
        "asset_keys": ["a"],
        "code_version_by_asset_key": {"a": None},
        "provenance_by_asset_key": {"a": None},
        "partition_key": None,
        "partition_key_range": None,
        "partition_time_window": None,
        "run_id": "r1",
        "job_name": "j",
        "retry_number": 0,
        "extras": {},
        **(context_data or {}),
    }
    script = write_script(obs, body, pipes.__name__)
    env = dict(
        os.environ,
        DAGSTER_PIPES_CONTEXT=pipes.encode_env_var({"data": data}),
        DAGSTER_PIPES_MESSAGES=pipes.encode_env_var(messages_params),
    )
    done = subprocess.run(
        [sys.executable, script], env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout.splitlines(), done.stderr.splitlines()


def _methods(lines):
    found = []
    for line in lines:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and "__dagster_pipes_version" in message:
            found.append(message["method"])
    return found


@scenario
def stdio_writer_sends_messages_to_stderr(obs):
    code, out, err = _run_external(
        obs,
        """
        with open_dagster_pipes() as c:
            c.log.info("hi")
            c.report_asset_materialization()
        """,
        {"stdio": "stderr"},
    )
    obs.record("code", code)
    obs.record("stdout_methods", _methods(out))
    obs.record("stderr_methods", _methods(err))


@scenario
def stdio_writer_sends_messages_to_stdout(obs):
    code, out, err = _run_external(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_custom_message("x")
        """,
        {"stdio": "stdout"},
    )
    obs.record("code", code)
    obs.record("stdout_methods", _methods(out))
    obs.record("stderr_methods", _methods(err))


@scenario
def inline_context_and_file_messages_in_a_subprocess(obs):
    path = os.path.join(obs.tmp, "out.jsonl")
    code, _out, _err = _run_external(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_asset_materialization(metadata={"k": c.get_extra("k")})
        """,
        {"path": path},
        {"extras": {"k": "v"}},
    )
    obs.record("code", code)
    obs.record("messages", _messages(path))


@scenario
def exception_in_a_subprocess_is_reported_when_closed(obs):
    path = os.path.join(obs.tmp, "out.jsonl")
    code, _out, err = _run_external(
        obs,
        """
        with open_dagster_pipes() as c:
            raise RuntimeError("external failure")
        """,
        {"path": path},
    )
    with open(path) as f:
        last = json.loads(f.read().splitlines()[-1])
    exception = (last.get("params") or {}).get("exception") or {}
    obs.record("code", code)
    obs.record("last_method", last["method"])
    obs.record("name", exception.get("name"))
    obs.record("message", exception.get("message"))
    obs.record("traceback_on_stderr", any("external failure" in line for line in err))


# --- blob-store readers and writers: a custom store in a local folder ---------------------


def local_blob_reader(root):
    """A ``PipesBlobStoreMessageReader`` for chunks written as ``<root>/<n>.json``."""
    import contextlib

    class LocalFolderReader(dg.PipesBlobStoreMessageReader):
        @contextlib.contextmanager
        def get_params(self):
            yield {"path": root}

        def messages_are_readable(self, params):
            return os.path.isdir(params["path"])

        def download_messages_chunk(self, index, params):
            chunk = os.path.join(params["path"], f"{index}.json")
            if not os.path.exists(chunk):
                return None
            with open(chunk) as f:
                return f.read()

        def no_messages_debug_text(self):
            return f"chunks were expected in {root}"

    return LocalFolderReader(interval=0.05)


BLOB_WRITER = """
class LocalFolderWriter(p.PipesBlobStoreMessageWriter):
    def make_channel(self, params):
        return p.PipesBufferedFilesystemMessageWriterChannel(params["path"], interval=0.05)

with open_dagster_pipes(message_writer=LocalFolderWriter(interval=0.05)) as c:
"""


@both
def blob_store_reader_and_writer(obs, module):
    root = os.path.join(obs.tmp, "chunks")
    os.mkdir(root)
    script = write_script(
        obs,
        BLOB_WRITER
        + """
    c.log.info("via chunks")
    c.report_asset_materialization(metadata={"n": 7})
    c.report_custom_message("chunked")
""",
        module,
    )
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext):
        reader = local_blob_reader(root)
        with dg.open_pipes_session(
            context=context,
            context_injector=dg.PipesEnvContextInjector(),
            message_reader=reader,
        ) as session:
            env = dict(os.environ, **session.get_bootstrap_env_vars())
            done = subprocess.run([sys.executable, script], env=env, check=False)
            seen["code"] = done.returncode
        seen["custom"] = list(session.get_custom_messages())
        seen["chunks"] = sorted(os.listdir(root))
        seen["counter"] = reader.counter
        return session.get_results()

    result = dg.materialize([a])
    obs.record("seen", seen)
    obs.metadata("metadata", result.asset_materializations_for_node("a")[0].metadata)


@scenario
def blob_store_reader_is_abstract(obs):
    obs.raises(dg.PipesBlobStoreMessageReader, "abstract")
    obs.raises(dg.PipesLogReader, "abstract", key="log_reader")
    obs.signature("signature", dg.PipesBlobStoreMessageReader)


@scenario
def external_module_constants(obs):
    obs.record(
        "constants",
        {
            name: getattr(pipes, name)
            for name in (
                "DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT",
                "DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT",
                "DAGSTER_PIPES_CONTEXT_WIDGET_KEY",
                "DAGSTER_PIPES_MESSAGES_WIDGET_KEY",
                "ESCAPE_CHARACTER",
                "PIPES_METADATA_TYPE_INFER",
                "PIPES_PROTOCOL_VERSION_FIELD",
            )
        },
    )
    obs.record("methods", list(pipes.Method.__args__))


@scenario
def external_cli_parser_reads_the_pipes_arguments(obs):
    args, rest = pipes.DAGSTER_PIPES_CLI_PARSER.parse_known_args(
        ["--dagster-pipes-context", "ctx", "--other", "x", "--dagster-pipes-messages", "msg"]
    )
    obs.record("parsed", [args.dagster_pipes_context, args.dagster_pipes_messages, rest])


@scenario
def external_to_asset_key_path(obs):
    cases = ["a/b", "a\\/b/c", "", "x/", "/lead", "a\\\\b", "one"]
    obs.record("parts", {case: pipes.to_asset_key_path(case) for case in cases})


# --- several writers in one session -------------------------------------------------------


@both
def composite_reader_for_two_processes(obs, module):
    first = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_custom_message("from first")
            c.report_asset_materialization(metadata={"by": "first"})
        """,
        module,
        name="first.py",
    )
    second = write_script(
        obs,
        """
        with open_dagster_pipes() as c:
            c.report_custom_message("from second")
        """,
        module,
        name="second.py",
    )
    seen = {}

    @dg.asset
    def a(context: dg.AssetExecutionContext):
        reader = dg.PipesCompositeMessageReader(
            [
                dg.PipesFileMessageReader(os.path.join(obs.tmp, "one.jsonl")),
                dg.PipesFileMessageReader(os.path.join(obs.tmp, "two.jsonl")),
            ]
        )
        seen["expected_writers"] = reader.expected_writer_count
        with dg.open_pipes_session(
            context=context,
            context_injector=dg.PipesEnvContextInjector(),
            message_reader=reader,
        ) as session:
            per_writer = session.get_per_writer_bootstrap_env_vars()
            seen["writers"] = len(per_writer)
            seen["cli_writers"] = len(session.get_per_writer_bootstrap_cli_arguments())
            seen["messages_differ"] = (
                per_writer[0]["DAGSTER_PIPES_MESSAGES"] != per_writer[1]["DAGSTER_PIPES_MESSAGES"]
            )
            for script, env in zip([first, second], per_writer, strict=True):
                subprocess.run([sys.executable, script], env=dict(os.environ, **env), check=True)
        seen["custom"] = sorted(session.get_custom_messages())
        return session.get_results()

    result = dg.materialize([a])
    obs.record("seen", seen)
    obs.metadata("metadata", result.asset_materializations_for_node("a")[0].metadata)


@scenario
def composite_reader_needs_readers(obs):
    obs.raises(lambda: dg.PipesCompositeMessageReader([]), "at least one")
    inner = dg.PipesCompositeMessageReader([dg.PipesTempFileMessageReader()] * 2)
    obs.raises(lambda: dg.PipesCompositeMessageReader([inner]), "single-writer", key="nested")


# external-side utilities: ExcThread, T_LogChannel, CLI and DBFS loaders --------------------


@scenario
def exc_thread_runs_its_target(obs):
    seen = []
    thread = pipes.ExcThread(target=seen.append, args=(1,))
    thread.start()
    thread.join()
    obs.record("seen", seen)
    obs.record("is_thread", isinstance(thread, __import__("threading").Thread))
    obs.record("no_exceptions", thread.exceptions.empty())


@scenario
def exc_thread_keeps_the_exception(obs):
    def boom():
        raise ValueError("in the thread")

    thread = pipes.ExcThread(target=boom)
    thread.start()
    # Joining writes the traceback to stderr (the reference's join fails while writing it);
    # what the thread kept is the same in both.
    super(pipes.ExcThread, thread).join()
    kind, value, _ = thread.exceptions.get()
    obs.record("kept", [kind.__name__, str(value)])


@scenario
def t_log_channel_is_a_type_variable(obs):
    import typing

    obs.record("is_typevar", isinstance(pipes.T_LogChannel, typing.TypeVar))
    obs.record("name", pipes.T_LogChannel.__name__)


@scenario
def cli_args_params_loader_reads_sys_argv(obs):
    previous = sys.argv
    sys.argv = [
        "script.py",
        "--dagster-pipes-context",
        pipes.encode_param({"data": {"a": 1}}),
        "--dagster-pipes-messages",
        pipes.encode_param({"path": "/m"}),
    ]
    try:
        loader = pipes.PipesCliArgsParamsLoader()
        obs.record("is_pipes", loader.is_dagster_pipes_process())
        obs.record("context", loader.load_context_params())
        obs.record("messages", loader.load_messages_params())
    finally:
        sys.argv = previous


@scenario
def dbfs_loader_and_writer_take_no_paths(obs):
    obs.signature("loader", pipes.PipesDbfsContextLoader)
    obs.signature("writer", pipes.PipesDbfsMessageWriter)
    obs.signature("cli", pipes.PipesCliArgsParamsLoader)
    obs.record("interval", pipes.PipesDbfsMessageWriter(interval=3).interval)


@scenario
def dbfs_writer_channel_writes_under_dbfs(obs):
    channel = pipes.PipesDbfsMessageWriter(interval=3600).make_channel({"path": "/tmp/x"})
    obs.kind("channel", channel)
    obs.raises(lambda: pipes.PipesDbfsMessageWriter().make_channel({}), "path", key="missing_path")


@scenario
def dbfs_writer_opened_payload_without_pyspark(obs):
    obs.raises(lambda: pipes.PipesDbfsMessageWriter().get_opened_payload())
