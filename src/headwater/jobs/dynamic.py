"""Dynamic outputs: an op output that yields any number of values, each under a mapping key.

``DynamicOut`` declares one; the op yields (or returns a list of) ``DynamicOutput`` objects.
In a graph body the output's handle is mapped (``.map(fn)``: the downstream ops run once per
value) or collected (``.collect()``: one op receives every value as a list). What that does
to the plan lives in ``execution/dynamic.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.jobs.io import DEFAULT_OUTPUT, NoValue, Out, Output

__all__ = ["DynamicOut", "DynamicOutput", "check_mapping_key"]

T = TypeVar("T")

# A mapping key becomes part of step keys (``op[key]``) and of storage paths.
_MAPPING_KEY = re.compile(r"^[A-Za-z0-9_]+$")


def check_mapping_key(mapping_key: Any) -> str:
    """Return ``mapping_key`` if it can name a mapped step; raise otherwise.

    Raises:
        InvalidInvocationError: it is not a string.
        InvalidDefinitionError: it has characters other than letters, digits and ``_``.
    """
    if not isinstance(mapping_key, str):
        raise InvalidInvocationError(
            f"DynamicOutput mapping_key must be a str, got {mapping_key!r} "
            f"({type(mapping_key).__name__}); convert it, e.g. mapping_key=str(i)"
        )
    if not _MAPPING_KEY.match(mapping_key):
        raise InvalidDefinitionError(
            f'DynamicOutput mapping_key "{mapping_key}" is not a valid name: mapping keys must '
            f"match ^[A-Za-z0-9_]+$ (letters, digits and underscores); replace the other "
            "characters, e.g. with _"
        )
    return mapping_key


class DynamicOut(Out):
    """Declares an output that yields any number of ``DynamicOutput`` values.

    Downstream, ``.map(fn)`` runs ``fn``'s ops once per value and ``.collect()`` gathers
    the values (or the mapped ops' outputs) into one list. Takes the arguments of ``Out``.
    """

    __slots__ = ()
    is_dynamic: ClassVar[bool] = True

    def __init__(
        self,
        dagster_type: Any = NoValue,
        description: str | None = None,
        is_required: bool = True,
        io_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        code_version: str | None = None,
    ) -> None:
        super().__init__(
            dagster_type=dagster_type,
            description=description,
            is_required=is_required,
            io_manager_key=io_manager_key,
            metadata=metadata,
            code_version=code_version,
        )

    def __repr__(self) -> str:
        return f"DynamicOut({self.dagster_type!r})"


class DynamicOutput(Generic[T]):
    """One value of a ``DynamicOut`` output, under its mapping key.

    Args:
        value: the value.
        mapping_key: names this value among the output's values (letters, digits and
            ``_``); the mapped steps that receive it are keyed ``op[mapping_key]``.
        output_name: which output (``"result"`` for ops with one output).
        metadata: facts recorded with the output event.

    Raises:
        InvalidDefinitionError: the mapping key is not a valid name.
        InvalidInvocationError: the mapping key or output name is not a string.
    """

    __slots__ = ("_output", "mapping_key")

    def __init__(
        self,
        value: T,
        mapping_key: str,
        output_name: str | None = DEFAULT_OUTPUT,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.mapping_key = check_mapping_key(mapping_key)
        if not isinstance(output_name, str):
            raise InvalidInvocationError(
                f"DynamicOutput output_name must be a str, got {output_name!r}; leave it out "
                f"for the default output {DEFAULT_OUTPUT!r}"
            )
        # The value as an ordinary output: what the run records for this mapping key.
        self._output: Output[T] = Output(value, output_name, metadata)

    @property
    def value(self) -> T:
        """The value."""
        return self._output.value

    @property
    def output_name(self) -> str:
        """The output it belongs to."""
        return self._output.output_name

    @property
    def metadata(self) -> dict[str, Any]:
        """The value's metadata, as ``MetadataValue``s (plain values are normalized)."""
        return self._output.metadata

    def as_output(self) -> Output[T]:
        """The value as an ``Output`` of its output name (for recording it)."""
        return self._output

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DynamicOutput):
            return NotImplemented
        return (self.value, self.mapping_key, self.output_name, self.metadata) == (
            other.value,
            other.mapping_key,
            other.output_name,
            other.metadata,
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, and values may be mutable

    def __repr__(self) -> str:
        return f"DynamicOutput({self.value!r}, {self.mapping_key!r}, {self.output_name!r})"
