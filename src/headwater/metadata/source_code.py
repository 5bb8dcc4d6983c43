"""Code references as metadata: where an asset's code lives, locally or in source control.

The values live here; the functions that attach them to assets
(``with_source_code_references``, ``link_code_references_to_git``) are in
``headwater.assets.source_code``, a layer up.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Any, ClassVar

from headwater._dataclass import dataclass
from headwater._warnings import beta_warning
from headwater.errors import InvalidMetadataError
from headwater.metadata.values import MetadataValue

__all__ = [
    "CODE_REFERENCES_KEY",
    "AnchorBasedFilePathMapping",
    "CodeReferencesMetadataValue",
    "FilePathMapping",
    "LocalFileCodeReference",
    "UrlCodeReference",
]

CODE_REFERENCES_KEY = "dagster/code_references"
"""The definition metadata key holding an asset's code references (Dagster's spelling)."""


def _optional(kind: str, name: str, value: object, expected: type) -> None:
    if value is not None and not isinstance(value, expected):
        raise InvalidMetadataError(
            f"{kind} {name} must be a {expected.__name__} or None, got {value!r}"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalFileCodeReference:
    """A place in a local file: its path and, optionally, a line and a label."""

    file_path: str
    line_number: int | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        beta_warning("Class `LocalFileCodeReference`", stacklevel=4)
        if not isinstance(self.file_path, str):
            raise InvalidMetadataError(
                f"LocalFileCodeReference file_path must be a str, got {self.file_path!r}"
            )
        _optional("LocalFileCodeReference", "line_number", self.line_number, int)
        _optional("LocalFileCodeReference", "label", self.label, str)

    @property
    def source(self) -> str:
        """``path:line``, or the path alone without a line."""
        return f"{self.file_path}:{self.line_number}" if self.line_number else self.file_path


@dataclass(frozen=True, slots=True, kw_only=True)
class UrlCodeReference:
    """A link to code, e.g. a file in source control, with an optional label."""

    url: str
    label: str | None = None

    def __post_init__(self) -> None:
        beta_warning("Class `UrlCodeReference`", stacklevel=4)
        if not isinstance(self.url, str):
            raise InvalidMetadataError(f"UrlCodeReference url must be a str, got {self.url!r}")
        _optional("UrlCodeReference", "label", self.label, str)

    @property
    def source(self) -> str:
        """The url."""
        return self.url


CodeReference = LocalFileCodeReference | UrlCodeReference


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeReferencesMetadataValue(MetadataValue):
    """Where an asset's code lives (wire type ``code_references``)."""

    code_references: list[CodeReference] = field(default_factory=list)
    type_name: ClassVar[str] = "code_references"

    def __post_init__(self) -> None:
        beta_warning("Class `CodeReferencesMetadataValue`", stacklevel=4)
        refs: object = self.code_references
        if not isinstance(refs, (list, tuple)) or not all(
            isinstance(r, (LocalFileCodeReference, UrlCodeReference)) for r in refs
        ):
            raise InvalidMetadataError(
                "CodeReferencesMetadataValue code_references must be a list of "
                f"LocalFileCodeReference or UrlCodeReference, got {refs!r}"
            )
        object.__setattr__(self, "code_references", list(refs))

    @property
    def value(self) -> CodeReferencesMetadataValue:
        return self

    def to_raw(self) -> dict[str, Any]:
        """``{"code_references": [{"file_path": ..., ...} | {"url": ..., ...}]}``."""
        out: list[dict[str, Any]] = []
        for ref in self.code_references:
            if isinstance(ref, LocalFileCodeReference):
                out.append(
                    {"file_path": ref.file_path, "line_number": ref.line_number, "label": ref.label}
                )
            else:
                out.append({"url": ref.url, "label": ref.label})
        return {"code_references": out}

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> CodeReferencesMetadataValue:
        """Read back :meth:`to_raw`'s form."""
        refs: list[CodeReference] = [
            UrlCodeReference(**r) if "url" in r else LocalFileCodeReference(**r)
            for r in raw["code_references"]
        ]
        return cls(code_references=refs)

    __hash__ = None  # type: ignore[assignment]  # holds a list


class FilePathMapping(ABC):
    """Maps a local file path to its path in a source control repository (in beta)."""

    def __init__(self) -> None:
        beta_warning("Class `FilePathMapping`")

    @abstractmethod
    def convert_to_source_control_path(self, local_path: Path) -> str:
        """The repository-relative path of ``local_path``."""


@dataclass
class AnchorBasedFilePathMapping(FilePathMapping):
    """Maps paths relative to one anchor known both locally and in the repository.

    Example:
        ``AnchorBasedFilePathMapping(local_file_anchor=Path(__file__),
        file_anchor_path_in_repository="src/my_pkg/__init__.py")``
    """

    local_file_anchor: Path
    file_anchor_path_in_repository: str

    def __post_init__(self) -> None:
        beta_warning("Class `AnchorBasedFilePathMapping`", stacklevel=4)

    def convert_to_source_control_path(self, local_path: Path) -> str:
        """The anchor's repository path joined with ``local_path`` relative to the anchor."""
        relative = os.path.relpath(local_path, self.local_file_anchor)
        return os.path.normpath(os.path.join(self.file_anchor_path_in_repository, relative))
