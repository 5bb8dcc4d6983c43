"""Typed metadata values: ``MetadataValue`` and one class per kind, each with its Pipes wire
type name and JSON-able raw form, so events and Pipes carry metadata as the same JSON."""

from __future__ import annotations

import builtins
import json
import os
import types
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.errors import InvalidMetadataError
from headwater.metadata.lineage import TableColumnLineage
from headwater.metadata.table import TableRecord, TableSchema, infer_schema, table_to_wire

__all__ = [
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
]


class MetadataValue:
    """A typed fact attached to an output, a materialization or a check.

    Build one with a static constructor (``MetadataValue.url("https://...")``); plain
    values (``str``, ``int``, ``dict`` ...) given as metadata are converted by
    ``normalize_metadata``. Every value has ``.value`` (what it holds) and ``.type_name``
    (its wire type, e.g. ``"md"``).

    Example:
        ``return MaterializeResult(metadata={"rows": MetadataValue.int(12),
        "preview": MetadataValue.md("| a |\\n|---|\\n| 1 |")})``
    """

    __slots__ = ()

    type_name: ClassVar[str]

    def __class_getitem__(cls, params: object) -> types.GenericAlias:
        """``MetadataValue[str]``, as the reference's generic class (not checked)."""
        return types.GenericAlias(cls, params)

    @property
    def value(self) -> Any:
        """What the value holds (the text, the number, the table ...)."""
        raise NotImplementedError

    def to_raw(self) -> Any:
        """The JSON-able raw form sent on the wire next to ``type_name``."""
        return self.value

    # Last in the body: their names shadow builtins, hence ``builtins.int`` below.

    @staticmethod
    def text(text: str) -> TextMetadataValue:
        """Plain text."""
        return TextMetadataValue(text)

    @staticmethod
    def url(url: str) -> UrlMetadataValue:
        """A link, shown clickable."""
        return UrlMetadataValue(url)

    @staticmethod
    def path(path: str | os.PathLike[str]) -> PathMetadataValue:
        """A file system path."""
        return PathMetadataValue(path)

    @staticmethod
    def notebook(path: str | os.PathLike[str]) -> NotebookMetadataValue:
        """The path of a notebook."""
        return NotebookMetadataValue(path)

    @staticmethod
    def json(data: Mapping[str, Any] | Sequence[Any]) -> JsonMetadataValue:
        """A JSON document (dict or list)."""
        return JsonMetadataValue(data)

    @staticmethod
    def md(data: str) -> MarkdownMetadataValue:
        """Markdown, rendered in the UI."""
        return MarkdownMetadataValue(data)

    @staticmethod
    def float(value: builtins.float) -> FloatMetadataValue:
        """A float."""
        return FloatMetadataValue(value)

    @staticmethod
    def int(value: builtins.int) -> IntMetadataValue:
        """An int."""
        return IntMetadataValue(value)

    @staticmethod
    def bool(value: builtins.bool) -> BoolMetadataValue:
        """A bool."""
        return BoolMetadataValue(value)

    @staticmethod
    def timestamp(value: builtins.float | datetime) -> TimestampMetadataValue:
        """A point in time: seconds since the epoch, or a timezone-aware ``datetime``."""
        return TimestampMetadataValue(value)

    @staticmethod
    def dagster_run(run_id: str) -> RunMetadataValue:
        """A link to a run, by id."""
        return RunMetadataValue(run_id)

    @staticmethod
    def asset(asset_key: CoercibleToAssetKey) -> AssetMetadataValue:
        """A link to an asset."""
        return AssetMetadataValue(AssetKey.from_coercible(asset_key))

    @staticmethod
    def table(
        records: Sequence[TableRecord], schema: TableSchema | None = None
    ) -> TableMetadataValue:
        """A small table; without ``schema`` the columns are inferred from the first record."""
        return TableMetadataValue(records, schema)

    @staticmethod
    def table_schema(schema: TableSchema) -> TableSchemaMetadataValue:
        """The schema of a table."""
        return TableSchemaMetadataValue(schema)

    @staticmethod
    def python_artifact(python_artifact: Callable[..., Any]) -> PythonArtifactMetadataValue:
        """A Python function or class, recorded by module and name."""
        if not callable(python_artifact):
            raise _wrong("python_artifact", "a function or class", python_artifact)
        return PythonArtifactMetadataValue(python_artifact.__module__, python_artifact.__name__)

    @staticmethod
    def job(
        job_name: str, location_name: str, *, repository_name: str | None = None
    ) -> JobMetadataValue:
        """A link to a job of a code location."""
        return JobMetadataValue(job_name, location_name, repository_name)

    @staticmethod
    def column_lineage(lineage: TableColumnLineage) -> TableColumnLineageMetadataValue:
        """The column lineage of a table."""
        return TableColumnLineageMetadataValue(lineage)

    @staticmethod
    def pool(pool: str) -> PoolMetadataValue:
        """The name of a concurrency pool."""
        return PoolMetadataValue(pool)

    @staticmethod
    def null() -> NullMetadataValue:
        """An explicit "no value"."""
        return NullMetadataValue()


def _wrong(kind: str, expected: str, got: object) -> InvalidMetadataError:
    msg = f"MetadataValue.{kind} expects {expected}, got {got!r} ({type(got).__name__})"
    return InvalidMetadataError(msg)


def _all_str(*values: object) -> bool:
    return all(isinstance(v, str) for v in values)


class _StrValue(MetadataValue):
    __slots__ = ()

    def __post_init__(self) -> None:
        if not isinstance(self.value, str):
            raise _wrong(self.type_name, "a str", self.value)


@dataclass(frozen=True, slots=True)
class TextMetadataValue(_StrValue):
    """Plain text (wire type ``text``)."""

    # Dagster's field name; the default is explicit, or the dataclass would take the
    # inherited `MetadataValue.text` constructor as one.
    text: str = ""  # type: ignore[assignment]
    type_name: ClassVar[str] = "text"

    @property
    def value(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class UrlMetadataValue(_StrValue):
    """A link (wire type ``url``)."""

    url: str = ""  # type: ignore[assignment]  # Dagster's field name (default: see `text`)
    type_name: ClassVar[str] = "url"

    @property
    def value(self) -> str:
        return self.url


@dataclass(frozen=True, slots=True, init=False)
class PathMetadataValue(MetadataValue):
    """A file system path (wire type ``path``); stored as a string."""

    path: str  # type: ignore[assignment]  # Dagster's field name
    type_name: ClassVar[str] = "path"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        if not isinstance(path, (str, os.PathLike)):
            raise _wrong(self.type_name, "a str or os.PathLike", path)
        object.__setattr__(self, "path", os.fspath(path))

    @property
    def value(self) -> str:
        return self.path


@dataclass(frozen=True, slots=True, init=False)
class NotebookMetadataValue(PathMetadataValue):
    """The path of a notebook (wire type ``notebook``)."""

    type_name: ClassVar[str] = "notebook"


@dataclass(frozen=True, slots=True)
class JsonMetadataValue(MetadataValue):
    """A JSON document (wire type ``json``); checked to be JSON-serializable.

    ``None`` is accepted as Dagster does (a Pipes process may report ``{"raw_value": null,
    "type": "json"}``).
    """

    data: Mapping[str, Any] | Sequence[Any] | None
    type_name: ClassVar[str] = "json"

    def __post_init__(self) -> None:
        if self.data is not None and not isinstance(self.data, (dict, list, tuple)):
            raise _wrong("json", "a dict, a list or None", self.data)
        try:
            json.dumps(self.data, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise InvalidMetadataError(
                f"MetadataValue.json expects JSON-serializable data: {exc}; convert the "
                "offending values (e.g. str(value)) or drop them"
            ) from exc

    @property
    def value(self) -> Mapping[str, Any] | Sequence[Any] | None:
        return self.data

    __hash__ = None  # type: ignore[assignment]  # holds a dict or list


@dataclass(frozen=True, slots=True)
class MarkdownMetadataValue(_StrValue):
    """Markdown text (wire type ``md``)."""

    md_str: str = ""
    type_name: ClassVar[str] = "md"

    @property
    def value(self) -> str:
        return self.md_str


@dataclass(frozen=True, slots=True, init=False)
class FloatMetadataValue(MetadataValue):
    """A float (wire type ``float``); ints are accepted and stored as floats."""

    float_value: float
    type_name: ClassVar[str] = "float"

    def __init__(self, value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _wrong("float", "a float", value)
        object.__setattr__(self, "float_value", float(value))

    @property
    def value(self) -> float:
        return self.float_value


@dataclass(frozen=True, slots=True, init=False)
class IntMetadataValue(MetadataValue):
    """An int (wire type ``int``)."""

    int_value: int
    type_name: ClassVar[str] = "int"

    def __init__(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong("int", "an int", value)
        object.__setattr__(self, "int_value", value)

    @property
    def value(self) -> int:
        return self.int_value


@dataclass(frozen=True, slots=True, init=False)
class BoolMetadataValue(MetadataValue):
    """A bool (wire type ``bool``)."""

    bool_value: bool
    type_name: ClassVar[str] = "bool"

    def __init__(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise _wrong("bool", "a bool", value)
        object.__setattr__(self, "bool_value", value)

    @property
    def value(self) -> bool:
        return self.bool_value


@dataclass(frozen=True, slots=True, init=False)
class TimestampMetadataValue(MetadataValue):
    """A point in time as seconds since the epoch (wire type ``timestamp``)."""

    seconds: float
    type_name: ClassVar[str] = "timestamp"

    def __init__(self, value: float | datetime) -> None:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidMetadataError(
                    f"MetadataValue.timestamp got a naive datetime {value.isoformat()}; "
                    "give it a timezone (e.g. value.replace(tzinfo=timezone.utc))"
                )
            value = value.timestamp()
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _wrong("timestamp", "seconds since the epoch or a datetime", value)
        object.__setattr__(self, "seconds", float(value))

    @property
    def value(self) -> float:
        return self.seconds


@dataclass(frozen=True, slots=True)
class RunMetadataValue(_StrValue):
    """A link to a run (wire type ``dagster_run``)."""

    run_id: str
    type_name: ClassVar[str] = "dagster_run"

    @property
    def value(self) -> str:
        return self.run_id


@dataclass(frozen=True, slots=True)
class AssetMetadataValue(MetadataValue):
    """A link to an asset (wire type ``asset``; raw form ``"a/b"``)."""

    asset_key: AssetKey
    type_name: ClassVar[str] = "asset"

    @property
    def value(self) -> AssetKey:
        return self.asset_key

    def to_raw(self) -> str:
        """The key as a user string, as Pipes sends it."""
        return self.asset_key.to_user_string()


@dataclass(frozen=True, slots=True, init=False)
class TableMetadataValue(MetadataValue):
    """A small table of records with a schema (wire type ``table``).

    Args:
        records: the rows.
        schema: the columns; ``None`` infers them from the rows.
    """

    records: tuple[TableRecord, ...]
    schema: TableSchema
    type_name: ClassVar[str] = "table"

    def __init__(self, records: Sequence[TableRecord], schema: TableSchema | None) -> None:
        rows = tuple(records)
        for row in rows:
            if not isinstance(row, TableRecord):
                raise _wrong("table", "TableRecord rows", row)
        object.__setattr__(self, "records", rows)
        object.__setattr__(self, "schema", schema if schema is not None else infer_schema(rows))

    @property
    def value(self) -> TableMetadataValue:
        return self

    def to_raw(self) -> dict[str, Any]:
        """``{"records": [...], "schema": [columns]}``, the Pipes form."""
        return table_to_wire(self.records, self.schema)

    __hash__ = None  # type: ignore[assignment]  # records hold dicts


@dataclass(frozen=True, slots=True)
class TableSchemaMetadataValue(MetadataValue):
    """The schema of a table (wire type ``table_schema``)."""

    schema: TableSchema
    type_name: ClassVar[str] = "table_schema"

    @property
    def value(self) -> TableSchema:
        return self.schema

    def to_raw(self) -> dict[str, Any]:
        """``{"columns": [...]}``, the Pipes form."""
        return self.schema.to_wire()

    __hash__ = None  # type: ignore[assignment]  # columns hold dicts


@dataclass(frozen=True, slots=True)
class NullMetadataValue(MetadataValue):
    """An explicit "no value" (wire type ``null``)."""

    type_name: ClassVar[str] = "null"

    @property
    def value(self) -> None:
        return None


@dataclass(frozen=True, slots=True, init=False)
class PoolMetadataValue(_StrValue):
    """The name of a concurrency pool (wire type ``pool``); ``.pool`` and ``.name`` both
    read it."""

    name: str
    type_name: ClassVar[str] = "pool"

    def __init__(self, pool: str) -> None:
        object.__setattr__(self, "name", pool)
        _StrValue.__post_init__(self)

    @property
    def pool(self) -> str:  # type: ignore[override]  # Dagster's field name
        return self.name

    @property
    def value(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class PythonArtifactMetadataValue(MetadataValue):
    """A Python function or class by module and name (wire type ``python_artifact``)."""

    module: str
    name: str
    type_name: ClassVar[str] = "python_artifact"

    def __post_init__(self) -> None:
        if not _all_str(self.module, self.name):
            raise _wrong("python_artifact", "a str module and name", (self.module, self.name))

    @property
    def value(self) -> PythonArtifactMetadataValue:
        return self

    def to_raw(self) -> dict[str, str]:
        """``{"module": ..., "name": ...}``."""
        return {"module": self.module, "name": self.name}


@dataclass(frozen=True, slots=True)
class JobMetadataValue(MetadataValue):
    """A link to a job of a code location (wire type ``job``)."""

    job_name: str
    location_name: str
    repository_name: str | None = None
    type_name: ClassVar[str] = "job"

    def __post_init__(self) -> None:
        if not _all_str(self.job_name, self.location_name):
            raise _wrong("job", "a str job_name and location_name", (self.job_name,))
        if self.repository_name is not None and not isinstance(self.repository_name, str):
            raise _wrong("job", "a str repository_name or None", self.repository_name)

    @property
    def value(self) -> JobMetadataValue:
        return self

    def to_raw(self) -> dict[str, str | None]:
        """``{"job_name": ..., "location_name": ..., "repository_name": ...}``."""
        return {
            "job_name": self.job_name,
            "location_name": self.location_name,
            "repository_name": self.repository_name,
        }


@dataclass(frozen=True, slots=True)
class TableColumnLineageMetadataValue(MetadataValue):
    """The column lineage of a table (wire type ``table_column_lineage``)."""

    column_lineage: TableColumnLineage  # type: ignore[assignment]  # Dagster's field name
    type_name: ClassVar[str] = "table_column_lineage"

    def __post_init__(self) -> None:
        if not isinstance(self.column_lineage, TableColumnLineage):
            raise _wrong("column_lineage", "a TableColumnLineage", self.column_lineage)

    @property
    def lineage(self) -> TableColumnLineage:
        return self.column_lineage

    @property
    def value(self) -> TableColumnLineage:
        return self.column_lineage

    def to_raw(self) -> dict[str, Any]:
        """``{"deps_by_column": {column: [{"asset_key": [...], "column_name": ...}]}}``."""
        return self.column_lineage.to_wire()

    __hash__ = None  # type: ignore[assignment]  # holds lists
