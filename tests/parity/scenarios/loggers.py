"""Loggers: logger definitions, run config ``loggers:``, get_dagster_logger, the defaults."""

import logging

from _harness import dg, scenario


class _Collect(logging.Handler):
    def __init__(self, into):
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record):
        self.into.append(record)


def _collecting_logger(records, seen_configs=None, *, config_schema=None):
    @dg.logger(config_schema=config_schema, description="collects")
    def collecting(init_context):
        if seen_configs is not None:
            seen_configs.append(init_context.logger_config)
        built = logging.Logger("collecting", level=logging.DEBUG)
        built.addHandler(_Collect(records))
        return built

    return collecting


def _user_lines(records):
    # Lines user code logged: the records that carry no event. The reference keeps the
    # original message in the record's `dagster_meta`.
    lines = []
    for r in records:
        meta = getattr(r, "dagster_meta", None) or {}
        if not meta.get("dagster_event"):
            lines.append([r.levelname, meta.get("orig_message"), meta.get("step_key")])
    return lines


@scenario
def logger_decorator_builds_a_definition(obs):
    @dg.logger(config_schema={"level": str}, description="mine")
    def mine(init_context):
        return logging.Logger("mine")

    obs.kind("kind", mine)
    obs.record("description", mine.description)


@scenario
def bare_logger_decorator(obs):
    @dg.logger
    def mine(init_context):
        return logging.Logger("mine")

    obs.kind("kind", mine)
    obs.record("description", mine.description)


@scenario
def logger_definition_constructor(obs):
    definition = dg.LoggerDefinition(lambda ctx: logging.Logger("x"), description="d")
    obs.kind("kind", definition)
    obs.record("description", definition.description)


@scenario
def selected_logger_receives_user_log_lines(obs):
    records = []

    @dg.op
    def a(context):
        context.log.info("hello")
        context.log.warning("careful")
        return 1

    @dg.job(logger_defs={"collect": _collecting_logger(records)})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"collect": {}}})
    obs.record("lines", _user_lines(records))


@scenario
def selected_logger_receives_run_events(obs):
    records = []

    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"collect": _collecting_logger(records)})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"collect": {}}})
    kinds = {
        (getattr(r, "dagster_meta", None) or {}).get("dagster_event") is not None for r in records
    }
    obs.record("has_event_records", True in kinds)
    messages = [r.getMessage() for r in records]
    obs.record("mentions_step_start", any("STEP_START" in m for m in messages))
    obs.record("mentions_run_success", any("RUN_SUCCESS" in m for m in messages))


@scenario
def user_line_format_names_job_and_step(obs):
    records = []

    @dg.op
    def a(context):
        context.log.info("hello")

    @dg.job(logger_defs={"collect": _collecting_logger(records)})
    def j():
        a()

    result = j.execute_in_process(run_config={"loggers": {"collect": {}}})
    line = next(r.getMessage() for r in records if r.getMessage().endswith("hello"))
    obs.record("line", line.replace(result.run_id, "<run_id>"))


@scenario
def logger_not_named_in_run_config_is_not_built(obs):
    configs = []

    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"collect": _collecting_logger([], configs)})
    def j():
        a()

    j.execute_in_process()
    obs.record("built", bool(configs))


@scenario
def only_the_named_logger_is_built(obs):
    first, second = [], []

    @dg.op
    def a():
        return 1

    @dg.job(
        logger_defs={
            "one": _collecting_logger([], first),
            "two": _collecting_logger([], second),
        }
    )
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"one": {}}})
    obs.record("built", [bool(first), bool(second)])


@scenario
def logger_config_reaches_the_logger(obs):
    configs = []

    @dg.op
    def a():
        return 1

    collect = _collecting_logger(
        [], configs, config_schema={"level": dg.Field(str, default_value="INFO")}
    )

    @dg.job(logger_defs={"collect": collect})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"collect": {"config": {"level": "DEBUG"}}}})
    obs.record("configs", configs[:1])
    configs.clear()
    j.execute_in_process(run_config={"loggers": {"collect": {}}})
    obs.record("defaults", configs[:1])


@scenario
def unknown_logger_in_run_config_is_a_config_error(obs):
    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"collect": _collecting_logger([])})
    def j():
        a()

    obs.raises(
        lambda: j.execute_in_process(run_config={"loggers": {"nope": {}}}), "nope", "loggers"
    )


@scenario
def bad_logger_config_is_a_config_error(obs):
    @dg.op
    def a():
        return 1

    collect = _collecting_logger([], config_schema={"level": int})

    @dg.job(logger_defs={"collect": collect})
    def j():
        a()

    obs.raises(
        lambda: j.execute_in_process(
            run_config={"loggers": {"collect": {"config": {"level": "high"}}}}
        ),
        "level",
    )


@scenario
def console_logger_is_configurable_without_logger_defs(obs):
    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a()

    result = j.execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    )
    obs.record("success", result.success)


@scenario
def console_logger_unknown_config_field(obs):
    @dg.op
    def a():
        return 1

    @dg.job
    def j():
        a()

    obs.raises(
        lambda: j.execute_in_process(
            run_config={"loggers": {"console": {"config": {"colour": True}}}}
        ),
        "colour",
    )


@scenario
def json_console_logger_as_a_job_logger(obs):
    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"json": dg.json_console_logger})
    def j():
        a()

    result = j.execute_in_process(
        run_config={"loggers": {"json": {"config": {"log_level": "CRITICAL"}}}}
    )
    obs.record("success", result.success)


@scenario
def get_dagster_logger_lines_reach_the_run_loggers(obs):
    records = []

    @dg.op
    def a():
        dg.get_dagster_logger().info("from helper")
        dg.get_dagster_logger("child").warning("from child")
        return 1

    @dg.job(logger_defs={"collect": _collecting_logger(records)})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"collect": {}}})
    obs.record("lines", _user_lines(records))


@scenario
def get_dagster_logger_is_a_python_logger(obs):
    base = dg.get_dagster_logger()
    child = dg.get_dagster_logger("child")
    obs.record("is_logger", isinstance(base, logging.Logger))
    obs.record("child_of_base", child.parent is base)
    obs.record("child_suffix", child.name.endswith(".child"))


@scenario
def default_loggers_is_the_console_logger(obs):
    defaults = dg.default_loggers()
    obs.record("keys", sorted(defaults))
    obs.record("is_console", defaults["console"] is dg.colored_console_logger)


@scenario
def default_system_loggers_console_at_debug(obs):
    loggers = dg.default_system_loggers(None)
    obs.record("count", len(loggers))
    definition, config = loggers[0]
    obs.record("is_console", definition is dg.colored_console_logger)
    obs.record("config", config)


@scenario
def builtin_logger_descriptions(obs):
    obs.record(
        "descriptions",
        [dg.colored_console_logger.description, dg.json_console_logger.description],
    )


@scenario
def build_init_logger_context_and_direct_call(obs):
    @dg.logger(config_schema={"name": str})
    def mine(init_context):
        return logging.Logger(init_context.logger_config["name"])

    context = dg.build_init_logger_context(logger_config={"name": "direct"})
    obs.kind("context_kind", context)
    obs.record("config", context.logger_config)
    built = mine(context)
    obs.record("built_name", built.name)


@scenario
def init_logger_context_fields(obs):
    seen = {}

    @dg.logger
    def mine(init_context):
        seen["job"] = init_context.job_def.name
        seen["has_run_id"] = isinstance(init_context.run_id, str)
        seen["def_is_mine"] = init_context.logger_def is mine
        return logging.Logger("mine")

    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"mine": mine})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"mine": {}}})
    obs.record("seen", seen)


@scenario
def init_logger_context_constructor(obs):
    context = dg.InitLoggerContext({"a": 1})
    obs.record("fields", [context.logger_config, context.logger_def, context.job_def])


@scenario
def colored_console_logger_builds_a_logger(obs):
    built = dg.colored_console_logger(
        dg.build_init_logger_context(logger_config={"name": "mine", "log_level": "WARNING"})
    )
    obs.record("is_logger", isinstance(built, logging.Logger))
    obs.record("name", built.name)
    obs.record("level", built.level)


@scenario
def json_log_formatter_writes_json(obs):
    import json

    record = logging.LogRecord("n", logging.INFO, "p", 1, "hello %s", ("you",), None)
    text = dg.JsonLogFormatter().format(record)
    data = json.loads(text)
    obs.record("msg", data["msg"])
    obs.record("levelname", data["levelname"])


@scenario
def logger_defs_are_on_the_job(obs):
    collect = _collecting_logger([])

    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"collect": collect})
    def j():
        a()

    obs.record("keys", sorted(j.loggers))
    obs.record("same", j.loggers["collect"] is collect)


@scenario
def graph_to_job_with_logger_defs(obs):
    records = []

    @dg.op
    def a(context):
        context.log.info("graph line")

    @dg.graph
    def g():
        a()

    job = g.to_job(logger_defs={"collect": _collecting_logger(records)})
    job.execute_in_process(run_config={"loggers": {"collect": {}}})
    obs.record("lines", _user_lines(records))


@scenario
def context_log_is_a_dagster_log_manager(obs):
    @dg.op
    def a(context):
        return isinstance(context.log, dg.DagsterLogManager)

    @dg.job
    def j():
        a()

    obs.record("isinstance", j.execute_in_process().output_for_node("a"))


@scenario
def context_log_methods(obs):
    @dg.op
    def a(context):
        context.log.debug("d")
        context.log.info("i %s", "arg")
        context.log.warning("w")
        context.log.error("e")
        context.log.critical("c")
        try:
            raise ValueError("x")
        except ValueError:
            context.log.exception("ex")
        return True

    @dg.job
    def j():
        a()

    obs.record("ran", j.execute_in_process().output_for_node("a"))


@scenario
def configured_logger_with_fixed_config(obs):
    configs = []
    base = _collecting_logger(
        [],
        configs,
        config_schema={"level": dg.Field(str, default_value="INFO"), "name": str},
    )
    fixed = base.configured({"name": "x"})

    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"f": fixed})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"f": {}}})
    obs.kind("kind", fixed)
    obs.record("configs", configs[:1])


@scenario
def configured_logger_with_a_config_function(obs):
    configs = []
    base = _collecting_logger(
        [],
        configs,
        config_schema={"level": dg.Field(str, default_value="INFO"), "name": str},
    )
    mapped = base.configured(lambda c: {"name": c["n"] * 2}, config_schema={"n": str})

    @dg.op
    def a():
        return 1

    @dg.job(logger_defs={"m": mapped})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"m": {"config": {"n": "ab"}}}})
    obs.record("configs", configs[:1])


def _event_levels(records, kinds):
    levels = {}
    for r in records:
        message = r.getMessage()
        for kind in kinds:
            if f" - {kind} - " in message:
                levels.setdefault(kind, r.levelname)
    return levels


@scenario
def event_record_levels_on_failure(obs):
    records = []

    @dg.op
    def boom():
        raise ValueError("no")

    @dg.job(logger_defs={"collect": _collecting_logger(records)})
    def j():
        boom()

    j.execute_in_process(run_config={"loggers": {"collect": {}}}, raise_on_error=False)
    kinds = ["RUN_START", "STEP_START", "STEP_FAILURE", "RUN_FAILURE"]
    obs.record("levels", _event_levels(records, kinds))


@scenario
def logger_level_filters_records(obs):
    records = []

    @dg.logger
    def warn_only(init_context):
        built = logging.Logger("warn_only", level=logging.WARNING)
        built.addHandler(_Collect(records))
        return built

    @dg.op
    def a(context):
        context.log.info("quiet")
        context.log.warning("loud")
        return 1

    @dg.job(logger_defs={"w": warn_only})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"w": {}}})
    obs.record("lines", _user_lines(records))


@scenario
def two_loggers_both_receive(obs):
    first, second = [], []

    @dg.op
    def a(context):
        context.log.info("to both")

    @dg.job(logger_defs={"one": _collecting_logger(first), "two": _collecting_logger(second)})
    def j():
        a()

    j.execute_in_process(run_config={"loggers": {"one": {}, "two": {}}})
    obs.record("first", _user_lines(first))
    obs.record("second", _user_lines(second))


@scenario
def definitions_loggers_go_to_jobs_without_their_own(obs):
    built = []

    @dg.logger
    def shared(init_context):
        built.append(init_context.job_def.name)
        return logging.Logger("shared")

    @dg.logger
    def own(init_context):
        return logging.Logger("own")

    @dg.op
    def a():
        return 1

    @dg.job
    def plain():
        a()

    @dg.job(logger_defs={"own": own})
    def with_own():
        a()

    defs = dg.Definitions(jobs=[plain, with_own], loggers={"shared": shared})
    obs.record("plain", sorted(defs.get_job_def("plain").loggers))
    obs.record("with_own", sorted(defs.get_job_def("with_own").loggers))
    defs.get_job_def("plain").execute_in_process(run_config={"loggers": {"shared": {}}})
    obs.record("built_for", sorted(set(built)))


# names, colours and the instance's level -----------------------------------------------------


@scenario
def get_dagster_logger_names(obs):
    obs.record("base", dg.get_dagster_logger().name)
    obs.record("child", dg.get_dagster_logger("io").name)
    obs.record("parent_of_child", dg.get_dagster_logger("io").parent.name)
    obs.record("root_level_is_debug", logging.getLogger("dagster").level == logging.DEBUG)


@scenario
def get_dagster_logger_child_lines_reach_the_step_log(obs):
    @dg.op
    def talk():
        dg.get_dagster_logger("helper").info("from a helper")

    @dg.job
    def j():
        talk()

    with dg.instance_for_test() as instance:
        result = j.execute_in_process(instance=instance)
        messages = [
            [e.step_key, e.user_message]
            for e in instance.all_logs(result.run_id)
            if e.dagster_event is None
        ]
    obs.record("success", result.success)
    obs.record("messages", messages)


def _console_lines(tty):
    import io
    import re
    import sys

    class Stdout(io.StringIO):
        def isatty(self):
            return tty

    stream = io.StringIO()
    previous = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Stdout(), stream
    try:
        built = dg.colored_console_logger.logger_fn(
            dg.build_init_logger_context(logger_config={"name": "x", "log_level": "DEBUG"})
        )
        built.info("i")
        built.error("e")
        built.critical("c")
    finally:
        sys.stdout, sys.stderr = previous
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", "<T>", stream.getvalue())
    return text.splitlines()


@scenario
def colored_console_logger_colours_a_terminal(obs):
    obs.record("lines", _console_lines(True))


@scenario
def colored_console_logger_plain_when_not_a_terminal(obs):
    obs.record("lines", _console_lines(False))


@scenario
def default_system_loggers_read_the_instance_level(obs):
    loggers = dg.default_system_loggers(None)
    obs.record("without_instance", [[d is dg.colored_console_logger, c] for d, c in loggers])
    with dg.instance_for_test(overrides={"python_logs": {"python_log_level": "INFO"}}) as inst:
        obs.record("instance_level", inst.python_log_level)
        loggers = dg.default_system_loggers(inst)
        obs.record("with_instance", [c for _, c in loggers])
    with dg.instance_for_test() as plain:
        obs.record("plain_level", plain.python_log_level)
        obs.record("plain", [c for _, c in dg.default_system_loggers(plain)])
