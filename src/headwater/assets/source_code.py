"""Attaching code references to assets: their function's file and line, or links to git.

``with_source_code_references`` records the file and line of each asset's function under
the ``dagster/code_references`` metadata key; ``link_code_references_to_git`` turns those
local references into links to a GitHub or GitLab branch. The metadata values themselves
are in ``headwater.metadata.source_code``.
"""

from __future__ import annotations

import copy
import inspect
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from headwater._warnings import beta_warning
from headwater.assets.definition import AssetsDefinition
from headwater.errors import InvalidMetadataError
from headwater.metadata.source_code import (
    CODE_REFERENCES_KEY,
    CodeReference,
    CodeReferencesMetadataValue,
    FilePathMapping,
    LocalFileCodeReference,
    UrlCodeReference,
)

__all__ = ["link_code_references_to_git", "with_source_code_references"]

T = TypeVar("T")


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
        if not isinstance(definition, AssetsDefinition) or len(definition.ops) != 1:
            out.append(definition)
            continue
        ref = _local_reference(definition.ops[0].compute_fn)
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
