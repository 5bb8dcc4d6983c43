"""Declarations about assets: ``AssetSpec`` and ``AssetDep`` (``AssetIn`` and ``AssetOut``
are in ``headwater.assets.asset_io``)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, field, replace
from typing import Any

from headwater._dataclass import dataclass
from headwater._warnings import preview_warning
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.assets.freshness import (
    FreshnessPolicy,
    check_freshness_policy,
    check_legacy_freshness_policy,
)
from headwater.assets.policy_param import condition_from_policy
from headwater.errors import InvalidDefinitionError

__all__ = [
    "AssetDep",
    "AssetSpec",
    "apply_freshness_policy",
    "coerce_dep_key",
]


@dataclass(frozen=True)
class AssetDep:
    """A dependency on an upstream asset that passes no value (ordering and lineage).

    Args:
        asset: the upstream asset's key (or its definition or spec).
        partition_mapping: which upstream partitions a downstream partition needs.
        metadata: facts about the dependency itself.
    """

    asset: Any
    _: KW_ONLY
    partition_mapping: Any = None
    metadata: Mapping[str, Any] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", dict(self.metadata or {}))

    @property
    def asset_key(self) -> AssetKey:
        """The upstream key."""
        return coerce_dep_key(self.asset)

    @classmethod
    def _on(cls, key: AssetKey) -> AssetDep:
        """``AssetDep(key)``, made without the generated ``__init__`` and ``__post_init__``
        (nothing to check or copy): ``@asset`` makes one per parameter of every function."""
        made = object.__new__(cls)
        object.__setattr__(made, "asset", key)
        object.__setattr__(made, "partition_mapping", None)
        object.__setattr__(made, "metadata", {})
        return made


KIND_TAG_PREFIX = "dagster/kind/"

# Deprecated names the reference still takes in ``**kwargs`` (without using them here).
_HIDDEN_SPEC_KWARGS = ("legacy_freshness_policy", "auto_materialize_policy")
# Shared by every spec without kinds: a module of thousands of assets would otherwise keep
# (and have the garbage collector walk) an empty frozenset per asset.
_NO_KINDS: frozenset[str] = frozenset()
# Set while a spec is copied, so that a copy does not repeat its original's warnings.
_replacing: contextvars.ContextVar[bool] = contextvars.ContextVar("replacing", default=False)


def check_hidden_kwargs(owner: str, kwargs: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse keyword arguments other than the deprecated ones ``owner`` still takes.

    Raises:
        TypeError: an argument ``owner`` does not take, named as Python names it.
    """
    for name in kwargs:
        if name not in allowed:
            raise TypeError(f"{owner} got an unexpected keyword argument '{name}'")


@dataclass(frozen=True)
class AssetSpec:
    """What is known about an asset apart from how it is computed.

    Used for external (source) assets, in ``@multi_asset(specs=...)``, and as what every
    asset definition exposes per key.

    Args:
        key: the asset's key.
        deps: upstream assets it depends on.
        description: shown in the UI.
        metadata: facts about the asset.
        group_name: the group it belongs to (``"default"`` if omitted).
        skippable: whether a multi-asset may skip producing it.
        code_version: the version of the code that computes it.
        owners: people or teams responsible for it.
        tags: string tags.
        kinds: technologies it involves (``{"python", "sqlite"}``).
        partitions_def: its partitions, if any.
        automation_condition: when the automation daemon should materialize it.
        freshness_policy: when it is expected to have been updated (a ``FreshnessPolicy``).
        is_virtual: whether the asset is virtual, a view over its parents (in preview).
        kwargs: the deprecated ``legacy_freshness_policy`` (a ``LegacyFreshnessPolicy``) and
            ``auto_materialize_policy`` (turned into ``automation_condition``); any other
            name is a ``TypeError``.
    """

    key: AssetKey
    deps: tuple[AssetDep, ...] = ()
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    group_name: str | None = None
    skippable: bool = False
    code_version: str | None = None
    owners: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()
    partitions_def: Any = None
    automation_condition: Any = None
    freshness_policy: FreshnessPolicy | None = None
    legacy_freshness_policy: Any = None
    is_virtual: bool = False

    def __init__(
        self,
        key: CoercibleToAssetKey,
        *,
        deps: Iterable[Any] | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        skippable: bool = False,
        group_name: str | None = None,
        code_version: str | None = None,
        automation_condition: Any = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: Iterable[str] | None = None,
        partitions_def: Any = None,
        freshness_policy: FreshnessPolicy | None = None,
        is_virtual: bool = False,
        **kwargs: Any,
    ) -> None:
        check_hidden_kwargs("AssetSpec", kwargs, _HIDDEN_SPEC_KWARGS)
        if is_virtual and not _replacing.get():
            preview_warning("Virtual assets")
        automation_condition = condition_from_policy(
            kwargs.get("auto_materialize_policy"),
            automation_condition,
            owner="initializer `AssetSpec.__init__`",
            hint="use `automation_condition` instead",
        )
        asset_key = AssetKey.from_coercible(key)
        legacy_policy = kwargs.get("legacy_freshness_policy")
        # Named in an error about a policy only: most specs (one per asset) have none.
        where = (
            f"AssetSpec '{asset_key.to_user_string()}'"
            if freshness_policy is not None or legacy_policy is not None
            else "AssetSpec"
        )
        values = {
            "key": asset_key,
            "deps": tuple(d if isinstance(d, AssetDep) else AssetDep(d) for d in deps or ()),
            "description": description,
            "metadata": dict(metadata or {}),
            "group_name": group_name,
            "skippable": skippable,
            "code_version": code_version,
            "owners": tuple(owners or ()),
            # Kinds show as tags too, as in the reference (``dagster/kind/python: ""``).
            "tags": {**dict(tags or {}), **{f"{KIND_TAG_PREFIX}{k}": "" for k in kinds or ()}},
            "kinds": frozenset(kinds) if kinds else _NO_KINDS,
            "partitions_def": partitions_def,
            "automation_condition": automation_condition,
            "freshness_policy": check_freshness_policy(freshness_policy, where=where),
            "legacy_freshness_policy": check_legacy_freshness_policy(legacy_policy, where=where),
            "is_virtual": is_virtual,
        }
        # One update, not a frozen-dataclass setattr per field: a module of thousands of
        # assets makes a spec for each.
        self.__dict__.update(values)

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def dep_keys(self) -> tuple[AssetKey, ...]:
        """Keys of the upstream assets."""
        return tuple(d.asset_key for d in self.deps)

    def replace_attributes(self, **changes: Any) -> AssetSpec:
        """A copy with some attributes changed."""
        token = _replacing.set(True)  # a copy warns about nothing its original did not
        try:
            return replace(self, **changes)
        finally:
            _replacing.reset(token)

    def merge_attributes(
        self,
        *,
        deps: Iterable[Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: Iterable[str] | None = None,
    ) -> AssetSpec:
        """A copy with ``deps``, ``owners`` and ``kinds`` added and ``metadata``/``tags``
        merged over the current ones."""
        added = tuple(d if isinstance(d, AssetDep) else AssetDep(d) for d in deps or ())
        return self.replace_attributes(
            deps=(*self.deps, *added),
            metadata={**self.metadata, **(metadata or {})},
            owners=(*self.owners, *(owners or ())),
            tags={**self.tags, **(tags or {})},
            kinds=self.kinds | frozenset(kinds or ()),
        )

    def with_io_manager_key(self, io_manager_key: str) -> AssetSpec:
        """A copy stored and loaded by the IO manager bound to ``io_manager_key``."""
        return self.replace_attributes(
            metadata={**self.metadata, IO_MANAGER_KEY_METADATA: io_manager_key}
        )


# The metadata entry naming an external asset's IO manager (the reference's spelling).
IO_MANAGER_KEY_METADATA = "dagster/io_manager_key"


def apply_freshness_policy(
    spec: AssetSpec, policy: FreshnessPolicy, overwrite_existing: bool = True
) -> AssetSpec:
    """A copy of ``spec`` with ``policy`` attached (for ``map_asset_specs``).

    Args:
        spec: the spec to copy.
        policy: the policy to attach.
        overwrite_existing: replace a policy the spec already has (else keep it).

    Returns:
        The new ``AssetSpec``.

    Raises:
        InvalidDefinitionError: ``spec`` is not an ``AssetSpec`` or ``policy`` not a
            ``FreshnessPolicy``.

    Example:
        ``map_asset_specs(lambda s: apply_freshness_policy(s, policy), assets)``
    """
    if not isinstance(spec, AssetSpec):
        raise InvalidDefinitionError(
            f"apply_freshness_policy: spec must be an AssetSpec, got {type(spec).__name__}"
        )
    if not isinstance(policy, FreshnessPolicy):
        check_freshness_policy(policy, where="apply_freshness_policy")
        raise InvalidDefinitionError("apply_freshness_policy: policy is required, got None")
    if overwrite_existing or spec.freshness_policy is None:
        return spec.replace_attributes(freshness_policy=policy)
    return spec


def coerce_dep_key(value: Any) -> AssetKey:
    """The key of something given in ``deps=``: a key, string, list, spec or definition."""
    if type(value) is AssetKey:  # most often (every AssetDep a decorator makes)
        return value
    if isinstance(value, AssetSpec):
        return value.key
    if isinstance(value, AssetDep):
        return value.asset_key
    key = getattr(value, "key", None)  # an AssetsDefinition with one key
    if isinstance(key, AssetKey):
        return key
    return AssetKey.from_coercible(value)
