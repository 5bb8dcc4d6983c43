"""What a class really accepts when ``inspect.signature`` shows only ``(*args, **kwargs)``.

Records built by ``dagster_shared.record`` generate their ``__new__`` on first call, a
class decorator may hide an ``object()`` constructor behind a wrapper, and errors read
their keywords out of ``**kwargs`` (``kwargs.pop("step_key")``). For those the signature
says nothing; this module finds the parameters the class takes instead:

- a record: its fields, in order, with their defaults (keyword-only when the record is);
  a record with a hand-written ``__new__``: that ``__new__``'s parameters;
- a class whose ``__init__`` and ``__new__`` are ``object``'s: no parameters;
- an exception: its own ``__init__``'s named parameters, ``*args`` (the message), then
  every keyword an ``__init__`` up the class chain reads from ``**kwargs``, keyword-only.

Standard library only (``dagster_shared`` is imported when present), so it serves the
snapshot script and the parity harness in either interpreter.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

__all__ = ["accepted_parameters", "is_opaque"]

Param = tuple[str, str, Any]  # (name, kind name, default or inspect.Parameter.empty)
EMPTY = inspect.Parameter.empty


def is_opaque(parameters: list[inspect.Parameter]) -> bool:
    """Whether a signature hides what it accepts behind ``*args`` or a lone ``**kwargs``."""
    kinds = {p.kind for p in parameters}
    return inspect.Parameter.VAR_POSITIONAL in kinds or (
        inspect.Parameter.VAR_KEYWORD in kinds and len(parameters) == 1
    )


def accepted_parameters(value: Any) -> tuple[list[Param], str] | None:
    """The parameters `value` (a class) really accepts, and the rule that found them; ``None``
    when its signature is not opaque or no rule applies."""
    if not isinstance(value, type):
        return None
    try:
        parameters = list(inspect.signature(value).parameters.values())
    except (TypeError, ValueError):
        return None
    if not is_opaque(parameters):
        return None
    for rule in (_record, _object, _init_chain):
        found = rule(value)
        if found is not None:
            return found
    return None


def _record(cls: type) -> tuple[list[Param], str] | None:
    try:
        from dagster_shared import record  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    if not record.is_record(cls):
        return None
    original = record.get_original_class(cls)
    if "__new__" in vars(original):  # a hand-written __new__ is the constructor
        params = list(inspect.signature(vars(original)["__new__"]).parameters.values())[1:]
        return [(p.name, p.kind.name, p.default) for p in params], "record __new__"
    defaults = record.get_record_defaults(cls)
    kind = "KEYWORD_ONLY" if getattr(cls, "__kw_only__", False) else "POSITIONAL_OR_KEYWORD"
    fields = [(n, kind, defaults.get(n, EMPTY)) for n in record.get_record_annotations(cls)]
    return fields, "record fields"


def _object(cls: type) -> tuple[list[Param], str] | None:
    init: Any = inspect.unwrap(getattr(cls, "__init__"))  # noqa: B009  # typed as Any
    new: Any = getattr(cls, "__new__", None)
    if init is object.__init__ and new is object.__new__:
        return [], "object() constructor"
    return None


def _init_chain(cls: type) -> tuple[list[Param], str] | None:
    # **kwargs itself is dropped: the builtin exception at the end of the chain rejects
    # keywords, so only the keywords an __init__ reads are accepted.
    if not issubclass(cls, BaseException):
        return None
    inits = [
        vars(c)["__init__"] for c in cls.__mro__ if inspect.isfunction(vars(c).get("__init__"))
    ]
    if not inits:
        return None
    own = list(inspect.signature(inits[0]).parameters.values())[1:]
    named = [
        (p.name, p.kind.name, p.default)
        for p in own
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    keywords: list[str] = []
    for function in inits:
        keywords += [k for k in _kwargs_read(function) if k not in keywords]
    return (
        [*named, ("args", "VAR_POSITIONAL", EMPTY)]
        + [(k, "KEYWORD_ONLY", EMPTY) for k in keywords],
        "keywords read by __init__",
    )


def _kwargs_read(function: Any) -> list[str]:
    """The keywords a function takes out of its ``**kwargs``: ``kwargs.pop("x")``,
    ``kwargs.get("x")``, ``kwargs["x"]``."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return []
    read: list[str] = []
    for node in ast.walk(tree):
        key: ast.expr | None = None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"pop", "get"}
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "kwargs"
            and node.args
        ):
            key = node.args[0]
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "kwargs"
        ):
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in read:
            read.append(key.value)
    return read
