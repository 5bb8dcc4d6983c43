"""``AssetSelection``: which assets a job or a run targets, resolved against a graph.

A selection is a small tree of kinds (keys, groups, upstream of..., unions, ...), as in
Dagster, so that its ``str`` is the selection-syntax text Dagster prints (and embeds in
condition names such as ``ANY_DEPS_MATCH(allow_selection=group:"g")``) and its ``repr`` is
the record Dagster shows. The kinds live in ``selection_kinds``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar, Union

from headwater._warnings import beta_param_warning
from headwater.asset_key import AssetKey
from headwater.assets.definition import AssetsDefinition
from headwater.assets.graph import AssetGraph, coerce_assets
from headwater.assets.spec import AssetSpec
from headwater.errors import InvalidDefinitionError

__all__ = ["AssetSelection", "CoercibleToAssetSelection"]

_S = TypeVar("_S", bound="AssetSelection")
_CLAUSE = re.compile(r"^(?P<up>\*|\+*)(?P<body>[^*+]+?)(?P<down>\*|\+*)$")
# The depth a '*' clause stands for, as in Dagster's clause parser (so str shows it the same).
_UNBOUNDED_DEPTH = sys.maxsize


class AssetSelection:
    """A set of assets described by keys, groups, tags and graph relations.

    Combine with ``|`` (union), ``&`` (intersection) and ``-`` (difference); widen with
    ``.upstream()`` and ``.downstream()``. A string in the selection syntax works too:
    ``"*orders"`` (orders and everything upstream), ``"orders+"`` (and one level
    downstream), ``"group:sales"``, ``"key:raw/orders"``, ``"tag:team=data"``; clauses
    separated by commas or spaces are unioned.

    ``str(selection)`` is its selection-syntax text (``key:"a" or group:"g"``), or its
    ``repr`` for a kind that has none (key prefixes), as in Dagster.

    Example:
        ``AssetSelection.groups("sales").downstream() - AssetSelection.keys("report")``
    """

    # The names of the fields a kind is made of: its repr and its equality.
    _FIELDS: tuple[str, ...] = ()

    def __init__(self) -> None:
        # As in Dagster, where the class is abstract: selections come from its constructors.
        raise TypeError(
            "AssetSelection is not built directly; use its constructors "
            "(AssetSelection.keys(...), .groups(...), .all(), ...)"
        )

    @classmethod
    def _new(cls: type[_S], **fields: Any) -> _S:
        made = object.__new__(cls)
        made.__dict__.update(fields)
        return made

    def resolve(self, assets: AssetGraph | Iterable[Any]) -> set[AssetKey]:
        """The keys selected among ``assets`` (a graph, or definitions and specs)."""
        graph = assets if isinstance(assets, AssetGraph) else AssetGraph(coerce_assets(assets))
        return self._resolve(graph)

    def _resolve(self, graph: AssetGraph) -> set[AssetKey]:
        raise NotImplementedError(type(self).__name__)

    def _selection_text(self) -> str | None:
        """The selection-syntax text, or None for a kind the syntax cannot say."""
        return None

    def _needs_parentheses(self) -> bool:
        """Whether the text needs parentheses as an operand of a larger expression."""
        return False

    def _operand_text(self) -> str | None:
        text = self._selection_text()
        if text is None or not self._needs_parentheses():
            return text
        return f"({text})"

    # constructors -------------------------------------------------------------------

    @staticmethod
    def all(include_sources: bool = False) -> AssetSelection:
        """Every materializable asset (external and observable source assets too with
        ``include_sources``)."""
        return _kinds.AllSelection._new(include_sources=include_sources)

    @staticmethod
    def assets(*defs: Any) -> AssetSelection:
        """The assets of these definitions (or keys)."""
        keys: list[AssetKey] = []
        for item in defs:
            if isinstance(item, AssetsDefinition):
                keys.extend(item.keys)
            elif isinstance(item, AssetSpec):
                keys.append(item.key)
            else:
                keys.append(AssetKey.from_coercible(item))
        return AssetSelection.keys(*keys)

    @staticmethod
    def keys(*keys: Any) -> AssetSelection:
        """These keys (``AssetKey``, ``"a/b"`` strings or lists of parts)."""
        resolved = [AssetKey.from_coercible(k) for k in keys]
        return _kinds.KeysAssetSelection._new(selected_keys=resolved)

    @staticmethod
    def groups(*names: str, include_sources: bool = False) -> AssetSelection:
        """Every materializable asset in these groups (external assets too with
        ``include_sources``)."""
        if include_sources:
            beta_param_warning("include_sources", "function `AssetSelection.groups`")
        return _kinds.GroupsAssetSelection._new(
            selected_groups=list(names), include_sources=include_sources
        )

    @staticmethod
    def key_prefixes(
        *prefixes: str | Sequence[str], include_sources: bool = False
    ) -> AssetSelection:
        """Every materializable asset whose key starts with one of these prefixes (external
        assets too with ``include_sources``)."""
        if include_sources:
            beta_param_warning("include_sources", "function `AssetSelection.key_prefixes`")
        parts = [[p] if isinstance(p, str) else list(p) for p in prefixes]
        return _kinds.KeyPrefixesAssetSelection._new(
            selected_key_prefixes=parts, include_sources=include_sources
        )

    @staticmethod
    def key_substring(key_substring: str, include_sources: bool = False) -> AssetSelection:
        """Every materializable asset whose key, as ``"a/b"``, contains ``key_substring``
        (external assets too with ``include_sources``)."""
        if include_sources:
            beta_param_warning("include_sources", "function `AssetSelection.key_substring`")
        return _kinds.KeySubstringAssetSelection._new(
            selected_key_substring=key_substring, include_sources=include_sources
        )

    @staticmethod
    def tag(key: str, value: str, include_sources: bool = False) -> AssetSelection:
        """Every materializable asset whose tag ``key`` is ``value`` (external assets too
        with ``include_sources``)."""
        if include_sources:
            beta_param_warning("include_sources", "function `AssetSelection.tag`")
        return _kinds.TagAssetSelection._new(key=key, value=value, include_sources=include_sources)

    @staticmethod
    def tag_string(string: str, include_sources: bool = False) -> AssetSelection:
        """``"key=value"`` (or ``"key"``, for an empty value) as ``AssetSelection.tag``."""
        if include_sources:
            beta_param_warning("include_sources", "function `AssetSelection.tag_string`")
        parts = string.split("=")
        if len(parts) > 2:
            raise InvalidDefinitionError(
                f"Invalid tag selection string: {string}. Must have no more than one '='."
            )
        key, value = (parts[0], "") if len(parts) == 1 else (parts[0], parts[1])
        return _kinds.TagAssetSelection._new(key=key, value=value, include_sources=include_sources)

    @staticmethod
    def from_string(text: str) -> AssetSelection:
        """Parse the selection syntax (see the class docstring)."""
        clauses = [c for c in re.split(r"[,\s]+", text.strip()) if c]
        if not clauses:
            raise InvalidDefinitionError("an empty asset selection string selects nothing")
        selection = _clause(clauses[0])
        for clause in clauses[1:]:
            selection = selection | _clause(clause)
        return selection

    @staticmethod
    def from_coercible(value: CoercibleToAssetSelection) -> AssetSelection:
        """A selection from a selection, a string, or a list of strings/keys/definitions."""
        if isinstance(value, AssetSelection):
            return value
        if isinstance(value, str):
            return AssetSelection.from_string(value)
        items = list(value)
        if all(isinstance(i, str) for i in items):
            return AssetSelection.from_string(",".join(items))
        return AssetSelection.assets(*items)

    # relations and algebra ------------------------------------------------------------

    def upstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        """This selection and what is upstream of it (``depth`` levels, or all)."""
        return _kinds.UpstreamAssetSelection._new(
            child=self, depth=depth, include_self=include_self
        )

    def downstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        """This selection and what is downstream of it (``depth`` levels, or all)."""
        return _kinds.DownstreamAssetSelection._new(
            child=self, depth=depth, include_self=include_self
        )

    def sinks(self) -> AssetSelection:
        """The assets of this selection with nothing downstream of them in it."""
        return _kinds.SinksAssetSelection._new(child=self)

    def roots(self) -> AssetSelection:
        """The assets of this selection with nothing upstream of them in it."""
        return _kinds.RootsAssetSelection._new(child=self)

    def materializable(self) -> AssetSelection:
        """The assets of this selection that can be materialized (no external assets)."""
        return _kinds.MaterializableAssetSelection._new(child=self)

    def __or__(self, other: AssetSelection) -> AssetSelection:
        kind = _kinds.OrAssetSelection
        return kind._new(operands=_flatten(kind, self, other))

    def __and__(self, other: AssetSelection) -> AssetSelection:
        kind = _kinds.AndAssetSelection
        return kind._new(operands=_flatten(kind, self, other))

    def __sub__(self, other: AssetSelection) -> AssetSelection:
        return _kinds.SubtractAssetSelection._new(left=self, right=other)

    def _field_values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        # Selections compare by kind and fields, as Dagster's records do.
        return type(other) is type(self) and self._field_values() == other._field_values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, _hashable(self._field_values())))

    def __str__(self) -> str:
        text = self._selection_text()
        return repr(self) if text is None else text

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{type(self).__name__}({fields})"


def _flatten(kind: type, *selections: AssetSelection) -> list[AssetSelection]:
    """Operands of a union (intersection), taking those of a nested union (intersection)
    in place, so ``a | b | c`` is one three-way union, as in Dagster."""
    operands: list[AssetSelection] = []
    for selection in selections:
        if type(selection) is kind:
            operands.extend(selection.operands)  # type: ignore[attr-defined]
        else:
            operands.append(selection)
    return operands


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value


def _clause(text: str) -> AssetSelection:
    if text == "*":  # every asset, as in the reference's selection syntax (which warns so)
        beta_param_warning("include_sources", "function `AssetSelection.all`", stacklevel=4)
        return AssetSelection.all()
    if text.startswith("tag:"):
        # Dagster's parser passes include_sources on for tag and group clauses, so warns.
        beta_param_warning("include_sources", "function `AssetSelection.tag`", stacklevel=4)
        return AssetSelection.tag_string(text[len("tag:") :])
    match = _CLAUSE.match(text)
    if match is None:
        raise InvalidDefinitionError(
            f"cannot parse asset selection {text!r}; write e.g. '*orders', 'orders+', "
            "'group:sales', 'key:raw/orders' or 'tag:team=data'"
        )
    body = match["body"]
    if body.startswith("group:"):
        beta_param_warning("include_sources", "function `AssetSelection.groups`", stacklevel=4)
        base = AssetSelection.groups(body[len("group:") :])
    else:
        base = AssetSelection.keys(body.removeprefix("key:"))
    up, down = match["up"], match["down"]
    upstream = base.upstream(_clause_depth(up)) if up else None
    downstream = base.downstream(_clause_depth(down)) if down else None
    # '+a+' is a's parents or its children (not the children of its parents), as in Dagster.
    if upstream is not None and downstream is not None:
        return upstream | downstream
    return upstream or downstream or base


def _clause_depth(marks: str) -> int:
    return _UNBOUNDED_DEPTH if marks == "*" else len(marks)


# The kinds subclass AssetSelection, so they load once it exists; the constructors above
# reach them through the module, at call time.
from headwater.assets import selection_kinds as _kinds  # noqa: E402

CoercibleToAssetSelection = Union[AssetSelection, str, Sequence[Any]]  # noqa: UP007 - runtime alias
