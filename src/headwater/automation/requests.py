"""What sensors and schedules return: ``RunRequest``, ``SkipReason`` and ``SensorResult``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import field, replace
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.errors import InvariantViolationError
from headwater.jobs.run_config import run_config_dict
from headwater.partitions.dynamic import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
    DynamicPartitionsRequest,
)

__all__ = [
    "SensorReturnTypesUnion",
    "AddDynamicPartitionsRequest",
    "DeleteDynamicPartitionsRequest",
    "RunRequest",
    "SensorResult",
    "SkipReason",
]


@dataclass(frozen=True, slots=True, eq=True)
class RunRequest:
    """A request, returned by a sensor or schedule, to launch one run of a job.

    Args:
        run_key: an idempotence key: a sensor never launches two runs with the same key.
        run_config: run config for the run (validated against the target job's schema
            when the sensor or schedule is evaluated).
        tags: tags for the run.
        job_name: which job to run; needed when the sensor targets several jobs.
        asset_selection: the assets to materialize (for asset-targeting sensors).
        stale_assets_only: run only the stale assets of the selection (not evaluated yet:
            the daemon comes later).
        partition_key: the partition to run.
        asset_check_keys: the asset checks to run; ``None`` means those of the assets.

    Raises:
        InvariantViolationError: ``run_key`` is not a string.

    Example:
        ``yield RunRequest(run_key=filename, run_config={"ops": {"load": {"config": {}}}})``
    """

    run_key: str | None = None
    run_config: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    job_name: str | None = None
    asset_selection: tuple[AssetKey, ...] | None = None
    stale_assets_only: bool = False
    partition_key: str | None = None
    asset_check_keys: tuple[Any, ...] | None = None

    def __init__(
        self,
        run_key: str | None = None,
        run_config: Any = None,
        tags: Mapping[str, Any] | None = None,
        job_name: str | None = None,
        asset_selection: Sequence[CoercibleToAssetKey] | None = None,
        stale_assets_only: bool = False,
        partition_key: str | None = None,
        asset_check_keys: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        # ``**kwargs`` as in the reference's signature; it takes nothing we know of.
        if kwargs:
            raise InvariantViolationError(
                f"RunRequest got unknown argument(s) {', '.join(sorted(kwargs))}"
            )
        # Written out (not the dataclass' own) so that None becomes {} and keys coerce.
        if run_key is not None and not isinstance(run_key, str):
            raise InvariantViolationError(
                f"RunRequest run_key must be a string, got {run_key!r} "
                f"({type(run_key).__name__}); use str(...)"
            )
        object.__setattr__(self, "run_key", run_key)
        object.__setattr__(self, "run_config", dict(run_config_dict(run_config) or {}))
        object.__setattr__(self, "tags", _check_tags(tags))
        object.__setattr__(self, "job_name", job_name)
        keys = None
        if asset_selection is not None:
            keys = tuple(AssetKey.from_coercible(k) for k in asset_selection)
        object.__setattr__(self, "asset_selection", keys)
        object.__setattr__(self, "stale_assets_only", stale_assets_only)
        object.__setattr__(self, "partition_key", partition_key)
        checks = None if asset_check_keys is None else tuple(asset_check_keys)
        object.__setattr__(self, "asset_check_keys", checks)

    __hash__ = None  # type: ignore[assignment]  # holds dicts: equal by value, not hashable

    def with_replaced_attrs(self, **changes: Any) -> RunRequest:
        """A copy with some fields changed (``job_name``, ``tags``, ...)."""
        return replace(self, **changes)

    def with_tags(self, tags: Mapping[str, str]) -> RunRequest:
        """A copy with ``tags`` added under the request's own (the request's win)."""
        return replace(self, tags={**tags, **self.tags})


def _check_tags(tags: Mapping[str, Any] | None) -> dict[str, str]:
    """Tags as strings: a non-string value is written as JSON, as the reference does."""
    return {
        str(key): value if isinstance(value, str) else json.dumps(value)
        for key, value in (tags or {}).items()
    }


@dataclass(frozen=True, slots=True)
class SkipReason:
    """Returned by a sensor or schedule to say why it requests no run this time.

    Args:
        skip_message: shown in the tick's history and by ``headwater sensor preview``.
    """

    skip_message: str | None = None


def _coerce_skip(value: str | SkipReason | None) -> SkipReason | None:
    if value is None or isinstance(value, SkipReason):
        return value
    return SkipReason(value)


@dataclass(frozen=True, slots=True)
class SensorResult:
    """Everything one sensor evaluation produced: run requests or a skip reason, and a cursor.

    Args:
        run_requests: the runs to launch.
        skip_reason: why no run is requested (a ``SkipReason`` or its message).
        cursor: the sensor's new cursor; do not also call ``context.update_cursor``.
        dynamic_partitions_requests: partition keys to add to or delete from dynamic
            partitions definitions.
        asset_events: materializations and observations to record.

    Raises:
        InvariantViolationError: both ``run_requests`` and ``skip_reason`` were given.

    Example:
        ``return SensorResult(run_requests=[RunRequest(run_key=f)], cursor=str(mtime))``
    """

    run_requests: tuple[RunRequest, ...] = ()
    skip_reason: SkipReason | None = None
    cursor: str | None = None
    dynamic_partitions_requests: tuple[DynamicPartitionsRequest, ...] = ()
    asset_events: tuple[Any, ...] = ()

    def __init__(
        self,
        run_requests: Sequence[RunRequest] | None = None,
        skip_reason: str | SkipReason | None = None,
        cursor: str | None = None,
        dynamic_partitions_requests: Sequence[DynamicPartitionsRequest] | None = None,
        asset_events: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        # ``**kwargs`` as in the reference's signature; it takes nothing we know of.
        if kwargs:
            raise InvariantViolationError(
                f"SensorResult got unknown argument(s) {', '.join(sorted(kwargs))}"
            )
        requests = tuple(run_requests or ())
        skip = _coerce_skip(skip_reason)
        if requests and skip is not None:
            raise InvariantViolationError(
                f"SensorResult got {len(requests)} run request(s) and a skip reason "
                f"({skip.skip_message!r}); give run_requests or skip_reason, not both"
            )
        object.__setattr__(self, "run_requests", requests)
        object.__setattr__(self, "skip_reason", skip)
        object.__setattr__(self, "cursor", cursor)
        object.__setattr__(
            self, "dynamic_partitions_requests", tuple(dynamic_partitions_requests or ())
        )
        object.__setattr__(self, "asset_events", tuple(asset_events or ()))


# What a sensor function may return (the reference's alias, for annotations).
SensorReturnTypesUnion = (
    Iterator["SkipReason | RunRequest | SensorResult"]
    | Sequence[RunRequest]
    | SkipReason
    | RunRequest
    | SensorResult
    | None
)
