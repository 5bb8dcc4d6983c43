"""Tables in metadata: ``TableSchema``, ``TableColumn``, ``TableRecord`` and constraints.

Each class has a JSON form (``to_wire`` / ``from_wire``) that matches what Dagster Pipes
sends for ``table`` and ``table_schema`` metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any, Union

from headwater._dataclass import dataclass
from headwater.errors import InvalidMetadataError

__all__ = [
    "TableColumn",
    "TableColumnConstraints",
    "TableConstraints",
    "TableRecord",
    "TableSchema",
]

TableCell = Union[str, int, float, bool, None]  # noqa: UP007  # evaluated at runtime


@dataclass(frozen=True, slots=True)
class TableColumnConstraints:
    """Constraints on the values of one column.

    Args:
        nullable: whether the column may hold nulls.
        unique: whether every value is distinct.
        other: further constraints in words (``"> 0"``).
    """

    nullable: bool = True
    unique: bool = False
    other: tuple[str, ...] = ()

    def __init__(
        self, nullable: bool = True, unique: bool = False, other: Sequence[str] | None = None
    ) -> None:
        object.__setattr__(self, "nullable", nullable)
        object.__setattr__(self, "unique", unique)
        object.__setattr__(self, "other", tuple(other or ()))

    def to_wire(self) -> dict[str, Any]:
        """The JSON form: ``{"nullable": ..., "unique": ..., "other": [...]}``."""
        return {"nullable": self.nullable, "unique": self.unique, "other": list(self.other)}


@dataclass(frozen=True, slots=True)
class TableConstraints:
    """Constraints on a whole table, in words.

    Args:
        other: e.g. ``["unique (order_id, line)"]``.
    """

    other: tuple[str, ...] = ()

    def __init__(self, other: Sequence[str]) -> None:
        object.__setattr__(self, "other", tuple(other or ()))


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One column of a table schema.

    Args:
        name: the column's name.
        type: its type, in words (``"string"``, ``"int"``, ``"timestamp"`` ...).
        description: what the column holds.
        constraints: constraints on its values.
        tags: free-form labels.
    """

    name: str
    type: str = "string"
    description: str | None = None
    constraints: TableColumnConstraints = field(default_factory=TableColumnConstraints)
    tags: Mapping[str, str] = field(default_factory=dict)

    def __init__(
        self,
        name: str,
        type: str = "string",  # the reference API's parameter name
        description: str | None = None,
        constraints: TableColumnConstraints | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "constraints", constraints or TableColumnConstraints())
        object.__setattr__(self, "tags", dict(tags or {}))

    def to_wire(self) -> dict[str, Any]:
        """The JSON form of the column."""
        return {
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "constraints": self.constraints.to_wire(),
            "tags": dict(self.tags),
        }

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> TableColumn:
        """Read the JSON form (``constraints`` and ``tags`` may be missing or null)."""
        constraints = data.get("constraints")
        return cls(
            name=data["name"],
            type=data.get("type", "string"),
            description=data.get("description"),
            constraints=TableColumnConstraints(**constraints) if constraints else None,
            tags=data.get("tags"),
        )

    __hash__ = None  # type: ignore[assignment]  # holds a dict of tags


@dataclass(frozen=True, slots=True)
class TableSchema:
    """The columns of a table.

    Args:
        columns: the columns, in order.
        constraints: table-wide constraints.

    Example:
        ``TableSchema(columns=[TableColumn("id", "int"), TableColumn("name")])``
    """

    columns: tuple[TableColumn, ...]
    constraints: TableConstraints = field(default_factory=lambda: TableConstraints(()))

    def __init__(
        self,
        columns: Sequence[TableColumn],
        constraints: TableConstraints | None = None,
    ) -> None:
        object.__setattr__(self, "columns", tuple(columns))
        object.__setattr__(self, "constraints", constraints or TableConstraints(()))

    @staticmethod
    def from_name_type_dict(name_type_dict: Mapping[str, str]) -> TableSchema:
        """A schema from ``{"id": "int", "name": "string"}``."""
        return TableSchema([TableColumn(name, type_) for name, type_ in name_type_dict.items()])

    def to_wire(self) -> dict[str, Any]:
        """The JSON form: ``{"columns": [...]}`` (as Pipes sends ``table_schema``)."""
        return {"columns": [c.to_wire() for c in self.columns]}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> TableSchema:
        """Read the JSON form written by :meth:`to_wire`."""
        return cls([TableColumn.from_wire(c) for c in data["columns"]])

    __hash__ = None  # type: ignore[assignment]  # columns hold dicts of tags


@dataclass(frozen=True, slots=True)
class TableRecord:
    """One row of a table in metadata; cells are str, int, float, bool or ``None``.

    Args:
        data: column name → cell.

    Raises:
        InvalidMetadataError: a cell of another type.

    Example:
        ``TableRecord({"id": 1, "name": "ada"})``
    """

    data: Mapping[str, TableCell]

    def __init__(self, data: Mapping[str, TableCell]) -> None:
        for column, cell in data.items():
            if cell is not None and not isinstance(cell, (str, int, float, bool)):
                raise InvalidMetadataError(
                    f"table record cell '{column}' is a {type(cell).__name__}; cells must be "
                    "str, int, float, bool or None (convert it, e.g. str(value))"
                )
        object.__setattr__(self, "data", dict(data))

    __hash__ = None  # type: ignore[assignment]  # holds a dict


def infer_schema(records: Sequence[TableRecord]) -> TableSchema:
    """A schema naming the columns of the first record, typed from its cells."""
    if not records:
        return TableSchema([])
    names = {bool: "bool", int: "int", float: "float", str: "string"}
    return TableSchema(
        [
            TableColumn(column, names.get(type(cell), "string"))
            for column, cell in records[0].data.items()
        ]
    )


def table_to_wire(records: Sequence[TableRecord], schema: TableSchema) -> dict[str, Any]:
    """The Pipes raw form of a table: ``{"records": [...], "schema": [columns]}``."""
    return {
        "records": [dict(r.data) for r in records],
        "schema": [c.to_wire() for c in schema.columns],
    }
