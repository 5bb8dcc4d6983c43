"""Metadata: typed facts recorded with outputs, materializations and checks.

``MetadataValue`` and its typed classes, tables (``TableSchema``, ``TableColumn``,
``TableRecord``), ``normalize_metadata`` for plain values, and the JSON wire form shared by
events and Pipes (``metadata_to_wire`` / ``metadata_from_wire``).
"""

from __future__ import annotations

from headwater.metadata.lineage import TableColumnDep, TableColumnLineage
from headwater.metadata.normalize import (
    INFER_TYPE,
    WIRE_TYPES,
    metadata_from_wire,
    metadata_to_wire,
    normalize_metadata,
    normalize_metadata_value,
)
from headwater.metadata.table import (
    TableColumn,
    TableColumnConstraints,
    TableConstraints,
    TableRecord,
    TableSchema,
)
from headwater.metadata.values import (
    AssetMetadataValue,
    BoolMetadataValue,
    FloatMetadataValue,
    IntMetadataValue,
    JobMetadataValue,
    JsonMetadataValue,
    MarkdownMetadataValue,
    MetadataValue,
    NotebookMetadataValue,
    NullMetadataValue,
    PathMetadataValue,
    PoolMetadataValue,
    PythonArtifactMetadataValue,
    RunMetadataValue,
    TableColumnLineageMetadataValue,
    TableMetadataValue,
    TableSchemaMetadataValue,
    TextMetadataValue,
    TimestampMetadataValue,
    UrlMetadataValue,
)

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
