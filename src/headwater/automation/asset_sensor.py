"""Asset sensors: run something each time an asset is materialized."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.automation._invoke import call_evaluation_fn
from headwater.automation.context import SensorEvaluationContext
from headwater.automation.requests import SkipReason
from headwater.automation.sensor import DefaultSensorStatus, SensorDefinition
from headwater.errors import InvariantViolationError
from headwater.event_log import EventLogEntry
from headwater.resources import Resources

__all__ = ["AssetSensorDefinition", "EventLogEntry", "asset_sensor"]


class AssetSensorDefinition(SensorDefinition):
    """A sensor that calls its function once for each new materialization of one asset.

    Each evaluation reads the newest materialization of ``asset_key`` stored after the
    cursor (a storage id); if there is one, the function gets it as an
    :class:`EventLogEntry` and the cursor moves to it (also when the function skips).
    Most code uses :func:`asset_sensor`.
    """

    _positional = ("context", "asset_event")

    def __init__(
        self,
        name: str,
        asset_key: CoercibleToAssetKey,
        job_name: str | None,
        asset_materialization_fn: Callable[..., Any],
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        job: object | None = None,
        jobs: Sequence[object] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        required_resource_keys: set[str] | frozenset[str] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.asset_key = AssetKey.from_coercible(asset_key)
        super().__init__(
            name,
            evaluation_fn=asset_materialization_fn,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            tags=tags,
            metadata=metadata,
        )

    def _produce(self, context: SensorEvaluationContext, resources: Resources) -> Any:
        key = self.asset_key.to_user_string()
        after = _cursor_storage_id(context.cursor, self.name)
        record = context.instance.get_latest_materialization_records([key]).get(key)
        if record is None or (after is not None and record.storage_id <= after):
            return SkipReason(
                f"no new materialization of asset '{key}'"
                + (f" after storage id {after}" if after is not None else "")
            )
        entry = EventLogEntry.from_event(record.event)
        result = call_evaluation_fn(self._fn, self._sig, context, resources, (entry,))
        context.update_cursor(str(record.storage_id))
        return result


def _cursor_storage_id(cursor: str | None, name: str) -> int | None:
    if cursor is None or cursor == "":
        return None
    try:
        return int(cursor)
    except ValueError:
        raise InvariantViolationError(
            f"asset sensor '{name}': cursor {cursor!r} is not a storage id; an asset "
            "sensor's cursor is the storage id of the last materialization it saw "
            "(reset it to start over)"
        ) from None


def asset_sensor(
    asset_key: CoercibleToAssetKey,
    *,
    job_name: str | None = None,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    job: object | None = None,
    jobs: Sequence[object] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    required_resource_keys: set[str] | frozenset[str] | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], AssetSensorDefinition]:
    """Make a sensor that runs its function for each new materialization of an asset.

    The function takes ``context``, then the materialization (an :class:`EventLogEntry`),
    then resource parameters; it returns or yields what a sensor does.

    Args:
        asset_key: the asset to watch.
        job_name: the name of the job to run.
        name: default: the function's name.
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list`` (the docstring is not used, as in
            the reference).
        job: the job to run.
        jobs: several jobs; each request names one with ``job_name``.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        required_resource_keys: resources read from ``context.resources``.
        tags: tags describing the sensor.
        metadata: metadata describing the sensor.

    Example:
        ``@asset_sensor(asset_key=AssetKey("orders"), job=report)
        def orders_updated(context, asset_event):
            return RunRequest(run_key=str(asset_event.storage_id))``
    """

    def wrap(fn: Callable[..., Any]) -> AssetSensorDefinition:
        return AssetSensorDefinition(
            name or fn.__name__,
            asset_key,
            job_name,
            fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            tags=tags,
            metadata=metadata,
        )

    return wrap
