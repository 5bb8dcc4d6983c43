"""Freshness: policies on assets, and the built-in freshness, metadata and schema checks.

Times are never frozen: check results are made deterministic by materializations whose
``dagster/last_updated_timestamp`` metadata is far in the past (or future), by partitions
that are surely (or surely not) due, and by recording relations between the timestamps a
check reports instead of the timestamps themselves.
"""

from datetime import timedelta

from _harness import dg, scenario

HOUR = timedelta(hours=1)
LONG_AGO = 1000.0  # 1970: always overdue
FAR_FUTURE = 4102444800.0  # 2100: never overdue


def _policy_fields(policy):
    fields = {"kind": type(policy).__name__}
    for name in ("fail_window", "warn_window", "lower_bound_delta"):
        value = getattr(policy, name, None)
        if value is not None:
            fields[name] = [value.days, value.seconds]
    for name in ("deadline_cron", "timezone"):
        if hasattr(policy, name):
            fields[name] = getattr(policy, name)
    return fields


def _rows(result):
    """Each check evaluation: key, name, passed, severity, metadata keys, description."""
    rows = []
    for ev in result.get_asset_check_evaluations():
        rows.append(
            [
                ev.asset_key.to_user_string(),
                ev.check_name,
                ev.passed,
                ev.severity.value,
                sorted(ev.metadata),
                ev.description,
            ]
        )
    return sorted(rows)


def _evaluation(result, asset):
    return next(
        ev for ev in result.get_asset_check_evaluations() if ev.asset_key.to_user_string() == asset
    )


def _stamped(name, timestamp):
    @dg.asset(name=name)
    def _asset():
        return dg.MaterializeResult(
            metadata={"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(timestamp)}
        )

    return _asset


# policies ---------------------------------------------------------------------------------


@scenario
def time_window_policy_fields(obs):
    policy = dg.FreshnessPolicy.time_window(fail_window=2 * HOUR, warn_window=HOUR)
    obs.record("fields", _policy_fields(policy))
    obs.record("is_policy", isinstance(policy, dg.FreshnessPolicy))
    same = dg.FreshnessPolicy.time_window(fail_window=2 * HOUR, warn_window=HOUR)
    obs.record("equal", policy == same)
    obs.record("differs", policy == dg.FreshnessPolicy.time_window(fail_window=3 * HOUR))


@scenario
def time_window_policy_without_warning(obs):
    policy = dg.FreshnessPolicy.time_window(fail_window=timedelta(days=1, minutes=30))
    obs.record("fields", _policy_fields(policy))
    obs.record("warn_window", policy.warn_window)


@scenario
def cron_policy_fields(obs):
    policy = dg.FreshnessPolicy.cron(deadline_cron="0 10 * * *", lower_bound_delta=HOUR)
    obs.record("fields", _policy_fields(policy))
    obs.record("is_policy", isinstance(policy, dg.FreshnessPolicy))
    other = dg.FreshnessPolicy.cron(
        deadline_cron="0 10 * * *", lower_bound_delta=HOUR, timezone="America/New_York"
    )
    obs.record("other", _policy_fields(other))
    obs.record("equal", policy == other)


@scenario
def time_window_policy_rejects_short_windows(obs):
    make = dg.FreshnessPolicy.time_window
    obs.raises(lambda: make(fail_window=timedelta(seconds=30)), "fail_window", "1 minute")
    obs.raises(
        lambda: make(fail_window=HOUR, warn_window=timedelta(seconds=5)),
        "warn_window",
        "1 minute",
        key="warn",
    )


@scenario
def time_window_policy_warn_must_be_shorter(obs):
    make = dg.FreshnessPolicy.time_window
    obs.raises(lambda: make(fail_window=HOUR, warn_window=2 * HOUR), "warn_window must be less")
    obs.raises(lambda: make(fail_window=HOUR, warn_window=HOUR), "warn_window", key="equal")


@scenario
def cron_policy_rejects_bad_cron(obs):
    obs.raises(
        lambda: dg.FreshnessPolicy.cron(deadline_cron="not a cron", lower_bound_delta=HOUR),
        "Invalid cron string",
    )


@scenario
def cron_policy_rejects_bad_lower_bound(obs):
    make = dg.FreshnessPolicy.cron
    obs.raises(
        lambda: make(deadline_cron="0 10 * * *", lower_bound_delta=timedelta(seconds=1)),
        "lower_bound_delta must be greater than or equal to 1 minute",
        key="short",
    )
    obs.raises(
        lambda: make(deadline_cron="0 10 * * *", lower_bound_delta=timedelta(days=2)),
        "lower_bound_delta must be less than or equal to the smallest cron interval",
        "86400.0 seconds",
        key="long",
    )
    obs.raises(
        lambda: make(deadline_cron="*/30 * * * *", lower_bound_delta=HOUR),
        "1800.0 seconds",
        key="half_hourly",
    )


@scenario
def cron_policy_rejects_bad_timezone(obs):
    obs.raises(
        lambda: dg.FreshnessPolicy.cron(
            deadline_cron="0 10 * * *", lower_bound_delta=HOUR, timezone="Mars/Olympus"
        ),
        "Invalid IANA timezone: Mars/Olympus",
    )


@scenario
def legacy_policy_fields(obs):
    policy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=30, cron_schedule="0 9 * * *")
    obs.record("lag", policy.maximum_lag_minutes)
    obs.record("lag_type", type(policy.maximum_lag_minutes).__name__)
    obs.record("cron", policy.cron_schedule)
    obs.record("zone", policy.cron_schedule_timezone)
    obs.record("delta", policy.maximum_lag_delta.total_seconds())
    obs.record("is_new_policy", isinstance(policy, dg.FreshnessPolicy))


@scenario
def legacy_policy_rejects_bad_cron(obs):
    obs.raises(
        lambda: dg.LegacyFreshnessPolicy(maximum_lag_minutes=5, cron_schedule="bad"),
        "Invalid cron schedule 'bad'",
    )
    obs.raises(
        lambda: dg.LegacyFreshnessPolicy(
            maximum_lag_minutes=5, cron_schedule="0 * * * *", cron_schedule_timezone="Mars/X"
        ),
        "Invalid cron schedule timezone",
        key="zone",
    )


@scenario
def legacy_policy_timezone_needs_cron(obs):
    obs.raises(
        lambda: dg.LegacyFreshnessPolicy(maximum_lag_minutes=5, cron_schedule_timezone="UTC"),
        "Cannot specify cron_schedule_timezone without a cron_schedule",
    )


# policies on assets ---------------------------------------------------------------------------


@scenario
def asset_spec_keeps_policy(obs):
    policy = dg.FreshnessPolicy.time_window(fail_window=HOUR)
    spec = dg.AssetSpec("orders", freshness_policy=policy)
    obs.record("policy", _policy_fields(spec.freshness_policy))
    obs.record("metadata", dict(spec.metadata))
    merged = spec.merge_attributes(owners=["team:data"], metadata={"a": 1})
    obs.record("merged", spec.freshness_policy == merged.freshness_policy)
    other = dg.FreshnessPolicy.cron(deadline_cron="0 9 * * *", lower_bound_delta=HOUR)
    obs.record(
        "replaced", _policy_fields(spec.replace_attributes(freshness_policy=other).freshness_policy)
    )
    obs.record("cleared", spec.replace_attributes(freshness_policy=None).freshness_policy)
    obs.record("default", dg.AssetSpec("x").freshness_policy)


@scenario
def asset_decorator_stores_policy(obs):
    policy = dg.FreshnessPolicy.time_window(fail_window=2 * HOUR, warn_window=HOUR)

    @dg.asset(freshness_policy=policy)
    def orders():
        return 1

    obs.record("spec_policy", orders.specs_by_key[orders.key].freshness_policy == policy)
    obs.record("metadata", dict(orders.metadata_by_key[orders.key]))
    graph = dg.Definitions(assets=[orders]).resolve_asset_graph()
    obs.record("graph_policy", graph.get(orders.key).freshness_policy == policy)
    result = dg.materialize([orders])
    obs.record("success", result.success)


@scenario
def multi_asset_outs_and_specs_store_policy(obs):
    policy = dg.FreshnessPolicy.time_window(fail_window=HOUR)

    @dg.multi_asset(outs={"a": dg.AssetOut(freshness_policy=policy), "b": dg.AssetOut()})
    def by_outs():
        return 1, 2

    @dg.multi_asset(specs=[dg.AssetSpec("c", freshness_policy=policy), dg.AssetSpec("d")])
    def by_specs():
        yield dg.MaterializeResult(asset_key="c")
        yield dg.MaterializeResult(asset_key="d")

    found = {}
    for definition in (by_outs, by_specs):
        for key, spec in definition.specs_by_key.items():
            found[key.to_user_string()] = spec.freshness_policy == policy
    obs.record("has_policy", found)


@scenario
def spec_rejects_legacy_policy_as_freshness_policy(obs):
    legacy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=5)
    obs.raises(
        lambda: dg.AssetSpec("a", freshness_policy=legacy),
        "freshness_policy",
        "legacy_freshness_policy",
    )


@scenario
def legacy_policy_on_asset(obs):
    legacy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=5)

    @dg.asset(legacy_freshness_policy=legacy)
    def orders():
        return 1

    by_key = orders.legacy_freshness_policies_by_key
    obs.record("keys", [k.to_user_string() for k in by_key])
    obs.record("lag", by_key[orders.key].maximum_lag_minutes)
    obs.record("new_policy", orders.specs_by_key[orders.key].freshness_policy)


@scenario
def apply_freshness_policy_overwrites_or_keeps(obs):
    old = dg.FreshnessPolicy.time_window(fail_window=HOUR)
    new = dg.FreshnessPolicy.time_window(fail_window=2 * HOUR)
    spec = dg.AssetSpec("a", freshness_policy=old)
    obs.record("overwrite", _policy_fields(dg.apply_freshness_policy(spec, new).freshness_policy))
    kept = dg.apply_freshness_policy(spec, new, overwrite_existing=False)
    obs.record("keep", _policy_fields(kept.freshness_policy))
    bare = dg.apply_freshness_policy(dg.AssetSpec("b"), new, overwrite_existing=False)
    obs.record("fill", _policy_fields(bare.freshness_policy))


@scenario
def apply_freshness_policy_with_map_asset_specs(obs):
    policy = dg.FreshnessPolicy.time_window(fail_window=HOUR)

    @dg.asset
    def orders():
        return 1

    mapped = dg.map_asset_specs(
        lambda spec: dg.apply_freshness_policy(spec, policy), [orders, dg.AssetSpec("ext")]
    )
    obs.record("asset", mapped[0].specs_by_key[orders.key].freshness_policy == policy)
    obs.record("spec", mapped[1].freshness_policy == policy)
    obs.record("original", orders.specs_by_key[orders.key].freshness_policy)


# last-update freshness checks ----------------------------------------------------------------


@scenario
def last_update_checks_definition(obs):
    checks = dg.build_last_update_freshness_checks(
        assets=["a", dg.AssetKey(["p", "b"])], lower_bound_delta=HOUR
    )
    obs.record("count", len(checks))
    definition = checks[0]
    obs.record("keys", sorted(k.to_user_string() for k in definition.check_keys))
    obs.record("node", definition.node_def.name)
    spec = sorted(definition.check_specs, key=lambda s: s.asset_key.to_user_string())[0]
    obs.record("description", spec.description)
    obs.record("blocking", spec.blocking)
    obs.metadata("metadata", spec.metadata)


@scenario
def last_update_check_fails_for_stale_asset(obs):
    stale = _stamped("stale", LONG_AGO)
    checks = dg.build_last_update_freshness_checks(assets=[stale], lower_bound_delta=HOUR)
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([stale, *checks], instance=instance)
    ev = _evaluation(result, "stale")
    obs.record("rows", [row[:5] for row in _rows(result)])
    obs.record("last_updated", ev.metadata["dagster/last_updated_timestamp"].value)
    obs.record("overdue", ev.description.startswith("Asset is overdue for an update."))
    # The allowed distance is measured from two readings of the clock: "1 hour" or
    # "59 minutes, 59 seconds", so only its wording is recorded.
    obs.record("allowed", "which is past the allowed distance of " in ev.description)


@scenario
def last_update_check_passes_for_fresh_asset(obs):
    @dg.asset
    def fresh():
        return 1

    checks = dg.build_last_update_freshness_checks(
        assets=[fresh], lower_bound_delta=HOUR, severity=dg.AssetCheckSeverity.ERROR
    )
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([fresh, *checks], instance=instance)
    ev = _evaluation(result, "fresh")
    obs.record("rows", [row[:5] for row in _rows(result)])
    md = ev.metadata
    until = md["dagster/fresh_until_timestamp"].value
    updated = md["dagster/last_updated_timestamp"].value
    obs.record("fresh_for", round(until - updated))
    obs.record("bound_before_update", md["dagster/freshness_lower_bound_timestamp"].value < updated)
    obs.record("fresh", ev.description.startswith("Asset is currently fresh."))


@scenario
def last_update_check_reads_observations(obs):
    @dg.asset
    def source(context):
        stamp = dg.MetadataValue.timestamp(FAR_FUTURE)
        context.log_event(
            dg.AssetObservation(
                asset_key="source", metadata={"dagster/last_updated_timestamp": stamp}
            )
        )
        return 1

    checks = dg.build_last_update_freshness_checks(assets=[source], lower_bound_delta=HOUR)
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([source, *checks], instance=instance)
    obs.record("rows", [row[:5] for row in _rows(result)])
    ev = _evaluation(result, "source")
    obs.record("last_updated", ev.metadata["dagster/last_updated_timestamp"].value)


@scenario
def last_update_check_with_deadline_cron(obs):
    stale = _stamped("stale", LONG_AGO)
    fresh = _stamped("fresh", FAR_FUTURE)
    checks = dg.build_last_update_freshness_checks(
        assets=[stale, fresh], lower_bound_delta=HOUR, deadline_cron="0 * * * *", blocking=True
    )
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([stale, fresh, *checks], instance=instance, raise_on_error=False)
    obs.record("rows", [row[:5] for row in _rows(result)])
    md = _evaluation(result, "fresh").metadata
    tick = md["dagster/latest_cron_tick_timestamp"].value
    obs.record("tick_on_hour", tick % 3600)
    obs.record("bound", tick - md["dagster/freshness_lower_bound_timestamp"].value)
    obs.record("next_tick", md["dagster/fresh_until_timestamp"].value - tick)
    obs.metadata("params", {"p": md["dagster/freshness_params"]})


@scenario
def last_update_checks_reject_bad_arguments(obs):
    build = dg.build_last_update_freshness_checks
    obs.raises(
        lambda: build(assets=["a", "a"], lower_bound_delta=HOUR),
        "Found duplicate assets in the provided list of assets",
        key="duplicate",
    )
    obs.raises(
        lambda: build(assets=["a"], lower_bound_delta=HOUR, deadline_cron="nope"),
        "Invalid cron string",
        key="cron",
    )


# time-partition freshness checks ----------------------------------------------------------------

DAILY = dg.DailyPartitionsDefinition(start_date="2020-01-01")


def _daily(name):
    @dg.asset(name=name, partitions_def=DAILY)
    def _asset():
        return 1

    return _asset


@scenario
def time_partition_check_passes_when_due_partition_exists(obs):
    daily = _daily("daily")
    checks = dg.build_time_partition_freshness_checks(assets=[daily], deadline_cron="0 0 * * *")
    obs.record("node", checks[0].node_def.name)
    due = DAILY.get_last_partition_key()
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([daily, *checks], instance=instance, partition_key=due)
    ev = _evaluation(result, "daily")
    obs.record("rows", [row[:5] for row in _rows(result)])
    obs.record(
        "description",
        ev.description
        == f"Asset is currently fresh, since partition {due} has been observed/materialized.",
    )
    obs.metadata("params", {"p": ev.metadata["dagster/freshness_params"]})
    md = ev.metadata
    gap = md["dagster/fresh_until_timestamp"].value - md["dagster/latest_cron_tick_timestamp"].value
    obs.record("next_deadline", gap)


@scenario
def time_partition_check_fails_when_due_partition_missing(obs):
    daily = _daily("daily")
    other = _daily("other")
    checks = dg.build_time_partition_freshness_checks(
        assets=[daily, other], deadline_cron="0 0 * * *", severity=dg.AssetCheckSeverity.ERROR
    )
    due = DAILY.get_last_partition_key()
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([daily, other, *checks], instance=instance, partition_key="2020-01-01")
    obs.record("rows", [row[:5] for row in _rows(result)])
    overdue = f"Asset is overdue. We expected partition {due} to have arrived, and it has not."
    obs.record("overdue", _evaluation(result, "daily").description == overdue)


# metadata bounds and schema change checks ------------------------------------------------------


def _rows_asset(name, value):
    @dg.asset(name=name)
    def _asset():
        return dg.MaterializeResult(metadata={"dagster/row_count": value})

    return _asset


@scenario
def metadata_bounds_checks_definition(obs):
    checks = dg.build_metadata_bounds_checks(
        assets=["a", dg.AssetKey(["p", "b"])], metadata_key="dagster/row count", min_value=1
    )
    definition = checks[0]
    obs.record("count", len(checks))
    obs.record("node", definition.node_def.name)
    obs.record("names", sorted(k.name for k in definition.check_keys))
    obs.record("descriptions", sorted({s.description for s in definition.check_specs}))
    both = dg.build_metadata_bounds_checks(
        assets=["a"], metadata_key="n", min_value=1, max_value=5, exclusive_max=True
    )
    obs.record("both", both[0].check_specs.__iter__().__next__().description)


@scenario
def metadata_bounds_checks_evaluate_latest_materialization(obs):
    assets = [
        _rows_asset("inside", 5),
        _rows_asset("low", 0),
        _rows_asset("high", 11),
        _rows_asset("edge", 10),
        _rows_asset("text", "many"),
    ]
    checks = dg.build_metadata_bounds_checks(
        assets=[*assets, "missing"],
        metadata_key="dagster/row_count",
        min_value=1,
        max_value=10,
        exclusive_max=True,
        severity=dg.AssetCheckSeverity.ERROR,
    )
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([*assets, *checks], instance=instance)
    obs.record("rows", _rows(result))


@scenario
def metadata_bounds_check_without_the_key(obs):
    @dg.asset
    def plain():
        return 1

    checks = dg.build_metadata_bounds_checks(assets=[plain], metadata_key="size", max_value=3)
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([plain, *checks], instance=instance)
    obs.record("rows", _rows(result))


@scenario
def metadata_bounds_checks_reject_bad_bounds(obs):
    build = dg.build_metadata_bounds_checks
    obs.raises(
        lambda: build(assets=["a"], metadata_key="n"),
        "At least one of `min_value` or `max_value` must be set",
        key="none",
    )
    obs.raises(
        lambda: build(assets=["a"], metadata_key="n", min_value=5, max_value=1),
        "`min_value` may not be greater than `max_value`",
        key="inverted",
    )


def _schema_asset(columns):
    @dg.asset(name="table")
    def _asset():
        schema = dg.TableSchema(columns=[dg.TableColumn(name, kind) for name, kind in columns])
        return dg.MaterializeResult(metadata={"dagster/column_schema": schema})

    return _asset


@scenario
def column_schema_change_checks_compare_two_materializations(obs):
    first = _schema_asset([("id", "int"), ("name", "string"), ("gone", "bool")])
    second = _schema_asset([("id", "string"), ("name", "string"), ("added", "float")])
    checks = dg.build_column_schema_change_checks(assets=[first])
    definition = checks[0]
    obs.record("node", definition.node_def.name)
    obs.record("spec", [[k.to_user_string() for k in definition.check_keys]])
    obs.record("description", definition.check_specs.__iter__().__next__().description)
    instance = dg.DagsterInstance.ephemeral()
    once = dg.materialize([first, *checks], instance=instance)
    obs.record("once", _rows(once))
    same = dg.materialize([first, *checks], instance=instance)
    obs.record("same", _rows(same))
    changed = dg.materialize([second, *checks], instance=instance)
    obs.record("changed", _rows(changed))


@scenario
def column_schema_change_check_without_schema(obs):
    @dg.asset(name="table")
    def plain():
        return 1

    checks = dg.build_column_schema_change_checks(
        assets=["table"], severity=dg.AssetCheckSeverity.ERROR
    )
    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([plain], instance=instance)
    result = dg.materialize([plain, *checks], instance=instance)
    obs.record("rows", _rows(result))


# the freshness sensor ----------------------------------------------------------------------------


@scenario
def freshness_sensor_definition(obs):
    checks = dg.build_last_update_freshness_checks(assets=["a", "b"], lower_bound_delta=HOUR)
    sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=checks, minimum_interval_seconds=60
    )
    obs.record("name", sensor.name)
    obs.record("interval", sensor.minimum_interval_seconds)
    obs.record("status", sensor.default_status.value)
    obs.record("is_sensor", isinstance(sensor, dg.SensorDefinition))
    other = dg.build_sensor_for_freshness_checks(freshness_checks=checks, name="mine")
    obs.record("other", [other.name, other.minimum_interval_seconds])


@scenario
def freshness_sensor_requests_checks_never_run(obs):
    checks = dg.build_last_update_freshness_checks(assets=["b", "a"], lower_bound_delta=HOUR)
    sensor = dg.build_sensor_for_freshness_checks(freshness_checks=checks, tags={"team": "x"})
    instance = dg.DagsterInstance.ephemeral()
    context = dg.build_sensor_context(instance=instance)
    request = sensor(context)
    obs.record("kind", type(request).__name__)
    obs.record("checks", [k.to_user_string() for k in request.asset_check_keys])
    obs.record("tags", dict(request.tags))
    obs.record("cursor", context.cursor)


@scenario
def freshness_sensor_skips_passing_and_failed_checks(obs):
    fresh = _stamped("fresh", FAR_FUTURE)
    stale = _stamped("stale", LONG_AGO)
    checks = dg.build_last_update_freshness_checks(assets=[fresh, stale], lower_bound_delta=HOUR)
    sensor = dg.build_sensor_for_freshness_checks(freshness_checks=checks)
    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([fresh, stale, *checks], instance=instance)
    skipped = sensor(dg.build_sensor_context(instance=instance))
    obs.record("kind", type(skipped).__name__)
    obs.record("message", skipped.skip_message)
    dg.materialize([stale], instance=instance)
    again = sensor(dg.build_sensor_context(instance=instance))
    obs.record("after_update", type(again).__name__)
    obs.record("checks", [k.to_user_string() for k in again.asset_check_keys])


@scenario
def freshness_sensor_rejects_duplicate_checks(obs):
    checks = dg.build_last_update_freshness_checks(assets=["a"], lower_bound_delta=HOUR)
    obs.raises(
        lambda: dg.build_sensor_for_freshness_checks(freshness_checks=[*checks, *checks]),
        "Found duplicate asset checks",
        key="duplicate",
    )
    obs.raises(
        lambda: dg.build_sensor_for_freshness_checks(
            freshness_checks=checks, minimum_interval_seconds=-5
        ),
        "Interval must be a positive integer",
        key="interval",
    )
