"""Parity: partitions definitions, keys, ranges, time windows, mappings, dynamic partitions."""

from datetime import datetime, timezone

from _harness import dg, scenario

NOW = datetime(2024, 1, 5, 12, 30, tzinfo=timezone.utc)


def _window(w):  # type: ignore[no-untyped-def]
    return [w.start.isoformat(), w.end.isoformat()]


@scenario
def static_keys(obs):
    p = dg.StaticPartitionsDefinition(["a", "b", "c"])
    obs.record("keys", p.get_partition_keys())
    obs.record("n", p.get_num_partitions())
    obs.record("first_last", [p.get_first_partition_key(), p.get_last_partition_key()])


@scenario
def static_has_partition_key(obs):
    p = dg.StaticPartitionsDefinition(["a", "b"])
    obs.record("has", [p.has_partition_key("a"), p.has_partition_key("z")])


@scenario
def static_duplicate_keys_rejected(obs):
    obs.raises(lambda: dg.StaticPartitionsDefinition(["a", "a"]))


@scenario
def static_keys_in_range(obs):
    p = dg.StaticPartitionsDefinition(["a", "b", "c", "d"])
    obs.record("keys", p.get_partition_keys_in_range(dg.PartitionKeyRange("b", "c")))


@scenario
def partition_key_range_fields(obs):
    r = dg.PartitionKeyRange("2024-01-01", "2024-01-03")
    obs.record("fields", [r.start, r.end])
    obs.record("eq", r == dg.PartitionKeyRange("2024-01-01", "2024-01-03"))


@scenario
def daily_keys_until_now(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    obs.record("keys", p.get_partition_keys(current_time=NOW))


@scenario
def daily_keys_with_end_date(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")
    obs.record("keys", p.get_partition_keys())


@scenario
def daily_end_offset(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_offset=1)
    obs.record("keys", p.get_partition_keys(current_time=NOW))


@scenario
def daily_time_window(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    w = p.time_window_for_partition_key("2024-01-02")
    obs.record("window", _window(w))
    obs.kind("kind", w)


@scenario
def daily_fmt_custom(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024/01/01", fmt="%Y/%m/%d", end_date="2024/01/03")
    obs.record("keys", p.get_partition_keys())


@scenario
def hourly_keys(obs):
    p = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00", end_date="2024-01-01-03:00")
    obs.record("keys", p.get_partition_keys())


@scenario
def hourly_time_window(obs):
    p = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
    obs.record("window", _window(p.time_window_for_partition_key("2024-01-01-05:00")))


@scenario
def weekly_keys(obs):
    p = dg.WeeklyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-29")
    obs.record("keys", p.get_partition_keys())


@scenario
def monthly_keys(obs):
    p = dg.MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2024-05-01")
    obs.record("keys", p.get_partition_keys())


@scenario
def monthly_time_window(obs):
    p = dg.MonthlyPartitionsDefinition(start_date="2024-01-01")
    obs.record("window", _window(p.time_window_for_partition_key("2024-02-01")))


@scenario
def daily_timezone(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01", timezone="America/New_York")
    w = p.time_window_for_partition_key("2024-01-02")
    obs.record("window", _window(w))
    obs.record("tz", p.timezone)


@scenario
def time_window_partitions_definition_cron(obs):
    p = dg.TimeWindowPartitionsDefinition(
        cron_schedule="0 */6 * * *",
        start="2024-01-01-00:00",
        fmt="%Y-%m-%d-%H:%M",
        end="2024-01-02-00:00",
    )
    obs.record("keys", p.get_partition_keys())


@scenario
def daily_keys_in_range(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    obs.record(
        "keys",
        p.get_partition_keys_in_range(dg.PartitionKeyRange("2024-01-02", "2024-01-04")),
    )


@scenario
def daily_partition_key_for_time(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    obs.record(
        "key",
        p.get_partition_key_for_timestamp(datetime(2024, 1, 3, 5, tzinfo=timezone.utc).timestamp()),
    )


@scenario
def daily_first_last(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    obs.record("first", p.get_first_partition_key())


@scenario
def daily_unknown_key(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    obs.record("has", p.has_partition_key("2023-12-31"))


@scenario
def time_window_fields(obs):
    w = dg.TimeWindow(
        datetime(2024, 1, 1, tzinfo=timezone.utc), datetime(2024, 1, 2, tzinfo=timezone.utc)
    )
    obs.record("window", _window(w))


@scenario
def multi_partitions_keys(obs):
    p = dg.MultiPartitionsDefinition(
        {
            "color": dg.StaticPartitionsDefinition(["red", "blue"]),
            "size": dg.StaticPartitionsDefinition(["s", "l"]),
        }
    )
    obs.record("keys", [str(k) for k in p.get_partition_keys()])
    obs.record("dims", [d.name for d in p.partitions_defs])


@scenario
def multi_partition_key_fields(obs):
    k = dg.MultiPartitionKey({"color": "red", "size": "s"})
    obs.record("str", str(k))
    obs.record("by_dim", dict(k.keys_by_dimension))
    obs.record("is_str", isinstance(k, str))


@scenario
def multi_partitions_with_time(obs):
    p = dg.MultiPartitionsDefinition(
        {
            "date": dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-03"),
            "region": dg.StaticPartitionsDefinition(["eu", "us"]),
        }
    )
    obs.record("keys", [str(k) for k in p.get_partition_keys()])


@scenario
def multi_partitions_need_two_dims(obs):
    obs.raises(lambda: dg.MultiPartitionsDefinition({"a": dg.StaticPartitionsDefinition(["x"])}))


@scenario
def multi_partitioned_asset_context(obs):
    p = dg.MultiPartitionsDefinition(
        {
            "color": dg.StaticPartitionsDefinition(["red", "blue"]),
            "size": dg.StaticPartitionsDefinition(["s", "l"]),
        }
    )
    seen = {}

    @dg.asset(partitions_def=p)
    def a(context):
        key = context.partition_key
        seen["key"] = str(key)
        seen["dims"] = dict(key.keys_by_dimension)
        return 1

    r = dg.materialize([a], partition_key="red|s")
    obs.record("seen", seen)
    obs.record(
        "partitions",
        [e.partition for e in r.all_events if e.event_type_value == "ASSET_MATERIALIZATION"],
    )


@scenario
def dynamic_build_add_request(obs):
    p = dg.DynamicPartitionsDefinition(name="fruits")
    req = p.build_add_request(["apple", "pear"])
    obs.kind("kind", req)
    obs.record("fields", [req.partitions_def_name, list(req.partition_keys)])


@scenario
def dynamic_build_delete_request(obs):
    p = dg.DynamicPartitionsDefinition(name="fruits")
    req = p.build_delete_request(["apple"])
    obs.kind("kind", req)
    obs.record("fields", [req.partitions_def_name, list(req.partition_keys)])


@scenario
def dynamic_instance_add_and_list(obs):
    p = dg.DynamicPartitionsDefinition(name="fruits")
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("fruits", ["apple", "pear"])
    obs.record("keys", p.get_partition_keys(dynamic_partitions_store=instance))
    obs.record("has", instance.has_dynamic_partition("fruits", "apple"))
    instance.delete_dynamic_partition("fruits", "apple")
    obs.record("after", instance.get_dynamic_partitions("fruits"))


@scenario
def dynamic_asset_materialize(obs):
    p = dg.DynamicPartitionsDefinition(name="things")

    @dg.asset(partitions_def=p)
    def a(context):
        return context.partition_key

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("things", ["x"])
    r = dg.materialize([a], partition_key="x", instance=instance)
    obs.record(
        "partition",
        [e.partition for e in r.all_events if e.event_type_value == "ASSET_MATERIALIZATION"],
    )


@scenario
def dynamic_unknown_partition_fails(obs):
    p = dg.DynamicPartitionsDefinition(name="things2")

    @dg.asset(partitions_def=p)
    def a(context):
        return context.partition_key

    instance = dg.DagsterInstance.ephemeral()
    obs.raises(lambda: dg.materialize([a], partition_key="nope", instance=instance))


@scenario
def dynamic_request_fields_equality(obs):
    a = dg.AddDynamicPartitionsRequest(partitions_def_name="f", partition_keys=["a"])
    b = dg.DeleteDynamicPartitionsRequest(partitions_def_name="f", partition_keys=["a"])
    obs.record("a", [a.partitions_def_name, list(a.partition_keys)])
    obs.record("b", [b.partitions_def_name, list(b.partition_keys)])


@scenario
def dynamic_name_required_for_requests(obs):
    p = dg.DynamicPartitionsDefinition(name="n")
    obs.record("name", p.name)


@scenario
def partitioned_asset_partition_key(obs):
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def a(context):
        return [context.partition_key, context.has_partition_key]

    r = dg.materialize([a], partition_key="2024-01-02")
    obs.record("value", r.output_for_node("a"))


@scenario
def partitioned_asset_time_window(obs):
    seen = {}

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def a(context):
        seen["window"] = _window(context.partition_time_window)
        seen["range"] = [context.partition_key_range.start, context.partition_key_range.end]
        return 1

    dg.materialize([a], partition_key="2024-01-02")
    obs.record("seen", seen)


@scenario
def identity_mapping_between_daily(obs):
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    seen = {}

    @dg.asset(partitions_def=daily)
    def up(context):
        return context.partition_key

    @dg.asset(partitions_def=daily)
    def down(context, up):
        seen["keys"] = context.asset_partition_keys_for_input("up")
        return up

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([up], partition_key="2024-01-02", instance=instance)
    r = dg.materialize([up, down], partition_key="2024-01-02", instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def time_window_mapping_offset(obs):
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    seen = {}

    @dg.asset(partitions_def=daily)
    def up(context):
        return context.partition_key

    @dg.asset(
        partitions_def=daily,
        ins={
            "up": dg.AssetIn(
                partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
            )
        },
    )
    def down(context, up):
        seen["keys"] = context.asset_partition_keys_for_input("up")
        return up

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([up], partition_key="2024-01-02", instance=instance)
    r = dg.materialize([up, down], partition_key="2024-01-03", instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def all_partition_mapping_from_unpartitioned(obs):
    static = dg.StaticPartitionsDefinition(["a", "b"])
    seen = {}

    @dg.asset(partitions_def=static)
    def up(context):
        return context.partition_key

    @dg.asset(ins={"up": dg.AssetIn(partition_mapping=dg.AllPartitionMapping())})
    def down(context, up):
        seen["keys"] = sorted(context.asset_partition_keys_for_input("up"))
        return up

    instance = dg.DagsterInstance.ephemeral()
    for key in ["a", "b"]:
        dg.materialize([up], partition_key=key, instance=instance)
    r = dg.materialize([up, down], instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def last_partition_mapping(obs):
    static = dg.StaticPartitionsDefinition(["a", "b"])
    seen = {}

    @dg.asset(partitions_def=static)
    def up(context):
        return context.partition_key

    @dg.asset(ins={"up": dg.AssetIn(partition_mapping=dg.LastPartitionMapping())})
    def down(context, up):
        seen["keys"] = context.asset_partition_keys_for_input("up")
        return up

    instance = dg.DagsterInstance.ephemeral()
    for key in ["a", "b"]:
        dg.materialize([up], partition_key=key, instance=instance)
    r = dg.materialize([up, down], instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def static_partition_mapping(obs):
    up_parts = dg.StaticPartitionsDefinition(["u1", "u2"])
    down_parts = dg.StaticPartitionsDefinition(["d1", "d2"])
    seen = {}

    @dg.asset(partitions_def=up_parts)
    def up(context):
        return context.partition_key

    @dg.asset(
        partitions_def=down_parts,
        ins={
            "up": dg.AssetIn(partition_mapping=dg.StaticPartitionMapping({"u1": "d1", "u2": "d2"}))
        },
    )
    def down(context, up):
        seen["keys"] = context.asset_partition_keys_for_input("up")
        return up

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([up], partition_key="u2", instance=instance)
    r = dg.materialize([up, down], partition_key="d2", instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def specific_partitions_mapping(obs):
    static = dg.StaticPartitionsDefinition(["a", "b", "c"])
    seen = {}

    @dg.asset(partitions_def=static)
    def up(context):
        return context.partition_key

    @dg.asset(
        ins={"up": dg.AssetIn(partition_mapping=dg.SpecificPartitionsPartitionMapping(["b"]))}
    )
    def down(context, up):
        seen["keys"] = context.asset_partition_keys_for_input("up")
        return up

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([up], partition_key="b", instance=instance)
    r = dg.materialize([up, down], instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def multi_to_single_dimension_mapping(obs):
    multi = dg.MultiPartitionsDefinition(
        {
            "date": dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-03"),
            "region": dg.StaticPartitionsDefinition(["eu", "us"]),
        }
    )
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-03")
    seen = {}

    @dg.asset(partitions_def=multi)
    def up(context):
        return str(context.partition_key)

    @dg.asset(
        partitions_def=daily,
        ins={"up": dg.AssetIn(partition_mapping=dg.MultiToSingleDimensionPartitionMapping("date"))},
    )
    def down(context, up):
        seen["keys"] = sorted(str(k) for k in context.asset_partition_keys_for_input("up"))
        return sorted(up.values()) if isinstance(up, dict) else up

    instance = dg.DagsterInstance.ephemeral()
    for key in ["2024-01-01|eu", "2024-01-01|us"]:
        dg.materialize([up], partition_key=key, instance=instance)
    r = dg.materialize([up, down], partition_key="2024-01-01", instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def mapping_objects_repr_fields(obs):
    m = dg.TimeWindowPartitionMapping(start_offset=-2, end_offset=0)
    obs.record("tw", [m.start_offset, m.end_offset])
    s = dg.StaticPartitionMapping({"a": "x"})
    obs.kind("static", s)
    obs.kind("identity", dg.IdentityPartitionMapping())
    obs.kind("all", dg.AllPartitionMapping())
    obs.kind("last", dg.LastPartitionMapping())


@scenario
def multi_partition_mapping_kind(obs):
    m = dg.MultiPartitionMapping(
        {"date": dg.DimensionPartitionMapping("date", dg.IdentityPartitionMapping())}
    )
    obs.kind("kind", m)


@scenario
def partitioned_job_config(obs):
    @dg.static_partitioned_config(partition_keys=["a", "b"])
    def cfg(partition_key):
        return {"ops": {"o": {"config": {"k": partition_key}}}}

    @dg.op(config_schema={"k": str})
    def o(context):
        return context.op_config["k"]

    @dg.job(config=cfg)
    def j():
        o()

    obs.record("out", j.execute_in_process(partition_key="b").output_for_node("o"))


@scenario
def job_partitions_def_keys(obs):
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x", "y"]))
    def a(context):
        return context.partition_key

    job = dg.define_asset_job(
        "pj", selection=[a], partitions_def=dg.StaticPartitionsDefinition(["x", "y"])
    )
    defs = dg.Definitions(assets=[a], jobs=[job])
    resolved = defs.get_job_def("pj")
    obs.record("keys", resolved.partitions_def.get_partition_keys())
    obs.record("out", resolved.execute_in_process(partition_key="y").output_for_node("a"))


@scenario
def materialize_partitioned_without_key_fails(obs):
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x"]))
    def a(context):
        return 1

    obs.raises(lambda: dg.materialize([a]))


@scenario
def materialize_unknown_static_key_fails(obs):
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x"]))
    def a(context):
        return 1

    obs.raises(lambda: dg.materialize([a], partition_key="zz"))


@scenario
def static_partitions_def_equality(obs):
    obs.record(
        "eq",
        dg.StaticPartitionsDefinition(["a"]) == dg.StaticPartitionsDefinition(["a"]),
    )
    obs.record(
        "daily_eq",
        dg.DailyPartitionsDefinition("2024-01-01") == dg.DailyPartitionsDefinition("2024-01-01"),
    )


@scenario
def partitions_definition_kinds(obs):
    obs.kind("daily", dg.DailyPartitionsDefinition("2024-01-01"))
    obs.kind("static", dg.StaticPartitionsDefinition(["a"]))
    obs.kind("dynamic", dg.DynamicPartitionsDefinition(name="d"))
    obs.record(
        "isa",
        [
            isinstance(
                dg.DailyPartitionsDefinition("2024-01-01"), dg.TimeWindowPartitionsDefinition
            ),
            isinstance(dg.StaticPartitionsDefinition(["a"]), dg.PartitionsDefinition),
        ],
    )


@scenario
def unpartitioned_reads_all_time_partitions(obs):
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")

    @dg.asset(partitions_def=daily)
    def up(context):
        return context.partition_key

    @dg.asset
    def down(up):
        return sorted(up.values()) if isinstance(up, dict) else up

    instance = dg.DagsterInstance.ephemeral()
    for key in daily.get_partition_keys():
        dg.materialize([up], partition_key=key, instance=instance)
    r = dg.materialize([up, down], instance=instance, selection=[down])
    obs.record("down", r.output_for_node("down"))


@scenario
def daily_to_weekly_mapping_inferred(obs):
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-15")
    weekly = dg.WeeklyPartitionsDefinition(start_date="2024-01-07", end_date="2024-01-15")
    seen = {}

    @dg.asset(partitions_def=daily)
    def up(context):
        return context.partition_key

    @dg.asset(partitions_def=weekly)
    def down(context, up):
        seen["keys"] = context.asset_partition_keys_for_input("up")
        return len(up)

    instance = dg.DagsterInstance.ephemeral()
    for key in daily.get_partition_keys():
        dg.materialize([up], partition_key=key, instance=instance)
    r = dg.materialize([up, down], partition_key="2024-01-07", instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def static_get_partition_keys_in_range_unknown(obs):
    p = dg.StaticPartitionsDefinition(["a", "b"])
    obs.raises(lambda: p.get_partition_keys_in_range(dg.PartitionKeyRange("a", "zz")))


@scenario
def time_window_mapping_allow_nonexistent(obs):
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-02")
    seen = {}

    @dg.asset(partitions_def=daily)
    def up(context):
        return context.partition_key

    @dg.asset(
        partitions_def=daily,
        ins={
            "up": dg.AssetIn(
                partition_mapping=dg.TimeWindowPartitionMapping(
                    start_offset=-1, end_offset=0, allow_nonexistent_upstream_partitions=True
                )
            )
        },
    )
    def down(context, up):
        seen["keys"] = context.asset_partition_keys_for_input("up")
        return up

    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([up], partition_key="2024-01-02", instance=instance)
    r = dg.materialize([up, down], partition_key="2024-01-02", instance=instance, selection=[down])
    obs.record("seen", seen)
    obs.record("down", r.output_for_node("down"))


@scenario
def partition_key_range_context_keys(obs):
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")
    seen = {}

    @dg.asset(partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run())
    def a(context):
        seen["keys"] = context.partition_keys
        seen["range"] = [context.partition_key_range.start, context.partition_key_range.end]
        return dg.MaterializeResult()

    dg.materialize(
        [a],
        tags={
            "dagster/asset_partition_range_start": "2024-01-01",
            "dagster/asset_partition_range_end": "2024-01-03",
        },
    )
    obs.record("seen", seen)


@scenario
def multi_partitions_def_dimension_access(obs):
    p = dg.MultiPartitionsDefinition(
        {
            "date": dg.DailyPartitionsDefinition("2024-01-01"),
            "r": dg.StaticPartitionsDefinition(["a"]),
        }
    )
    obs.record("names", p.partition_dimension_names)
    obs.kind("date_kind", p.get_partitions_def_for_dimension("date"))
    key = p.get_partition_key_from_str("2024-01-02|a")
    obs.record("by_dim", dict(key.keys_by_dimension))


# exclusions ------------------------------------------------------------------------------


def _excluding(**kwargs):
    return dg.DailyPartitionsDefinition(
        start_date="2024-01-01",
        end_date="2024-01-15",
        exclusions=["0 0 * * 6", datetime(2024, 1, 3)],
        **kwargs,
    )


@scenario
def exclusions_leave_keys_out(obs):
    p = _excluding()
    obs.record("keys", p.get_partition_keys())
    obs.record("n", p.get_num_partitions())
    obs.record("first_last", [p.get_first_partition_key(), p.get_last_partition_key()])
    obs.record(
        "has_excluded", [p.has_partition_key("2024-01-03"), p.has_partition_key("2024-01-06")]
    )
    obs.record("has_kept", p.has_partition_key("2024-01-04"))


@scenario
def exclusions_in_ranges(obs):
    p = _excluding()
    obs.record(
        "range", p.get_partition_keys_in_range(dg.PartitionKeyRange("2024-01-02", "2024-01-09"))
    )
    obs.record(
        "range_from_excluded",
        p.get_partition_keys_in_range(dg.PartitionKeyRange("2024-01-03", "2024-01-09")),
    )
    window = dg.TimeWindow(
        datetime(2024, 1, 2, tzinfo=timezone.utc), datetime(2024, 1, 7, tzinfo=timezone.utc)
    )
    r = p.get_partition_key_range_for_time_window(window)
    obs.record("range_for_window", [r.start, r.end])


@scenario
def exclusions_next_key_and_windows(obs):
    p = _excluding()
    obs.record("next_after_2nd", p.get_next_partition_key("2024-01-02"))
    obs.record("next_after_5th", p.get_next_partition_key("2024-01-05"))
    obs.record("window_of_excluded", _window(p.time_window_for_partition_key("2024-01-03")))
    obs.record("window_of_kept", _window(p.time_window_for_partition_key("2024-01-04")))
    moment = datetime(2024, 1, 3, 5, tzinfo=timezone.utc)
    obs.record("key_for_time_in_excluded", p.get_partition_key_for_timestamp(moment.timestamp()))


@scenario
def exclusions_change_equality(obs):
    plain = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-15")
    obs.record("equal_to_plain", _excluding() == plain)
    obs.record("equal_to_same", _excluding() == _excluding())
    obs.record("exclusions_len", len(_excluding().exclusions))
    obs.record("no_exclusions", plain.exclusions)


@scenario
def exclusions_hourly_cron(obs):
    p = dg.HourlyPartitionsDefinition(
        start_date="2024-01-01-00:00", end_date="2024-01-01-06:00", exclusions=["0 2-3 * * *"]
    )
    obs.record("keys", p.get_partition_keys())


@scenario
def exclusions_weekly_and_monthly(obs):
    w = dg.WeeklyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-02-01", exclusions=[datetime(2024, 1, 14)]
    )
    m = dg.MonthlyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-06-01", exclusions=[datetime(2024, 3, 1)]
    )
    obs.record("weekly", w.get_partition_keys())
    obs.record("monthly", m.get_partition_keys())


@scenario
def exclusions_read_in_the_time_zone(obs):
    p = dg.DailyPartitionsDefinition(
        start_date="2024-01-01",
        end_date="2024-01-05",
        timezone="America/New_York",
        exclusions=[datetime(2024, 1, 2)],
    )
    obs.record("keys", p.get_partition_keys())


@scenario
def exclusions_on_a_cron_time_window_definition(obs):
    p = dg.TimeWindowPartitionsDefinition(
        start="2024-01-01",
        end="2024-01-08",
        fmt="%Y-%m-%d",
        cron_schedule="0 0 * * *",
        exclusions=["0 0 * * 0", datetime(2024, 1, 2)],
    )
    obs.record("keys", p.get_partition_keys())


@scenario
def exclusions_invalid_cron_rejected(obs):
    obs.raises(
        lambda: dg.DailyPartitionsDefinition(start_date="2024-01-01", exclusions=["bad"]), "'bad'"
    )


@scenario
def exclusions_schedule_skips_excluded_ticks(obs):
    p = dg.DailyPartitionsDefinition(
        start_date="2024-01-01", exclusions=["0 0 * * 6", datetime(2024, 1, 3)]
    )

    @dg.asset(partitions_def=p)
    def a():
        return 1

    job = dg.define_asset_job("j", selection=[a], partitions_def=p)
    schedule = dg.build_schedule_from_partitioned_job(job)
    ticks = {}
    for day in (3, 4, 6, 7, 8):
        ctx = dg.build_schedule_context(
            scheduled_execution_time=datetime(2024, 1, day, tzinfo=timezone.utc)
        )
        result = schedule.evaluate_tick(ctx)
        ticks[str(day)] = [
            [r.partition_key for r in (result.run_requests or [])],
            result.skip_message,
        ]
    obs.record("ticks", ticks)


@scenario
def daily_accepts_cron_schedule_keyword(obs):
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01", cron_schedule="0 6 * * *")
    obs.record("cron", p.cron_schedule)
    obs.record("keys", p.get_partition_keys(current_time=NOW))


@scenario
def time_window_definition_requires_fmt(obs):
    obs.raises(
        lambda: dg.TimeWindowPartitionsDefinition(start="2024-01-01", cron_schedule="0 0 * * *"),
        "fmt",
    )


# partition_loading_context and Partition -------------------------------------------------


@scenario
def partition_loading_context_sets_the_effective_time(obs):
    p = dg.DailyPartitionsDefinition(start_date="2021-01-01")
    with dg.partition_loading_context(effective_dt=datetime(2021, 1, 3)) as ctx:
        obs.record("context_effective_dt", str(ctx.effective_dt))
        obs.record("last", p.get_last_partition_key())
        obs.record("keys", p.get_partition_keys())
        with dg.partition_loading_context():
            obs.record("nested_last", p.get_last_partition_key())
        with dg.partition_loading_context(effective_dt=datetime(2021, 1, 5)):
            obs.record("inner_last", p.get_last_partition_key())
        obs.record("explicit_time", p.get_partition_keys(current_time=datetime(2021, 1, 4)))


@scenario
def partition_loading_context_sets_the_dynamic_store(obs):
    p = dg.DynamicPartitionsDefinition(name="customers")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("customers", ["a", "b"])
        with dg.partition_loading_context(dynamic_partitions_store=instance):
            obs.record("keys", p.get_partition_keys())
            obs.record("has", p.has_partition_key("a"))


@scenario
def legacy_partition_value_and_name(obs):
    p = dg.Partition(5)
    obs.record("value_name", [p.value, p.name])
    obs.record("named", dg.Partition("a", "b").name)
    obs.record("equal", [p == dg.Partition(5, "5"), p == dg.Partition(5, "x"), p == 5])
    obs.raises(lambda: hash(p), "unhashable")
