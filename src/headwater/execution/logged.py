"""The run event of what user code logs with ``context.log_event``.

The reference records such an event the moment it is logged, so it sits among the step's
log lines where it happened (and stays in the instance when the body fails afterwards):
the callers emit the event made here at once, through the step's log.
"""

from __future__ import annotations

import time
from typing import Any

from headwater.errors import InvalidInvocationError
from headwater.events import DEBUG, WARNING, EventType, RunEvent, make_event
from headwater.execution.asset_events import logged_event_data

__all__ = ["logged_event"]


def logged_event(
    event: Any,
    *,
    run_id: str,
    job_name: str,
    step_key: str | None,
    partition: str | None,
    accepted: str = "an AssetMaterialization, an AssetObservation, an ExpectationResult or "
    "an AssetCheckEvaluation",
) -> RunEvent:
    """The run event recording ``event``, stamped now.

    Args:
        event: an ``AssetMaterialization``, ``AssetObservation``, ``ExpectationResult`` or
            ``AssetCheckEvaluation``.
        run_id: the run.
        job_name: its job.
        step_key: the step logging it.
        partition: the run's partition, for a materialization or observation naming none.
        accepted: what the caller accepts, for the error (an IO manager's context takes
            fewer kinds and checks them first).

    Raises:
        InvalidInvocationError: ``event`` is of another kind.
    """
    from headwater.assets.results import (  # loaded: whoever logs holds one of these
        AssetMaterialization,
        AssetObservation,
        ExpectationResult,
    )
    from headwater.execution.event_data import AssetCheckEvaluation

    level = DEBUG
    if isinstance(event, (AssetMaterialization, AssetObservation)):
        observed = isinstance(event, AssetObservation)
        event_type = EventType.ASSET_OBSERVATION if observed else EventType.ASSET_MATERIALIZATION
        message = (
            ""
            if observed
            else event.description or f"Materialized value {event.asset_key.path[-1]}."
        )
        data = logged_event_data(event, partition)
    elif isinstance(event, ExpectationResult):
        event_type = EventType.STEP_EXPECTATION_RESULT
        message = event.description or (
            f"Expectation {event.label} {'passed' if event.success else 'failed'}"
        )
        data = {
            "success": event.success,
            "label": event.label,
            "description": event.description,
            "metadata": _wire(event.metadata),
        }
    elif isinstance(event, AssetCheckEvaluation):
        event_type = EventType.ASSET_CHECK_EVALUATION
        key = event.asset_key.to_user_string()
        message = f"Asset check '{event.check_name}' on '{key}' " + (
            "passed." if event.passed else "did not pass."
        )
        if event.description is not None:
            message += f" Description: '{event.description}'"
        # As the step's own check results: a failure is a warning in the run's log.
        level = DEBUG if event.passed else WARNING
        data = {
            "asset_key": key,
            "check_name": event.check_name,
            "passed": event.passed,
            "severity": event.severity.value,
            "blocking": event.blocking,
            "metadata": _wire(event.metadata or {}),
            "description": event.description,
        }
        if event.partition is not None:
            data["partition"] = event.partition
    else:
        raise InvalidInvocationError(
            f"context.log_event takes {accepted}, got {type(event).__name__}; "
            "return outputs and check results instead"
        )
    return make_event(
        event_type, run_id, job_name, time.time(), message, step_key, level, data, None
    )


def _wire(metadata: Any) -> dict[str, Any]:
    if not metadata:
        return {}
    from headwater.metadata import metadata_to_wire  # only events with metadata load it

    return metadata_to_wire(metadata)
