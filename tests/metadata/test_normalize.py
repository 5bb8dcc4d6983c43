from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from enum import IntEnum
from pathlib import Path

import pytest

from headwater.asset_key import AssetKey
from headwater.errors import InvalidMetadataError
from headwater.metadata import (
    WIRE_TYPES,
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableColumnDep,
    TableColumnLineage,
    TableRecord,
    TableSchema,
    metadata_from_wire,
    metadata_to_wire,
    normalize_metadata,
)

# The type names of dagster_pipes.PipesMetadataType (dagster-pipes 1.13), copied as data.
PIPES_TYPES = {
    "__infer__", "text", "url", "path", "notebook", "json", "md", "float", "int", "bool",
    "dagster_run", "asset", "null", "table", "table_schema", "table_column_lineage",
    "timestamp",
}  # fmt: skip


class Level(IntEnum):
    HIGH = 2


def test_raw_values_normalize_by_type() -> None:
    moment = datetime(2024, 1, 1, tzinfo=timezone.utc)
    normalized = normalize_metadata(
        {
            "s": "x",
            "i": 3,
            "f": 1.5,
            "b": True,
            "d": {"a": 1},
            "l": [1, 2],
            "p": Path("/tmp/x"),
            "t": moment,
            "n": None,
            "k": AssetKey(["a", "b"]),
            "e": Level.HIGH,
            "m": MetadataValue.md("# hi"),
        }
    )
    assert {k: v.type_name for k, v in normalized.items()} == {
        "s": "text",
        "i": "int",
        "f": "float",
        "b": "bool",
        "d": "json",
        "l": "json",
        "p": "path",
        "t": "timestamp",
        "n": "null",
        "k": "asset",
        "e": "int",
        "m": "md",
    }
    assert normalized["t"].value == moment.timestamp()
    assert normalized["p"].value == "/tmp/x"


def test_unsupported_value_names_key_and_type() -> None:
    msg = (
        "metadata 'client': a value of type 'object' cannot be recorded; use a str, int, "
        "float, bool, dict, list, os.PathLike, datetime, AssetKey, TableSchema or None, or "
        "wrap it in a MetadataValue (e.g. MetadataValue.text(str(value)))"
    )
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        normalize_metadata({"rows": 1, "client": object()})


def test_non_str_key_is_rejected() -> None:
    msg = "metadata key 3 is a int; metadata keys must be str"
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        normalize_metadata({3: "x"})  # type: ignore[dict-item]


def test_wire_types_are_the_pipes_types() -> None:
    assert PIPES_TYPES == WIRE_TYPES


def test_wire_round_trip_of_every_kind_is_json() -> None:
    schema = TableSchema(
        [TableColumn("id", "int", constraints=TableColumnConstraints(nullable=False))]
    )
    metadata = {
        "text": MetadataValue.text("x"),
        "url": MetadataValue.url("https://h.io"),
        "path": MetadataValue.path("/p"),
        "notebook": MetadataValue.notebook("/n.ipynb"),
        "json": MetadataValue.json({"a": [1, None]}),
        "md": MetadataValue.md("*a*"),
        "float": MetadataValue.float(0.25),
        "int": MetadataValue.int(-4),
        "bool": MetadataValue.bool(True),
        "run": MetadataValue.dagster_run("abc"),
        "timestamp": MetadataValue.timestamp(1700000000.5),
        "asset": MetadataValue.asset(["a", "b"]),
        "null": MetadataValue.null(),
        "table": MetadataValue.table([TableRecord({"id": 1})], schema),
        "table_schema": MetadataValue.table_schema(schema),
        "pool": MetadataValue.pool("db"),
        "artifact": MetadataValue.python_artifact(json.dumps),
        "job": MetadataValue.job("nightly", "loc", repository_name="r"),
        "lineage": MetadataValue.column_lineage(
            TableColumnLineage({"total": [TableColumnDep(["raw", "orders"], "amount")]})
        ),
    }
    wire = metadata_to_wire(metadata)
    assert json.loads(json.dumps(wire)) == wire
    assert wire["asset"] == {"raw_value": "a/b", "type": "asset"}
    assert wire["run"] == {"raw_value": "abc", "type": "dagster_run"}
    assert wire["table"]["raw_value"]["records"] == [{"id": 1}]
    assert wire["table"]["raw_value"]["schema"][0]["name"] == "id"
    assert wire["table_schema"]["raw_value"]["columns"][0]["constraints"]["nullable"] is False
    assert wire["artifact"]["raw_value"] == {"module": "json", "name": "dumps"}
    assert metadata_from_wire(json.loads(json.dumps(wire))) == metadata


def test_wire_reads_pipes_column_lineage_with_a_string_key() -> None:
    raw = {"deps_by_column": {"total": [{"asset_key": "orders", "column_name": "amount"}]}}
    read = metadata_from_wire({"l": {"raw_value": raw, "type": "table_column_lineage"}})
    (dep,) = read["l"].value.deps_by_column["total"]
    assert dep == TableColumnDep(AssetKey(["orders"]), "amount")


def test_wire_reads_pipes_inferred_and_bare_values() -> None:
    read = metadata_from_wire(
        {
            "rows": {"raw_value": 5, "type": "__infer__"},
            "bare": "text",
            "table": {
                "raw_value": {"records": [{"a": 1}], "schema": [{"name": "a", "type": "int"}]},
                "type": "table",
            },
        }
    )
    assert read["rows"] == MetadataValue.int(5)
    assert read["bare"] == MetadataValue.text("text")
    assert read["table"].value.schema.columns[0] == TableColumn("a", "int")


def test_wire_unknown_type_lists_known_ones() -> None:
    known = ", ".join(sorted(WIRE_TYPES))
    msg = f"metadata 'x' has unknown type 'weird'; known types: {known}"
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        metadata_from_wire({"x": {"raw_value": 1, "type": "weird"}})


def test_wire_raw_value_that_does_not_fit_its_type() -> None:
    msg = (
        "metadata 'n' of type 'int' has a raw value that does not fit: 'five' "
        "(InvalidMetadataError: MetadataValue.int expects an int, got 'five' (str))"
    )
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        metadata_from_wire({"n": {"raw_value": "five", "type": "int"}})
