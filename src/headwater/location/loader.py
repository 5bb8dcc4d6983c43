"""Loading stored asset values outside a run, through the assets' IO managers."""

from __future__ import annotations

from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.assets.key import AssetKey
from headwater.resources import open_resources

if TYPE_CHECKING:
    from headwater.location.definitions import Definitions

__all__ = ["AssetValueLoader"]


class AssetValueLoader:
    """Opens the IO managers of a ``Definitions`` once and loads asset values with them.

    Use as a context manager: ``with defs.get_asset_value_loader() as loader:``.
    """

    def __init__(self, defs: Definitions, instance: Any = None) -> None:
        self._defs = defs
        self._instance = instance
        self._stack = ExitStack()
        self._resources: Any = None

    def __enter__(self) -> AssetValueLoader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _open(self) -> Any:
        if self._resources is None:
            from headwater.resources import coerce_resources

            defs = coerce_resources(self._defs._asset_resources())
            self._resources = self._stack.enter_context(
                open_resources(
                    defs, keys=list(defs), configs={}, instance=self._instance, owner="Definitions"
                )
            )
        return self._resources

    def load_asset_value(self, asset_key: Any, *, partition_key: str | None = None) -> Any:
        """The stored value of ``asset_key`` (for ``partition_key``), via its IO manager."""
        from headwater.io import build_input_context  # deferred: the IO layer is optional

        key = AssetKey.from_coercible(asset_key)
        definition = self._defs.get_assets_def(key)
        manager_key = definition.io_manager_key_for(key)
        resources = self._open()
        manager = getattr(resources, manager_key)
        context = build_input_context(
            asset_key=key,
            partition_key=partition_key,
            resources=resources,
            instance=self._instance,
        )
        return manager.load_input(context)
