"""parameters(): a function's parameters as inspect.signature lists them, read faster."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from headwater.jobs._params import Param, parameters


def _by_inspect(fn: Callable[..., Any]) -> list[Param]:
    return [
        Param(p.name, p.kind, p.default, p.annotation)
        for p in inspect.signature(fn).parameters.values()
    ]


def _every_kind(context, a, b=1, *args, c, d=2, **kw):
    return None


def _positional_only(a: int, /, b: str = "x", *, c: float) -> None:
    return None


def _no_params() -> None:
    return None


def _only_kwargs(**inputs: Any) -> None:
    return None


class _Callable:
    def __call__(self, z: int) -> None:
        return None

    def method(self, a: int) -> None:
        return None


@functools.wraps(_positional_only)
def _wrapper(*args: Any, **kwargs: Any) -> None:
    return None


def _with_signature(x: int) -> None:
    return None


_with_signature.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [inspect.Parameter("y", inspect.Parameter.KEYWORD_ONLY)]
)


@pytest.mark.parametrize(
    "fn",
    [
        _every_kind,
        _positional_only,
        _no_params,
        _only_kwargs,
        _Callable(),
        _Callable().method,
        _wrapper,
        _with_signature,
        functools.partial(_every_kind, 1),
        lambda q=[1]: q,  # a default object, compared by identity
    ],
)
def test_parameters_match_inspect_signature(fn: Callable[..., Any]) -> None:
    assert parameters(fn) == _by_inspect(fn)


def test_wrapped_functions_report_the_wrapped_parameters() -> None:
    assert [p.name for p in parameters(_wrapper)] == ["a", "b", "c"]
