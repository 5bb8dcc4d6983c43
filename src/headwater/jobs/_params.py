"""A function's parameters, read from its code object when ``inspect.signature`` would
say nothing more.

``inspect.signature`` builds a ``Signature`` and a ``Parameter`` per argument through a
general path (wrappers, partials, builtins, classes); for the plain functions decorated in
their thousands (a module of assets) that was a third of decorating one, and most of the
objects the garbage collector then walked.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import FunctionType
from typing import Any, NamedTuple

__all__ = ["Param", "parameters"]

_POSITIONAL_ONLY = inspect.Parameter.POSITIONAL_ONLY
_POSITIONAL_OR_KEYWORD = inspect.Parameter.POSITIONAL_OR_KEYWORD
_VAR_POSITIONAL = inspect.Parameter.VAR_POSITIONAL
_KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY
_VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD
_EMPTY = inspect.Parameter.empty
_CO_VARARGS = inspect.CO_VARARGS
_CO_VARKEYWORDS = inspect.CO_VARKEYWORDS


class Param(NamedTuple):
    """What an op needs of one parameter (``inspect.Parameter``'s names)."""

    name: str
    kind: inspect._ParameterKind
    default: Any
    annotation: Any


def parameters(fn: Callable[..., Any]) -> list[Param]:
    """``fn``'s parameters in signature order, as ``inspect.signature`` lists them."""
    if (
        type(fn) is not FunctionType
        or "__wrapped__" in fn.__dict__
        or "__signature__" in (fn.__dict__)
    ):
        return [
            Param(p.name, p.kind, p.default, p.annotation)
            for p in inspect.signature(fn).parameters.values()
        ]
    code = fn.__code__
    names = code.co_varnames
    positional, kw_only = code.co_argcount, code.co_kwonlyargcount
    annotations = fn.__annotations__
    defaults = fn.__defaults__ or ()
    kw_defaults = fn.__kwdefaults__ or {}
    first_default = positional - len(defaults)
    params = [
        Param(
            name,
            _POSITIONAL_ONLY if i < code.co_posonlyargcount else _POSITIONAL_OR_KEYWORD,
            defaults[i - first_default] if i >= first_default else _EMPTY,
            annotations.get(name, _EMPTY),
        )
        for i, name in enumerate(names[:positional])
    ]
    # co_varnames: positional, keyword-only, then the *args and **kwargs names.
    extra = positional + kw_only
    if code.co_flags & _CO_VARARGS:
        name = names[extra]
        params.append(Param(name, _VAR_POSITIONAL, _EMPTY, annotations.get(name, _EMPTY)))
        extra += 1
    for name in names[positional : positional + kw_only]:
        params.append(
            Param(name, _KEYWORD_ONLY, kw_defaults.get(name, _EMPTY), annotations.get(name, _EMPTY))
        )
    if code.co_flags & _CO_VARKEYWORDS:
        name = names[extra]
        params.append(Param(name, _VAR_KEYWORD, _EMPTY, annotations.get(name, _EMPTY)))
    return params
