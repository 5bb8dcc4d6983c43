"""Multi-asset sensors: one function watching the materializations of several assets.

The cursor remembers, per asset, the storage id of the last materialization the function
consumed (``advance_cursor`` / ``advance_all_cursors``); it is written when the
evaluation ends, in the reference's JSON format.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater._warnings import SupersessionWarning
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.automation._invoke import call_evaluation_fn, invoke_directly
from headwater.automation.context import SensorEvaluationContext
from headwater.automation.sensor import DefaultSensorStatus, SensorDefinition
from headwater.errors import InvalidInvocationError
from headwater.resources import Resources

if TYPE_CHECKING:
    from headwater.storage import Instance

__all__ = [
    "MultiAssetSensorDefinition",
    "MultiAssetSensorEvaluationContext",
    "build_multi_asset_sensor_context",
    "multi_asset_sensor",
]

_ALL = 1_000_000_000  # "no limit" for the instance's paged materialization query


def _cursor_key(key: AssetKey) -> str:
    return f"AssetKey({list(key.path)!r})"


def _resolve_keys(monitored_assets: Any, definitions: Any) -> list[AssetKey]:
    """The monitored keys: given as keys, or an ``AssetSelection`` resolved in definitions."""
    if isinstance(monitored_assets, (list, tuple)):
        return [AssetKey.from_coercible(k) for k in monitored_assets]
    if definitions is None:
        raise InvalidInvocationError(
            "monitored_assets is an AssetSelection, which resolves only against the assets "
            "of a Definitions; pass definitions=Definitions(...)"
        )
    return sorted(monitored_assets.resolve(definitions.asset_graph), key=lambda k: k.path)


class MultiAssetSensorEvaluationContext(SensorEvaluationContext):
    """What a multi-asset sensor's function receives: the monitored assets' new
    materializations since the cursor, and ways to advance it.

    Build one for tests with :func:`build_multi_asset_sensor_context`.
    """

    _kind = "multi-asset sensor"
    _builder = "build_multi_asset_sensor_context"

    def __init__(
        self,
        instance_ref: None,
        monitored_assets: Any,
        last_tick_completion_time: float | None = None,
        last_run_key: str | None = None,
        cursor: str | None = None,
        repository_name: str | None = None,
        repository_def: Any = None,
        instance: Instance | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        definitions: Any = None,
        last_sensor_start_time: float | None = None,
        log_key: Sequence[str] | None = None,
        sensor_name: str | None = None,
        code_location_origin: Any = None,
        last_completion_time: float | None = None,
    ) -> None:
        definitions = definitions if definitions is not None else repository_def
        super().__init__(
            instance_ref,
            last_tick_completion_time=last_tick_completion_time,
            last_run_key=last_run_key,
            cursor=cursor,
            log_key=log_key,
            repository_name=repository_name,
            instance=instance,
            sensor_name=sensor_name,
            resources=resource_defs,
            definitions=definitions,
            last_sensor_start_time=last_sensor_start_time,
            code_location_origin=code_location_origin,
            last_completion_time=last_completion_time,
        )
        self._asset_keys = _resolve_keys(monitored_assets, definitions)
        self._consumed: dict[AssetKey, int] = _parse_cursor(cursor)
        self._advanced: dict[AssetKey, int] = {}
        self._latest_seen: dict[AssetKey, Any] = {}

    @property
    def asset_keys(self) -> list[AssetKey]:
        """The monitored assets."""
        return list(self._asset_keys)

    def latest_materialization_records_by_key(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> dict[AssetKey, Any]:
        """Each asset's newest materialization after the cursor (``None`` when none)."""
        found: dict[AssetKey, Any] = {}
        for key in asset_keys if asset_keys is not None else self._asset_keys:
            name = key.to_user_string()
            record = self.instance.get_latest_materialization_records([name]).get(name)
            consumed = self._consumed.get(key)
            if record is not None and consumed is not None and record.storage_id <= consumed:
                record = None
            found[key] = record
            if record is not None:
                self._latest_seen[key] = record
        return found

    def materialization_records_for_key(
        self, asset_key: CoercibleToAssetKey, limit: int | None = None
    ) -> list[Any]:
        """An asset's materializations after the cursor, oldest first (at most ``limit``)."""
        key = AssetKey.from_coercible(asset_key)
        consumed = self._consumed.get(key)
        page = self.instance.fetch_materializations(
            key,
            limit=limit or _ALL,
            cursor=str(consumed) if consumed is not None else None,
            ascending=True,
        )
        records = list(page.records)
        if records:
            self._latest_seen[key] = records[-1]
        return records

    def advance_cursor(self, materialization_records_by_key: Mapping[AssetKey, Any]) -> None:
        """Mark these records consumed; the cursor moves past them when the evaluation ends."""
        for key, record in materialization_records_by_key.items():
            if record is not None:
                self._advanced[AssetKey.from_coercible(key)] = record.storage_id

    def advance_all_cursors(self) -> None:
        """Mark every monitored asset's newest materialization consumed."""
        self.advance_cursor(self.latest_materialization_records_by_key())

    def update_cursor_after_evaluation(self) -> None:
        """Write the advanced positions into the cursor (called when the function returns)."""
        if not self._advanced:
            return
        self._consumed.update(self._advanced)
        self._advanced = {}
        self.update_cursor(
            json.dumps({_cursor_key(k): [None, v, {}] for k, v in self._consumed.items()})
        )

    def __enter__(self) -> MultiAssetSensorEvaluationContext:
        super().__enter__()
        return self


def _parse_cursor(cursor: str | None) -> dict[AssetKey, int]:
    if not cursor:
        return {}
    parsed: dict[AssetKey, int] = {}
    for text, (_partition, storage_id, _rest) in json.loads(cursor).items():
        # "AssetKey(['a', 'b'])" -> ["a", "b"]
        path = json.loads(text[len("AssetKey(") : -1].replace("'", '"'))
        if storage_id is not None:
            parsed[AssetKey(path)] = int(storage_id)
    return parsed


def build_multi_asset_sensor_context(
    *,
    monitored_assets: Any,
    repository_def: Any = None,
    instance: Instance | None = None,
    cursor: str | None = None,
    repository_name: str | None = None,
    cursor_from_latest_materializations: bool = False,
    resources: Mapping[str, object] | None = None,
    definitions: Any = None,
    last_sensor_start_time: float | None = None,
) -> MultiAssetSensorEvaluationContext:
    """A multi-asset sensor context for calling the sensor's function directly in tests.

    Args:
        monitored_assets: the assets' keys, or an ``AssetSelection``.
        repository_def: same as ``definitions`` (the older name).
        instance: the instance whose materializations the function reads.
        cursor: the cursor a previous evaluation left.
        repository_name: the name of the code location (informational).
        cursor_from_latest_materializations: start the cursor at each asset's newest
            materialization (only new ones are seen).
        resources: key → resource, initialized for each call of the function.
        definitions: the ``Definitions`` holding the monitored assets.
        last_sensor_start_time: when the sensor was last started.

    Raises:
        InvalidInvocationError: both ``cursor`` and ``cursor_from_latest_materializations``.
    """
    if cursor is not None and cursor_from_latest_materializations:
        raise InvalidInvocationError(
            "build_multi_asset_sensor_context got cursor and "
            "cursor_from_latest_materializations=True; give only one"
        )
    context = MultiAssetSensorEvaluationContext(
        None,
        monitored_assets,
        cursor=cursor,
        repository_name=repository_name,
        repository_def=repository_def,
        instance=instance,
        resource_defs=resources,
        definitions=definitions,
        last_sensor_start_time=last_sensor_start_time,
    )
    if cursor_from_latest_materializations:
        context.advance_all_cursors()
        context.update_cursor_after_evaluation()
    return context


class MultiAssetSensorDefinition(SensorDefinition):
    """A sensor whose function reads the new materializations of several assets.

    Most code uses :func:`multi_asset_sensor`.
    """

    def __init__(
        self,
        name: str,
        monitored_assets: Any,
        job_name: str | None,
        asset_materialization_fn: Callable[..., Any],
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        request_assets: Any = None,
        required_resource_keys: set[str] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name,
            evaluation_fn=asset_materialization_fn,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            asset_selection=request_assets,
            required_resource_keys=required_resource_keys,
            tags=tags,
            metadata=metadata,
        )
        self.monitored_assets = monitored_assets

    def _produce(self, context: SensorEvaluationContext, resources: Resources) -> Any:
        multi = context
        if not isinstance(context, MultiAssetSensorEvaluationContext):
            multi = MultiAssetSensorEvaluationContext(
                None,
                self.monitored_assets,
                cursor=context.cursor,
                instance=context.instance_or_none,
                resource_defs=context.resource_defs,
                definitions=context.definitions,
                sensor_name=self.name,
            )
        with multi.bound_resources(resources):
            result = call_evaluation_fn(self._fn, self._sig, multi, resources)
        assert isinstance(multi, MultiAssetSensorEvaluationContext)  # narrowed above
        multi.update_cursor_after_evaluation()
        if multi is not context and multi.cursor_updated:
            context.update_cursor(multi.cursor)
        return result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the function with a context from :func:`build_multi_asset_sensor_context`;
        the cursor moves when it returns."""
        return invoke_directly(
            self._sig,
            args,
            kwargs,
            subject=f"sensor '{self.name}'",
            context_class=MultiAssetSensorEvaluationContext,
            make_context=_no_default_context,
            builder="build_multi_asset_sensor_context",
            required=self.required_resource_keys,
            produce=self._produce,
        )


def _no_default_context() -> Any:
    raise InvalidInvocationError(
        "a multi-asset sensor needs a context: build one with "
        "build_multi_asset_sensor_context(monitored_assets=[...], instance=...)"
    )


def multi_asset_sensor(
    monitored_assets: Any,
    *,
    job_name: str | None = None,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_assets: Any = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], MultiAssetSensorDefinition]:
    """Make a sensor whose function reads the new materializations of several assets.

    Args:
        monitored_assets: the assets' keys, or an ``AssetSelection``.
        job_name: the name of the job to run.
        name: default: the function's name.
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list``.
        job: the job to run.
        jobs: several jobs; each request names one with ``job_name``.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        request_assets: assets to materialize, instead of a job.
        required_resource_keys: resources read from ``context.resources``.
        tags: tags describing the sensor.
        metadata: metadata describing the sensor.

    Example:
        ``@multi_asset_sensor(monitored_assets=[AssetKey("a"), AssetKey("b")], job=j)
        def both_updated(context):
            if all(context.latest_materialization_records_by_key().values()):
                context.advance_all_cursors()
                return RunRequest()``
    """
    warnings.warn(
        "Function `multi_asset_sensor` is superseded: express what should run with "
        "AutomationCondition on the assets instead. It keeps working.",
        SupersessionWarning,
        stacklevel=2,
    )

    def wrap(fn: Callable[..., Any]) -> MultiAssetSensorDefinition:
        return MultiAssetSensorDefinition(
            name or fn.__name__,
            monitored_assets,
            job_name,
            fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            request_assets=request_assets,
            required_resource_keys=required_resource_keys,
            tags=tags,
            metadata=metadata,
        )

    return wrap
