"""What the built-in asset check builders share: the assets they take, the records they read.

The builders (``freshness_checks.py``, ``metadata_checks.py``) make one multi-asset check
op per call, evaluating one check per asset; the op's name is derived from the check keys
so that two calls never collide, and is the one the reference derives (its UI and stored
runs name steps by it).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from headwater._warnings import SupersessionWarning
from headwater.assets import AssetKey
from headwater.assets.checks import (
    AssetCheckKey,
    AssetChecksDefinition,
    AssetCheckSpec,
    multi_asset_check,
)
from headwater.assets.definition import AssetsDefinition
from headwater.assets.results import AssetCheckResult, AssetCheckSeverity
from headwater.assets.spec import coerce_dep_key
from headwater.errors import InvalidDefinitionError
from headwater.metadata.values import TimestampMetadataValue
from headwater.storage.queries import AssetRecordsFilter

__all__ = [
    "LAST_UPDATED_TIMESTAMP_METADATA_KEY",
    "assets_to_keys",
    "build_multi_asset_check",
    "check_severity",
    "ensure_no_duplicate_assets",
    "latest_update_record",
    "seconds_in_words",
    "superseded_warning",
    "timestamp_of_record",
    "unique_id",
]

# An observation (or materialization) may say when the data really changed.
LAST_UPDATED_TIMESTAMP_METADATA_KEY = "dagster/last_updated_timestamp"


def superseded_warning(function: str, hint: str) -> None:
    """Warn that builder ``function`` is superseded (the reference's notice)."""
    warnings.warn(
        f"Function `{function}` is superseded and its usage is discouraged. {hint}",
        SupersessionWarning,
        stacklevel=3,
    )


def _keys_of(item: object) -> Iterator[AssetKey]:
    if isinstance(item, AssetsDefinition):
        yield from sorted(item.keys)
    else:
        yield coerce_dep_key(item)  # a key, "a/b", ["a", "b"], a spec or a SourceAsset


def assets_to_keys(assets: Sequence[Any], *, where: str) -> list[AssetKey]:
    """The keys of ``assets`` (keys, strings, lists of parts, definitions, source assets).

    Raises:
        InvalidDefinitionError: ``assets`` is not a list, or names something that is no key.
    """
    if isinstance(assets, (str, bytes)) or not isinstance(assets, Sequence):
        raise InvalidDefinitionError(
            f"{where}: assets must be a list of asset keys or definitions, got "
            f"{type(assets).__name__}"
        )
    keys: list[AssetKey] = []
    for item in assets:
        try:
            keys.extend(_keys_of(item))
        except (InvalidDefinitionError, TypeError):
            raise InvalidDefinitionError(
                f"{where}: {item!r} in assets is not an asset key, AssetsDefinition or SourceAsset"
            ) from None
    return keys


def ensure_no_duplicate_assets(keys: Sequence[AssetKey], *, where: str) -> None:
    """Raise ``InvalidDefinitionError`` naming the keys given more than once."""
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        names = ", ".join(repr(k.to_user_string()) for k in repeated)
        raise InvalidDefinitionError(
            f"{where}: Found duplicate assets in the provided list of assets: {names}. "
            "Please ensure that each asset is unique."
        )


def check_severity(severity: object, *, where: str) -> AssetCheckSeverity:
    """``severity`` if it is an ``AssetCheckSeverity``, else ``InvalidDefinitionError``."""
    if not isinstance(severity, AssetCheckSeverity):
        raise InvalidDefinitionError(
            f"{where}: severity must be AssetCheckSeverity.WARN or AssetCheckSeverity.ERROR, "
            f"got {severity!r}"
        )
    return severity


def _reference_text(key: AssetKey | AssetCheckKey) -> str:
    # The reference hashes its keys' str(), e.g. "AssetKey(['a'])"; spelled out here so
    # that step names match runs recorded by either.
    if isinstance(key, AssetCheckKey):
        return f"AssetCheckKey(asset_key={_reference_text(key.asset_key)}, name={key.name!r})"
    return f"AssetKey({list(key.path)!r})"


def unique_id(keys: Iterable[AssetKey | AssetCheckKey]) -> str:
    """Eight hex digits naming a set of keys (for op names that never collide)."""
    text = json.dumps(sorted(_reference_text(k) for k in keys))
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]


def build_multi_asset_check(
    specs: Sequence[AssetCheckSpec],
    evaluate: Callable[[Any, AssetCheckKey], tuple[bool, str]],
    severity: AssetCheckSeverity,
) -> list[AssetChecksDefinition]:
    """One op evaluating ``specs``; ``evaluate(instance, key)`` gives (passed, description)."""

    @multi_asset_check(
        specs=specs, can_subset=True, name=f"asset_check_{unique_id(s.key for s in specs)}"
    )
    def _checks(context: Any) -> Iterator[AssetCheckResult]:
        for key in sorted(context.selected_asset_check_keys, key=lambda k: k.to_user_string()):
            passed, description = evaluate(context.instance, key)
            yield AssetCheckResult(
                passed=passed,
                description=description,
                severity=severity,
                check_name=key.name,
                asset_key=key.asset_key,
            )

    return [_checks]


def timestamp_of_record(record: Any) -> float | None:
    """When a materialization or observation record says its data was updated.

    The ``dagster/last_updated_timestamp`` metadata entry when present; else, for a
    materialization, when it was recorded (an observation without the entry says nothing).
    """
    event = record.asset_materialization or record.asset_observation
    value = (event.metadata or {}).get(LAST_UPDATED_TIMESTAMP_METADATA_KEY)
    if value is not None:
        if not isinstance(value, TimestampMetadataValue):
            raise InvalidDefinitionError(
                f"metadata entry '{LAST_UPDATED_TIMESTAMP_METADATA_KEY}' of asset "
                f"'{record.asset_key.to_user_string()}' must be a timestamp "
                "(MetadataValue.timestamp(...)); got "
                f"{type(value).__name__}"
            )
        return float(value.value)
    return None if record.asset_observation is not None else float(record.timestamp)


def latest_update_record(instance: Any, asset_key: AssetKey, partition: str | None) -> Any:
    """The newer of the latest materialization and latest observation of an asset (of one
    partition, when given) that tell an update time; ``None`` when there is neither.

    Only the latest of each kind is read, so that long histories stay cheap.
    """
    wanted = AssetRecordsFilter(
        asset_key=asset_key, asset_partitions=[partition] if partition is not None else None
    )
    mats = instance.fetch_materializations(wanted, limit=1).records
    obs = instance.fetch_observations(wanted, limit=1).records
    if mats and obs:
        mat_time, obs_time = timestamp_of_record(mats[0]), timestamp_of_record(obs[0])
        if not obs_time:
            return mats[0]
        if not mat_time:
            return obs[0]
        return mats[0] if mat_time > obs_time else obs[0]
    return mats[0] if mats else obs[0] if obs else None


def seconds_in_words(delta: float) -> str:
    """``"1 day, 2 hours, 3 minutes, 4 seconds"``, leaving out the zero parts."""
    if delta == 0:
        return "0 seconds"
    parts = (
        (int(delta // 86400), "day"),
        (int(delta % 86400 // 3600), "hour"),
        (int(delta % 3600 // 60), "minute"),
        (int(delta % 60), "second"),
    )
    return ", ".join(f"{n} {unit}{'s' if n > 1 else ''}" for n, unit in parts if n >= 1)
