"""What a job knows about the assets its ops produce: read by the executor, built by assets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey

__all__ = ["AssetLayer"]


@dataclass(frozen=True)
class AssetLayer:
    """Asset facts of a job, by op node.

    An op node is named by its path, the step key without mapping key: ``"load"`` for an
    asset's op, ``"graph_asset.inner_op"`` for an op inside a graph-backed asset.

    Attributes:
        key_by_output: ``(node, output)`` → the asset that output materializes.
        upstream_by_input: ``(node, input)`` → the asset that input loads.
        io_manager_key_by_key: asset → the IO manager storing its value.
        assets_def_by_node: top-level node → its ``AssetsDefinition``.
        selected_keys: the assets this job materializes.
        check_def_by_node: node → the ``AssetChecksDefinition`` it evaluates.
        partitions_def_by_key: asset → its partitions definition (every asset of the graph,
            so inputs from assets outside the run map partitions too).
        check_spec_by_output: ``(node, output)`` → the ``AssetCheckSpec`` whose result that
            output returns (the check outputs of graph-backed assets).
        def_by_key: asset → its definition (every asset of the graph, so an input from an
            asset outside the run reads that asset's metadata in ``upstream_output``).
    """

    key_by_output: Mapping[tuple[str, str], AssetKey]
    upstream_by_input: Mapping[tuple[str, str], AssetKey]
    io_manager_key_by_key: Mapping[AssetKey, str]
    assets_def_by_node: Mapping[str, Any]
    selected_keys: frozenset[AssetKey]
    check_def_by_node: Mapping[str, Any] = field(default_factory=dict)
    partitions_def_by_key: Mapping[AssetKey, Any] = field(default_factory=dict)
    check_spec_by_output: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    def_by_key: Mapping[AssetKey, Any] = field(default_factory=dict)
