"""Column lineage of a table asset: which upstream columns each column is derived from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.errors import InvalidMetadataError

__all__ = ["TableColumnDep", "TableColumnLineage"]


@dataclass(frozen=True, slots=True, init=False)
class TableColumnDep:
    """One upstream column: the asset it lives in and its name.

    A string key is one part, as Dagster reads it (``"a/b"`` is the key ``["a/b"]``).
    """

    asset_key: AssetKey
    column_name: str

    def __init__(self, asset_key: AssetKey | str | Sequence[str], column_name: str) -> None:
        if isinstance(asset_key, str):
            key = AssetKey([asset_key])
        elif isinstance(asset_key, AssetKey):
            key = asset_key
        elif isinstance(asset_key, Sequence):
            key = AssetKey(list(asset_key))
        else:
            raise InvalidMetadataError(
                f"TableColumnDep asset_key must be an AssetKey, a str or a list of str, "
                f"got {asset_key!r} ({type(asset_key).__name__})"
            )
        if not isinstance(column_name, str):
            raise InvalidMetadataError(
                f"TableColumnDep column_name must be a str, got {column_name!r}"
            )
        object.__setattr__(self, "asset_key", key)
        object.__setattr__(self, "column_name", column_name)

    def to_wire(self) -> dict[str, Any]:
        """``{"asset_key": [parts], "column_name": name}``."""
        return {"asset_key": list(self.asset_key.path), "column_name": self.column_name}

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> TableColumnDep:
        """Read back :meth:`to_wire`'s form; Pipes may send the key as one string."""
        key = raw["asset_key"]
        return cls(key if isinstance(key, str) else list(key), raw["column_name"])


@dataclass(frozen=True, slots=True, init=False)
class TableColumnLineage:
    """For each column of a table, the upstream columns it is computed from.

    Example:
        ``TableColumnLineage({"total": [TableColumnDep("orders", "amount")]})``
    """

    deps_by_column: Mapping[str, Sequence[TableColumnDep]]

    def __init__(self, deps_by_column: Mapping[str, Sequence[TableColumnDep]]) -> None:
        if not isinstance(deps_by_column, Mapping):
            raise InvalidMetadataError(
                f"TableColumnLineage deps_by_column must be a dict, got {deps_by_column!r}"
            )
        checked: dict[str, list[TableColumnDep]] = {}
        for column, deps in deps_by_column.items():
            if not isinstance(column, str):
                raise InvalidMetadataError(f"TableColumnLineage column {column!r} is not a str")
            if not isinstance(deps, (list, tuple)) or not all(
                isinstance(d, TableColumnDep) for d in deps
            ):
                raise InvalidMetadataError(
                    f"TableColumnLineage column {column!r} needs a list of TableColumnDep, "
                    f"got {deps!r}"
                )
            checked[column] = list(deps)
        object.__setattr__(self, "deps_by_column", checked)

    def to_wire(self) -> dict[str, Any]:
        """``{"deps_by_column": {column: [dep, ...]}}``."""
        return {
            "deps_by_column": {
                column: [d.to_wire() for d in deps] for column, deps in self.deps_by_column.items()
            }
        }

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> TableColumnLineage:
        """Read back :meth:`to_wire`'s form."""
        return cls(
            {
                column: [TableColumnDep.from_wire(d) for d in deps]
                for column, deps in raw["deps_by_column"].items()
            }
        )

    __hash__ = None  # type: ignore[assignment]  # holds lists
