"""Loggers: definitions, run config selection, dispatch, get_dagster_logger capture."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidConfigError


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _collecting(handler: _Collect, configs: list[Any] | None = None) -> dg.LoggerDefinition:
    @dg.logger(config_schema={"level": dg.Field(str, default_value="DEBUG")})
    def collecting(init_context: dg.InitLoggerContext) -> logging.Logger:
        if configs is not None:
            configs.append(init_context.logger_config)
        built = logging.Logger("collecting", level=init_context.logger_config["level"])
        built.addHandler(handler)
        return built

    return collecting


@dg.op
def chatty(context: dg.OpExecutionContext) -> int:
    context.log.info("from context")
    dg.get_dagster_logger().warning("from helper")
    return 1


def test_selected_logger_gets_events_and_user_lines() -> None:
    handler = _Collect()

    @dg.job(logger_defs={"collect": _collecting(handler)})
    def j() -> None:
        chatty()

    result = j.execute_in_process(run_config={"loggers": {"collect": {}}})
    lines = [r.getMessage() for r in handler.records]
    assert f"j - {result.run_id} - chatty - from context" in lines
    assert f"j - {result.run_id} - chatty - from helper" in lines
    assert any(" - chatty - STEP_START - " in line for line in lines)
    assert lines[-1].endswith('RUN_SUCCESS - Finished execution of run for "j".')


def test_logger_config_is_processed_and_given_to_the_logger() -> None:
    configs: list[Any] = []

    @dg.job(logger_defs={"collect": _collecting(_Collect(), configs)})
    def j() -> None:
        chatty()

    j.execute_in_process(run_config={"loggers": {"collect": {"config": {"level": "INFO"}}}})
    j.execute_in_process(run_config={"loggers": {"collect": {}}})
    assert configs == [{"level": "INFO"}, {"level": "DEBUG"}]


def test_no_logger_is_built_unless_run_config_names_it() -> None:
    configs: list[Any] = []

    @dg.job(logger_defs={"collect": _collecting(_Collect(), configs)})
    def j() -> None:
        chatty()

    j.execute_in_process()
    assert configs == []


def test_unknown_logger_is_a_config_error_listing_the_known_ones() -> None:
    @dg.job(logger_defs={"collect": _collecting(_Collect())})
    def j() -> None:
        chatty()

    with pytest.raises(InvalidConfigError, match='unknown field "nope"; expected one of "collect"'):
        j.execute_in_process(run_config={"loggers": {"nope": {}}})


def test_get_dagster_logger_outside_a_step_is_a_plain_logger() -> None:
    base = dg.get_dagster_logger()
    assert isinstance(base, logging.Logger)
    assert (base.name, dg.get_dagster_logger("io").name) == (
        "dagster.builtin",
        "dagster.builtin.io",
    )
    assert dg.get_dagster_logger("io").parent is base
    base.debug("nobody is listening")  # no step: nothing captures it, nothing fails


def test_json_formatter_dumps_the_record() -> None:
    record = logging.LogRecord("n", logging.INFO, "p", 1, "hi %s", ("x",), None)
    assert json.loads(dg.JsonLogFormatter().format(record))["msg"] == "hi %s"


def test_console_logger_config_defaults() -> None:
    built = dg.colored_console_logger(
        dg.build_init_logger_context({"name": "n", "log_level": "ERROR"})
    )
    assert (built.name, built.level) == ("n", logging.ERROR)


def _console_output(monkeypatch: pytest.MonkeyPatch, *, tty: bool) -> list[str]:
    import io
    import re
    import sys

    class Stdout(io.StringIO):
        def isatty(self) -> bool:
            return tty

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Stdout())
    monkeypatch.setattr(sys, "stderr", err)
    built = dg.colored_console_logger.logger_fn(
        dg.build_init_logger_context({"name": "x", "log_level": "DEBUG"})
    )
    built.info("i")
    built.error("e")
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", "T", err.getvalue()).splitlines()


def test_console_logger_colours_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _console_output(monkeypatch, tty=True) == [
        "\x1b[32mT\x1b[0m - x - \x1b[34mINFO\x1b[0m - i",
        "\x1b[32mT\x1b[0m - x - \x1b[34mERROR\x1b[0m - \x1b[31me\x1b[0m",
    ]


def test_console_logger_is_plain_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _console_output(monkeypatch, tty=False) == ["T - x - INFO - i", "T - x - ERROR - e"]


def test_default_system_loggers_use_the_instance_level() -> None:
    with dg.instance_for_test(overrides={"python_logs": {"python_log_level": "warning"}}) as inst:
        assert inst.python_log_level == "WARNING"
        [(definition, config)] = dg.default_system_loggers(inst)
    assert definition is dg.colored_console_logger
    assert config == {"name": "dagster", "log_level": "WARNING"}
    assert dg.default_system_loggers(None)[0][1] == {"name": "dagster", "log_level": "DEBUG"}
