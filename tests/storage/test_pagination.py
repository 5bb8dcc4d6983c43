"""Pages with cursors: PaginatedResults, run status changes, dynamic partitions."""

from __future__ import annotations

import datetime

import pytest

import headwater as dg
from headwater.errors import InvalidInvocationError
from headwater.events import EventType
from headwater.storage.pagination import PaginatedResults


def test_pages_follow_each_other_until_none_is_left() -> None:
    first = PaginatedResults.create_from_sequence([1, 2, 3, 4, 5], 2, True)
    second = PaginatedResults.create_from_sequence([1, 2, 3, 4, 5], 2, True, first.cursor)
    third = PaginatedResults.create_from_sequence([1, 2, 3, 4, 5], 2, True, second.cursor)
    assert [first.results, second.results, third.results] == [[1, 2], [3, 4], [5]]
    assert [first.has_more, second.has_more, third.has_more] == [True, True, False]


def test_descending_pages_read_from_the_end() -> None:
    page = PaginatedResults.create_from_sequence(["a", "b", "c"], 2, False)
    assert (page.results, page.has_more) == (["c", "b"], True)


def test_a_cursor_for_a_value_that_is_gone_restarts() -> None:
    cursor = PaginatedResults.create_from_sequence(["x", "y"], 1, True).cursor
    assert PaginatedResults.create_from_sequence(["a", "b"], 5, True, cursor).results == ["a", "b"]


# Not base64; base64 of JSON without the "value" wrapper.
@pytest.mark.parametrize("cursor", ["not base64!", "WzFd"])
def test_a_cursor_no_page_returned_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidInvocationError, match="is not one a page returned"):
        PaginatedResults.create_from_sequence([1], 1, True, cursor)


def test_fields_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        PaginatedResults([1], "c", False)  # type: ignore[misc]


def _runs(instance: dg.DagsterInstance) -> None:
    @dg.op
    def one() -> int:
        return 1

    @dg.op
    def boom() -> None:
        raise ValueError("no")

    @dg.job
    def good() -> None:
        one()

    @dg.job
    def bad() -> None:
        boom()

    good.execute_in_process(instance=instance)
    bad.execute_in_process(instance=instance, raise_on_error=False)
    good.execute_in_process(instance=instance)


def test_run_status_changes_page_newest_first() -> None:
    instance = dg.DagsterInstance.ephemeral()
    _runs(instance)
    first = instance.fetch_run_status_changes(EventType.RUN_SUCCESS, limit=1)
    rest = instance.fetch_run_status_changes(EventType.RUN_SUCCESS, limit=5, cursor=first.cursor)
    assert first.has_more and not rest.has_more
    assert first.records[0].storage_id > rest.records[0].storage_id
    failures = instance.fetch_run_status_changes(EventType.RUN_FAILURE, limit=5)
    assert [r.event_log_entry.job_name for r in failures.records] == ["bad"]


def test_status_change_filter_selects_jobs_and_storage_ids() -> None:
    instance = dg.DagsterInstance.ephemeral()
    _runs(instance)
    starts = dg.RunStatusChangeRecordsFilter(EventType.RUN_START, job_names=["bad"])
    found = instance.fetch_run_status_changes(starts, limit=5, ascending=True)
    assert [r.event_log_entry.job_name for r in found.records] == ["bad"]
    later = dg.RunStatusChangeRecordsFilter(
        EventType.RUN_START, after_storage_id=found.records[0].storage_id
    )
    after = instance.fetch_run_status_changes(later, limit=5, ascending=True)
    assert [r.event_log_entry.job_name for r in after.records] == ["good"]


def test_only_run_status_events_are_accepted() -> None:
    message = "takes an event type that changes a run's status"
    with pytest.raises(InvalidInvocationError, match=message):
        dg.RunStatusChangeRecordsFilter(EventType.STEP_SUCCESS)
    with pytest.raises(InvalidInvocationError, match=message + r".*got STEP_SUCCESS"):
        dg.DagsterInstance.ephemeral().fetch_run_status_changes(EventType.STEP_SUCCESS, limit=1)


def test_run_sharded_cursor_bounds_by_its_id() -> None:
    instance = dg.DagsterInstance.ephemeral()
    _runs(instance)
    every = instance.get_event_records(dg.EventRecordsFilter(EventType.RUN_START), ascending=True)
    cursor = dg.RunShardedEventsCursor(every[0].storage_id, datetime.datetime(2020, 1, 1))
    after = instance.get_event_records(
        dg.EventRecordsFilter(EventType.RUN_START, after_cursor=cursor), ascending=True
    )
    assert [r.storage_id for r in after] == [r.storage_id for r in every[1:]]


def test_dynamic_partitions_page_in_the_order_they_were_added() -> None:
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("regions", ["eu", "us", "ap"])
    page = instance.get_paginated_dynamic_partitions("regions", limit=2, ascending=True)
    rest = instance.get_paginated_dynamic_partitions("regions", 2, True, page.cursor)
    assert (page.results, rest.results, rest.has_more) == (["eu", "us"], ["ap"], False)
    newest = instance.get_paginated_dynamic_partitions("regions", limit=1, ascending=False)
    assert newest.results == ["ap"]
