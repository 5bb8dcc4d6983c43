"""Metadata: typed facts recorded with outputs, materializations and checks.

``MetadataValue`` and its typed classes, tables (``TableSchema``, ``TableColumn``,
``TableRecord``), ``normalize_metadata`` for plain values, and the JSON wire form shared by
events and Pipes (``metadata_to_wire`` / ``metadata_from_wire``).

Names load on first use, so that code which only passes metadata along loads none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater._lazy import lazy_names

if TYPE_CHECKING:
    from headwater.metadata.lineage import (
        TableColumnDep as TableColumnDep,
        TableColumnLineage as TableColumnLineage,
    )
    from headwater.metadata.normalize import (
        INFER_TYPE as INFER_TYPE,
        WIRE_TYPES as WIRE_TYPES,
        metadata_from_wire as metadata_from_wire,
        metadata_to_wire as metadata_to_wire,
        normalize_metadata as normalize_metadata,
        normalize_metadata_value as normalize_metadata_value,
    )
    from headwater.metadata.table import (
        TableColumn as TableColumn,
        TableColumnConstraints as TableColumnConstraints,
        TableConstraints as TableConstraints,
        TableRecord as TableRecord,
        TableSchema as TableSchema,
    )
    from headwater.metadata.values import (
        AssetMetadataValue as AssetMetadataValue,
        BoolMetadataValue as BoolMetadataValue,
        FloatMetadataValue as FloatMetadataValue,
        IntMetadataValue as IntMetadataValue,
        JobMetadataValue as JobMetadataValue,
        JsonMetadataValue as JsonMetadataValue,
        MarkdownMetadataValue as MarkdownMetadataValue,
        MetadataValue as MetadataValue,
        NotebookMetadataValue as NotebookMetadataValue,
        NullMetadataValue as NullMetadataValue,
        PathMetadataValue as PathMetadataValue,
        PoolMetadataValue as PoolMetadataValue,
        PythonArtifactMetadataValue as PythonArtifactMetadataValue,
        RunMetadataValue as RunMetadataValue,
        TableColumnLineageMetadataValue as TableColumnLineageMetadataValue,
        TableMetadataValue as TableMetadataValue,
        TableSchemaMetadataValue as TableSchemaMetadataValue,
        TextMetadataValue as TextMetadataValue,
        TimestampMetadataValue as TimestampMetadataValue,
        UrlMetadataValue as UrlMetadataValue,
    )

# name -> defining module: a name's module loads on first use, so that importing one
# module of this package (or this package) does not load all the others.
_EXPORTS = {
    **dict.fromkeys(("TableColumnDep", "TableColumnLineage"), "headwater.metadata.lineage"),
    **dict.fromkeys(
        (
            "INFER_TYPE",
            "WIRE_TYPES",
            "metadata_from_wire",
            "metadata_to_wire",
            "normalize_metadata",
            "normalize_metadata_value",
        ),
        "headwater.metadata.normalize",
    ),
    **dict.fromkeys(
        ("TableColumn", "TableColumnConstraints", "TableConstraints", "TableRecord", "TableSchema"),
        "headwater.metadata.table",
    ),
    **dict.fromkeys(
        (
            "AssetMetadataValue",
            "BoolMetadataValue",
            "FloatMetadataValue",
            "IntMetadataValue",
            "JobMetadataValue",
            "JsonMetadataValue",
            "MarkdownMetadataValue",
            "MetadataValue",
            "NotebookMetadataValue",
            "NullMetadataValue",
            "PathMetadataValue",
            "PoolMetadataValue",
            "PythonArtifactMetadataValue",
            "RunMetadataValue",
            "TableColumnLineageMetadataValue",
            "TableMetadataValue",
            "TableSchemaMetadataValue",
            "TextMetadataValue",
            "TimestampMetadataValue",
            "UrlMetadataValue",
        ),
        "headwater.metadata.values",
    ),
}

__all__ = [
    "MetadataValue",
    "TextMetadataValue",
    "UrlMetadataValue",
    "PathMetadataValue",
    "NotebookMetadataValue",
    "JsonMetadataValue",
    "MarkdownMetadataValue",
    "FloatMetadataValue",
    "IntMetadataValue",
    "BoolMetadataValue",
    "TimestampMetadataValue",
    "RunMetadataValue",
    "AssetMetadataValue",
    "TableMetadataValue",
    "TableSchemaMetadataValue",
    "NullMetadataValue",
    "PoolMetadataValue",
    "PythonArtifactMetadataValue",
    "JobMetadataValue",
    "TableColumnLineageMetadataValue",
    "TableColumnDep",
    "TableColumnLineage",
    "TableSchema",
    "TableColumn",
    "TableColumnConstraints",
    "TableConstraints",
    "TableRecord",
    "normalize_metadata",
    "normalize_metadata_value",
    "metadata_to_wire",
    "metadata_from_wire",
    "INFER_TYPE",
    "WIRE_TYPES",
]


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
