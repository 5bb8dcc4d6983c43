"""A run's event log: pages by cursor (``logsForRun``) and a live stream
(``pipelineRunLogs``, served over WebSocket; polling ``logsForRun`` is the fallback).

The cursor is the storage id of the last event returned, as a string.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from headwater.events import EventType, RunEvent
from headwater.storage.log_view import LogFilter, count_log, level_name, read_log_page
from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.registry import field, sdl, subscription, typed
from headwater.webserver.schema.runs import run_not_found, run_value

__all__ = ["event_value"]

# Event kind → the GraphQL type that carries it; kinds not named are EngineEvents.
_TYPES = {
    "STEP_FAILURE": "ExecutionStepFailureEvent",
    "STEP_INPUT": "ExecutionStepInputEvent",
    "STEP_OUTPUT": "ExecutionStepOutputEvent",
    "STEP_SKIPPED": "ExecutionStepSkippedEvent",
    "STEP_START": "ExecutionStepStartEvent",
    "STEP_SUCCESS": "ExecutionStepSuccessEvent",
    "STEP_UP_FOR_RETRY": "ExecutionStepUpForRetryEvent",
    "STEP_RESTARTED": "ExecutionStepRestartEvent",
    "RESOURCE_INIT_FAILURE": "ResourceInitFailureEvent",
    "RESOURCE_INIT_STARTED": "ResourceInitStartedEvent",
    "RESOURCE_INIT_SUCCESS": "ResourceInitSuccessEvent",
    "PIPELINE_FAILURE": "RunFailureEvent",
    "PIPELINE_START": "RunStartEvent",
    "PIPELINE_ENQUEUED": "RunEnqueuedEvent",
    "PIPELINE_DEQUEUED": "RunDequeuedEvent",
    "PIPELINE_STARTING": "RunStartingEvent",
    "PIPELINE_CANCELING": "RunCancelingEvent",
    "PIPELINE_CANCELED": "RunCanceledEvent",
    "PIPELINE_SUCCESS": "RunSuccessEvent",
    "STEP_WORKER_STARTED": "StepWorkerStartedEvent",
    "STEP_WORKER_STARTING": "StepWorkerStartingEvent",
    "HANDLED_OUTPUT": "HandledOutputEvent",
    "LOADED_INPUT": "LoadedInputEvent",
    "LOGS_CAPTURED": "LogsCapturedEvent",
    "OBJECT_STORE_OPERATION": "ObjectStoreOperationEvent",
    "STEP_EXPECTATION_RESULT": "StepExpectationResultEvent",
    "ASSET_MATERIALIZATION": "MaterializationEvent",
    "ASSET_OBSERVATION": "ObservationEvent",
    "ASSET_FAILED_TO_MATERIALIZE": "FailedToMaterializeEvent",
    "ENGINE_EVENT": "EngineEvent",
    "HOOK_COMPLETED": "HookCompletedEvent",
    "HOOK_SKIPPED": "HookSkippedEvent",
    "HOOK_ERRORED": "HookErroredEvent",
    "ALERT_START": "AlertStartEvent",
    "ALERT_SUCCESS": "AlertSuccessEvent",
    "ALERT_FAILURE": "AlertFailureEvent",
    "ASSET_MATERIALIZATION_PLANNED": "AssetMaterializationPlannedEvent",
    "ASSET_CHECK_EVALUATION_PLANNED": "AssetCheckEvaluationPlannedEvent",
    "ASSET_CHECK_EVALUATION": "AssetCheckEvaluationEvent",
}
_LOG_MESSAGE = "LogMessageEvent"  # a line the user's code logged (no event kind)
_COMMON = """  runId: String!
  message: String!
  "Milliseconds since the epoch, as a string."
  timestamp: String!
  level: LogLevel!
  stepKey: String
  solidHandleID: String
  eventType: DagsterEventType
  error: PythonError
  assetKey: AssetKey
  partition: String
  metadata: GenericScalar
"""


def _event_types_sdl() -> str:
    names = sorted({*_TYPES.values(), _LOG_MESSAGE})
    kinds = sorted({kind.value for kind in EventType})
    types = "\n".join(f"type {name} implements MessageEvent {{\n{_COMMON}}}" for name in names)
    return (
        "enum LogLevel { CRITICAL ERROR INFO WARNING DEBUG }\n"
        f"enum DagsterEventType {{ {' '.join(kinds)} }}\n"
        f"interface MessageEvent {{\n{_COMMON}}}\n{types}\n"
        f"union DagsterRunEvent = {' | '.join(names)}\n"
    )


sdl(_event_types_sdl())
sdl('''
type EventConnection {
  events: [DagsterRunEvent!]!
  cursor: String!
  hasMore: Boolean!
  "The first event's cursor (null when there is none): a page before it ends here."
  startCursor: String
  "How many of the run's events pass the filter, between no cursors (a log view's length)."
  count: Int!
}
"""Which of a run's events a log view shows; each part given narrows it. text: the event's
message, step key, kind or job name contains it, in any case."""
input RunLogFilter { stepKeys: [String!] levels: [LogLevel!] eventTypes: [String!] text: String }
union EventConnectionOrError = EventConnection | RunNotFoundError | PythonError

type PipelineRunLogsSubscriptionSuccess {
  run: Run!
  messages: [DagsterRunEvent!]!
  hasMorePastEvents: Boolean!
  cursor: String!
}
type PipelineRunLogsSubscriptionFailure { message: String! missingRunId: String }
union PipelineRunLogsSubscriptionPayload =
  PipelineRunLogsSubscriptionSuccess | PipelineRunLogsSubscriptionFailure

extend type Query {
  """A page of a run's events after afterCursor (default: from the start), oldest first.
  A log view of a long run also gives beforeCursor, a filter, an offset (skip that many
  first) and fromEnd (the newest events of the range, counted back from its end)."""
  logsForRun(
    runId: ID!
    afterCursor: String
    limit: Int
    beforeCursor: String
    filter: RunLogFilter
    offset: Int = 0
    fromEnd: Boolean = false
  ): EventConnectionOrError!
}
extend type Subscription {
  """A run's events: those stored after cursor (all when absent; 'HEAD' for new ones
  only), then each batch as it is stored, until the run finishes."""
  pipelineRunLogs(runId: ID!, cursor: String): PipelineRunLogsSubscriptionPayload!
}
''')

_BATCH = 1000  # events per subscription message


def event_value(event: RunEvent) -> dict[str, Any]:
    """One stored event as its GraphQL type."""
    is_log = event.event_type is EventType.LOG_MESSAGE
    kind = None if is_log else event.event_type.value
    type_name = _LOG_MESSAGE if is_log else _TYPES.get(event.event_type.value, "EngineEvent")
    data = event.data or {}
    asset_key = data.get("asset_key")
    error = None
    if event.error is not None:
        error = typed(
            "PythonError",
            message=getattr(event.error, "message", str(event.error)),
            className=getattr(event.error, "cls_name", None),
            stack=list(getattr(event.error, "stack", None) or []),
            cause=None,
            causes=[],
        )
    return typed(
        type_name,
        runId=event.run_id,
        message=event.log_message,
        timestamp=str(int(event.timestamp * 1000)),
        level=level_name(event.level),
        stepKey=event.step_key,
        solidHandleID=event.step_key,
        eventType=kind,
        error=error,
        assetKey={"path": asset_key.split("/")} if isinstance(asset_key, str) else None,
        partition=data.get("partition"),
        metadata=None,
    )


# Storage ids are SQLite/PostgreSQL 64-bit integers: a larger number is no event's id, and
# handed to the database it fails with OverflowError instead of finding nothing.
_MAX_ID = 2**63 - 1


def _cursor(text: str | None) -> int | None:
    """The storage id in a cursor; ``ValueError`` saying why for one this API never gave."""
    if text in (None, ""):
        return None
    shown = str(text) if len(str(text)) <= 40 else str(text)[:40] + "..."
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValueError(f"cursor {shown!r} is not one this API returned (a number)") from None
    if not 0 <= value <= _MAX_ID:
        raise ValueError(
            f"cursor {shown!r} is not one this API returned (an event id from 0 to {_MAX_ID}): "
            "pass the cursor of a previous page, or none to start at the beginning"
        )
    return value


@field("Query", "logsForRun")
def _logs_for_run(
    _: Any,
    info: Any,
    runId: str,
    afterCursor: str | None = None,
    limit: int | None = None,
    beforeCursor: str | None = None,
    filter: dict[str, Any] | None = None,
    offset: int = 0,
    fromEnd: bool = False,
) -> dict[str, Any]:
    instance = info.context.instance
    if instance.get_run(runId) is None:
        return run_not_found(runId)
    try:
        after = _cursor(afterCursor)
        before = _cursor(beforeCursor)
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and value < 0:
                raise ValueError(f"logsForRun: {name} is {value}; pass 0 or more")
    except ValueError as exc:
        return python_error(exc)
    log_filter = _log_filter(filter)
    fetch = None if limit is None else limit + 1
    records = read_log_page(
        instance.storage,
        runId,
        log_filter=log_filter,
        after=after,
        before=before,
        offset=offset,
        limit=fetch,
        from_end=fromEnd,
    )
    more = limit is not None and len(records) > limit
    if more:  # the extra record told that more follow; from the end, it is the oldest
        records = records[1:] if fromEnd else records[:limit]
    events = [event_value(r.event) for r in records]
    cursor = str(records[-1].storage_id) if records else str(after if after is not None else "")
    return typed(
        "EventConnection",
        events=events,
        cursor=cursor,
        startCursor=str(records[0].storage_id) if records else None,
        hasMore=more,
        _count=lambda: count_log(instance.storage, runId, log_filter),
    )


@field("EventConnection", "count")
def _event_count(parent: dict[str, Any], _info: Any) -> int:
    # Counted only when asked: a count reads every event of the run that passes the filter.
    return int(parent["_count"]())


def _log_filter(given: dict[str, Any] | None) -> LogFilter:
    given = given or {}
    return LogFilter(
        step_keys=tuple(given.get("stepKeys") or ()),
        levels=tuple(given.get("levels") or ()),
        event_types=tuple(given.get("eventTypes") or ()),
        text=given.get("text") or "",
    )


@subscription("pipelineRunLogs")
async def _run_logs(
    _: Any, info: Any, runId: str, cursor: str | None = None
) -> AsyncIterator[dict[str, Any]]:
    instance = info.context.instance
    run = await asyncio.to_thread(instance.get_run, runId)
    if run is None:
        yield typed(
            "PipelineRunLogsSubscriptionFailure",
            message=f"Could not load run with id {runId}",
            missingRunId=runId,
        )
        return
    if cursor == "HEAD":
        tail = await asyncio.to_thread(instance.get_event_records, runId, limit=1, ascending=False)
        after = tail[0].storage_id if tail else None
    else:
        try:
            after = _cursor(cursor)
        except ValueError as exc:
            yield typed("PipelineRunLogsSubscriptionFailure", message=str(exc), missingRunId=None)
            return
    while True:
        records = await asyncio.to_thread(
            instance.get_event_records, runId, after=after, limit=_BATCH
        )
        run = await asyncio.to_thread(instance.get_run, runId)
        if run is None:  # deleted while followed
            yield typed(
                "PipelineRunLogsSubscriptionFailure",
                message=f"Run {runId} was deleted",
                missingRunId=runId,
            )
            return
        if records or after is None:
            after = records[-1].storage_id if records else after
            yield typed(
                "PipelineRunLogsSubscriptionSuccess",
                run=run_value(run),
                messages=[event_value(r.event) for r in records],
                hasMorePastEvents=len(records) == _BATCH,
                cursor=str(after or ""),
            )
            if len(records) == _BATCH:
                continue
            after = after or 0
        if run.is_finished:
            return
        await asyncio.sleep(0.1)
