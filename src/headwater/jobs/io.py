"""Inputs and outputs of ops: ``In``, ``Out``, ``Output`` and the ``Nothing`` type."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

__all__ = ["DEFAULT_OUTPUT", "GraphOut", "In", "Nothing", "NoValue", "OpEvent", "Out", "Output"]

T = TypeVar("T")

DEFAULT_OUTPUT = "result"


class _NothingType:
    """Marks an input or output that carries no value, only an ordering dependency."""

    _instance: _NothingType | None = None

    def __new__(cls) -> _NothingType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "Nothing"


Nothing: Any = _NothingType()
"""Use as ``In(Nothing)`` / ``Out(Nothing)``: a dependency that passes no value."""


class _NoValueType:
    """Sentinel for "no default given" (``None`` is a legitimate default)."""

    def __repr__(self) -> str:
        return "NoValue"


NoValue: Any = _NoValueType()


def _declared(dagster_type: Any) -> Any:
    """What an ``In``/``Out`` keeps of its ``dagster_type``: ``None`` when not given (the
    function's annotation types the value), ``typing.Any`` for an explicit ``None`` (as in
    the reference, where ``None`` is ``Any`` and the annotation is then not read)."""
    if dagster_type is NoValue:
        return None
    return typing.Any if dagster_type is None else dagster_type


class OpEvent:
    """Base of what op code returns or yields besides outputs: materializations and
    observations, materialize and observe results, asset check and expectation results
    (``headwater.assets.results``).

    Runs tell them from output values with one ``isinstance``, so that a job that makes
    none never imports their module (``headwater job execute`` start-up is timed).
    """

    __slots__ = ()


class In:
    """Declares an op input.

    Args:
        dagster_type: the input's type (``Nothing`` for an ordering-only dependency).
        description: shown in the UI and schema.
        default_value: used when nothing is connected and no config gives a value.
        metadata: free-form facts about the input (its ``InputContext.definition_metadata``).
        asset_key: the asset this input reads (``InputContext.asset_key``); a value comes
            from the input manager named by ``input_manager_key``.
        asset_partitions: the asset partitions it reads.
        input_manager_key: the resource (an input or IO manager) that loads the value,
            instead of the upstream output's IO manager or run config.

    Example:
        ``@op(ins={"start": In(Nothing)})``
    """

    __slots__ = (
        "asset_key",
        "asset_partitions",
        "dagster_type",
        "default_value",
        "description",
        "input_manager_key",
        "metadata",
    )

    def __init__(
        self,
        dagster_type: Any = NoValue,
        description: str | None = None,
        default_value: Any = NoValue,
        metadata: Mapping[str, Any] | None = None,
        asset_key: Any = None,
        asset_partitions: Any = None,
        input_manager_key: str | None = None,
    ) -> None:
        self.dagster_type = _declared(dagster_type)
        self.description = description
        self.default_value = default_value
        self.metadata = dict(metadata or {})
        self.asset_key = asset_key
        self.asset_partitions = asset_partitions
        self.input_manager_key = input_manager_key

    @property
    def is_nothing(self) -> bool:
        """Whether this input only orders (passes no value)."""
        return self.dagster_type is Nothing

    @property
    def has_default(self) -> bool:
        """Whether the input has a default value."""
        return self.default_value is not NoValue

    def __repr__(self) -> str:
        return f"In({self.dagster_type!r})"


class Out:
    """Declares an op output.

    Args:
        dagster_type: the output's type (``Nothing`` for an ordering-only output).
        description: shown in the UI and schema.
        is_required: whether the op must produce it; an optional output that is not
            produced skips what depends on it.
        io_manager_key: which IO manager stores it (used from the IO manager release on).
        metadata: free-form facts about the output.
        code_version: the version of the code that produces the output (kept on the
            output; headwater does not memoize op outputs by it).
    """

    __slots__ = (
        "code_version",
        "dagster_type",
        "description",
        "io_manager_key",
        "is_required",
        "metadata",
    )

    # A DynamicOut yields any number of values, each under a mapping key.
    is_dynamic: ClassVar[bool] = False

    def __init__(
        self,
        dagster_type: Any = NoValue,
        description: str | None = None,
        is_required: bool = True,
        io_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        code_version: str | None = None,
    ) -> None:
        self.dagster_type = _declared(dagster_type)
        self.description = description
        self.is_required = is_required
        self.io_manager_key = io_manager_key
        self.metadata = dict(metadata or {})
        self.code_version = code_version

    @property
    def is_nothing(self) -> bool:
        """Whether this output passes no value."""
        return self.dagster_type is Nothing

    def __repr__(self) -> str:
        return f"Out({self.dagster_type!r})"


class GraphOut(Out):
    """Declares a graph's output (``@graph(out={"total": GraphOut()})``); what it maps to is
    whatever the graph body returns for it.

    Args:
        description: shown in the UI and schema.
    """

    __slots__ = ()

    def __init__(self, description: str | None = None) -> None:
        super().__init__(description=description)

    def __repr__(self) -> str:
        return "GraphOut()"


class Output(Generic[T]):
    """A value an op returns or yields for one of its outputs.

    Args:
        value: the output's value.
        output_name: which output (``"result"`` for ops with one output).
        metadata: facts recorded with the output event.
        data_version: for an asset's output, the data version its materialization records
            (instead of the one derived from code and input versions).
        tags: for an asset's output, tags added to its materialization.

    Example:
        ``yield Output(rows, "cleaned", metadata={"rows": len(rows)})``
    """

    __slots__ = ("_metadata", "_raw_metadata", "data_version", "output_name", "tags", "value")

    def __init__(
        self,
        value: T,
        output_name: str = DEFAULT_OUTPUT,
        metadata: Mapping[str, Any] | None = None,
        data_version: Any = None,
        *,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        self.value = value
        self.output_name = output_name
        self.data_version = data_version
        self.tags = dict(tags) if tags else None
        self._raw_metadata = dict(metadata) if metadata else {}
        self._metadata: dict[str, Any] | None = None

    @property
    def metadata(self) -> dict[str, Any]:
        """The output's metadata, as ``MetadataValue``s (plain values are normalized)."""
        if self._metadata is None:
            if not self._raw_metadata:  # the common case, read on every step's path
                self._metadata = {}
                return self._metadata
            # Here, not at the top: a job whose outputs carry no metadata never loads it.
            from headwater.metadata.normalize import normalize_metadata

            self._metadata = dict(normalize_metadata(self._raw_metadata))
        return self._metadata

    def __repr__(self) -> str:
        return f"Output({self.value!r}, {self.output_name!r})"
