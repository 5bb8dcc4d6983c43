"""``SourceAsset`` and ``@observable_source_asset``: assets produced outside headwater.

Both are external assets, as an ``AssetSpec`` passed to ``Definitions`` is; they add the
IO manager that loads their value into downstream assets, and (observable ones) a function
that reports the data's current version.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence, Set as AbstractSet
from typing import Any

from headwater._warnings import BetaWarning, beta_param_warning, beta_warning
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.assets.spec import IO_MANAGER_KEY_METADATA, AssetSpec
from headwater.errors import InvalidDefinitionError

__all__ = ["SourceAsset", "observable_source_asset"]


class SourceAsset(AssetSpec):
    """An asset produced outside headwater that downstream assets may load.

    Args:
        key: the asset's key.
        metadata: facts about the asset.
        io_manager_key: the IO manager that loads its value (``"io_manager"`` by default).
        io_manager_def: an IO manager bound to this asset alone (``<asset>__io_manager``).
        description: shown in the UI.
        partitions_def: its partitions, if any.
        group_name: the group it belongs to.
        resource_defs: resources bound to the asset (its IO manager, its observation's).
        observe_fn: a function returning the data's current ``DataVersion``.
        op_tags: tags on the observation's op.
        auto_observe_interval_minutes: how often the daemon should observe it (kept).
        legacy_freshness_policy: the reference's deprecated policy; ignored.
        automation_condition: when the automation daemon should act on it.
        tags: string tags.

    Example:
        ``raw_orders = SourceAsset("raw_orders", io_manager_key="warehouse_io")``
    """

    observe_fn: Callable[..., Any] | None
    resource_defs: dict[str, object]
    auto_observe_interval_minutes: float | None
    _required_resource_keys: frozenset[str]

    def __init__(
        self,
        key: CoercibleToAssetKey,
        metadata: Mapping[str, Any] | None = None,
        io_manager_key: str | None = None,
        io_manager_def: object | None = None,
        description: str | None = None,
        partitions_def: Any = None,
        group_name: str | None = None,
        resource_defs: Mapping[str, object] | None = None,
        observe_fn: Callable[..., Any] | None = None,
        op_tags: Mapping[str, Any] | None = None,
        *,
        auto_observe_interval_minutes: float | None = None,
        legacy_freshness_policy: Any = None,
        automation_condition: Any = None,
        tags: Mapping[str, str] | None = None,
        _required_resource_keys: AbstractSet[str] | None = None,
    ) -> None:
        del legacy_freshness_policy  # the reference's deprecated policy; nothing reads it
        asset_key = AssetKey.from_coercible(key)
        if io_manager_def is not None and io_manager_key is not None:
            raise InvalidDefinitionError(
                f"SourceAsset '{asset_key.to_user_string()}' got io_manager_key= and "
                "io_manager_def=; give one of them"
            )
        if io_manager_def is not None:
            beta_param_warning("io_manager_def", "initializer `SourceAsset.__init__`")
        if resource_defs is not None:
            beta_param_warning("resource_defs", "initializer `SourceAsset.__init__`")
        bound = dict(resource_defs or {})
        if io_manager_def is not None:
            # A manager given as a definition is bound to this asset under its own key.
            io_manager_key = f"{asset_key.to_python_identifier()}__io_manager"
            bound[io_manager_key] = io_manager_def
        md = dict(metadata or {})
        if io_manager_key is not None:
            md[IO_MANAGER_KEY_METADATA] = io_manager_key
        super().__init__(
            asset_key,
            metadata=md,
            description=description,
            partitions_def=partitions_def,
            group_name=group_name,
            tags=tags,
            automation_condition=automation_condition,
        )
        object.__setattr__(self, "observe_fn", observe_fn)
        object.__setattr__(self, "op_tags", dict(op_tags or {}))
        object.__setattr__(self, "resource_defs", bound)
        object.__setattr__(self, "auto_observe_interval_minutes", auto_observe_interval_minutes)
        object.__setattr__(
            self, "_required_resource_keys", frozenset(_required_resource_keys or ())
        )

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """The resources observing the asset and loading its value need: the observation
        function's, and the IO manager's key."""
        return self._required_resource_keys | {self.io_manager_key}

    @property
    def io_manager_key(self) -> str:
        """The key of the IO manager that loads the asset's value."""
        return str(self.metadata.get(IO_MANAGER_KEY_METADATA, "io_manager"))

    @property
    def is_observable(self) -> bool:
        """Whether the asset has an observation function."""
        return self.observe_fn is not None


def observable_source_asset(
    observe_fn: Callable[..., Any] | None = None,
    *,
    key: CoercibleToAssetKey | None = None,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    io_manager_key: str | None = None,
    io_manager_def: object | None = None,
    description: str | None = None,
    group_name: str | None = None,
    required_resource_keys: AbstractSet[str] | None = None,
    resource_defs: Mapping[str, object] | None = None,
    partitions_def: Any = None,
    automation_condition: Any = None,
    op_tags: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> Any:
    """Turn a function returning a ``DataVersion`` into an observable ``SourceAsset``.

    Args:
        key: the asset's key (defaults to ``key_prefix`` + ``name``).
        name: the last part of the key (defaults to the function's name).
        key_prefix: parts put before the name.
        metadata: facts about the asset.
        io_manager_key: the IO manager that loads its value.
        io_manager_def: an IO manager bound to this asset alone (``<asset>__io_manager``).
        description: shown in the UI (defaults to the docstring).
        group_name: the group it belongs to.
        required_resource_keys: resources the function reads as ``context.resources.<key>``.
        resource_defs: resources bound to the asset.
        partitions_def: its partitions, if any.
        automation_condition: when the automation daemon should observe it.
        op_tags: tags on the observation's op.
        tags: string tags.
        kwargs: the reference's deprecated ``auto_observe_interval_minutes`` (kept) and
            ``legacy_freshness_policy`` (ignored).

    Returns:
        A ``SourceAsset`` (or a decorator producing one).
    """

    if io_manager_def is not None:
        beta_param_warning("io_manager_def", "function `observable_source_asset`")
    if resource_defs is not None:
        beta_param_warning("resource_defs", "function `observable_source_asset`")
    beta_warning("Function `observable_source_asset`")

    def build(fn: Callable[..., Any]) -> SourceAsset:
        if key is not None:
            asset_key = AssetKey.from_coercible(key)
        else:
            prefix = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix or [])
            asset_key = AssetKey([*prefix, name or fn.__name__])
        with warnings.catch_warnings():  # warned above, under this function's name
            warnings.simplefilter("ignore", BetaWarning)
            return SourceAsset(
                asset_key,
                metadata=metadata,
                io_manager_key=io_manager_key,
                io_manager_def=io_manager_def,
                description=description or fn.__doc__,
                partitions_def=partitions_def,
                group_name=group_name,
                resource_defs=resource_defs,
                observe_fn=fn,
                op_tags=op_tags,
                tags=tags,
                automation_condition=automation_condition,
                auto_observe_interval_minutes=kwargs.get("auto_observe_interval_minutes"),
                _required_resource_keys=required_resource_keys,
            )

    return build(observe_fn) if observe_fn is not None else build
