"""Parity scenarios: partitioned config helpers and schedules built from partitioned jobs."""

import datetime
from typing import Any

from _harness import dg, scenario


def _req(r: Any) -> dict[str, Any]:
    return {
        "run_key": r.run_key,
        "run_config": dict(r.run_config),
        "tags": dict(r.tags),
        "job_name": r.job_name,
        "partition_key": r.partition_key,
    }


def _time_job(cfg: Any, name: str = "pjob") -> Any:
    @dg.op(config_schema={"start": str, "end": str})
    def window(context) -> str:
        return context.op_config["start"]

    @dg.job(config=cfg, name=name)
    def pjob() -> None:
        window()

    return pjob


def _window_cfg(start: Any, end: Any) -> dict[str, Any]:
    return {"ops": {"window": {"config": {"start": start.isoformat(), "end": end.isoformat()}}}}


def _tick(t: datetime.datetime) -> Any:
    return dg.build_schedule_context(scheduled_execution_time=t)


UTC = datetime.timezone.utc


# ---- static -----------------------------------------------------------------------------


@scenario
def static_config_values(obs):
    @dg.static_partitioned_config(partition_keys=["us", "eu"])
    def by_region(partition_key: str):
        return {"ops": {"o": {"config": {"region": partition_key}}}}

    obs.kind("kind", by_region)
    obs.record("keys", by_region.partitions_def.get_partition_keys())
    obs.record("cfg", by_region.get_run_config_for_partition_key("eu"))
    obs.record("tags", by_region.get_tags_for_partition_key("eu"))
    obs.kind("pdef_kind", by_region.partitions_def)


@scenario
def static_config_direct_call(obs):
    @dg.static_partitioned_config(partition_keys=["a"])
    def cfg(partition_key: str):
        return {"k": partition_key}

    obs.record("out", cfg("zzz"))


@scenario
def static_config_tags_fn(obs):
    @dg.static_partitioned_config(
        partition_keys=["a", "b"], tags_for_partition_key_fn=lambda k: {"region": k}
    )
    def cfg(partition_key: str):
        return {}

    obs.record("tags", cfg.get_tags_for_partition_key("b"))


@scenario
def static_config_unknown_key(obs):
    @dg.static_partitioned_config(partition_keys=["a"])
    def cfg(partition_key: str):
        return {}

    obs.raises(lambda: cfg.get_run_config_for_partition_key("zzz"))


@scenario
def static_job_partitions_def(obs):
    @dg.static_partitioned_config(partition_keys=["x", "y"])
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": partition_key}}}

    @dg.op(config_schema=str)
    def o(context) -> str:
        return context.op_config

    @dg.job(config=cfg)
    def sj() -> None:
        o()

    obs.record("keys", sj.partitions_def.get_partition_keys())
    r = sj.execute_in_process(partition_key="y")
    obs.record("success", r.success)
    obs.record("out", r.output_for_node("o"))
    obs.record(
        "run_tags", {k: v for k, v in r.dagster_run.tags.items() if k == "dagster/partition"}
    )


@scenario
def static_job_unknown_partition(obs):
    @dg.static_partitioned_config(partition_keys=["x"])
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": partition_key}}}

    @dg.op(config_schema=str)
    def o(context) -> str:
        return context.op_config

    @dg.job(config=cfg)
    def sj() -> None:
        o()

    obs.raises(lambda: sj.execute_in_process(partition_key="nope"))


# ---- time-window helpers --------------------------------------------------------------------


@scenario
def daily_config_values(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("first", cfg.partitions_def.get_partition_keys()[0])
    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-01-03"))
    obs.record("tags", cfg.get_tags_for_partition_key("2024-01-03"))
    obs.kind("pdef_kind", cfg.partitions_def)


@scenario
def daily_config_direct_call(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("out", cfg(datetime.datetime(2024, 2, 1), datetime.datetime(2024, 2, 2)))


@scenario
def daily_config_options(obs):
    @dg.daily_partitioned_config(
        start_date="2024-01-01",
        minute_offset=30,
        hour_offset=2,
        timezone="America/New_York",
        end_offset=1,
    )
    def cfg(start, end):
        return _window_cfg(start, end)

    pd = cfg.partitions_def
    obs.record("tz", pd.timezone)
    obs.record("cron", pd.get_cron_schedule())
    obs.record("end_offset", pd.end_offset)
    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-01-02"))


@scenario
def daily_config_datetime_start(obs):
    @dg.daily_partitioned_config(start_date=datetime.datetime(2024, 5, 1))
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("start", cfg.partitions_def.start.isoformat())


@scenario
def daily_config_end_date(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01", end_date="2024-01-05")
    def cfg(start, end):
        return {}

    obs.record("keys", cfg.partitions_def.get_partition_keys())


@scenario
def hourly_config_values(obs):
    @dg.hourly_partitioned_config(start_date="2024-01-01-00:00")
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-01-01-05:00"))
    obs.record("tags", cfg.get_tags_for_partition_key("2024-01-01-05:00"))
    obs.record("fmt", cfg.partitions_def.fmt)
    obs.record("cron", cfg.partitions_def.get_cron_schedule())


@scenario
def weekly_config_values(obs):
    @dg.weekly_partitioned_config(start_date="2024-01-07")
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-01-14"))
    obs.record("cron", cfg.partitions_def.get_cron_schedule())
    obs.kind("kind", cfg.partitions_def)


@scenario
def weekly_config_day_offset(obs):
    @dg.weekly_partitioned_config(start_date="2024-01-01", day_offset=1)
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("cron", cfg.partitions_def.get_cron_schedule())
    obs.record("first", cfg.partitions_def.get_partition_keys()[0])


@scenario
def monthly_config_values(obs):
    @dg.monthly_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-02-01"))
    obs.record("cron", cfg.partitions_def.get_cron_schedule())
    obs.kind("kind", cfg.partitions_def)


@scenario
def monthly_config_day_offset(obs):
    @dg.monthly_partitioned_config(start_date="2024-01-05", day_offset=5)
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("cron", cfg.partitions_def.get_cron_schedule())
    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-02-05"))


@scenario
def time_config_tags_fn(obs):
    @dg.daily_partitioned_config(
        start_date="2024-01-01",
        tags_for_partition_fn=lambda start, end: {"day": str(start.day)},
    )
    def cfg(start, end):
        return {}

    obs.record("tags", cfg.get_tags_for_partition_key("2024-01-09"))


@scenario
def time_config_job_run(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    r = job.execute_in_process(partition_key="2024-01-02")
    obs.record("success", r.success)
    obs.record("out", r.output_for_node("window"))
    obs.record("tag", r.dagster_run.tags.get("dagster/partition"))


@scenario
def time_config_job_run_config_schema_default(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    obs.record("is_partitioned", job.partitions_def is not None)
    obs.kind("pdef_kind", job.partitions_def)


# ---- dynamic ------------------------------------------------------------------------------


@scenario
def dynamic_config_values(obs):
    @dg.dynamic_partitioned_config(partition_fn=lambda current_time: ["p1", "p2"])
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": partition_key}}}

    obs.kind("kind", cfg)
    obs.kind("pdef_kind", cfg.partitions_def)
    obs.record("keys", cfg.partitions_def.get_partition_keys())
    obs.record("cfg", cfg.get_run_config_for_partition_key("p2"))
    obs.record("tags", cfg.get_tags_for_partition_key("p2"))


# ---- PartitionedConfig directly ------------------------------------------------------------


@scenario
def partitioned_config_class(obs):
    pd = dg.StaticPartitionsDefinition(["a", "b"])
    pc = dg.PartitionedConfig(
        partitions_def=pd,
        run_config_for_partition_key_fn=lambda key: {"ops": {"o": {"config": key}}},
        tags_for_partition_key_fn=lambda key: {"t": key},
    )
    obs.record("cfg", pc.get_run_config_for_partition_key("a"))
    obs.record("tags", pc.get_tags_for_partition_key("a"))
    obs.record("same_pd", pc.partitions_def is pd)


@scenario
def partitioned_config_default_tags(obs):
    pc = dg.PartitionedConfig(
        partitions_def=dg.StaticPartitionsDefinition(["a"]),
        run_config_for_partition_key_fn=lambda key: {},
    )
    obs.record("tags", pc.get_tags_for_partition_key("a"))


@scenario
def partitioned_config_both_fns_rejected(obs):
    obs.raises(
        lambda: dg.PartitionedConfig(
            partitions_def=dg.StaticPartitionsDefinition(["a"]),
            run_config_for_partition_fn=lambda p: {},
            run_config_for_partition_key_fn=lambda k: {},
        )
    )


@scenario
def partitioned_config_on_graph_to_job(obs):
    pc = dg.PartitionedConfig(
        partitions_def=dg.StaticPartitionsDefinition(["a", "b"]),
        run_config_for_partition_key_fn=lambda key: {"ops": {"o": {"config": key}}},
    )

    @dg.op(config_schema=str)
    def o(context) -> str:
        return context.op_config

    @dg.graph
    def g() -> None:
        o()

    job = g.to_job(config=pc)
    r = job.execute_in_process(partition_key="b")
    obs.record("out", r.output_for_node("o"))


@scenario
def partitions_def_and_partitioned_config_job(obs):
    @dg.static_partitioned_config(partition_keys=["x"])
    def cfg(partition_key: str):
        return {}

    @dg.op
    def o() -> None:
        pass

    def make() -> Any:
        @dg.job(config=cfg, partitions_def=dg.StaticPartitionsDefinition(["y"]))
        def bad() -> None:
            o()

        return bad

    obs.raises(make)


# ---- schedules from partitioned jobs --------------------------------------------------------


@scenario
def schedule_from_daily_job(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    obs.record("name", s.name)
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 3, tzinfo=UTC)))
    obs.record("reqs", [_req(r) for r in data.run_requests])
    obs.record("tz", s.execution_timezone)
    obs.record("job_name", s.job_name)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 5, tzinfo=UTC)))
    obs.record("reqs_later", [_req(r) for r in data.run_requests])


@scenario
def schedule_from_hourly_job(obs):
    @dg.hourly_partitioned_config(start_date="2024-01-01-00:00")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 2, 3, tzinfo=UTC)))
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def schedule_from_weekly_job(obs):
    @dg.weekly_partitioned_config(start_date="2024-01-07")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 21, tzinfo=UTC)))
    obs.record("keys", [r.partition_key for r in data.run_requests])


@scenario
def schedule_from_monthly_job(obs):
    @dg.monthly_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 3, 1, tzinfo=UTC)))
    obs.record("keys", [r.partition_key for r in data.run_requests])


@scenario
def schedule_from_job_options(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(
        job,
        name="custom",
        description="desc",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        tags={"extra": "1"},
        hour_of_day=4,
        minute_of_hour=15,
    )
    obs.record("name", s.name)
    obs.record("cron", s.cron_schedule)
    obs.record("description", s.description)
    obs.record("status", s.default_status.value)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 5, 4, 15, tzinfo=UTC)))
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def schedule_from_job_with_timezone(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01", timezone="US/Central")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    obs.record("tz", s.execution_timezone)
    obs.record("cron", s.cron_schedule)


@scenario
def schedule_from_job_end_offset(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01", end_offset=1)
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 5, tzinfo=UTC)))
    obs.record("keys", [r.partition_key for r in data.run_requests])


@scenario
def schedule_from_job_before_start(obs):
    @dg.daily_partitioned_config(start_date="2024-01-10")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 5, tzinfo=UTC)))
    obs.record("keys", [r.partition_key for r in data.run_requests])
    obs.record("skip", data.skip_message)


@scenario
def schedule_from_static_job_rejected(obs):
    @dg.static_partitioned_config(partition_keys=["a"])
    def cfg(partition_key: str):
        return {}

    @dg.op
    def o() -> None:
        pass

    @dg.job(config=cfg)
    def sj() -> None:
        o()

    obs.raises(lambda: dg.build_schedule_from_partitioned_job(sj))


@scenario
def schedule_from_static_job_with_cron(obs):
    @dg.static_partitioned_config(partition_keys=["a", "b"])
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": partition_key}}}

    @dg.op(config_schema=str)
    def o(context) -> str:
        return context.op_config

    @dg.job(config=cfg)
    def sj() -> None:
        o()

    s = dg.build_schedule_from_partitioned_job(sj, cron_schedule="0 0 * * *")
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 5, tzinfo=UTC)))
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def schedule_from_unpartitioned_job_rejected(obs):
    @dg.op
    def o() -> None:
        pass

    @dg.job
    def plain() -> None:
        o()

    obs.raises(lambda: dg.build_schedule_from_partitioned_job(plain))


@scenario
def schedule_from_partitions_def_job(obs):
    @dg.op
    def o() -> None:
        pass

    @dg.job(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def dj() -> None:
        o()

    s = dg.build_schedule_from_partitioned_job(dj)
    obs.record("name", s.name)
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 3, tzinfo=UTC)))
    obs.record("reqs", [_req(r) for r in data.run_requests])


@scenario
def schedule_from_asset_job(obs):
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily_asset() -> int:
        return 1

    job = dg.define_asset_job(
        "asset_job",
        selection=[daily_asset],
        partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"),
    )
    s = dg.build_schedule_from_partitioned_job(job)
    obs.record("name", s.name)
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 3, tzinfo=UTC)))
    obs.record("reqs", [_req(r) for r in data.run_requests])


# ---- signatures ----------------------------------------------------------------------------


def _signature(name: str) -> Any:
    def run(obs: Any) -> None:
        obs.signature("signature", getattr(dg, name))

    return run


for _name in [
    "static_partitioned_config",
    "dynamic_partitioned_config",
    "hourly_partitioned_config",
    "daily_partitioned_config",
    "weekly_partitioned_config",
    "monthly_partitioned_config",
    "PartitionedConfig",
    "build_schedule_from_partitioned_job",
]:
    scenario(_signature(_name), name=f"signature_{_name}")


# ---- more partitioned config details --------------------------------------------------------


@scenario
def legacy_partition_fn(obs):
    pc = dg.PartitionedConfig(
        partitions_def=dg.StaticPartitionsDefinition(["a", "b"]),
        run_config_for_partition_fn=lambda partition: {
            "name": partition.name,
            "value": partition.value,
        },
        tags_for_partition_fn=lambda partition: {"legacy": partition.name},
    )
    obs.record("cfg", pc.get_run_config_for_partition_key("b"))
    obs.record("tags", pc.get_tags_for_partition_key("b"))


@scenario
def time_config_unknown_key(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return {}

    obs.raises(lambda: cfg.get_run_config_for_partition_key("not-a-date"))


@scenario
def run_config_overrides_partition_config(obs):
    @dg.static_partitioned_config(partition_keys=["x"])
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": {"a": partition_key, "b": "from-partition"}}}}

    @dg.op(config_schema={"a": str, "b": str})
    def o(context) -> str:
        return context.op_config["a"] + "/" + context.op_config["b"]

    @dg.job(config=cfg)
    def sj() -> None:
        o()

    r = sj.execute_in_process(
        partition_key="x", run_config={"ops": {"o": {"config": {"a": "x", "b": "override"}}}}
    )
    obs.record("out", r.output_for_node("o"))


@scenario
def partitioned_job_without_key(obs):
    @dg.static_partitioned_config(partition_keys=["x"])
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": partition_key}}}

    @dg.op(config_schema=str)
    def o(context) -> str:
        return context.op_config

    @dg.job(config=cfg)
    def sj() -> None:
        o()

    obs.raises(sj.execute_in_process)


@scenario
def hourly_config_minute_offset(obs):
    @dg.hourly_partitioned_config(start_date="2024-01-01-00:00", minute_offset=15)
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("cron", cfg.partitions_def.get_cron_schedule())
    obs.record("first", cfg.partitions_def.get_partition_keys()[0])
    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-01-01-03:15"))


@scenario
def weekly_config_tags_fn(obs):
    @dg.weekly_partitioned_config(
        start_date="2024-01-07",
        tags_for_partition_fn=lambda start, end: {"week_end": end.date().isoformat()},
    )
    def cfg(start, end):
        return {}

    obs.record("tags", cfg.get_tags_for_partition_key("2024-01-14"))


@scenario
def monthly_config_timezone(obs):
    @dg.monthly_partitioned_config(start_date="2024-01-01", timezone="Asia/Tokyo")
    def cfg(start, end):
        return _window_cfg(start, end)

    obs.record("tz", cfg.partitions_def.timezone)
    obs.record("cfg", cfg.get_run_config_for_partition_key("2024-03-01"))


@scenario
def dynamic_config_direct_call(obs):
    @dg.dynamic_partitioned_config(partition_fn=lambda current_time: ["a"])
    def cfg(partition_key: str):
        return {"k": partition_key}

    obs.record("out", cfg("zz"))


@scenario
def schedule_from_daily_job_with_hour_offset(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01", hour_offset=6)
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    obs.record("cron", s.cron_schedule)
    data = s.evaluate_tick(_tick(datetime.datetime(2024, 1, 5, 6, tzinfo=UTC)))
    obs.record("keys", [r.partition_key for r in data.run_requests])


@scenario
def schedule_from_partitioned_job_direct_call(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    out = s(_tick(datetime.datetime(2024, 1, 5, tzinfo=UTC)))
    obs.kind("kind", out)
    obs.record("key", out.partition_key)


@scenario
def schedule_from_job_in_definitions(obs):
    @dg.daily_partitioned_config(start_date="2024-01-01")
    def cfg(start, end):
        return _window_cfg(start, end)

    job = _time_job(cfg)
    s = dg.build_schedule_from_partitioned_job(job)
    defs = dg.Definitions(jobs=[job], schedules=[s])
    obs.record("names", [x.name for x in defs.schedules])
    obs.record("job", defs.get_job_def("pjob").name)


@scenario
def partitioned_config_decorator(obs):
    @dg.partitioned_config(
        partitions_def=dg.StaticPartitionsDefinition(["a", "b"]),
        tags_for_partition_key_fn=lambda key: {"t": key},
    )
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": partition_key}}}

    obs.kind("kind", cfg)
    obs.record("cfg", cfg.get_run_config_for_partition_key("b"))
    obs.record("tags", cfg.get_tags_for_partition_key("b"))
    obs.record("direct", cfg("zz"))


@scenario
def partitioned_config_decorator_job(obs):
    @dg.partitioned_config(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def cfg(partition_key: str):
        return {"ops": {"o": {"config": partition_key}}}

    @dg.op(config_schema=str)
    def o(context) -> str:
        return context.op_config

    @dg.job(config=cfg)
    def dj() -> None:
        o()

    obs.record("out", dj.execute_in_process(partition_key="2024-01-05").output_for_node("o"))
    s = dg.build_schedule_from_partitioned_job(dj)
    obs.record("cron", s.cron_schedule)


scenario(_signature("partitioned_config"), name="signature_partitioned_config")
