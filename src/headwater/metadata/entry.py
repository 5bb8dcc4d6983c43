"""``MetadataEntry``: a labelled metadata value, the legacy form of one metadata dict item.

Metadata is given as a dict (``{"rows": 10}``) everywhere now; the entry remains so code
written against the old API still constructs and reads its entries.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

from headwater._warnings import deprecated_param_warning
from headwater.errors import InvalidInvocationError
from headwater.metadata.normalize import normalize_metadata_value
from headwater.metadata.values import MetadataValue

__all__ = ["MetadataEntry"]


class _EntryFields(NamedTuple):
    label: str
    description: str | None
    entry_data: MetadataValue


class MetadataEntry(_EntryFields):
    """A metadata value with a label and an optional description (a named tuple).

    Args:
        label: the short label shown with the value.
        description: a longer explanation.
        entry_data: the value (the old name of ``value``; give one of the two).
        value: the value: a ``MetadataValue`` or a plain value, normalized as metadata
            dicts are (``1`` becomes an ``IntMetadataValue``, ``None`` a null value).

    Raises:
        InvalidInvocationError: the label is not a str, or both ``value`` and
            ``entry_data`` are given.
        InvalidMetadataError: the value has a type metadata cannot hold.
    """

    def __new__(
        cls,
        label: str,
        description: str | None = None,
        entry_data: Any = None,
        value: Any = None,
    ) -> MetadataEntry:
        warnings.warn(
            "Class `MetadataEntry` is deprecated and will be removed in 2.0. Please use a dict "
            "with `MetadataValue` values instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        if entry_data is not None:
            deprecated_param_warning(
                "entry_data",
                "initializer `MetadataEntry.__init__`",
                breaking_version="2.0",
                hint="Use `value` instead.",
            )
            if value is not None:
                raise InvalidInvocationError(
                    f"MetadataEntry {label!r}: give value=, not both value= and its old name "
                    "entry_data="
                )
            value = entry_data
        if not isinstance(label, str):
            raise InvalidInvocationError(
                f"MetadataEntry: label must be a str, got {type(label).__name__} {label!r}"
            )
        if description is not None and not isinstance(description, str):
            raise InvalidInvocationError(
                f"MetadataEntry {label!r}: description must be a str or None, got "
                f"{type(description).__name__}"
            )
        normalized = normalize_metadata_value(value, key=label)
        return super().__new__(cls, label, description, normalized)

    @property
    def value(self) -> MetadataValue:
        """The value (``entry_data`` under its current name)."""
        return self.entry_data
