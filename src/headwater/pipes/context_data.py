"""What the orchestrator tells an external process: the Pipes context data of a step.

Built from an op or asset context as plain JSON (the shape ``headwater_pipes.protocol``
defines), so that any Pipes client, ours or Dagster's, can read it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from headwater_pipes.protocol import (
    EXTRA_TRACEPARENT,
    PipesContextData,
    PipesDataProvenance,
    PipesPartitionKeyRange,
    PipesTimeWindow,
)

from headwater.execution.asset_context import AssetExecutionContext

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.execution.context import RunLog
    from headwater.storage import Instance

__all__ = ["PipesStepContext", "build_context_data", "make_traceparent"]


class PipesStepContext(Protocol):
    """What a Pipes session needs from ``context``: an op or asset context fits, and so does
    the stand-alone context of ``headwater pipes run``."""

    step_key: str
    log: RunLog
    instance: Instance | None
    retry_number: int

    @property
    def run_id(self) -> str: ...

    @property
    def job_name(self) -> str | None: ...

    @property
    def has_partition_key(self) -> bool: ...

    @property
    def partition_key(self) -> str: ...


_HEX32 = re.compile(r"^[0-9a-f]{32}$")


def make_traceparent(run_id: str, step_key: str | None) -> str:
    """A W3C ``traceparent`` header for one step of one run.

    The trace id is the run id (a UUID's 32 hex digits, or a hash of any other id), so every
    step of a run shares one trace; the span id is derived from the step key, so the same
    step always names the same parent span and an external process can join it.

    Args:
        run_id: the run's id.
        step_key: the step's key (``None`` for a process outside any step).

    Returns:
        ``"00-<32 hex trace id>-<16 hex span id>-01"`` (version 00, sampled).
    """
    compact = run_id.replace("-", "").lower()
    trace_id = compact if _HEX32.match(compact) else hashlib.sha256(run_id.encode()).hexdigest()
    trace_id = trace_id[:32]
    if trace_id == "0" * 32:  # all-zero ids are invalid in W3C trace context
        trace_id = "0" * 31 + "1"
    span_id = hashlib.sha256(f"{run_id}\0{step_key or ''}".encode()).hexdigest()[:16]
    if span_id == "0" * 16:
        span_id = "0" * 15 + "1"
    return f"00-{trace_id}-{span_id}-01"


def _escaped(key: AssetKey) -> str:
    # Pipes names an asset by its parts joined with "/", a "/" inside a part escaped.
    return "/".join(part.replace("/", "\\/") for part in key.path)


def _provenance(context: AssetExecutionContext, key: AssetKey) -> PipesDataProvenance | None:
    instance = context.instance
    if instance is None:
        return None
    event = instance.latest_materialization(key.to_user_string())
    if event is None:
        return None
    data = event.data
    recorded = data.get("provenance") or {}
    return {
        "code_version": recorded.get("code_version") or data.get("code_version") or event.run_id,
        "input_data_versions": dict(recorded.get("input_data_versions") or {}),
        "is_user_provided": bool(recorded.get("is_user_provided", False)),
    }


def _asset_fields(context: PipesStepContext) -> dict[str, Any]:
    scoped: Sequence[AssetKey] | None = getattr(context, "asset_keys_in_scope", None)
    if scoped:  # a stand-alone step (``headwater pipes run --asset``): no definition behind it
        names = [_escaped(k) for k in sorted(scoped)]
        return {
            "asset_keys": names,
            "code_version_by_asset_key": dict.fromkeys(names),
            "provenance_by_asset_key": dict.fromkeys(names),
        }
    if not isinstance(context, AssetExecutionContext):
        return {
            "asset_keys": None,
            "code_version_by_asset_key": None,
            "provenance_by_asset_key": None,
        }
    keys = sorted(context.selected_asset_keys or context.assets_def.keys)
    versions = context.assets_def.code_versions_by_key
    return {
        "asset_keys": [_escaped(k) for k in keys],
        "code_version_by_asset_key": {_escaped(k): versions.get(k) for k in keys},
        "provenance_by_asset_key": {_escaped(k): _provenance(context, k) for k in keys},
    }


def _partition_fields(context: PipesStepContext) -> dict[str, Any]:
    key = context.partition_key if context.has_partition_key else None
    key_range: PipesPartitionKeyRange | None = None
    window: PipesTimeWindow | None = None
    if isinstance(context, AssetExecutionContext) and context._key_range is not None:
        start, end = context.partition_key_range.start, context.partition_key_range.end
        key_range = {"start": str(start), "end": str(end)}
        if key is None and start == end:
            key = str(start)
        partitions_def = context.assets_def.partitions_def
        if hasattr(partitions_def, "time_window_for_partition_key"):
            span = context.partition_time_window
            window = {"start": span.start.isoformat(), "end": span.end.isoformat()}
    elif key is not None:
        key_range = {"start": key, "end": key}
    return {"partition_key": key, "partition_key_range": key_range, "partition_time_window": window}


def build_context_data(
    context: PipesStepContext, extras: Mapping[str, Any] | None = None
) -> PipesContextData:
    """The context data an external process receives for the step ``context`` runs.

    Args:
        context: the op's or asset's context; an asset step passes every selected key.
        extras: user values for ``PipesContext.extras``; a ``traceparent`` for the step is
            added unless the caller gave one.

    Returns:
        A JSON-able mapping in the Pipes context-data shape.
    """
    merged = dict(extras or {})
    merged.setdefault(EXTRA_TRACEPARENT, make_traceparent(context.run_id, context.step_key))
    assets = _asset_fields(context)
    partitions = _partition_fields(context)
    return {
        "asset_keys": assets["asset_keys"],
        "code_version_by_asset_key": assets["code_version_by_asset_key"],
        "provenance_by_asset_key": assets["provenance_by_asset_key"],
        "partition_key": partitions["partition_key"],
        "partition_key_range": partitions["partition_key_range"],
        "partition_time_window": partitions["partition_time_window"],
        "run_id": context.run_id,
        "job_name": context.job_name,
        "retry_number": context.retry_number,
        "extras": merged,
    }
