"""``AssetSelection``: which assets a job or a run targets, resolved against a graph."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from headwater._warnings import beta_param_warning
from headwater.asset_key import AssetKey
from headwater.assets.definition import AssetsDefinition
from headwater.assets.graph import AssetGraph, coerce_assets
from headwater.assets.spec import AssetSpec
from headwater.errors import InvalidDefinitionError

__all__ = ["AssetSelection", "CoercibleToAssetSelection"]

_Resolver = Callable[[AssetGraph], set[AssetKey]]
_CLAUSE = re.compile(r"^(?P<up>\*|\+*)(?P<body>[^*+]+?)(?P<down>\*|\+*)$")


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


class AssetSelection:
    """A set of assets described by keys, groups and graph relations.

    Combine with ``|`` (union), ``&`` (intersection) and ``-`` (difference); widen with
    ``.upstream()`` and ``.downstream()``. A string in the selection syntax works too:
    ``"*orders"`` (orders and everything upstream), ``"orders+"`` (and one level
    downstream), ``"group:sales"``, ``"key:raw/orders"``; clauses separated by commas or
    spaces are unioned.

    Example:
        ``AssetSelection.groups("sales").downstream() - AssetSelection.keys("report")``
    """

    _resolver: _Resolver
    _text: str
    _identity: object

    def __init__(self) -> None:
        # As in Dagster, where the class is abstract: selections come from its constructors.
        raise TypeError(
            "AssetSelection is not built directly; use its constructors "
            "(AssetSelection.keys(...), .groups(...), .all(), ...)"
        )

    @classmethod
    def _make(cls, resolver: _Resolver, text: str, identity: object = None) -> AssetSelection:
        made = cls.__new__(cls)
        made._resolver = resolver
        made._text = text
        # What equality compares: how the selection was built (the reference's selections
        # are records compared field by field); the text where it says it all.
        made._identity = text if identity is None else identity
        return made

    def resolve(self, assets: AssetGraph | Iterable[Any]) -> set[AssetKey]:
        """The keys selected among ``assets`` (a graph, or definitions and specs)."""
        graph = assets if isinstance(assets, AssetGraph) else AssetGraph(coerce_assets(assets))
        return self._resolver(graph)

    # constructors -------------------------------------------------------------------

    @staticmethod
    def all(include_sources: bool = False) -> AssetSelection:
        """Every materializable asset (external and observable source assets too with
        ``include_sources``)."""
        if include_sources:
            return AssetSelection._make(lambda g: g.all_keys, "*", ("all", True))
        return AssetSelection._make(lambda g: g.materializable_keys, "*", ("all", False))

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
        text = ", ".join(k.to_user_string() for k in resolved)
        return AssetSelection._make(lambda g: _check_known(g, resolved), text, ("keys", *resolved))

    @staticmethod
    def groups(*names: str) -> AssetSelection:
        """Every materializable asset in these groups."""
        wanted = set(names)
        return AssetSelection._make(
            lambda g: {k for k in g.materializable_keys if g.group_of(k) in wanted},
            ", ".join(f"group:{n}" for n in names),
        )

    @staticmethod
    def key_prefixes(*prefixes: str | Sequence[str]) -> AssetSelection:
        """Every asset whose key starts with one of these prefixes."""
        parts = [[p] if isinstance(p, str) else list(p) for p in prefixes]
        return AssetSelection._make(
            lambda g: {k for k in g.all_keys if any(k.has_prefix(p) for p in parts)},
            ", ".join("/".join(p) for p in parts),
        )

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

        def resolve(g: AssetGraph) -> set[AssetKey]:
            base = self._resolver(g)
            found = g.upstream_closure(base, depth) & g.materializable_keys | base
            return found if include_self else found - base

        identity = ("upstream", self._identity, depth, include_self)
        return AssetSelection._make(resolve, f"upstream({self._text})", identity)

    def downstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        """This selection and what is downstream of it (``depth`` levels, or all)."""

        def resolve(g: AssetGraph) -> set[AssetKey]:
            base = self._resolver(g)
            found = g.downstream_closure(base, depth)
            return found if include_self else found - base

        identity = ("downstream", self._identity, depth, include_self)
        return AssetSelection._make(resolve, f"downstream({self._text})", identity)

    def __or__(self, other: AssetSelection) -> AssetSelection:
        return AssetSelection._make(
            lambda g: self._resolver(g) | other._resolver(g),
            f"{self} | {other}",
            ("|", self._identity, other._identity),
        )

    def __and__(self, other: AssetSelection) -> AssetSelection:
        return AssetSelection._make(
            lambda g: self._resolver(g) & other._resolver(g),
            f"{self} & {other}",
            ("&", self._identity, other._identity),
        )

    def __sub__(self, other: AssetSelection) -> AssetSelection:
        return AssetSelection._make(
            lambda g: self._resolver(g) - other._resolver(g),
            f"{self} - {other}",
            ("-", self._identity, other._identity),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetSelection) and self._identity == other._identity

    def __hash__(self) -> int:
        return hash(self._identity)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"AssetSelection({self._text!r})"


def _clause(text: str) -> AssetSelection:
    if text == "*":  # every asset, as in the reference's selection syntax (which warns so)
        beta_param_warning("include_sources", "function `AssetSelection.all`", stacklevel=4)
        return AssetSelection.all()
    match = _CLAUSE.match(text)
    if match is None:
        raise InvalidDefinitionError(
            f"cannot parse asset selection {text!r}; write e.g. '*orders', 'orders+', "
            "'group:sales' or 'key:raw/orders'"
        )
    body = match["body"]
    if body.startswith("group:"):
        base = AssetSelection.groups(body[len("group:") :])
    else:
        base = AssetSelection.keys(body.removeprefix("key:"))
    up, down = match["up"], match["down"]
    if up:
        base = base.upstream(None if up == "*" else len(up))
    if down:
        base = base.downstream(None if down == "*" else len(down))
    return base


CoercibleToAssetSelection = Union[AssetSelection, str, Sequence[Any]]  # noqa: UP007 - runtime alias
