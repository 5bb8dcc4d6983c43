"""``AssetIn`` and ``AssetOut``: how an asset function's inputs and outputs map to assets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater._warnings import deprecated_param_warning, preview_warning
from headwater.asset_key import AssetKey, CoercibleToAssetKey, CoercibleToAssetKeyPrefix
from headwater.assets.freshness import (
    FreshnessPolicy,
    check_freshness_policy,
    check_legacy_freshness_policy,
)
from headwater.assets.policy_param import condition_from_policy
from headwater.assets.spec import AssetSpec, check_hidden_kwargs
from headwater.errors import InvalidDefinitionError
from headwater.jobs.io import NoValue

__all__ = ["AssetIn", "AssetOut"]

_HIDDEN_OUT_KWARGS = ("legacy_freshness_policy", "auto_materialize_policy")


def _prefixed(key_prefix: CoercibleToAssetKeyPrefix | None, name: str) -> AssetKey:
    parts = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix or [])
    return AssetKey([*parts, name])


def _prefix_list(key_prefix: CoercibleToAssetKeyPrefix | None) -> list[str] | None:
    if key_prefix is None:
        return None
    return [key_prefix] if isinstance(key_prefix, str) else list(key_prefix)


@dataclass(frozen=True)
class AssetIn:
    """Which upstream asset feeds an input of an asset, when the parameter name does not say.

    Args:
        key: the upstream key (or use ``key_prefix`` with the parameter's name).
        metadata: facts given to the IO manager's ``InputContext``.
        key_prefix: a prefix for the parameter's name.
        input_manager_key: the resource (an ``@input_manager`` or IO manager) that loads
            the value, instead of the upstream asset's IO manager.
        partition_mapping: which upstream partitions a downstream partition needs.
        dagster_type: the input's type; not given, the parameter's annotation types it
            (``None`` is ``Any``).

    Raises:
        InvalidDefinitionError: both ``key`` and ``key_prefix``.
    """

    key: CoercibleToAssetKey | None = None
    metadata: Mapping[str, Any] | None = None
    key_prefix: CoercibleToAssetKeyPrefix | None = None
    input_manager_key: str | None = None
    partition_mapping: Any = None
    dagster_type: Any = NoValue

    def __post_init__(self) -> None:
        if self.key is not None and self.key_prefix is not None:
            raise InvalidDefinitionError(
                f"AssetIn got key={self.key!r} and key_prefix={self.key_prefix!r}; give one "
                "of them (put the prefix in the key)"
            )
        if self.input_manager_key is not None and not isinstance(self.input_manager_key, str):
            raise InvalidDefinitionError(
                "AssetIn: input_manager_key must be the resource key (a str) of an input or "
                f"IO manager, got {type(self.input_manager_key).__name__}"
            )
        # Stored as the reference stores them: a key, and a prefix as a list.
        if self.key is not None:
            object.__setattr__(self, "key", AssetKey.from_coercible(self.key))
        object.__setattr__(self, "key_prefix", _prefix_list(self.key_prefix))

    def resolve_key(self, param_name: str) -> AssetKey:
        """The upstream key for the parameter ``param_name``."""
        if self.key is not None:
            return AssetKey.from_coercible(self.key)
        return _prefixed(self.key_prefix, param_name)


@dataclass(frozen=True, init=False)
class AssetOut:
    """One output of a ``@multi_asset`` and the asset it produces.

    Args:
        key: the asset's key (or ``key_prefix`` plus the output's name).
        key_prefix: a prefix for the output's name.
        description: shown in the UI.
        io_manager_key: the IO manager that stores it.
        metadata: facts about the asset.
        group_name: its group.
        code_version: the version of the code that computes it.
        is_required: whether the multi-asset must produce it.
        owners: people or teams responsible for it.
        tags: string tags.
        kinds: technologies it involves.
        dagster_type: the output's type; not given, the function's return annotation types
            it (``None`` is ``Any``).
        automation_condition: when the automation daemon should materialize it.
        backfill_policy: how a backfill splits its partitions into runs (kept; the
            multi-asset's own ``backfill_policy`` is the one runs follow).
        freshness_policy: when it is expected to have been updated (a ``FreshnessPolicy``,
            kept on the asset's spec).
        is_virtual: whether the asset is virtual, a view over its parents (in preview).
        kwargs: the deprecated ``legacy_freshness_policy`` (a ``LegacyFreshnessPolicy``,
            kept on the spec) and ``auto_materialize_policy`` (turned into
            ``automation_condition``); each warns.

    Raises:
        InvalidDefinitionError: both ``key`` and ``key_prefix``, or a ``freshness_policy``
            that is not a ``FreshnessPolicy``.
    """

    key_prefix: Sequence[str] | None
    key: AssetKey | None
    dagster_type: Any
    description: str | None
    is_required: bool
    io_manager_key: str | None
    metadata: Mapping[str, Any] | None
    group_name: str | None
    code_version: str | None
    automation_condition: Any
    backfill_policy: Any
    owners: Sequence[str] | None
    tags: Mapping[str, str] | None
    kinds: Iterable[str] | None
    freshness_policy: FreshnessPolicy | None
    is_virtual: bool
    legacy_freshness_policy: Any

    def __init__(
        self,
        key_prefix: CoercibleToAssetKeyPrefix | None = None,
        key: CoercibleToAssetKey | None = None,
        dagster_type: Any = NoValue,
        description: str | None = None,
        is_required: bool = True,
        io_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        group_name: str | None = None,
        code_version: str | None = None,
        automation_condition: Any = None,
        backfill_policy: Any = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: Iterable[str] | None = None,
        freshness_policy: FreshnessPolicy | None = None,
        is_virtual: bool = False,
        **kwargs: Any,
    ) -> None:
        check_hidden_kwargs("AssetOut", kwargs, _HIDDEN_OUT_KWARGS)
        if key is not None and key_prefix is not None:
            raise InvalidDefinitionError(
                "AssetOut takes key= or key_prefix=, not both; put the prefix in the key"
            )
        if is_virtual:
            preview_warning("Virtual assets")
        owner = "initializer `AssetOut.__init__`"
        automation_condition = condition_from_policy(
            kwargs.get("auto_materialize_policy"),
            automation_condition,
            owner=owner,
            hint="use `automation_condition` instead",
        )
        legacy = kwargs.get("legacy_freshness_policy")
        if legacy is not None:
            deprecated_param_warning(
                "legacy_freshness_policy", owner, breaking_version="1.13.0", hint=""
            )
        where = "AssetOut"
        for name, value in (
            ("key_prefix", _prefix_list(key_prefix)),
            ("key", AssetKey.from_coercible(key) if key is not None else None),
            ("dagster_type", dagster_type),
            ("description", description),
            ("is_required", is_required),
            ("io_manager_key", io_manager_key),
            ("metadata", metadata),
            ("group_name", group_name),
            ("code_version", code_version),
            ("automation_condition", automation_condition),
            ("backfill_policy", backfill_policy),
            ("owners", owners),
            ("tags", tags),
            ("kinds", kinds),
            ("freshness_policy", check_freshness_policy(freshness_policy, where=where)),
            ("is_virtual", is_virtual),
            ("legacy_freshness_policy", check_legacy_freshness_policy(legacy, where=where)),
        ):
            object.__setattr__(self, name, value)

    @staticmethod
    def from_spec(
        spec: AssetSpec,
        dagster_type: Any = NoValue,
        is_required: bool = True,
        io_manager_key: str | None = None,
        backfill_policy: Any = None,
    ) -> AssetOut:
        """An ``AssetOut`` for the asset ``spec`` declares (its key and facts).

        Args:
            spec: the asset's spec.
            dagster_type: the output's type (not given: the return annotation's).
            is_required: whether the multi-asset must produce it.
            io_manager_key: the IO manager that stores it.
            backfill_policy: how a backfill splits its partitions into runs.

        Raises:
            InvalidDefinitionError: ``spec`` is not an ``AssetSpec``, or has deps.
        """
        if not isinstance(spec, AssetSpec):
            raise InvalidDefinitionError(
                f"AssetOut.from_spec: spec must be an AssetSpec, got {type(spec).__name__}"
            )
        if spec.deps:
            # As the reference: an AssetOut has no deps of its own to carry them.
            raise InvalidDefinitionError(
                f"AssetOut.from_spec: cannot build an AssetOut from spec "
                f"'{spec.key.to_user_string()}', which has deps "
                f"{[d.asset_key.to_user_string() for d in spec.deps]}; give the multi_asset "
                "deps= (or ins=) instead, or use multi_asset(specs=[...])"
            )
        kind_tags = {f"dagster/kind/{k}" for k in spec.kinds}
        out = AssetOut(
            key=spec.key,
            dagster_type=dagster_type,
            description=spec.description,
            is_required=is_required,
            io_manager_key=io_manager_key,
            metadata=spec.metadata,
            group_name=spec.group_name,
            code_version=spec.code_version,
            automation_condition=spec.automation_condition,
            backfill_policy=backfill_policy,
            owners=spec.owners,
            tags={k: v for k, v in spec.tags.items() if k not in kind_tags},
            kinds=spec.kinds,
            freshness_policy=spec.freshness_policy,
        )
        # Set directly: the spec warned about these when it was made, as the reference's.
        object.__setattr__(out, "is_virtual", spec.is_virtual)
        object.__setattr__(out, "legacy_freshness_policy", spec.legacy_freshness_policy)
        return out

    def to_spec(self, output_name: str, *, group_name: str | None) -> AssetSpec:
        """The spec of the asset this output produces."""
        key = self.key if self.key is not None else _prefixed(self.key_prefix, output_name)
        spec = AssetSpec(
            key,
            description=self.description,
            metadata=self.metadata,
            group_name=self.group_name or group_name,
            skippable=not self.is_required,
            code_version=self.code_version,
            owners=self.owners,
            tags=self.tags,
            kinds=self.kinds,
            automation_condition=self.automation_condition,
            freshness_policy=self.freshness_policy,
        )
        # Copied, not passed again: a spec warns about these when it is made.
        return spec.replace_attributes(
            is_virtual=self.is_virtual, legacy_freshness_policy=self.legacy_freshness_policy
        )
