"""``SourceAsset`` and ``@observable_source_asset``: assets produced outside headwater.

Both are external assets, as an ``AssetSpec`` passed to ``Definitions`` is; they add the
IO manager that loads their value into downstream assets, and (observable ones) a function
that reports the data's current version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater._warnings import beta_warning
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
        io_manager_def: not supported; bind the manager in ``Definitions(resources=...)``.
        description: shown in the UI.
        partitions_def: its partitions, if any.
        group_name: the group it belongs to.
        resource_defs: not supported; give resources to ``Definitions``.
        observe_fn: a function returning the data's current ``DataVersion``.
        op_tags: tags on the observation's op.
        tags: string tags.

    Example:
        ``raw_orders = SourceAsset("raw_orders", io_manager_key="warehouse_io")``
    """

    observe_fn: Callable[..., Any] | None

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
        tags: Mapping[str, str] | None = None,
        **_kwargs: Any,
    ) -> None:
        if io_manager_def is not None or resource_defs:
            raise InvalidDefinitionError(
                f"SourceAsset '{AssetKey.from_coercible(key).to_user_string()}': "
                "io_manager_def= and resource_defs= are not supported; bind resources in "
                "Definitions(resources={...}) and name the manager with io_manager_key="
            )
        md = dict(metadata or {})
        if io_manager_key is not None:
            md[IO_MANAGER_KEY_METADATA] = io_manager_key
        super().__init__(
            key,
            metadata=md,
            description=description,
            partitions_def=partitions_def,
            group_name=group_name,
            tags=tags,
        )
        object.__setattr__(self, "observe_fn", observe_fn)
        object.__setattr__(self, "op_tags", dict(op_tags or {}))

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
    description: str | None = None,
    group_name: str | None = None,
    partitions_def: Any = None,
    op_tags: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    **_kwargs: Any,
) -> Any:
    """Turn a function returning a ``DataVersion`` into an observable ``SourceAsset``.

    Args:
        key: the asset's key (defaults to ``key_prefix`` + ``name``).
        name: the last part of the key (defaults to the function's name).
        key_prefix: parts put before the name.
        metadata: facts about the asset.
        io_manager_key: the IO manager that loads its value.
        description: shown in the UI (defaults to the docstring).
        group_name: the group it belongs to.
        partitions_def: its partitions, if any.
        op_tags: tags on the observation's op.
        tags: string tags.

    Returns:
        A ``SourceAsset`` (or a decorator producing one).
    """

    beta_warning("Function `observable_source_asset`")

    def build(fn: Callable[..., Any]) -> SourceAsset:
        if key is not None:
            asset_key = AssetKey.from_coercible(key)
        else:
            prefix = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix or [])
            asset_key = AssetKey([*prefix, name or fn.__name__])
        return SourceAsset(
            asset_key,
            metadata=metadata,
            io_manager_key=io_manager_key,
            description=description or fn.__doc__,
            partitions_def=partitions_def,
            group_name=group_name,
            observe_fn=fn,
            op_tags=op_tags,
            tags=tags,
        )

    return build(observe_fn) if observe_fn is not None else build
