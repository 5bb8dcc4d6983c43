"""Partitions whose keys are added and removed at run time, kept in the instance."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.partitions.definition import (
    DynamicPartitionsStore,
    PartitionsDefinition,
    UnknownPartitionError,
    nearest_keys_by_spelling,
)
from headwater.partitions.loading import effective_partitions_store

__all__ = [
    "AddDynamicPartitionsRequest",
    "DeleteDynamicPartitionsRequest",
    "DynamicPartitionsDefinition",
    "DynamicPartitionsRequest",
]


@dataclass(frozen=True, slots=True)
class AddDynamicPartitionsRequest:
    """Returned in ``SensorResult(dynamic_partitions_requests=...)`` to add partition keys.

    Args:
        partitions_def_name: the ``DynamicPartitionsDefinition``'s name.
        partition_keys: the keys to add.
    """

    partitions_def_name: str
    partition_keys: tuple[str, ...]

    def __init__(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None:
        object.__setattr__(self, "partitions_def_name", partitions_def_name)
        object.__setattr__(self, "partition_keys", tuple(partition_keys))


@dataclass(frozen=True, slots=True)
class DeleteDynamicPartitionsRequest:
    """Returned in ``SensorResult(dynamic_partitions_requests=...)`` to delete partition keys.

    Args:
        partitions_def_name: the ``DynamicPartitionsDefinition``'s name.
        partition_keys: the keys to delete.
    """

    partitions_def_name: str
    partition_keys: tuple[str, ...]

    def __init__(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None:
        object.__setattr__(self, "partitions_def_name", partitions_def_name)
        object.__setattr__(self, "partition_keys", tuple(partition_keys))


DynamicPartitionsRequest = AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest


class DynamicPartitionsDefinition(PartitionsDefinition):
    """Partitions whose keys live in the instance, under ``name``.

    Keys are added with ``instance.add_dynamic_partitions(name, keys)`` (from a sensor, a
    script or the CLI) and removed with ``instance.delete_dynamic_partition(name, key)``.
    Every method that needs the keys takes ``dynamic_partitions_store``: the instance.

    Args:
        partition_fn: (legacy) a function of the current time returning the keys; when
            given, no instance is needed.
        name: the name the keys are stored under.

    Raises:
        InvalidDefinitionError: neither or both of ``partition_fn`` and ``name``.

    Example:
        ``customers = DynamicPartitionsDefinition(name="customers")``
    """

    def __init__(
        self,
        partition_fn: Callable[[datetime | None], Sequence[str]] | None = None,
        name: str | None = None,
    ) -> None:
        if (partition_fn is None) == (name is None):
            raise InvalidDefinitionError(
                "DynamicPartitionsDefinition: give exactly one of name= (keys stored in the "
                "instance) and partition_fn="
            )
        self.name = name
        self.partition_fn = partition_fn

    def build_add_request(self, partition_keys: Sequence[str]) -> AddDynamicPartitionsRequest:
        """A request, for ``SensorResult(dynamic_partitions_requests=[...])``, to add keys.

        Raises:
            InvalidDefinitionError: this definition has no name (it uses partition_fn).
        """
        return AddDynamicPartitionsRequest(self._name_for_requests(), partition_keys)

    def build_delete_request(self, partition_keys: Sequence[str]) -> DeleteDynamicPartitionsRequest:
        """A request, for ``SensorResult(dynamic_partitions_requests=[...])``, to delete keys.

        Raises:
            InvalidDefinitionError: this definition has no name (it uses partition_fn).
        """
        return DeleteDynamicPartitionsRequest(self._name_for_requests(), partition_keys)

    def _name_for_requests(self) -> str:
        if self.name is None:
            raise InvalidDefinitionError(
                "this DynamicPartitionsDefinition uses partition_fn, so its keys cannot be "
                "added or deleted; give it a name= instead"
            )
        return self.name

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """The keys stored in the instance, in the order they were added.

        Raises:
            InvariantViolationError: no ``dynamic_partitions_store`` was given.
        """
        if self.partition_fn is not None:
            return list(self.partition_fn(current_time))
        assert self.name is not None  # one of the two is set, checked in __init__
        return list(self._store(dynamic_partitions_store).get_dynamic_partitions(self.name))

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether the instance holds the key under this definition's name."""
        if self.partition_fn is not None:
            return partition_key in self.partition_fn(current_time)
        assert self.name is not None  # one of the two is set, checked in __init__
        store = self._store(dynamic_partitions_store)
        return store.has_dynamic_partition(self.name, partition_key)

    def unknown_key_error(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UnknownPartitionError:
        """The error for a key not (yet) added: the nearest keys and how to add it."""
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        hint = (
            f"add it with instance.add_dynamic_partitions({self.name!r}, [{partition_key!r}])"
            if self.name is not None
            else ""
        )
        return UnknownPartitionError.build(
            partition_key,
            self.describe(),
            nearest_keys_by_spelling(partition_key, keys),
            hint=hint,
        )

    def describe(self) -> str:
        """``dynamic partitions 'customers'``."""
        if self.name is None:
            return "dynamic partitions from a function"
        return f"dynamic partitions {self.name!r}"

    def _store(self, store: DynamicPartitionsStore | None) -> DynamicPartitionsStore:
        store = effective_partitions_store(store)
        if store is None:
            raise InvariantViolationError(
                f"{self.describe()} keep their keys in the instance; pass "
                "dynamic_partitions_store=instance, or read them inside "
                "partition_loading_context(dynamic_partitions_store=instance)"
            )
        return store

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DynamicPartitionsDefinition)
            and self.name == other.name
            and self.partition_fn is other.partition_fn
        )

    def __hash__(self) -> int:
        return hash((DynamicPartitionsDefinition, self.name, id(self.partition_fn)))

    def __repr__(self) -> str:
        return f"DynamicPartitionsDefinition(name={self.name!r})"
