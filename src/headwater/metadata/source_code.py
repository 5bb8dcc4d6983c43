"""Code references: where an asset's code lives, locally or in source control.

``with_source_code_references`` records the file and line of each asset's function under
the ``dagster/code_references`` metadata key; ``link_code_references_to_git`` turns those
local references into links to a GitHub or GitLab branch.
"""

from __future__ import annotations

import copy
import inspect
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from headwater._warnings import beta_warning
from headwater.assets.definition import AssetsDefinition
from headwater.errors import InvalidMetadataError
from headwater.metadata.values import MetadataValue

__all__ = [
    "CODE_REFERENCES_KEY",
    "AnchorBasedFilePathMapping",
    "CodeReferencesMetadataValue",
    "FilePathMapping",
    "LocalFileCodeReference",
    "UrlCodeReference",
    "link_code_references_to_git",
    "with_source_code_references",
]

CODE_REFERENCES_KEY = "dagster/code_references"
"""The definition metadata key holding an asset's code references (Dagster's spelling)."""

T = TypeVar("T")


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


def _references_of(metadata: Any) -> list[CodeReference]:
    value = metadata.get(CODE_REFERENCES_KEY) if metadata else None
    return list(value.code_references) if isinstance(value, CodeReferencesMetadataValue) else []


def _with_references(definition: AssetsDefinition, refs_for: Any) -> AssetsDefinition:
    specs = {}
    for name, spec in definition.specs_by_output.items():
        refs = refs_for(spec.metadata)
        if refs is None:
            specs[name] = spec
            continue
        metadata = {
            **spec.metadata,
            CODE_REFERENCES_KEY: CodeReferencesMetadataValue(code_references=refs),
        }
        specs[name] = spec.replace_attributes(metadata=metadata)
    twin = copy.copy(definition)
    twin.specs_by_output = specs
    return twin


def _local_reference(fn: Any) -> LocalFileCodeReference:
    source = inspect.getsourcefile(fn)
    if source is None:
        raise InvalidMetadataError(f"cannot find the source file of {fn!r}")
    return LocalFileCodeReference(
        file_path=os.path.abspath(os.path.join(os.getcwd(), source)),
        line_number=inspect.getsourcelines(fn)[1],
    )


def with_source_code_references(assets_defs: Sequence[T]) -> Sequence[T]:
    """Copies of ``assets_defs`` whose assets name the file and line of their function.

    The reference is appended to any already under ``dagster/code_references``; specs and
    external assets are returned as given.
    """
    beta_warning("Function `with_source_code_references`")
    out: list[Any] = []
    for definition in assets_defs:
        if not isinstance(definition, AssetsDefinition) or definition.op is None:
            out.append(definition)
            continue
        ref = _local_reference(definition.op.compute_fn)
        out.append(_with_references(definition, lambda md, ref=ref: [*_references_of(md), ref]))
    return out


def _base_git_url(url: str, branch: str, platform: str | None) -> str:
    if platform is None:
        if "gitlab" in url:
            platform = "gitlab"
        elif "github" in url:
            platform = "github"
        else:
            raise ValueError(
                f"cannot tell the source control platform of git_url {url!r}; pass "
                "platform='github' or platform='gitlab'"
            )
    if platform == "gitlab":
        return f"{url}/-/tree/{branch}"
    if platform == "github":
        return f"{url}/tree/{branch}"
    raise ValueError(f"platform must be 'github' or 'gitlab', got {platform!r}")


def link_code_references_to_git(
    assets_defs: Sequence[T],
    git_url: str,
    git_branch: str,
    file_path_mapping: FilePathMapping,
    platform: Literal["github", "gitlab"] | None = None,
) -> Sequence[T]:
    """Copies of ``assets_defs`` whose local code references link to ``git_url`` at
    ``git_branch`` (``.../tree/<branch>/<path>#L<line>``); others are left as they are."""
    beta_warning("Function `link_code_references_to_git`")
    base = _base_git_url(git_url, git_branch, platform)

    def linked(ref: CodeReference) -> CodeReference:
        if not isinstance(ref, LocalFileCodeReference):
            return ref
        path = file_path_mapping.convert_to_source_control_path(Path(ref.file_path))
        line = f"#L{ref.line_number}" if ref.line_number else ""
        return UrlCodeReference(url=f"{base}/{path}{line}", label=ref.label)

    def refs_for(md: Any) -> list[CodeReference] | None:
        refs = _references_of(md)
        return [linked(r) for r in refs] if refs else None

    out: list[Any] = []
    for definition in assets_defs:
        if isinstance(definition, AssetsDefinition):
            out.append(_with_references(definition, refs_for))
        else:
            out.append(definition)
    return out
