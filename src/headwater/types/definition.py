"""Runtime types of op inputs and outputs: ``DataType`` (Dagster's ``DagsterType``).

A type is a name plus a check function run on every value that flows through an input or
output that declares it. The outcome of a check is ``types/check.py``, loading values from
run config ``types/loader.py``; the built-in types are ``types/builtin.py`` (scalars,
``Any``, ``Nothing``, ``isinstance`` types) and ``types/containers.py`` (list, optional,
dict, set, tuple); mapping Python annotations onto types is ``types/resolve.py``.
"""

from __future__ import annotations

import enum
import inspect
import typing
from collections.abc import Callable, Mapping, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING, Any

from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.types.check import TypeCheck, normalized_metadata
from headwater.types.loader import DataTypeLoader

if TYPE_CHECKING:
    from headwater.metadata import MetadataValue

__all__ = ["DataType", "DataTypeKind"]


class DataTypeKind(enum.Enum):
    """What sort of type a ``DataType`` is (Dagster's ``DagsterTypeKind``)."""

    ANY = "ANY"
    SCALAR = "SCALAR"
    LIST = "LIST"
    NOTHING = "NOTHING"
    NULLABLE = "NULLABLE"
    REGULAR = "REGULAR"


def _check_parameters(
    type_check_fn: object,
    key: object,
    name: object,
    is_builtin: object,
    description: object,
    loader: object,
    required_resource_keys: object,
    kind: object,
) -> None:
    # What the reference refuses (with its internal CheckError), refused here with every
    # problem named: a value of the wrong sort would otherwise be kept and misread later.
    problems: list[str] = []
    if not callable(type_check_fn):
        problems.append(f"type_check_fn must be callable, got {type_check_fn!r}")
    for label, value in (("key", key), ("name", name), ("description", description)):
        if value is not None and not isinstance(value, str):
            problems.append(f"{label} must be a str, got {type(value).__name__} {value!r}")
        elif value == "" and label != "description":
            problems.append(f"{label} must not be empty")
    if not isinstance(is_builtin, bool):
        problems.append(f"is_builtin must be a bool, got {type(is_builtin).__name__}")
    if loader is not None and not isinstance(loader, DataTypeLoader):
        problems.append(
            f"loader must be a DagsterTypeLoader (write one with @dagster_type_loader), "
            f"got {type(loader).__name__}"
        )
    keys = required_resource_keys
    if keys is not None and not (
        isinstance(keys, AbstractSet) and all(isinstance(k, str) for k in keys)
    ):
        problems.append(
            f"required_resource_keys must be a set of resource keys like {{'db'}}, got {keys!r}"
        )
    if not isinstance(kind, DataTypeKind):
        problems.append(f"kind must be a DagsterTypeKind member, got {kind!r}")
    if problems:
        raise InvalidDefinitionError(f'DagsterType "{name or key}": ' + "; ".join(problems))


def _check_fn_arity(fn: Callable[..., Any], name: str | None) -> None:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: trust it
        return
    if len(params) != 2:
        raise InvalidDefinitionError(
            f'type_check_fn argument on type "{name}" must take 2 arguments, received '
            f"{len(params)}; write it as def check(context, value)"
        )


class DataType:
    """A type of op inputs and outputs, checked on every value that flows through them.

    Args:
        type_check_fn: ``fn(context, value)`` returning a bool or a ``TypeCheck``.
        key: a unique key (defaults to ``name``).
        name: the type's name; ``key`` or ``name`` is required.
        is_builtin: whether headwater defines it.
        description: shown in tools.
        loader: builds values from run config.
        required_resource_keys: resources the check function reads.
        kind: what sort of type it is.
        typing_type: the Python type of its values.
        metadata: facts about the type.

    Example:
        ``EvenInt = DagsterType(lambda _, v: isinstance(v, int) and v % 2 == 0, name="EvenInt")``
    """

    def __init__(
        self,
        type_check_fn: Callable[[Any, Any], TypeCheck | bool],
        key: str | None = None,
        name: str | None = None,
        is_builtin: bool = False,
        description: str | None = None,
        loader: DataTypeLoader | None = None,
        required_resource_keys: set[str] | None = None,
        kind: DataTypeKind = DataTypeKind.REGULAR,
        typing_type: Any = typing.Any,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if name is None and key is None:
            raise InvalidDefinitionError("a DagsterType needs a name or a key; give name=")
        _check_parameters(
            type_check_fn, key, name, is_builtin, description, loader, required_resource_keys, kind
        )
        self.key: str = key if key is not None else typing.cast(str, name)
        self._name = name
        self._description = description
        self._loader = loader
        self._required_resource_keys = set(required_resource_keys or ())
        _check_fn_arity(type_check_fn, name)
        self._type_check_fn = type_check_fn
        self.is_builtin = is_builtin
        self.kind = kind
        self._typing_type = typing_type
        self._metadata = normalized_metadata(metadata)
        # The class (or classes) whose instances pass without a call to the check function,
        # for types whose check is ``isinstance`` and nothing else: runs check every value
        # that flows through a step, and this spares them the call and its ``TypeCheck``.
        # ``None``: the check function decides every value.
        self.passing_class: type | tuple[type, ...] | None = None

    def _pass_instances_of(self, python_type: type | tuple[type, ...]) -> None:
        # Only while ``type_check`` is this class's: a subclass overriding it decides alone.
        if type(self).type_check is DataType.type_check:
            self.passing_class = python_type

    def type_check(self, context: Any, value: object) -> TypeCheck:
        """Check ``value`` against the type.

        Raises:
            InvariantViolationError: the check function returned neither a bool nor a
                ``TypeCheck``.
        """
        outcome = self._type_check_fn(context, value)
        if isinstance(outcome, TypeCheck):
            return outcome
        if isinstance(outcome, bool):
            return TypeCheck(success=outcome)
        raise InvariantViolationError(
            f"You have returned {outcome!r} of type {type(outcome)} from the type check "
            f'function of type "{self.key}". Return value must be instance of TypeCheck or a bool.'
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataType) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"<DagsterType {self.display_name}>"

    @property
    def metadata(self) -> Mapping[str, MetadataValue]:
        """Facts about the type."""
        return self._metadata

    @property
    def required_resource_keys(self) -> set[str]:
        """Resources the check function reads."""
        return self._required_resource_keys

    @property
    def display_name(self) -> str:
        """The name, or the key when the type has no name."""
        return self._name or self.key

    @property
    def unique_name(self) -> str | None:
        """The type's name (container types have none)."""
        if self._name is None:
            raise InvariantViolationError(
                f"unique_name requested but is None for type {self.display_name}"
            )
        return self._name

    @property
    def has_unique_name(self) -> bool:
        """Whether the type has a name of its own."""
        return self._name is not None

    @property
    def typing_type(self) -> Any:
        """The Python type of the type's values."""
        return self._typing_type

    @property
    def loader(self) -> DataTypeLoader | None:
        """Builds values from run config, if the type has a loader."""
        return self._loader

    @property
    def description(self) -> str | None:
        """Shown in tools."""
        return self._description

    @property
    def inner_types(self) -> Sequence[DataType]:
        """The types this type is built from (list items, optional values, ...)."""
        return []

    @property
    def type_param_keys(self) -> Sequence[str]:
        """The keys of the type's parameters."""
        return []

    @property
    def is_nothing(self) -> bool:
        """Whether the type carries no value."""
        return self.kind is DataTypeKind.NOTHING

    @property
    def is_any(self) -> bool:
        """Whether every value passes."""
        return self.kind is DataTypeKind.ANY

    @property
    def supports_fan_in(self) -> bool:
        """Whether an input of this type may collect several outputs."""
        return False
