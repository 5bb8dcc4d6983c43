"""Asset keys: the path that names an asset (``AssetKey(["warehouse", "orders"])``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii as _encode_json_string
from typing import Union

from headwater.errors import InvalidDefinitionError

__all__ = ["AssetKey", "CoercibleToAssetKey", "CoercibleToAssetKeyPrefix"]


class AssetKey:
    """The name of an asset: a non-empty path of parts.

    Args:
        path: one part (``"orders"``) or several (``["warehouse", "orders"]``).

    Example:
        ``AssetKey(["warehouse", "orders"]).to_user_string() == "warehouse/orders"``
    """

    __slots__ = ("_hash", "path")

    path: tuple[str, ...]
    _hash: int

    def __init__(self, path: str | Sequence[str]) -> None:
        parts = (path,) if isinstance(path, str) else tuple(path)
        if not parts:
            raise InvalidDefinitionError("an AssetKey needs at least one part")
        for part in parts:
            # Parts come from user code and files: check the type. Any text is a valid part,
            # as in the reference (Kedro's "params:rate" datasets become keys); a name made
            # from a key (an op's) is checked where it is made.
            if not isinstance(part, str):
                raise InvalidDefinitionError(
                    f"asset key part {part!r} of {list(parts)} is not valid: a part is a str"
                )
        object.__setattr__(self, "path", parts)
        object.__setattr__(self, "_hash", hash(parts))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("AssetKey is immutable")

    def __reduce__(self) -> tuple[type[AssetKey], tuple[tuple[str, ...]]]:
        # Rebuild through __init__: the slot-state default would hit __setattr__, and the
        # cached hash of str parts differs between processes (hash randomization).
        return AssetKey, (self.path,)

    @classmethod
    def from_user_string(cls, text: str) -> AssetKey:
        """Parse ``"warehouse/orders"``."""
        return cls(text.split("/"))

    @classmethod
    def from_coercible(cls, value: CoercibleToAssetKey) -> AssetKey:
        """An ``AssetKey`` from a key, a ``"a/b"`` string, or a list of parts."""
        if isinstance(value, AssetKey):
            return value
        if isinstance(value, str):
            return cls.from_user_string(value)
        return cls(value)

    @classmethod
    def from_string(cls, text: str) -> AssetKey:
        """Parse the JSON form written by :meth:`to_string`."""
        return cls(json.loads(text))

    def to_user_string(self) -> str:
        """``"warehouse/orders"``."""
        return "/".join(self.path)

    def to_string(self) -> str:
        """A JSON form, stable for storage: ``'["warehouse", "orders"]'``."""
        # json.dumps(list(self.path)), each part encoded by json's own C encoder, without
        # the encoder's several Python calls (runs write one per asset they plan).
        return f"[{', '.join(map(_encode_json_string, self.path))}]"

    def to_python_identifier(self, suffix: str | None = None) -> str:
        """A name usable as an op or Python identifier: ``warehouse__orders``."""
        name = "__".join(self.path).replace("-", "_")
        return f"{name}_{suffix}" if suffix else name

    def with_prefix(self, prefix: CoercibleToAssetKeyPrefix) -> AssetKey:
        """The key under ``prefix``."""
        parts = [prefix] if isinstance(prefix, str) else list(prefix)
        return AssetKey([*parts, *self.path])

    def has_prefix(self, prefix: Sequence[str]) -> bool:
        """Whether the key starts with ``prefix``."""
        return self.path[: len(prefix)] == tuple(prefix)

    @property
    def parent(self) -> AssetKey | None:
        """The key without its last part, or ``None`` for a one-part key."""
        return AssetKey(self.path[:-1]) if len(self.path) > 1 else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetKey) and self.path == other.path

    def __lt__(self, other: AssetKey) -> bool:
        return self.path < other.path

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"AssetKey({list(self.path)!r})"

    def __str__(self) -> str:
        return self.to_user_string()


CoercibleToAssetKey = Union[AssetKey, str, Sequence[str]]  # noqa: UP007 - a runtime alias
CoercibleToAssetKeyPrefix = Union[str, Sequence[str]]  # noqa: UP007 - a runtime alias
