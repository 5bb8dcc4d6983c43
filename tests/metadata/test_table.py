from __future__ import annotations

import re

import pytest

from headwater.errors import InvalidMetadataError
from headwater.metadata import (
    TableColumn,
    TableColumnConstraints,
    TableRecord,
    TableSchema,
)


def test_column_defaults() -> None:
    column = TableColumn("id")
    assert column.type == "string"
    assert column.constraints == TableColumnConstraints(nullable=True, unique=False)
    assert column.tags == {}


def test_schema_from_name_type_dict() -> None:
    schema = TableSchema.from_name_type_dict({"id": "int", "name": "string"})
    assert [(c.name, c.type) for c in schema.columns] == [("id", "int"), ("name", "string")]


def test_schema_wire_round_trip() -> None:
    schema = TableSchema(
        [
            TableColumn(
                "id",
                "int",
                description="key",
                constraints=TableColumnConstraints(nullable=False, unique=True, other=["> 0"]),
                tags={"pii": "no"},
            )
        ]
    )
    wire = schema.to_wire()
    assert wire == {
        "columns": [
            {
                "name": "id",
                "type": "int",
                "description": "key",
                "constraints": {"nullable": False, "unique": True, "other": ["> 0"]},
                "tags": {"pii": "no"},
            }
        ]
    }
    assert TableSchema.from_wire(wire) == schema


def test_column_from_minimal_wire() -> None:
    assert TableColumn.from_wire({"name": "x", "type": "int"}) == TableColumn("x", "int")


def test_record_rejects_non_scalar_cells() -> None:
    msg = (
        "table record cell 'tags' is a list; cells must be str, int, float, bool or None "
        "(convert it, e.g. str(value))"
    )
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        TableRecord({"id": 1, "tags": ["a"]})  # type: ignore[dict-item]
