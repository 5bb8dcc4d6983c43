"""`normalize_schema` and friends: the entry points that turn schema forms into nodes.

The node classes and the resolution of each form live in `headwater.config.schema`; these
functions add the caller's `where` to every message and check `Field` defaults.
"""

from __future__ import annotations

from headwater.config.schema import Field, Place, _to_field, _to_type
from headwater.config.types import Any, ConfigType
from headwater.config.wrappers import Defaulted

__all__ = ["normalize_schema", "normalize_field", "field_is_required"]


def normalize_schema(schema: object, *, where: str) -> ConfigType:
    """Turn any schema form into a schema node.

    Args:
        schema: ``int``/``str``/``float``/``bool``, ``list``/``[T]``, ``dict`` (a permissive
            dict), ``{"name": schema}`` (a `Shape`), a `Field` (its type is returned; use
            `normalize_field` to keep its options), a node, or a ``Config`` subclass.
            ``None`` means no schema and gives ``Any``.
        where: what the schema belongs to, for messages (``"op 'load'"``).

    Returns:
        The node.

    Raises:
        InvalidConfigDefinitionError: the schema is malformed; the message starts with `where`.
    """
    if schema is None:
        return Any
    if isinstance(schema, Field):
        schema._check_default(Place(where, schema))
        if schema.default_provided:
            return Defaulted(schema.config_type, schema.default_value)
        return schema.config_type
    return _to_type(schema, where)


def normalize_field(schema: object, *, where: str) -> Field:
    """Like `normalize_schema`, keeping a `Field`'s default, requiredness and description.

    Args:
        schema: any schema form; a non-`Field` is wrapped in a `Field` with default options.
        where: what the schema belongs to, for messages.

    Returns:
        A `Field` whose default (if any) has been checked against its type.

    Raises:
        InvalidConfigDefinitionError: the schema or its default is malformed.
    """
    return _to_field(schema, Place(where, schema))


def field_is_required(field_or_type: Field | ConfigType) -> bool:
    """Whether omitting a field (or a field of this type without options) is a problem.

    Args:
        field_or_type: a `Field` or a node.

    Returns:
        ``False`` for fields with defaults, ``Noneable`` and shapes whose fields are all
        optional (those default to their defaults); ``True`` otherwise.
    """
    if isinstance(field_or_type, Field):
        return field_or_type.is_required
    return not field_or_type.is_optional_by_default
