from __future__ import annotations

import logging
import re
import time

import pytest

from headwater.assets import AssetKey
from headwater.automation import (
    AssetSensorDefinition,
    EventLogEntry,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    asset_sensor,
    build_sensor_context,
    evaluate_sensor,
)
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.events import EventType, RunEvent
from headwater.storage import Instance

from .conftest import CountedClient, Lifecycle, report_job


def materialize(instance: Instance, key: list[str], rows: int) -> str:
    """Store a run with one materialization of ``key``, as an executor would."""
    run = instance.create_run(job_name="producer")
    instance.store_events(
        [
            RunEvent(
                EventType.ASSET_MATERIALIZATION,
                run_id=run.run_id,
                job_name="producer",
                timestamp=time.time(),
                message=f"materialized {'/'.join(key)}",
                step_key="produce",
                level=logging.INFO,
                data={"asset_key": key, "metadata": {"rows": rows}},
            )
        ]
    )
    return run.run_id


@asset_sensor(asset_key=AssetKey(["warehouse", "orders"]), job=report_job)
def orders_updated(context: SensorEvaluationContext, asset_event: EventLogEntry) -> RunRequest:
    return RunRequest(
        run_key=f"{asset_event.run_id}:{asset_event.asset_materialization.metadata['rows'].value}",
        tags={"rows": str(asset_event.asset_materialization.metadata["rows"].value)},
    )


def test_definition() -> None:
    assert isinstance(orders_updated, AssetSensorDefinition)
    assert orders_updated.asset_key == AssetKey(["warehouse", "orders"])
    assert (orders_updated.name, orders_updated.job_name) == ("orders_updated", "report_job")
    assert orders_updated.minimum_interval_seconds == 30


def test_cursor_follows_new_materializations() -> None:
    instance = Instance.ephemeral()
    empty = evaluate_sensor(orders_updated, instance=instance)
    assert (empty.skip_message, empty.cursor) == (
        "no new materialization of asset 'warehouse/orders'",
        None,
    )

    materialize(instance, ["warehouse", "customers"], 1)  # another asset: ignored
    run_id = materialize(instance, ["warehouse", "orders"], 10)
    first = evaluate_sensor(orders_updated, instance=instance)
    (request,) = first.run_requests
    assert (request.run_key, request.tags["rows"]) == (f"{run_id}:10", "10")
    assert first.cursor is not None

    again = evaluate_sensor(orders_updated, instance=instance, cursor=first.cursor)
    assert again.run_requests == ()
    assert again.skip_message == (
        f"no new materialization of asset 'warehouse/orders' after storage id {first.cursor}"
    )
    assert again.cursor == first.cursor

    materialize(instance, ["warehouse", "orders"], 20)
    run_id = materialize(instance, ["warehouse", "orders"], 30)
    latest = evaluate_sensor(orders_updated, instance=instance, cursor=first.cursor)
    # like the reference, one evaluation sees the newest materialization after the cursor
    assert [r.run_key for r in latest.run_requests] == [f"{run_id}:30"]
    assert int(latest.cursor or 0) > int(first.cursor)


def test_event_entry_exposes_the_stored_event() -> None:
    instance = Instance.ephemeral()
    run_id = materialize(instance, ["warehouse", "orders"], 5)
    seen: list[EventLogEntry] = []

    @asset_sensor(asset_key="warehouse/orders", job=report_job)
    def capture(context: SensorEvaluationContext, asset_event: EventLogEntry) -> SkipReason:
        seen.append(asset_event)
        return SkipReason("looked")

    result = evaluate_sensor(capture, instance=instance)
    (entry,) = seen
    assert (entry.run_id, entry.job_name, entry.step_key) == (run_id, "producer", "produce")
    assert entry.dagster_event is not None
    assert entry.dagster_event.asset_key == AssetKey(["warehouse", "orders"])
    assert entry.dagster_event.event_type is EventType.ASSET_MATERIALIZATION
    assert entry.user_message == "materialized warehouse/orders"
    # the cursor moves even when the function skips, to the materialization's storage id
    record = instance.get_latest_materialization_records(["warehouse/orders"])["warehouse/orders"]
    assert (result.skip_message, result.cursor) == ("looked", str(record.storage_id))


def test_direct_invocation_and_resources(lifecycle: Lifecycle) -> None:
    instance = Instance.ephemeral()
    materialize(instance, ["warehouse", "orders"], 7)

    @asset_sensor(asset_key=["warehouse", "orders"], job=report_job)
    def with_client(
        context: SensorEvaluationContext, asset_event: EventLogEntry, client: CountedClient
    ) -> RunRequest:
        return RunRequest(run_key=client.name)

    assert with_client.required_resource_keys == frozenset({"client"})
    context = build_sensor_context(instance=instance, resources={"client": CountedClient()})
    assert with_client(context) == RunRequest(run_key="client")
    assert context.cursor is not None
    assert lifecycle.events == ["setup client", "teardown client"]


def test_bad_cursor_and_bad_parameters() -> None:
    msg = (
        "asset sensor 'orders_updated': cursor 'abc' is not a storage id; an asset sensor's "
        "cursor is the storage id of the last materialization it saw (reset it to start over)"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        evaluate_sensor(orders_updated, instance=Instance.ephemeral(), cursor="abc")
    msg = (
        "sensor 'three' has parameter 'extra', which is neither the context and asset_event "
        "nor a resource"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @asset_sensor(asset_key="a", job=report_job)
        def three(
            context: SensorEvaluationContext, asset_event: EventLogEntry, extra: int
        ) -> None: ...
