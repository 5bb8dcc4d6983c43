"""``ObjectMetadataValue``: metadata that holds a live object for the process that made it.

Dagster keeps this kind outside its root namespace (in its ``metadata_value`` module), and
libraries use it to hand an object (a schema class, a model) from an asset's definition to
its IO manager. Only the class name is recorded and stored; the object itself is never
serialized, so a value read back from storage, or received in another process, holds
``instance=None``.
"""

from __future__ import annotations

from typing import ClassVar

from headwater._dataclass import dataclass
from headwater.metadata.values import MetadataValue

__all__ = ["ObjectMetadataValue"]


@dataclass(frozen=True, slots=True, init=False)
class ObjectMetadataValue(MetadataValue):
    """An object of no other metadata kind (wire type ``object``); ``.value`` is its class name.

    Args:
        inst: the object itself, or its class name as a str.
        instance: with a class name, the object it names (kept in this process only).

    Example:
        ``ObjectMetadataValue(model).value == "LinearModel"``;
        ``ObjectMetadataValue("Schema", instance=Schema).instance is Schema``
    """

    class_name: str
    instance: object | None
    type_name: ClassVar[str] = "object"

    def __init__(self, inst: str | object, *, instance: object | None = None) -> None:
        if isinstance(inst, str):
            object.__setattr__(self, "class_name", inst)
            object.__setattr__(self, "instance", instance)
        else:
            object.__setattr__(self, "class_name", type(inst).__name__)
            object.__setattr__(self, "instance", inst)

    @property
    def value(self) -> str:
        return self.class_name

    def to_raw(self) -> str:
        """Only the class name: the object does not leave the process that made it."""
        return self.class_name
