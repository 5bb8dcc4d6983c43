"""Nodes that wrap other nodes: `Noneable`, `Map` and `ScalarUnion`.

(`Array` lives in `headwater.config.schema`, since the ``[T]`` shorthand builds it.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any as _Any

from headwater.config import validate
from headwater.config.schema import Place, _to_type
from headwater.config.types import ConfigType, ScalarType, SourceType
from headwater.config.validate import ProcessContext

__all__ = ["Defaulted", "Noneable", "Map", "ScalarUnion"]


class Noneable(ConfigType):
    """A value of `inner_type`, or ``None``; an omitted field of this type becomes ``None``.

    Args:
        inner_type: the schema form when the value is not ``None``.
    """

    __slots__ = ("inner_type",)
    inner_type: ConfigType

    def __init__(self, inner_type: object) -> None:
        inner = _to_type(inner_type, "Noneable")
        self._init(inner_type=inner, description=inner.description)

    @property
    def type_name(self) -> str:
        """``int | None``."""
        return f"{self.inner_type.type_name} | None"

    @property
    def is_optional_by_default(self) -> bool:
        """Always: omitted means ``None``."""
        return True

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        return None if value is None else self.inner_type._process(value, path, ctx)

    def _omitted(self, path: str, ctx: ProcessContext) -> tuple[bool, _Any]:
        return True, None


class Map(ConfigType):
    """A dict with arbitrary keys of `key_type` and values of `inner_type`.

    Args:
        key_type: a scalar type for the keys (``str``, ``int`` ...).
        inner_type: the values' schema form.
        key_label_name: what a key stands for, shown in editors.
    """

    __slots__ = ("inner_type", "key_label_name", "key_type")
    key_type: ConfigType
    inner_type: ConfigType
    key_label_name: str | None

    def __init__(
        self, key_type: object, inner_type: object, key_label_name: str | None = None
    ) -> None:
        key = _to_type(key_type, "Map")
        if not isinstance(key, ScalarType):
            raise Place("Map", key_type).error(
                key_type, f"key_type must be a scalar (str, int, float, bool), got {key.type_name}"
            )
        inner = _to_type(inner_type, "Map")
        self._init(key_type=key, inner_type=inner, key_label_name=key_label_name, description=None)

    @property
    def type_name(self) -> str:
        """``dict[str, int]``."""
        return f"dict[{self.key_type.type_name}, {self.inner_type.type_name}]"

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        return validate.process_map(self, value, path, ctx)


class ScalarUnion(ConfigType):
    """A scalar, or a list/dict value of another schema.

    Args:
        scalar_type: the schema for scalar values.
        non_scalar_schema: the schema for dicts and lists.
    """

    __slots__ = ("non_scalar_type", "scalar_type")
    scalar_type: ConfigType
    non_scalar_type: ConfigType

    def __init__(self, scalar_type: object, non_scalar_schema: object, _key: str | None = None):
        scalar = _to_type(scalar_type, "ScalarUnion")
        if not isinstance(scalar, (ScalarType, SourceType)):
            raise Place("ScalarUnion", scalar_type).error(
                scalar_type, f"scalar_type must be a scalar, got {scalar.type_name}"
            )
        non_scalar = _to_type(non_scalar_schema, "ScalarUnion")
        self._init(scalar_type=scalar, non_scalar_type=non_scalar, description=None)

    @property
    def type_name(self) -> str:
        """``str | {path: str}``."""
        return f"{self.scalar_type.type_name} | {self.non_scalar_type.type_name}"

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        if isinstance(value, (Mapping, list, tuple)):
            return self.non_scalar_type._process(value, path, ctx)
        return self.scalar_type._process(value, path, ctx)


class Defaulted(ConfigType):
    """A whole schema given as ``Field(T, default_value=...)``: omitted means the default.

    ``normalize_schema`` builds it so that ``config_schema=Field(int, default_value=9)``
    keeps its default where no enclosing dict field could hold it (an op's, a resource's
    config). Not public: users write the `Field`.
    """

    __slots__ = ("default_value", "inner_type")
    inner_type: ConfigType
    default_value: object

    def __init__(self, inner_type: ConfigType, default_value: object) -> None:
        self._init(
            inner_type=inner_type, default_value=default_value, description=inner_type.description
        )

    @property
    def type_name(self) -> str:
        """The inner type's name."""
        return self.inner_type.type_name

    @property
    def is_optional_by_default(self) -> bool:
        """Always: omitted means the default."""
        return True

    @property
    def config_type(self) -> ConfigType:
        """The wrapped node (what the default is given for)."""
        return self.inner_type

    def _process(self, value: object, path: str, ctx: ProcessContext) -> _Any:
        if value is None and not self.inner_type.is_optional_by_default:
            value = self.default_value  # `config: None` in YAML reads as "not given"
        return self.inner_type._process(value, path, ctx)

    def _omitted(self, path: str, ctx: ProcessContext) -> tuple[bool, _Any]:
        return True, self.inner_type._process(self.default_value, path, ctx)
