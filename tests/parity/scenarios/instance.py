"""The instance's query API: runs, run records, event records and materializations."""

from _harness import dg, scenario


def _asset():
    @dg.asset
    def a():
        return 1

    return a


def _job(name="j"):
    @dg.op
    def one(context):
        context.log.info("hello from one")
        return 1

    @dg.job(name=name)
    def j():
        one()

    return j


@scenario
def instance_for_test_is_a_persistent_instance(obs):
    with dg.instance_for_test() as inst:
        obs.kind("kind", inst)
        obs.record("ephemeral", inst.is_ephemeral)
        obs.record("runs", inst.get_runs_count())


@scenario
def ephemeral_instance(obs):
    inst = dg.DagsterInstance.ephemeral()
    obs.kind("kind", inst)
    obs.record("ephemeral", inst.is_ephemeral)


@scenario
def run_is_recorded_in_the_instance(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=inst)
        run = inst.get_run_by_id(r.run_id)
        obs.kind("kind", run)
        obs.record("job", run.job_name)
        obs.record("status", run.status.name)
        obs.record("is_success", run.is_success)
        obs.record("has_run", inst.has_run(r.run_id))


@scenario
def unknown_run_id_is_none(obs):
    with dg.instance_for_test() as inst:
        obs.record("run", inst.get_run_by_id("00000000-0000-0000-0000-000000000000"))
        obs.record("has", inst.has_run("00000000-0000-0000-0000-000000000000"))


@scenario
def runs_newest_first(obs):
    with dg.instance_for_test() as inst:
        first = _job().execute_in_process(instance=inst)
        second = _job().execute_in_process(instance=inst)
        ids = [r.run_id for r in inst.get_runs()]
        obs.record("order", [ids.index(second.run_id), ids.index(first.run_id)])
        obs.record("limit", len(inst.get_runs(limit=1)))
        obs.record("limited_is_newest", inst.get_runs(limit=1)[0].run_id == second.run_id)


@scenario
def runs_count_with_and_without_filters(obs):
    with dg.instance_for_test() as inst:
        _job("a").execute_in_process(instance=inst)
        _job("b").execute_in_process(instance=inst, tags={"team": "x"})
        obs.record("all", inst.get_runs_count())
        obs.record("by_job", inst.get_runs_count(dg.RunsFilter(job_name="a")))
        obs.record("by_tag", inst.get_runs_count(dg.RunsFilter(tags={"team": "x"})))
        obs.record("no_match", inst.get_runs_count(dg.RunsFilter(tags={"team": "y"})))


@scenario
def runs_filter_by_status(obs):
    @dg.op
    def boom():
        raise ValueError("x")

    @dg.job
    def failing():
        boom()

    with dg.instance_for_test() as inst:
        _job().execute_in_process(instance=inst)
        failing.execute_in_process(instance=inst, raise_on_error=False)
        ok = inst.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.SUCCESS]))
        bad = inst.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE]))
        obs.record("ok", [r.job_name for r in ok])
        obs.record("bad", [r.job_name for r in bad])
        both = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE]
        obs.record("both", inst.get_runs_count(dg.RunsFilter(statuses=both)))


@scenario
def runs_filter_by_run_ids(obs):
    with dg.instance_for_test() as inst:
        r1 = _job().execute_in_process(instance=inst)
        _job().execute_in_process(instance=inst)
        found = inst.get_runs(dg.RunsFilter(run_ids=[r1.run_id]))
        obs.record("found", [r.run_id == r1.run_id for r in found])


@scenario
def runs_filter_tag_with_several_values(obs):
    with dg.instance_for_test() as inst:
        _job().execute_in_process(instance=inst, tags={"env": "dev"})
        _job().execute_in_process(instance=inst, tags={"env": "prod"})
        _job().execute_in_process(instance=inst, tags={"env": "test"})
        obs.record("count", inst.get_runs_count(dg.RunsFilter(tags={"env": ["dev", "prod"]})))


@scenario
def runs_filter_fields(obs):
    obs.signature("signature", dg.RunsFilter)
    f = dg.RunsFilter(job_name="j", tags={"a": "b"})
    obs.record("job_name", f.job_name)
    obs.record("tags", dict(f.tags))


@scenario
def run_records(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=inst)
        records = inst.get_run_records(dg.RunsFilter(run_ids=[r.run_id]))
        obs.record("count", len(records))
        rec = records[0]
        obs.kind("kind", rec)
        obs.record("same_run", rec.dagster_run.run_id == r.run_id)
        obs.record("has_times", [rec.start_time is not None, rec.end_time is not None])
        obs.record("ordered", rec.end_time >= rec.start_time)
        obs.record("storage_id", isinstance(rec.storage_id, int))


@scenario
def all_logs_are_event_log_entries(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=inst)
        logs = inst.all_logs(r.run_id)
        obs.kind("kind", logs[0])
        obs.record(
            "entries",
            [[entry.is_dagster_event, entry.dagster_event_type, entry.step_key] for entry in logs],
        )


@scenario
def all_logs_include_user_log_lines(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=inst)
        lines = [entry for entry in inst.all_logs(r.run_id) if not entry.is_dagster_event]
        obs.record(
            "lines",
            [[entry.user_message, entry.level, entry.step_key, entry.job_name] for entry in lines],
        )
        obs.record("event", [entry.dagster_event for entry in lines])


@scenario
def all_logs_of_one_type(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=inst)
        logs = inst.all_logs(r.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
        obs.record("steps", [entry.step_key for entry in logs])
        both = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS}
        obs.record(
            "two_kinds",
            [entry.dagster_event_type for entry in inst.all_logs(r.run_id, of_type=both)],
        )


@scenario
def event_log_entry_fields(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=inst)
        entry = inst.all_logs(r.run_id)[0]
        obs.record("run_id", entry.run_id == r.run_id)
        obs.record("level", entry.level)
        obs.record("message", entry.user_message)
        obs.record("job_name", entry.job_name)
        obs.record("is_event", entry.is_dagster_event)
        obs.record("event_type", entry.dagster_event.event_type_value)
        obs.record("timestamp", isinstance(entry.timestamp, float))
        obs.record("error_info", entry.error_info)


@scenario
def all_logs_match_all_events(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=inst)
        from_logs = [
            entry.dagster_event.event_type_value
            for entry in inst.all_logs(r.run_id)
            if entry.is_dagster_event
        ]
        obs.record("same", from_logs == [e.event_type_value for e in r.all_events])


@scenario
def get_event_records_by_type(obs):
    with dg.instance_for_test() as inst:
        r1 = _job().execute_in_process(instance=inst)
        r2 = _job().execute_in_process(instance=inst)
        f = dg.EventRecordsFilter(event_type=dg.DagsterEventType.RUN_SUCCESS)
        records = inst.get_event_records(f)
        obs.kind("kind", records[0])
        obs.record("newest_first", [rec.run_id for rec in records] == [r2.run_id, r1.run_id])
        asc = inst.get_event_records(f, ascending=True)
        obs.record("ascending", [rec.run_id for rec in asc] == [r1.run_id, r2.run_id])
        obs.record("limit", len(inst.get_event_records(f, limit=1)))


@scenario
def event_records_of_an_asset(obs):
    with dg.instance_for_test() as inst:
        a = _asset()
        r1 = dg.materialize([a], instance=inst)
        r2 = dg.materialize([a], instance=inst)
        f = dg.EventRecordsFilter(
            event_type=dg.DagsterEventType.ASSET_MATERIALIZATION, asset_key=dg.AssetKey("a")
        )
        records = inst.get_event_records(f)
        obs.record("count", len(records))
        obs.record("runs", [rec.run_id for rec in records] == [r2.run_id, r1.run_id])
        obs.record("key", list(records[0].asset_key.path))
        obs.record("partition", records[0].partition_key)
        obs.kind("entry", records[0].event_log_entry)
        obs.record("ids_descend", records[0].storage_id > records[1].storage_id)


@scenario
def event_records_after_a_cursor(obs):
    with dg.instance_for_test() as inst:
        a = _asset()
        dg.materialize([a], instance=inst)
        r2 = dg.materialize([a], instance=inst)
        f = dg.EventRecordsFilter(
            event_type=dg.DagsterEventType.ASSET_MATERIALIZATION, asset_key=dg.AssetKey("a")
        )
        first = inst.get_event_records(f, ascending=True)[0]
        after = inst.get_event_records(
            dg.EventRecordsFilter(
                event_type=dg.DagsterEventType.ASSET_MATERIALIZATION,
                asset_key=dg.AssetKey("a"),
                after_cursor=first.storage_id,
            )
        )
        obs.record("after", [rec.run_id == r2.run_id for rec in after])


@scenario
def event_records_of_partitions(obs):
    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(["x", "y"]))
    def p(context):
        return context.partition_key

    with dg.instance_for_test() as inst:
        dg.materialize([p], instance=inst, partition_key="x")
        dg.materialize([p], instance=inst, partition_key="y")
        f = dg.EventRecordsFilter(
            event_type=dg.DagsterEventType.ASSET_MATERIALIZATION,
            asset_key=dg.AssetKey("p"),
            asset_partitions=["y"],
        )
        obs.record("partitions", [rec.partition_key for rec in inst.get_event_records(f)])


@scenario
def latest_materialization_event(obs):
    with dg.instance_for_test() as inst:
        a = _asset()
        dg.materialize([a], instance=inst)
        r2 = dg.materialize([a], instance=inst)
        e = inst.get_latest_materialization_event(dg.AssetKey("a"))
        obs.kind("kind", e)
        obs.record("run", e.run_id == r2.run_id)
        obs.record("key", list(e.asset_materialization.asset_key.path))
        obs.record("none", inst.get_latest_materialization_event(dg.AssetKey("nope")))


@scenario
def fetch_materializations_pages(obs):
    with dg.instance_for_test() as inst:
        a = _asset()
        r1 = dg.materialize([a], instance=inst)
        r2 = dg.materialize([a], instance=inst)
        page = inst.fetch_materializations(dg.AssetKey("a"), limit=1)
        obs.kind("kind", page)
        obs.record("first", [len(page.records), page.has_more, page.records[0].run_id == r2.run_id])
        nxt = inst.fetch_materializations(dg.AssetKey("a"), limit=1, cursor=page.cursor)
        obs.record("second", [len(nxt.records), nxt.records[0].run_id == r1.run_id])
        every = inst.fetch_materializations(dg.AssetKey("a"), limit=10)
        obs.record("every", [len(every.records), every.has_more])


@scenario
def fetch_materializations_with_a_records_filter(obs):
    with dg.instance_for_test() as inst:
        a = _asset()
        dg.materialize([a], instance=inst)
        page = inst.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("a")), limit=5, ascending=True
        )
        obs.record("count", len(page.records))
        mat = page.records[0].asset_materialization
        obs.record("key", list(mat.asset_key.path))


@scenario
def materialization_metadata_in_the_instance(obs):
    @dg.asset
    def counted():
        return dg.Output(1, metadata={"rows": 5})

    with dg.instance_for_test() as inst:
        dg.materialize([counted], instance=inst)
        e = inst.get_latest_materialization_event(dg.AssetKey("counted"))
        md = e.asset_materialization.metadata
        obs.record("rows", [type(md["rows"]).__name__, md["rows"].value])


@scenario
def failed_run_status_in_the_instance(obs):
    @dg.op
    def boom():
        raise ValueError("x")

    @dg.job
    def failing():
        boom()

    with dg.instance_for_test() as inst:
        r = failing.execute_in_process(instance=inst, raise_on_error=False)
        run = inst.get_run_by_id(r.run_id)
        obs.record("status", run.status.name)
        obs.record("is_failure", run.is_failure)
        obs.record("finished", run.is_finished)


@scenario
def run_status_members(obs):
    obs.record("names", sorted(m.name for m in dg.DagsterRunStatus))


@scenario
def runs_paged_with_a_cursor(obs):
    with dg.instance_for_test() as inst:
        ids = [_job().execute_in_process(instance=inst).run_id for _ in range(3)]
        first = inst.get_runs(limit=2)
        rest = inst.get_runs(cursor=first[-1].run_id)
        obs.record("first", [ids.index(r.run_id) for r in first])
        obs.record("rest", [ids.index(r.run_id) for r in rest])


@scenario
def instance_get_inside_instance_for_test(obs):
    with dg.instance_for_test() as inst:
        r = _job().execute_in_process(instance=dg.DagsterInstance.get())
        obs.record("seen", inst.has_run(r.run_id))


@scenario
def failure_entry_in_all_logs(obs):
    @dg.op
    def boom():
        raise ValueError("x")

    @dg.job
    def failing():
        boom()

    with dg.instance_for_test() as inst:
        r = failing.execute_in_process(instance=inst, raise_on_error=False)
        entry = next(
            e
            for e in inst.all_logs(r.run_id)
            if e.dagster_event_type == dg.DagsterEventType.STEP_FAILURE
        )
        obs.record("level", entry.level)
        obs.record("error_info", entry.error_info)
        obs.record("cause", entry.dagster_event.step_failure_data.error.cause.cls_name)


@scenario
def run_failure_entry_level(obs):
    @dg.op
    def boom():
        raise ValueError("x")

    @dg.job
    def failing():
        boom()

    with dg.instance_for_test() as inst:
        r = failing.execute_in_process(instance=inst, raise_on_error=False)
        levels = {
            entry.dagster_event_type.value: entry.level
            for entry in inst.all_logs(r.run_id)
            if entry.is_dagster_event
        }
        obs.record("levels", levels)


@scenario
def get_event_records_of_step_failures(obs):
    @dg.op
    def boom():
        raise ValueError("x")

    @dg.job
    def failing():
        boom()

    with dg.instance_for_test() as inst:
        r = failing.execute_in_process(instance=inst, raise_on_error=False)
        records = inst.get_event_records(
            dg.EventRecordsFilter(event_type=dg.DagsterEventType.STEP_FAILURE)
        )
        obs.record("runs", [rec.run_id == r.run_id for rec in records])
        obs.record("step", [rec.event_log_entry.step_key for rec in records])


@scenario
def materialization_planned_records_are_absent(obs):
    with dg.instance_for_test() as inst:
        dg.materialize([_asset()], instance=inst)
        f = dg.EventRecordsFilter(event_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
        obs.record("planned", len(inst.get_event_records(f)))


def _three_runs(inst):
    a = _asset()
    for _ in range(2):
        dg.materialize([a], instance=inst)
    _job().execute_in_process(instance=inst)


@scenario
def fetch_run_status_changes_pages_with_a_cursor(obs):
    inst = dg.DagsterInstance.ephemeral()
    _three_runs(inst)
    first = inst.fetch_run_status_changes(dg.DagsterEventType.RUN_SUCCESS, limit=2)
    obs.kind("kind", first)
    obs.record("first_jobs", [r.event_log_entry.job_name for r in first.records])
    obs.record("first_has_more", first.has_more)
    obs.record(
        "first_types", [r.event_log_entry.dagster_event.event_type_value for r in first.records]
    )
    rest = inst.fetch_run_status_changes(
        dg.DagsterEventType.RUN_SUCCESS, limit=2, cursor=first.cursor
    )
    obs.record("rest_jobs", [r.event_log_entry.job_name for r in rest.records])
    ids = [r.storage_id for r in first.records + rest.records]
    obs.record("newest_first", ids == sorted(ids, reverse=True))


@scenario
def fetch_run_status_changes_with_a_filter_ascending(obs):
    inst = dg.DagsterInstance.ephemeral()
    _three_runs(inst)
    f = dg.RunStatusChangeRecordsFilter(dg.DagsterEventType.RUN_START)
    found = inst.fetch_run_status_changes(f, limit=10, ascending=True)
    obs.record("jobs", [r.event_log_entry.job_name for r in found.records])
    ids = [r.storage_id for r in found.records]
    obs.record("oldest_first", ids == sorted(ids))
    after = inst.fetch_run_status_changes(
        dg.RunStatusChangeRecordsFilter(dg.DagsterEventType.RUN_START, after_storage_id=ids[0]),
        limit=10,
        ascending=True,
    )
    obs.record("after_first", len(after.records))
    none = inst.fetch_run_status_changes(dg.DagsterEventType.RUN_FAILURE, limit=5)
    obs.record("failures", len(none.records))
    obs.record("failures_has_more", none.has_more)


@scenario
def run_status_change_filter_fields(obs):
    f = dg.RunStatusChangeRecordsFilter(
        dg.DagsterEventType.RUN_FAILURE, after_timestamp=1.0, before_storage_id=9
    )
    obs.record("event_type", f.event_type)
    obs.record("after_timestamp", f.after_timestamp)
    obs.record("before_timestamp", f.before_timestamp)
    obs.record("before_storage_id", f.before_storage_id)
    obs.record("storage_ids", f.storage_ids)


@scenario
def run_sharded_events_cursor_bounds_event_records(obs):
    import datetime

    inst = dg.DagsterInstance.ephemeral()
    a = _asset()
    for _ in range(3):
        dg.materialize([a], instance=inst)
    every = inst.get_event_records(
        dg.EventRecordsFilter(dg.DagsterEventType.ASSET_MATERIALIZATION), ascending=True
    )
    cursor = dg.RunShardedEventsCursor(
        id=every[0].storage_id, run_updated_after=datetime.datetime(2020, 1, 1)
    )
    obs.record("fields", [cursor.id == every[0].storage_id, str(cursor.run_updated_after)])
    obs.record("tuple", len(tuple(cursor)))
    after = inst.get_event_records(
        dg.EventRecordsFilter(dg.DagsterEventType.ASSET_MATERIALIZATION, after_cursor=cursor)
    )
    obs.record("after", len(after))


@scenario
def paginated_results_from_a_sequence(obs):
    first = dg.PaginatedResults.create_from_sequence([1, 2, 3, 4, 5], limit=2, ascending=True)
    obs.record("first", [list(first.results), first.has_more])
    second = dg.PaginatedResults.create_from_sequence(
        [1, 2, 3, 4, 5], limit=2, ascending=True, cursor=first.cursor
    )
    obs.record("second", [list(second.results), second.has_more])
    third = dg.PaginatedResults.create_from_sequence(
        [1, 2, 3, 4, 5], limit=2, ascending=True, cursor=second.cursor
    )
    obs.record("third", [list(third.results), third.has_more])
    desc = dg.PaginatedResults.create_from_sequence([1, 2, 3, 4, 5], limit=3, ascending=False)
    obs.record("descending", [list(desc.results), desc.has_more])
    made = dg.PaginatedResults(results=["a"], cursor="c", has_more=False)
    obs.record("made", [made.results, made.cursor, made.has_more])
    obs.raises(lambda: dg.PaginatedResults(results=[1]))


@scenario
def paginated_dynamic_partitions(obs):
    inst = dg.DagsterInstance.ephemeral()
    inst.add_dynamic_partitions("regions", ["eu", "us", "ap"])
    page = inst.get_paginated_dynamic_partitions("regions", limit=2, ascending=True)
    obs.kind("kind", page)
    obs.record("first", [list(page.results), page.has_more])
    rest = inst.get_paginated_dynamic_partitions(
        "regions", limit=2, ascending=True, cursor=page.cursor
    )
    obs.record("rest", [list(rest.results), rest.has_more])
    newest = inst.get_paginated_dynamic_partitions("regions", limit=5, ascending=False)
    obs.record("newest", [list(newest.results), newest.has_more])
