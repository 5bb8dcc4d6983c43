"""The kinds of ``AssetSelection``: what each selects and how it prints.

Each kind is named and printed as Dagster's (``KeysAssetSelection(selected_keys=[...])``),
and says itself in the selection syntax the way Dagster does (``key:"a" or key:"b"``,
``+group:"g"``, ``key:"a" and not key:"b"``), so conditions that embed a selection in
their names read the same in both.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from headwater.asset_key import AssetKey
from headwater.assets.graph import AssetGraph
from headwater.assets.selection import AssetSelection
from headwater.errors import InvalidDefinitionError

__all__ = [
    "AllSelection",
    "AndAssetSelection",
    "DownstreamAssetSelection",
    "GroupsAssetSelection",
    "KeyPrefixesAssetSelection",
    "KeySubstringAssetSelection",
    "KeysAssetSelection",
    "MaterializableAssetSelection",
    "OrAssetSelection",
    "RootsAssetSelection",
    "SinksAssetSelection",
    "SubtractAssetSelection",
    "TagAssetSelection",
    "UpstreamAssetSelection",
]


def _check_known(graph: AssetGraph, keys: Iterable[AssetKey]) -> set[AssetKey]:
    result = set(keys)
    unknown = result - graph.all_keys
    if unknown:
        names = [k.to_user_string() for k in graph.all_keys]
        details = []
        for key in sorted(unknown):
            close = difflib.get_close_matches(key.to_user_string(), names, n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            details.append(f"'{key.to_user_string()}'{hint}")
        raise InvalidDefinitionError(f"asset selection names unknown assets: {', '.join(details)}")
    return result


def _base_keys(graph: AssetGraph, include_sources: bool) -> set[AssetKey]:
    return graph.all_keys if include_sources else graph.materializable_keys


class AllSelection(AssetSelection):
    _FIELDS = ("include_sources",)
    include_sources: bool

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        return set(_base_keys(graph, self.include_sources))

    def _selection_text(self) -> str | None:
        return "*"


class KeysAssetSelection(AssetSelection):
    _FIELDS = ("selected_keys",)
    selected_keys: list[AssetKey]

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        return _check_known(graph, self.selected_keys)

    def _needs_parentheses(self) -> bool:
        return len(self.selected_keys) > 1

    def _selection_text(self) -> str | None:
        # Unquoted and unescaped inside the quotes, as Dagster prints them.
        return " or ".join(f'key:"{k.to_user_string()}"' for k in self.selected_keys)


class GroupsAssetSelection(AssetSelection):
    _FIELDS = ("selected_groups", "include_sources")
    selected_groups: list[str]
    include_sources: bool

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        wanted = set(self.selected_groups)
        return {k for k in _base_keys(graph, self.include_sources) if graph.group_of(k) in wanted}

    def _needs_parentheses(self) -> bool:
        return len(self.selected_groups) > 1

    def _selection_text(self) -> str | None:
        if not self.selected_groups:
            return "group:<null>"
        return " or ".join(f'group:"{g}"' for g in self.selected_groups)


class KeyPrefixesAssetSelection(AssetSelection):
    """Has no selection-syntax text (nor in Dagster): its str is its repr."""

    _FIELDS = ("selected_key_prefixes", "include_sources")
    selected_key_prefixes: list[list[str]]
    include_sources: bool

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        prefixes = self.selected_key_prefixes
        return {
            k
            for k in _base_keys(graph, self.include_sources)
            if any(k.has_prefix(p) for p in prefixes)
        }


class KeySubstringAssetSelection(AssetSelection):
    _FIELDS = ("selected_key_substring", "include_sources")
    selected_key_substring: str
    include_sources: bool

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        part = self.selected_key_substring
        return {k for k in _base_keys(graph, self.include_sources) if part in k.to_user_string()}

    def _selection_text(self) -> str | None:
        return f'key_substring:"{self.selected_key_substring}"'


class TagAssetSelection(AssetSelection):
    _FIELDS = ("key", "value", "include_sources")
    key: str
    value: str
    include_sources: bool

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        return {
            k
            for k in _base_keys(graph, self.include_sources)
            if graph.get(k).spec.tags.get(self.key) == self.value
        }

    def _selection_text(self) -> str | None:
        if self.value:
            return f'tag:"{self.key}"="{self.value}"'
        return f'tag:"{self.key}"'


class _Within(AssetSelection):
    """What a child selection's assets are, among themselves (its sinks, its roots)."""

    _FIELDS = ("child",)
    child: AssetSelection
    _WORD = ""

    def _selection_text(self) -> str | None:
        child = self.child._selection_text()
        return None if child is None else f"{self._WORD}({child})"


class SinksAssetSelection(_Within):
    _WORD = "sinks"

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        within = self.child._resolve(graph)
        # Downstream at any depth, not only children: a sink may reach the selection again
        # through assets outside it.
        return {k for k in within if not (graph.downstream_closure({k}) - {k}) & within}


class RootsAssetSelection(_Within):
    _WORD = "roots"

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        within = self.child._resolve(graph)
        return {k for k in within if not (graph.upstream_closure({k}) - {k}) & within}


class MaterializableAssetSelection(AssetSelection):
    """Has no selection-syntax text (nor in Dagster): its str is its repr."""

    _FIELDS = ("child",)
    child: AssetSelection

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        return self.child._resolve(graph) & graph.materializable_keys


class _Relation(AssetSelection):
    """Upstream or downstream of a child selection, ``depth`` levels (None: all)."""

    _FIELDS = ("child", "depth", "include_self")
    child: AssetSelection
    depth: int | None
    include_self: bool

    def _around(self, child_text: str) -> str:
        raise NotImplementedError

    def _selection_text(self) -> str | None:
        child = self.child._operand_text()
        if child is None:
            return None
        text = child if self.depth == 0 else self._around(child)
        return text if self.include_self else f"{text} and not {child}"


class UpstreamAssetSelection(_Relation):
    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        base = self.child._resolve(graph)
        found = graph.upstream_closure(base, self.depth) & graph.materializable_keys | base
        return found if self.include_self else found - base

    def _around(self, child_text: str) -> str:
        return f"+{child_text}" if self.depth is None else f"{self.depth}+{child_text}"


class DownstreamAssetSelection(_Relation):
    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        base = self.child._resolve(graph)
        found = graph.downstream_closure(base, self.depth)
        return found if self.include_self else found - base

    def _around(self, child_text: str) -> str:
        return f"{child_text}+" if self.depth is None else f"{child_text}+{self.depth}"


class _Operands(AssetSelection):
    _FIELDS = ("operands",)
    operands: list[AssetSelection]
    _WORD = ""

    def _needs_parentheses(self) -> bool:
        return True

    def _selection_text(self) -> str | None:
        texts = [operand._operand_text() for operand in self.operands]
        if any(text is None for text in texts):
            return None
        return f" {self._WORD} ".join(text for text in texts if text is not None)


class OrAssetSelection(_Operands):
    _WORD = "or"

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        return set().union(*(operand._resolve(graph) for operand in self.operands))


class AndAssetSelection(_Operands):
    _WORD = "and"

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        first, *rest = (operand._resolve(graph) for operand in self.operands)
        return first.intersection(*rest)


class SubtractAssetSelection(AssetSelection):
    _FIELDS = ("left", "right")
    left: AssetSelection
    right: AssetSelection

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        return self.left._resolve(graph) - self.right._resolve(graph)

    def _needs_parentheses(self) -> bool:
        return True

    def _selection_text(self) -> str | None:
        if isinstance(self.left, AllSelection):
            # Dagster prints the right side bare here, so 'not key:"a" or key:"b"' for
            # all() - keys("a", "b"): kept, as the text is what conditions are named by.
            return None if (right := self.right._selection_text()) is None else f"not {right}"
        left, right = self.left._operand_text(), self.right._operand_text()
        if left is None or right is None:
            return None
        return f"{left} and not {right}"
