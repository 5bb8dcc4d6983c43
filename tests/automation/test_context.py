from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from headwater.automation import (
    RunRequest,
    SensorEvaluationContext,
    build_schedule_context,
    build_sensor_context,
    sensor,
)
from headwater.errors import InvariantViolationError
from headwater.resources import resource
from headwater.storage import Instance

from .conftest import CountedClient, Lifecycle, daily_job


def test_schedule_context_fields() -> None:
    instance = Instance.ephemeral()
    context = build_schedule_context(
        instance=instance, scheduled_execution_time=datetime(2024, 1, 1)
    )
    assert context.instance is instance
    assert context.scheduled_execution_time == datetime(2024, 1, 1)
    assert context.log.name == "headwater.automation"
    msg = (
        "this schedule context has no scheduled_execution_time; pass one: "
        "build_schedule_context(scheduled_execution_time=datetime(...))"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        _ = build_schedule_context().scheduled_execution_time


def test_sensor_context_fields_and_cursor() -> None:
    context = SensorEvaluationContext(None, cursor="4", sensor_name="s", last_completion_time=12.5)
    assert (context.cursor, context.sensor_name) == ("4", "s")
    assert context.last_tick_completion_time == context.last_completion_time == 12.5
    assert context.last_run_key is None
    assert not context.cursor_updated
    context.update_cursor("5")
    assert (context.cursor, context.cursor_updated) == ("5", True)
    msg = (
        "this sensor context has no instance; pass one: "
        "build_sensor_context(instance=Instance.ephemeral())"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        _ = context.instance


def test_resources_without_teardown_are_readable_anytime_generators_need_a_block(
    lifecycle: Lifecycle,
) -> None:
    assert build_sensor_context(resources={"n": 3}).resources.n == 3
    context = build_sensor_context(resources={"client": CountedClient(name="c")})
    assert context.resources.client.name == "c"
    assert context.resources.client.name == "c"  # set up once, kept, never torn down
    assert lifecycle.events == ["setup c"]

    @resource
    def opened(_: Any) -> Iterator[int]:
        yield 1

    msg = (
        "resource 'opened' of this sensor context is a generator, so it is set up only while "
        "a function is evaluated; to use it outside one, write "
        "`with build_sensor_context(resources=...) as context:`"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        _ = build_sensor_context(resources={"opened": opened}).resources


def test_with_block_opens_resources_once_for_every_call(lifecycle: Lifecycle) -> None:
    @sensor(job=daily_job)
    def s(context: SensorEvaluationContext, client: CountedClient) -> list[RunRequest]:
        lifecycle.events.append("body")
        return [RunRequest(run_key=client.name)]

    with build_sensor_context(resources={"client": CountedClient(name="w")}) as context:
        assert context.resources.client.name == "w"
        s(context)
        s(context)
    assert lifecycle.events == ["setup w", "body", "body", "teardown w"]


def test_schedule_context_with_block(lifecycle: Lifecycle) -> None:
    with build_schedule_context(resources={"client": CountedClient(name="b")}) as context:
        assert context.resources.client.fetch() == ["b-1", "b-2"]
    assert lifecycle.events == ["setup b", "teardown b"]
