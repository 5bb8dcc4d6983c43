"""What asset code returns or yields: materializations, observations and check results.

Plain values with no behaviour: the executor turns them into run events.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.metadata.normalize import normalize_metadata

__all__ = [
    "AssetCheckResult",
    "AssetCheckSeverity",
    "AssetMaterialization",
    "AssetObservation",
    "DataVersion",
    "ExpectationResult",
    "MaterializeResult",
]


@dataclass(frozen=True, slots=True)
class DataVersion:
    """A version of an asset's data; a change tells downstream assets they are stale.

    Args:
        value: any string that changes when the data does (a hash, a row count ...).
    """

    value: str


def _normalized(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    return normalize_metadata(metadata) if metadata else {}


def _key(value: CoercibleToAssetKey | None) -> AssetKey | None:
    return None if value is None else AssetKey.from_coercible(value)


class AssetCheckSeverity(enum.Enum):
    """How bad a failed check is: ``ERROR`` can block downstream assets; ``WARN`` cannot."""

    WARN = "WARN"
    ERROR = "ERROR"


@dataclass(frozen=True)
class AssetCheckResult:
    """The outcome of one asset check.

    Args:
        passed: whether the check passed.
        asset_key: the asset checked (may be omitted when it is unambiguous).
        check_name: which check (may be omitted when the asset has one).
        metadata: facts about the outcome.
        severity: how bad a failure is.
        description: a line for people.
    """

    passed: bool
    asset_key: AssetKey | None = None
    check_name: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    description: str | None = None

    def __init__(
        self,
        *,
        passed: bool,
        asset_key: CoercibleToAssetKey | None = None,
        check_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
        description: str | None = None,
    ) -> None:
        for name, value in (
            ("passed", bool(passed)),
            ("asset_key", _key(asset_key)),
            ("check_name", check_name),
            ("metadata", _normalized(metadata)),
            ("severity", severity),
            ("description", description),
        ):
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class MaterializeResult:
    """Returned (or yielded, one per key) by an asset that stores its own data.

    No IO manager is called: the asset wrote its data itself; the result records the
    materialization with its metadata, data version and check results.

    Args:
        asset_key: which asset (needed only in multi-assets).
        metadata: facts recorded on the materialization.
        check_results: outcomes of checks evaluated along with it.
        data_version: the version of the data written.
        tags: string tags on the materialization.
    """

    def __class_getitem__(cls, params: object) -> types.GenericAlias:
        """``MaterializeResult[T]``, as the reference's generic class; ``T`` is not checked."""
        return types.GenericAlias(cls, params)

    asset_key: AssetKey | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    check_results: Sequence[AssetCheckResult] = ()
    data_version: DataVersion | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def __init__(
        self,
        *,
        asset_key: CoercibleToAssetKey | None = None,
        metadata: Mapping[str, Any] | None = None,
        check_results: Sequence[AssetCheckResult] | None = None,
        data_version: DataVersion | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        for name, value in (
            ("asset_key", _key(asset_key)),
            ("metadata", dict(metadata or {})),
            ("check_results", tuple(check_results or ())),
            ("data_version", data_version),
            ("tags", dict(tags or {})),
        ):
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class _AssetEvent:
    """The fields and constructor materializations and observations share."""

    asset_key: AssetKey
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    partition: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def __init__(
        self,
        asset_key: CoercibleToAssetKey,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        partition: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        for name, value in (
            ("asset_key", AssetKey.from_coercible(asset_key)),
            ("description", description),
            ("metadata", _normalized(metadata)),
            ("partition", partition),
            ("tags", dict(tags or {})),
        ):
            object.__setattr__(self, name, value)


# init=False keeps _AssetEvent's constructor (which coerces the key) instead of a generated one.
@dataclass(frozen=True, init=False)
class AssetMaterialization(_AssetEvent):
    """An event an op logs to say it materialized an asset outside any asset definition.

    Args:
        asset_key: the asset materialized.
        description: a line for people.
        metadata: facts about the materialization.
        partition: the partition materialized, if any.
    """


@dataclass(frozen=True, init=False)
class AssetObservation(_AssetEvent):
    """An event that records facts about an asset without materializing it.

    Args:
        asset_key: the asset observed.
        description: a line for people.
        metadata: the facts observed.
        partition: the partition observed, if any.
    """


@dataclass(frozen=True)
class ExpectationResult:
    """The outcome of a data quality expectation an op checked; yield it from the op or
    pass it to ``context.log_event`` and the run records a ``STEP_EXPECTATION_RESULT`` event.

    Args:
        success: whether the expectation held.
        label: a short name for it (``"result"`` by default).
        description: a line for people; the event's message when given.
        metadata: facts about the check.
    """

    success: bool
    label: str | None = "result"
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        success: bool,
        label: str | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        for name, value in (
            ("success", bool(success)),
            ("label", label or "result"),
            ("description", description),
            ("metadata", _normalized(metadata)),
        ):
            object.__setattr__(self, name, value)
