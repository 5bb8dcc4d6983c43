"""What asset code returns or yields: materializations, observations and check results.

Plain values with no behaviour: the executor turns them into run events.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.errors import InvalidDefinitionError
from headwater.jobs.io import OpEvent

__all__ = [
    "AssetCheckResult",
    "AssetCheckSeverity",
    "AssetMaterialization",
    "AssetObservation",
    "DataVersion",
    "ExpectationResult",
    "MaterializeResult",
    "NO_VALUE",
    "ObserveResult",
    "check_event_tags",
]


@dataclass(frozen=True, slots=True)
class DataVersion:
    """A version of an asset's data; a change tells downstream assets they are stale.

    Args:
        value: any string that changes when the data does (a hash, a row count ...).
    """

    value: str


def _normalized(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    if not metadata:
        return {}
    # Here, not at the top: every run imports this module, few record metadata.
    from headwater.metadata.normalize import normalize_metadata

    return normalize_metadata(metadata)


def _key(value: CoercibleToAssetKey | None) -> AssetKey | None:
    return None if value is None else AssetKey.from_coercible(value)


class AssetCheckSeverity(enum.Enum):
    """How bad a failed check is: ``ERROR`` can block downstream assets; ``WARN`` cannot."""

    WARN = "WARN"
    ERROR = "ERROR"


@dataclass(frozen=True)
class AssetCheckResult(OpEvent):
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


class _NoValue:
    """The default of ``MaterializeResult(value=...)``: the asset stored its data itself."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


def _result_fields(
    asset_key: CoercibleToAssetKey | None,
    metadata: Mapping[str, Any] | None,
    check_results: Sequence[AssetCheckResult] | None,
    data_version: DataVersion | None,
    tags: Mapping[str, str] | None,
    *,
    kind: str,
) -> tuple[tuple[str, Any], ...]:
    """The checked fields ``MaterializeResult`` and ``ObserveResult`` share."""
    if data_version is not None and not isinstance(data_version, DataVersion):
        raise InvalidDefinitionError(
            f"{kind}(data_version=...) takes a DataVersion, got {type(data_version).__name__}; "
            f"wrap the string: DataVersion({data_version!r})"
        )
    # As in the reference: metadata and tags stay None when not given.
    return (
        ("asset_key", _key(asset_key)),
        ("metadata", None if metadata is None else dict(metadata)),
        ("check_results", list(check_results or ())),
        ("data_version", data_version),
        ("tags", None if tags is None else check_event_tags(tags, where=kind)),
    )


def check_event_tags(tags: Mapping[Any, Any] | None, *, where: str) -> dict[str, str]:
    """The tags of an asset event, checked: keys of ``[A-Za-z0-9_.-]`` sections separated by
    ``/`` (63 characters each at most), string values.

    Raises:
        InvalidDefinitionError: a bad key (all of them are named) or a non-string value.
    """
    if not tags:
        return {}
    bad = [k for k in tags if not isinstance(k, str) or not _is_tag_key(k)]
    if bad:
        raise InvalidDefinitionError(
            f"{where}: Found invalid tag keys: {bad}. Allowed characters: alpha-numeric, '_', "
            "'-', '.'. Tag keys can also contain a namespace section, separated by a '/'. "
            "Each section must have <= 63 characters."
        )
    for key, value in tags.items():
        if not isinstance(value, str):
            raise InvalidDefinitionError(
                f"{where}: Tag values must be strings, got type {type(value)} at key {key}; "
                "convert it with str(...)"
            )
    return dict(tags)


def _is_tag_key(key: str) -> bool:
    sections = key.split("/")
    return len(sections) <= 2 and all(
        0 < len(section) <= 63 and all(c.isascii() and (c.isalnum() or c in "_-.") for c in section)
        for section in sections
    )


@dataclass(frozen=True)
class _AssetResult(OpEvent):
    """The fields ``MaterializeResult`` and ``ObserveResult`` share."""

    asset_key: AssetKey | None = None
    metadata: Mapping[str, Any] | None = None
    check_results: Sequence[AssetCheckResult] = ()
    data_version: DataVersion | None = None
    tags: Mapping[str, str] | None = None

    def check_result_named(self, check_name: str) -> AssetCheckResult:
        """The check result named ``check_name``.

        Raises:
            InvalidDefinitionError: no result has that name (the names there are listed).
        """
        for result in self.check_results:
            if result.check_name == check_name:
                return result
        names = [r.check_name for r in self.check_results]
        raise InvalidDefinitionError(
            f"Could not find check result named {check_name}; the results are named {names}"
        )


# init=False keeps the hand-written constructors (which check and coerce their arguments).
@dataclass(frozen=True, init=False)
class MaterializeResult(_AssetResult):
    """Returned (or yielded, one per key) by an asset to report its materialization.

    Without ``value`` no IO manager is called: the asset wrote its data itself, and the
    result records the materialization with its metadata, data version and check results.
    With ``value``, the value is the asset's output: its IO manager stores it, as a
    returned value would be, and downstream assets load it.

    Args:
        asset_key: which asset (needed only in multi-assets).
        metadata: facts recorded on the materialization.
        check_results: outcomes of checks evaluated along with it.
        data_version: the version of the data written.
        tags: string tags on the materialization.
        value: the asset's value, for its IO manager to store.

    Raises:
        InvalidDefinitionError: bad tags, or a data version that is not a ``DataVersion``.
    """

    def __class_getitem__(cls, params: object) -> types.GenericAlias:
        """``MaterializeResult[T]``, as the reference's generic class; ``T`` is not checked."""
        return types.GenericAlias(cls, params)

    value: Any = NO_VALUE

    def __init__(
        self,
        asset_key: CoercibleToAssetKey | None = None,
        metadata: Mapping[str, Any] | None = None,
        check_results: Sequence[AssetCheckResult] | None = None,
        data_version: DataVersion | None = None,
        tags: Mapping[str, str] | None = None,
        value: Any = NO_VALUE,
    ) -> None:
        fields = _result_fields(
            asset_key, metadata, check_results, data_version, tags, kind="MaterializeResult"
        )
        for name, item in (*fields, ("value", value)):
            object.__setattr__(self, name, item)

    @property
    def has_value(self) -> bool:
        """Whether the result carries the asset's value for its IO manager."""
        return self.value is not NO_VALUE


@dataclass(frozen=True, init=False)
class ObserveResult(_AssetResult):
    """Returned (or yielded, one per key) by an observation function to report what it saw.

    The run records an ``ASSET_OBSERVATION`` with the data version (tag
    ``dagster/data_version``), metadata and tags; downstream assets read that version as
    their input's, and become stale when it changes.

    Args:
        asset_key: which asset (needed only when the function observes several).
        metadata: facts recorded on the observation.
        check_results: outcomes of checks evaluated along with it.
        data_version: the version of the data seen.
        tags: string tags on the observation.

    Raises:
        InvalidDefinitionError: bad tags, or a data version that is not a ``DataVersion``.

    Example:
        ``return ObserveResult(data_version=DataVersion(etag), metadata={"rows": n})``
    """

    def __init__(
        self,
        asset_key: CoercibleToAssetKey | None = None,
        metadata: Mapping[str, Any] | None = None,
        check_results: Sequence[AssetCheckResult] | None = None,
        data_version: DataVersion | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        fields = _result_fields(
            asset_key, metadata, check_results, data_version, tags, kind="ObserveResult"
        )
        for name, item in fields:
            object.__setattr__(self, name, item)
        # Set by per_partition: a version for each partition, one observation each.
        object.__setattr__(self, "versions_by_partition", None)
        object.__setattr__(self, "from_source_function", False)

    versions_by_partition: Mapping[str, DataVersion] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    # Whether an observable source asset's function gave it: its observation is recorded
    # as the function's own event (before the step's output), and its data version is not
    # marked user-provided; a result a multi-asset yields is an output's, as in the reference.
    from_source_function: bool = field(default=False, init=False, repr=False, compare=False)

    @classmethod
    def per_partition(
        cls, asset_key: AssetKey, versions: Mapping[str, DataVersion]
    ) -> ObserveResult:
        """One result standing for an observation of each partition in ``versions``."""
        made = cls(asset_key=asset_key)
        object.__setattr__(made, "versions_by_partition", dict(versions))
        return made

    def of_source_function(self, asset_key: AssetKey) -> ObserveResult:
        """This result, naming ``asset_key``, as an observation function gave it."""
        made = ObserveResult(
            asset_key, self.metadata, self.check_results, self.data_version, self.tags
        )
        object.__setattr__(made, "versions_by_partition", self.versions_by_partition)
        object.__setattr__(made, "from_source_function", True)
        return made


@dataclass(frozen=True)
class _AssetEvent(OpEvent):
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
class ExpectationResult(OpEvent):
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
