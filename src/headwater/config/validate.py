"""Processing run config against a schema: every problem at once, each with its path.

`process_config` is the one validator both front doors (dict schemas and pydantic
``Config`` classes) share. It never raises for bad values: it collects `ConfigProblem`s and
returns the processed value (defaults filled in, ``{"env": ...}`` resolved) beside them.

Each schema node carries a ``_process(value, path, ctx)`` method; the container nodes
delegate to the functions below so that the walking logic for all of them reads in one
place. This module imports no node classes at run time, which keeps the import graph
acyclic (the nodes import it, not the reverse).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.errors import ConfigProblem, InvalidConfigError

if TYPE_CHECKING:
    from headwater.config.schema import Array, Field, Selector, Shape
    from headwater.config.types import ConfigType
    from headwater.config.wrappers import Map

__all__ = ["ConfigResult", "process_config"]

_MAX_SHOWN = 60


@dataclass(frozen=True, slots=True)
class ConfigResult:
    """The outcome of `process_config`.

    Attributes:
        value: the processed config (defaults filled in, env sources resolved); best effort
            when there are problems.
        problems: every problem found, in document order; empty when the config is valid.
    """

    value: Any
    problems: tuple[ConfigProblem, ...] = ()

    @property
    def success(self) -> bool:
        """Whether the config was valid."""
        return not self.problems

    def value_or_raise(self, subject: str = "run config") -> Any:
        """Return the processed value, or raise if there were problems.

        Args:
            subject: what was validated, for the error's first line (``"run config"``,
                ``"config of resource 'db'"``).

        Returns:
            The processed config value.

        Raises:
            InvalidConfigError: listing every problem with its path.
        """
        if self.problems:
            raise InvalidConfigError.for_problems(
                self.problems, subject=subject, config_value=self.value
            )
        return self.value


class ProcessContext:
    """State shared while walking one value: where env vars come from and what went wrong."""

    __slots__ = ("environ", "problems", "resolve_env")

    def __init__(self, environ: Mapping[str, str] | None, *, resolve_env: bool = True) -> None:
        # os.environ is read here, at processing time, never captured at import: a step's
        # process may have a different environment from the one that defined the job.
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.problems: list[ConfigProblem] = []
        # False while checking a schema's default values: env vars belong to run time.
        self.resolve_env = resolve_env

    def add(self, path: str, message: str, code: str, field_name: str | None = None) -> None:
        """Record one problem (``field_name``: the field missing or not expected)."""
        self.problems.append(ConfigProblem(path, message, code, field_name))

    def wrong_type(self, path: str, expected: str, value: object) -> None:
        """Record that `value` is not of the `expected` type."""
        self.add(path, f"expected {expected}, got {describe_value(value)}", "wrong_type")


def process_config(
    config_type: ConfigType,
    value: object,
    *,
    path: str = "",
    environ: Mapping[str, str] | None = None,
) -> ConfigResult:
    """Validate `value` against `config_type` and return it processed.

    Args:
        config_type: a normalized schema node (see `normalize_schema`).
        value: the config given by the user (parsed YAML/JSON or a Python dict).
        path: dotted prefix for problem paths, e.g. ``"resources.db.config"``.
        environ: where ``{"env": "VAR"}`` sources are looked up; ``os.environ`` (read now)
            when omitted.

    Returns:
        A `ConfigResult` holding the processed value and every problem found.

    Example:
        ``process_config(normalize_schema({"port": int}, where="x"), {"port": 5}).value``
    """
    ctx = ProcessContext(environ)
    processed = config_type._process(value, path, ctx)
    return ConfigResult(processed, tuple(ctx.problems))


def join_path(path: str, name: str) -> str:
    """The dotted path of field `name` under `path`."""
    return f"{path}.{name}" if path else name


def describe_value(value: object) -> str:
    """A short, quoted description of a value for messages: ``str "abc"``, ``int 3``."""
    if value is None:
        return "None"
    kind = type(value).__name__
    if isinstance(value, (str, list, tuple, dict)):
        try:
            shown = json.dumps(value, default=repr)
        except (TypeError, ValueError):  # circular structures or unsortable keys
            shown = repr(value)
    else:
        shown = repr(value)
    if len(shown) > _MAX_SHOWN:
        shown = shown[: _MAX_SHOWN - 3] + "..."
    return f"{kind} {shown}"


def quoted(names: Sequence[str]) -> str:
    """``"a", "b"`` for a list of names."""
    return ", ".join(f'"{n}"' for n in names)


def suggest(name: object, choices: Sequence[str]) -> str:
    """``; did you mean "x"?`` when `name` is close to one of `choices`, else ``""``."""
    if isinstance(name, str):
        import difflib  # deferred: suggestions are for config with problems

        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        if close:
            return f'; did you mean "{close[0]}"?'
    return ""


def _missing_value(field: Field, path: str, ctx: ProcessContext) -> tuple[bool, Any]:
    """What an omitted optional field becomes: ``(present, value)``.

    Callers report required fields themselves, with the message that fits their node.
    """
    if field.default_provided:
        return True, field.config_type._process(field.default_value, path, ctx)
    return field.config_type._omitted(path, ctx)


def process_shape(node: Shape, value: object, path: str, ctx: ProcessContext) -> Any:
    """Process a `Shape` or `Permissive` value: known fields, defaults, unknown fields."""
    # `type(...) is dict` first: a run's config holds a shape per op, and an ABC's
    # isinstance goes through Python code.
    if type(value) is not dict and not isinstance(value, Mapping):
        ctx.wrong_type(path, node.type_name, value)
        return value
    if not value and node._empty_is_empty:
        return {}
    fields = node.fields
    out: dict[Any, Any] = {}
    unknown: list[object] = []
    empty_to_empty = node._empty_to_empty
    for name, item in value.items():
        field = fields.get(name)
        if field is None:
            if node.permissive:
                out[name] = item
            else:
                unknown.append(name)
        elif not item and type(item) is dict and name in empty_to_empty:
            out[name] = {}  # what processing it gives, at once
        else:
            out[name] = field.config_type._process(item, join_path(path, name), ctx)
    for name, field in fields.items():
        if name not in value:
            _fill_omitted(name, field, path, ctx, out)
    for name in unknown:
        ctx.add(path, _unknown_field_message(name, list(fields)), "unknown_field", str(name))
    return out


def _fill_omitted(
    name: str, field: Field, path: str, ctx: ProcessContext, out: dict[Any, Any]
) -> None:
    """Put what omitted field ``name`` becomes in ``out``, or report it missing (a required
    field never has a default: `Field` refuses both)."""
    if not field.is_required:
        present, filled = _missing_value(field, join_path(path, name), ctx)
        if present:
            out[name] = filled
        return
    inner = field.config_type
    if getattr(inner, "permissive", None) is not None and getattr(inner, "fields", None):
        # A missing section is reported by the fields it lacks, with their full paths: the
        # user needs `resources.db.config: missing "url"`, not `<root>: missing "resources"`.
        inner._process({}, join_path(path, name), ctx)
        return
    ctx.add(
        path,
        f'missing required field "{name}" ({field.config_type.type_name})',
        "missing_field",
        name,
    )


def _unknown_field_message(name: object, known: list[str]) -> str:
    shown = f'"{name}"' if isinstance(name, str) else repr(name)
    hint = suggest(name, known)
    if hint:
        return f"unknown field {shown}{hint}"
    if not known:
        return f"unknown field {shown}; this config takes no fields"
    return f"unknown field {shown}; expected one of {quoted(known)}"


def process_selector(node: Selector, value: object, path: str, ctx: ProcessContext) -> Any:
    """Process a `Selector` value: exactly one known key, whose value is processed."""
    names = list(node.fields)
    if not isinstance(value, Mapping):
        ctx.wrong_type(path, node.type_name, value)
        return value
    if not value:
        return _empty_selector(node, value, path, ctx)
    if len(value) > 1:
        given = quoted([str(k) for k in value])
        ctx.add(path, f"expected exactly one of {quoted(names)}; got {given}", "selector_choice")
        return value
    key, item = next(iter(value.items()))
    field = node.fields.get(key)
    if field is None:
        shown = f'"{key}"' if isinstance(key, str) else repr(key)
        ctx.add(
            path,
            f"unknown choice {shown}{suggest(key, names)}; expected one of {quoted(names)}",
            "selector_choice",
        )
        return value
    child = join_path(path, key)
    if item is None and not field.is_required:
        # Dagster treats `{choice: None}` (YAML `choice:`) as "this choice, with defaults".
        present, filled = _missing_value(field, child, ctx)
        return {key: filled if present else None}
    return {key: field.config_type._process(item, child, ctx)}


def _empty_selector(node: Selector, value: object, path: str, ctx: ProcessContext) -> Any:
    names = list(node.fields)
    if node.is_optional_by_default:  # one choice, which may be omitted: pick it
        present, filled = _missing_value(node.fields[names[0]], join_path(path, names[0]), ctx)
        return {names[0]: filled} if present else {}
    ctx.add(path, f"expected exactly one of {quoted(names)}; got none", "selector_choice")
    return value


def process_array(node: Array, value: object, path: str, ctx: ProcessContext) -> Any:
    """Process an `Array` value: a list (or tuple) whose items are processed in turn."""
    if not isinstance(value, (list, tuple)):
        ctx.wrong_type(path, node.type_name, value)
        return value
    inner = node.inner_type
    return [inner._process(item, f"{path}[{i}]", ctx) for i, item in enumerate(value)]


def process_map(node: Map, value: object, path: str, ctx: ProcessContext) -> Any:
    """Process a `Map` value: every key against the key type, every value against the inner."""
    if not isinstance(value, Mapping):
        ctx.wrong_type(path, node.type_name, value)
        return value
    out: dict[Any, Any] = {}
    key_type, inner = node.key_type, node.inner_type
    for key, item in value.items():
        child = join_path(path, str(key))
        before = len(ctx.problems)
        new_key = key_type._process(key, child, ctx)
        if len(ctx.problems) > before:
            last = ctx.problems[-1]
            ctx.problems[-1] = ConfigProblem(last.path, f"invalid key: {last.message}", last.code)
        out[new_key] = inner._process(item, child, ctx)
    return out
