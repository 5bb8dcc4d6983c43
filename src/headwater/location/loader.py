"""Loading stored asset values outside a run, through the assets' IO managers."""

from __future__ import annotations

from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.asset_key import AssetKey
from headwater.resources import Resources, open_resources

if TYPE_CHECKING:
    from headwater.location.definitions import Definitions

__all__ = ["AssetValueLoader"]


class AssetValueLoader:
    """Opens the IO managers of a ``Definitions`` once each, as values are loaded.

    Only the manager a value is stored with (and the resources it needs) is initialized:
    loading a value does not connect to every resource of the location.
    Use as a context manager: ``with defs.get_asset_value_loader() as loader:``.
    """

    def __init__(self, defs: Definitions, instance: Any = None) -> None:
        self._defs = defs
        self._instance = instance
        self._stack = ExitStack()
        self._opened: dict[str, Resources] = {}

    def __enter__(self) -> AssetValueLoader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _open(self, manager_key: str) -> Resources:
        resources = self._opened.get(manager_key)
        if resources is None:
            resources = self._stack.enter_context(
                open_resources(
                    self._defs._asset_resources(),
                    keys=[manager_key],
                    configs={},
                    instance=self._instance,
                    owner="Definitions",
                )
            )
            self._opened[manager_key] = resources
        return resources

    def load_asset_value(self, asset_key: Any, *, partition_key: str | None = None) -> Any:
        """The stored value of ``asset_key`` (for ``partition_key``), via its IO manager."""
        from headwater.io import InputContext  # deferred: the IO layer is optional

        key = AssetKey.from_coercible(asset_key)
        definition = self._defs.get_assets_def(key)
        manager_key = definition.io_manager_key_for(key)
        resources = self._open(manager_key)
        manager = getattr(resources, manager_key)
        # Built directly: the resources are open already (build_input_context, a test
        # helper, would set up a teardown stack per value for nothing).
        context = InputContext(
            asset_key=key,
            partition_key=partition_key,
            resources=resources,
            instance=self._instance,
        )
        return manager.load_input(context)
