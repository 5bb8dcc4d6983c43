"""Loading stored asset values outside a run, through the assets' IO managers."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.assets.definition import AssetsDefinition
from headwater.config import process_config
from headwater.errors import InvalidInvocationError
from headwater.resources import ResourceDefinition, Resources, coerce_resources, open_resources

if TYPE_CHECKING:
    from headwater.location.definitions import Definitions
    from headwater.partitions import PartitionKeyRange

__all__ = ["AssetValueLoader"]


class AssetValueLoader:
    """Loads stored asset values through their IO managers, opening each manager once.

    Only the manager a value is stored with (and the resources it needs) is initialized:
    loading a value does not connect to every resource of the location. Get one from
    ``Definitions.get_asset_value_loader()`` and use it as a context manager, which tears
    the managers down on exit.

    Args:
        assets_defs_by_key: the definition of each asset that may be loaded; resources
            bound to them (``with_resources``) are used, and ``io_manager`` defaults to the
            filesystem IO manager.
        instance: the instance handed to the IO managers.

    Example:
        ``with defs.get_asset_value_loader() as loader:
            orders = loader.load_asset_value("orders")``
    """

    def __init__(
        self,
        assets_defs_by_key: Mapping[AssetKey, AssetsDefinition],
        instance: Any = None,
    ) -> None:
        self._assets_defs_by_key = dict(assets_defs_by_key)
        self._instance = instance
        self._shared: dict[str, ResourceDefinition] | None = None
        self._stack = ExitStack()
        self._opened: dict[str, Resources] = {}

    @classmethod
    def for_definitions(cls, defs: Definitions, instance: Any = None) -> AssetValueLoader:
        """A loader of the assets of ``defs``, with the resources ``defs`` binds."""
        graph = defs.asset_graph
        loader = cls(graph.def_by_key, instance)
        loader._shared = defs._asset_resources()
        return loader

    def __enter__(self) -> AssetValueLoader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _resource_defs(self, assets_def: AssetsDefinition) -> dict[str, ResourceDefinition]:
        if self._shared is not None:
            return {**self._shared, **coerce_resources(assets_def.resource_defs)}
        from headwater.io.filesystem import default_fs_io_manager  # only when none is bound

        return {"io_manager": default_fs_io_manager, **coerce_resources(assets_def.resource_defs)}

    def _open(
        self,
        manager_key: str,
        resource_defs: Mapping[str, ResourceDefinition],
        resource_config: Mapping[str, Any],
    ) -> Resources:
        resources = self._opened.get(manager_key)
        if resources is None:
            configs = {
                key: process_config(
                    resource_defs[key].config_type, value, path=f"resources.{key}.config"
                ).value_or_raise("resource config")
                for key, value in resource_config.items()
                if key in resource_defs
            }
            resources = self._stack.enter_context(
                open_resources(
                    resource_defs,
                    keys=[manager_key],
                    configs=configs,
                    instance=self._instance,
                    owner="the asset value loader",
                )
            )
            self._opened[manager_key] = resources
        return resources

    def load_asset_value(
        self,
        asset_key: CoercibleToAssetKey,
        *,
        python_type: type[object] | None = None,
        partition_key: str | None = None,
        partition_key_range: PartitionKeyRange | None = None,
        input_definition_metadata: dict[str, Any] | None = None,
        resource_config: Mapping[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> object:
        """The stored value of one asset, as its IO manager's ``load_input`` returns it.

        Args:
            asset_key: the asset.
            python_type: the type to load it as (``context.dagster_type.typing_type``).
            partition_key: the partition to load.
            partition_key_range: a range of partitions to load (not with ``partition_key``).
            input_definition_metadata: metadata the manager reads as the input's.
            resource_config: resource key → config, for the managers opened here.
            metadata: the former name of ``input_definition_metadata``.

        Raises:
            InvalidInvocationError: an unknown asset, or both partition arguments.
        """
        from headwater.io import (  # deferred: the IO layer
            EPHEMERAL_RUN_ID,
            InputContext,
            OutputContext,
        )

        key = AssetKey.from_coercible(asset_key)
        if partition_key is not None and partition_key_range is not None:
            raise InvalidInvocationError(
                "load_asset_value takes partition_key= or partition_key_range=, not both"
            )
        assets_def = self._assets_defs_by_key.get(key)
        if assets_def is None:
            known = sorted(k.to_user_string() for k in self._assets_defs_by_key)
            raise InvalidInvocationError(
                f"Asset key {key.to_user_string()} not found; the loader knows {known}"
            )
        manager_key = assets_def.io_manager_key_for(key)
        resource_defs = self._resource_defs(assets_def)
        resources = self._open(manager_key, resource_defs, resource_config or {})
        manager = getattr(resources, manager_key)
        spec = assets_def.spec_for_key(key)
        upstream = OutputContext(
            name=assets_def.output_name_for_key(key) if assets_def.is_executable else None,
            run_id=EPHEMERAL_RUN_ID,  # stored by some run; none is at hand here
            definition_metadata=spec.metadata,
            asset_key=key,
            op_def=assets_def.op,
        )
        # Built directly: the resources are open already (build_input_context, a test
        # helper, would set up a teardown stack per value for nothing).
        context = InputContext(
            asset_key=key,
            dagster_type=_data_type(python_type),
            upstream_output=upstream,
            resources=resources,
            resource_config=(resource_config or {}).get(manager_key),
            partition_key=partition_key,
            asset_partition_key_range=partition_key_range,
            asset_partitions_def=assets_def.partitions_def,
            instance=self._instance,
            definition_metadata=input_definition_metadata or metadata,
        )
        return manager.load_input(context)


def _data_type(python_type: type[object] | None) -> Any:
    if python_type is None:
        return None
    from headwater.types import resolve_data_type  # deferred: types load on use

    return resolve_data_type(python_type)
