from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from headwater.asset_key import AssetKey
from headwater.errors import InvalidMetadataError
from headwater.metadata import (
    AssetMetadataValue,
    BoolMetadataValue,
    FloatMetadataValue,
    IntMetadataValue,
    JsonMetadataValue,
    MarkdownMetadataValue,
    MetadataValue,
    NotebookMetadataValue,
    NullMetadataValue,
    PathMetadataValue,
    TableColumn,
    TableMetadataValue,
    TableRecord,
    TableSchema,
    TableSchemaMetadataValue,
    TextMetadataValue,
    TimestampMetadataValue,
    UrlMetadataValue,
)


@pytest.mark.parametrize(
    ("made", "cls", "value", "type_name"),
    [
        (MetadataValue.text("hi"), TextMetadataValue, "hi", "text"),
        (MetadataValue.url("https://x.io"), UrlMetadataValue, "https://x.io", "url"),
        (MetadataValue.path(Path("/tmp/a")), PathMetadataValue, "/tmp/a", "path"),
        (MetadataValue.notebook("/nb.ipynb"), NotebookMetadataValue, "/nb.ipynb", "notebook"),
        (MetadataValue.json({"a": [1]}), JsonMetadataValue, {"a": [1]}, "json"),
        (MetadataValue.md("# T"), MarkdownMetadataValue, "# T", "md"),
        (MetadataValue.float(1.5), FloatMetadataValue, 1.5, "float"),
        (MetadataValue.int(3), IntMetadataValue, 3, "int"),
        (MetadataValue.bool(False), BoolMetadataValue, False, "bool"),
        (MetadataValue.timestamp(10.0), TimestampMetadataValue, 10.0, "timestamp"),
        (MetadataValue.asset("a/b"), AssetMetadataValue, AssetKey(["a", "b"]), "asset"),
        (MetadataValue.null(), NullMetadataValue, None, "null"),
    ],
)
def test_constructors_build_typed_values(
    made: MetadataValue, cls: type, value: Any, type_name: str
) -> None:
    assert type(made) is cls
    assert made.value == value
    assert made.type_name == type_name


def test_values_compare_by_content_and_scalars_hash() -> None:
    assert MetadataValue.int(3) == IntMetadataValue(3)
    assert MetadataValue.int(3) != MetadataValue.float(3.0)  # type: ignore[comparison-overlap]
    assert len({MetadataValue.text("a"), MetadataValue.text("a")}) == 1


def test_dagster_field_names_are_kept() -> None:
    assert MetadataValue.text("t").text == "t"
    assert MetadataValue.url("u").url == "u"
    assert MetadataValue.path("/p").path == "/p"
    assert MetadataValue.md("m").md_str == "m"
    assert MetadataValue.json([1]).data == [1]


def test_float_accepts_int_and_stores_float() -> None:
    assert MetadataValue.float(2).value == 2.0
    assert isinstance(MetadataValue.float(2).value, float)


def test_timestamp_from_aware_datetime() -> None:
    moment = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    assert MetadataValue.timestamp(moment).value == moment.timestamp()


def test_timestamp_rejects_naive_datetime() -> None:
    msg = (
        "MetadataValue.timestamp got a naive datetime 2024-01-01T00:00:00; give it a "
        "timezone (e.g. value.replace(tzinfo=timezone.utc))"
    )
    with pytest.raises(InvalidMetadataError, match=re.escape(msg)):
        MetadataValue.timestamp(datetime(2024, 1, 1))


BAD: Any = MetadataValue  # calls with wrong types on purpose


@pytest.mark.parametrize(
    ("build", "msg"),
    [
        (lambda: BAD.int(True), "MetadataValue.int expects an int, got True (bool)"),
        (lambda: BAD.int("3"), "MetadataValue.int expects an int, got '3' (str)"),
        (lambda: BAD.float("x"), "MetadataValue.float expects a float, got 'x' (str)"),
        (lambda: BAD.bool(1), "MetadataValue.bool expects a bool, got 1 (int)"),
        (lambda: BAD.text(3), "MetadataValue.text expects a str, got 3 (int)"),
        (lambda: BAD.md(None), "MetadataValue.md expects a str, got None (NoneType)"),
        (
            lambda: BAD.path(3),
            "MetadataValue.path expects a str or os.PathLike, got 3 (int)",
        ),
        (
            lambda: BAD.json("x"),
            "MetadataValue.json expects a dict, a list or None, got 'x' (str)",
        ),
    ],
)
def test_constructors_reject_wrong_types(build: Any, msg: str) -> None:
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        build()


def test_json_must_serialize() -> None:
    msg = (
        "MetadataValue.json expects JSON-serializable data: Object of type object is not "
        "JSON serializable; convert the offending values (e.g. str(value)) or drop them"
    )
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        MetadataValue.json({"a": object()})


def test_table_infers_schema_from_first_record() -> None:
    table = MetadataValue.table([TableRecord({"id": 1, "name": "ada", "ok": True, "w": 1.5})])
    assert isinstance(table, TableMetadataValue)
    assert [(c.name, c.type) for c in table.schema.columns] == [
        ("id", "int"),
        ("name", "string"),
        ("ok", "bool"),
        ("w", "float"),
    ]


def test_table_rejects_rows_that_are_not_records() -> None:
    msg = "MetadataValue.table expects TableRecord rows, got {'a': 1} (dict)"
    with pytest.raises(InvalidMetadataError, match=f"^{re.escape(msg)}$"):
        MetadataValue.table([{"a": 1}])  # type: ignore[list-item]


def test_table_schema_value() -> None:
    schema = TableSchema([TableColumn("id", "int")])
    value = MetadataValue.table_schema(schema)
    assert isinstance(value, TableSchemaMetadataValue)
    assert value.value is schema
