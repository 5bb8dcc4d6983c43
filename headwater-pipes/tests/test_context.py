"""PipesContext: what is in scope, reporting, closing, and the errors, asserted in full."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from headwater_pipes import (
    PipesContext,
    PipesError,
    PipesMappingParamsLoader,
    PipesWarning,
    open_dagster_pipes,
    open_pipes,
)
from hwp_helpers import make_context_data, open_file_session, read_messages

MULTI = make_context_data(
    asset_keys=["a", "b"],
    code_version_by_asset_key={"a": "1", "b": None},
    provenance_by_asset_key={"a": None, "b": None},
)
NO_ASSETS = make_context_data(
    asset_keys=None, code_version_by_asset_key=None, provenance_by_asset_key=None
)
PARTITIONED = make_context_data(
    partition_key="2024-01-02",
    partition_key_range={"start": "2024-01-02", "end": "2024-01-02"},
    partition_time_window={"start": "2024-01-02T00:00:00", "end": "2024-01-03T00:00:00"},
)
RANGE = make_context_data(
    partition_key=None,
    partition_key_range={"start": "2024-01-01", "end": "2024-01-07"},
    partition_time_window=None,
)
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def opened(tmp_path: Path, **data: Any) -> PipesContext:
    return open_file_session(tmp_path, make_context_data(**data))[0]


def test_single_asset_scope(tmp_path: Path) -> None:
    provenance = {
        "code_version": "v0",
        "input_data_versions": {"raw": "x"},
        "is_user_provided": False,
    }
    context = opened(tmp_path, provenance_by_asset_key={"orders": provenance})
    assert context.is_asset_step
    assert context.asset_key == "orders"
    assert context.asset_keys == ["orders"]
    assert context.code_version == "v1"
    assert context.code_version_by_asset_key == {"orders": "v1"}
    assert context.provenance == provenance
    assert context.provenance_by_asset_key == {"orders": provenance}
    assert (context.run_id, context.job_name, context.retry_number) == ("run-1", "nightly", 0)
    assert not context.is_partition_step
    assert PipesContext.get() is context
    assert PipesContext.is_initialized()


def test_several_assets_in_scope_name_them(tmp_path: Path) -> None:
    context = open_file_session(tmp_path, MULTI)[0]
    assert context.asset_keys == ["a", "b"]
    assert context.code_version_by_asset_key == {"a": "1", "b": None}
    for name in ("asset_key", "code_version", "provenance"):
        msg = (
            f"`{name}` is undefined: the current step targets 2 asset(s): 'a', 'b'; "
            "use the `..._by_asset_key` mapping or `asset_keys`"
        )
        with pytest.raises(PipesError, match=re.escape(msg)):
            getattr(context, name)


def test_no_assets_in_scope(tmp_path: Path) -> None:
    context = open_file_session(tmp_path, NO_ASSETS)[0]
    assert not context.is_asset_step
    for name in ("asset_key", "asset_keys", "code_version_by_asset_key", "provenance"):
        with pytest.raises(
            PipesError,
            match=re.escape(f"`{name}` is undefined: the current step targets no assets"),
        ):
            getattr(context, name)
    msg = (
        "`report_asset_materialization` needs an asset: the current step targets no assets; "
        "pass asset_key=..."
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        context.report_asset_materialization()


def test_partition_scope(tmp_path: Path) -> None:
    context = open_file_session(tmp_path, PARTITIONED)[0]
    assert context.is_partition_step
    assert context.partition_key == "2024-01-02"
    assert context.partition_key_range == {"start": "2024-01-02", "end": "2024-01-02"}
    assert context.partition_time_window == {
        "start": "2024-01-02T00:00:00",
        "end": "2024-01-03T00:00:00",
    }


def test_partition_range_says_which_partitions(tmp_path: Path) -> None:
    context = open_file_session(tmp_path, RANGE)[0]
    assert context.partition_key_range == {"start": "2024-01-01", "end": "2024-01-07"}
    assert context.partition_time_window is None
    msg = (
        "`partition_key` is undefined: the current step targets partitions '2024-01-01' to "
        "'2024-01-07'; use partition_key_range"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        context.partition_key


def test_no_partitions_in_scope(tmp_path: Path) -> None:
    context = opened(tmp_path)
    for name in ("partition_key", "partition_key_range", "partition_time_window"):
        msg = f"`{name}` is undefined: the current step targets no partitions"
        with pytest.raises(PipesError, match=re.escape(msg)):
            getattr(context, name)


def test_extras_and_traceparent(tmp_path: Path) -> None:
    context = opened(tmp_path, extras={"traceparent": TRACEPARENT, "table": "orders"})
    assert context.extras == {"traceparent": TRACEPARENT, "table": "orders"}
    assert context.get_extra("table") == "orders"
    assert context.traceparent == TRACEPARENT
    msg = (
        "extra 'tabel' is not defined; extras in scope: 'table', 'traceparent'; "
        "pass it in extras={...} where the orchestrator runs this process"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        context.get_extra("tabel")


def test_traceparent_is_none_when_absent(tmp_path: Path) -> None:
    context = opened(tmp_path)
    assert context.traceparent is None
    with pytest.raises(PipesError, match=re.escape("extras in scope: none;")):
        context.get_extra("x")


def test_reports_and_logs_are_sent_in_order_between_opened_and_closed(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    with context:
        context.log.warning("careful: %s", "x")
        context.report_asset_materialization(metadata={"rows": 3}, data_version="d1")
        context.report_asset_check("non_empty", passed=True)
        context.report_custom_message({"k": [1]})
    assert [(m["method"], m["params"]) for m in read_messages(path)] == [
        ("opened", {"extras": {}}),
        ("log", {"message": "careful: x", "level": "WARNING"}),
        (
            "report_asset_materialization",
            {
                "asset_key": "orders",
                "data_version": "d1",
                "metadata": {"rows": {"raw_value": 3, "type": "__infer__"}},
            },
        ),
        (
            "report_asset_check",
            {
                "asset_key": "orders",
                "check_name": "non_empty",
                "passed": True,
                "metadata": None,
                "severity": "ERROR",
            },
        ),
        ("report_custom_message", {"payload": {"k": [1]}}),
        ("closed", {}),
    ]


def test_close_is_idempotent_and_later_writes_raise(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    context.close()
    context.close()
    assert context.is_closed
    msg = (
        "cannot send 'report_custom_message': the Pipes context is closed; report and log "
        "inside `with open_pipes() as context:` or before context.close()"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        context.report_custom_message(1)
    with pytest.raises(PipesError, match="cannot send 'log': the Pipes context is closed"):
        context.log.info("late")
    assert [m["method"] for m in read_messages(path)] == ["opened", "closed"]


def test_failure_inside_the_context_is_sent_with_closed(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    with pytest.raises(ValueError, match="bad row"), context:
        raise ValueError("bad row")
    closed = read_messages(path)[-1]
    assert closed["method"] == "closed"
    exc = (closed["params"] or {})["exception"]
    assert (exc["name"], exc["message"], exc["cause"]) == (
        "ValueError",
        "ValueError: bad row\n",
        None,
    )
    assert "raise ValueError" in exc["stack"][-1]


def test_reporting_twice_for_one_asset_raises(tmp_path: Path) -> None:
    context = opened(tmp_path)
    context.report_asset_materialization()
    msg = (
        "`report_asset_materialization`: asset 'orders' was already reported materialized in "
        "this step; report each asset once, with all its metadata"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        context.report_asset_materialization()


def test_asset_key_must_be_in_scope_and_given_when_several(tmp_path: Path) -> None:
    context = open_file_session(tmp_path, MULTI)[0]
    msg = (
        "`report_asset_check` without asset_key is ambiguous: the current step targets 2 "
        "asset(s): 'a', 'b'; pass asset_key=... naming one of them"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        context.report_asset_check("c", passed=True)
    msg = (
        "`report_asset_materialization`: asset key 'z' is not in scope; the current step "
        "targets 2 asset(s): 'a', 'b'"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        context.report_asset_materialization(asset_key="z")
    context.report_asset_materialization(asset_key="b")


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda c: c.report_asset_materialization(metadata={"m": {"value": 1}}),
            "`report_asset_materialization`: metadata['m'] is a dict with keys ['value']; a "
            'dict value must be typed, {"raw_value": ..., "type": ...}; for a JSON value use '
            '{"raw_value": {...}, "type": "json"}',
        ),
        (
            lambda c: c.report_asset_check(
                "c", True, metadata={"m": {"raw_value": 1, "type": "money"}}
            ),
            "`report_asset_check`: metadata['m'] has unknown type 'money'; known types: text, "
            "url, path, notebook, json, md, float, int, bool, dagster_run, asset, null, table, "
            "table_schema, table_column_lineage, timestamp",
        ),
        (
            lambda c: c.report_asset_check("c", passed="yes"),
            "`report_asset_check`: passed must be a bool, got str 'yes'",
        ),
        (
            lambda c: c.report_asset_check("c", True, severity="FATAL"),
            "`report_asset_check`: severity must be 'WARN' or 'ERROR', got 'FATAL'",
        ),
        (
            lambda c: c.report_asset_materialization(data_version=3),
            "`report_asset_materialization`: data_version must be a str, got int 3",
        ),
        (
            lambda c: c.report_custom_message({1, 2}),
            "`report_custom_message`: payload must be JSON-serializable (Object of type set is "
            "not JSON serializable); convert it to dicts, lists, strings, numbers, booleans "
            "or None",
        ),
    ],
)
def test_invalid_reports_say_what_is_wrong(tmp_path: Path, call: Any, expected: str) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    with pytest.raises(PipesError, match=re.escape(expected)):
        call(context)
    context.close()
    assert [m["method"] for m in read_messages(path)] == ["opened", "closed"]


def test_open_returns_the_open_context_and_reopens_after_close(tmp_path: Path) -> None:
    context, _ = open_file_session(tmp_path, make_context_data())
    assert open_pipes() is context
    context.close()
    (tmp_path / "2").mkdir()
    assert open_file_session(tmp_path / "2", make_context_data())[0] is not context


def test_get_before_open_says_to_call_open_pipes() -> None:
    msg = (
        "PipesContext has not been initialized in this process; call open_pipes() "
        "(or open_dagster_pipes()) first"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        PipesContext.get()


def test_standalone_process_gets_a_no_op_stand_in() -> None:
    msg = (
        "this process was not launched through Pipes (no DAGSTER_PIPES_CONTEXT); the Pipes "
        "context is a stand-in and every report and log on it is a no-op"
    )
    with pytest.warns(PipesWarning, match=re.escape(msg)):
        context = open_dagster_pipes(params_loader=PipesMappingParamsLoader({}))
    with context as c:
        c.log.info("nobody listens")
        c.report_asset_materialization(metadata={"rows": 1})
        c.report_asset_check("x", passed=False)
        c.report_custom_message(object())
        assert c.get_extra("anything") is c
    context.close()
    assert PipesContext.get() is context


def test_standalone_warning_is_a_dagster_pipes_warning() -> None:
    import headwater_pipes

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        open_pipes(params_loader=PipesMappingParamsLoader({}))
    assert [w.category for w in caught] == [headwater_pipes.DagsterPipesWarning]
