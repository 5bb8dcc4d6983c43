"""The parity harness: what a scenario sees, and how its observations are normalised.

A scenario is written once against ``dg`` and runs in two processes: one where ``dg`` is
the reference (``dagster``) and one where it is ``headwater``. ``runner.py`` chooses which
before it imports the scenario modules; this module only reads that choice from the
environment, so it works unchanged in both interpreters (standard library only).

Observations are JSON values, normalised so that what legitimately differs between two
runs (run ids, timestamps, pids, object reprs) never reaches the comparison.
"""

from __future__ import annotations

import builtins
import enum
import importlib
import inspect
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

# "dagster" or "headwater": set by runner.py before any scenario module is imported.
IMPL: str = os.environ.get("PARITY_IMPL", "headwater")

# Imported by name so that one file serves both interpreters (and type checkers).
dg: Any = importlib.import_module("dagster" if IMPL == "dagster" else "headwater")
try:
    pipes: Any = importlib.import_module(
        "dagster_pipes" if IMPL == "dagster" else "headwater_pipes"
    )
except ImportError:  # the 0.15 reference has no Pipes
    pipes = None

# The name of the external-side Pipes module of this implementation, for scripts that
# scenarios write and run in a subprocess.
PIPES_MODULE = "dagster_pipes" if IMPL == "dagster" else "headwater_pipes"

__all__ = ["IMPL", "PIPES_MODULE", "Obs", "ScenarioError", "dg", "pipes", "scenario"]


class ScenarioError(Exception):
    """A mistake in a scenario itself (a key recorded twice, a value that cannot be
    recorded): it stops the area's run instead of being recorded as the scenario's outcome."""


# id -> scenario function, in definition order, for the module being loaded.
_REGISTRY: dict[str, Callable[[Obs], Any]] = {}


def scenario(fn: Callable[[Obs], Any] | None = None, *, name: str | None = None) -> Any:
    """Register a scenario. ``@scenario``, ``@scenario(name=...)`` or ``scenario(fn, name=...)``.

    The name (default: the function's) must be unique in its area; registering one twice
    is a mistake in the scenario file and fails at load.
    """

    def register(f: Callable[[Obs], Any]) -> Callable[[Obs], Any]:
        key = name or f.__name__
        if key in _REGISTRY:
            raise ValueError(f"parity scenario {key!r} is defined twice")
        _REGISTRY[key] = f
        return f

    return register(fn) if fn is not None else register


def _dg_names() -> dict[int, str]:
    """id(object) -> its public name in ``dg``, for naming classes the same in both runs."""
    names: dict[int, str] = {}
    for n in dir(dg):
        if n.startswith("_"):
            continue
        try:
            value = getattr(dg, n)
        except Exception:  # a name that raises on access is simply not usable here
            continue
        if isinstance(value, type):
            names.setdefault(id(value), n)
    return names


_NAMES: dict[int, str] | None = None


def public_name(cls: type) -> str:
    """The class's name as the public API spells it: its own, or its nearest public base.

    Builtins keep their names (``ValueError``); a private subclass is named after the first
    class in its MRO that ``dg`` exports, so that internal class layouts never differ.
    """
    global _NAMES
    if _NAMES is None:
        _NAMES = _dg_names()
    for klass in cls.__mro__:
        if id(klass) in _NAMES:
            return _NAMES[id(klass)]
        if getattr(builtins, klass.__name__, None) is klass:
            return klass.__name__
    return cls.__name__


def public_isa(value: object) -> list[str]:
    """Every name of ``dg`` (and builtin class) that ``value`` is an instance of."""
    global _NAMES
    if _NAMES is None:
        _NAMES = _dg_names()
    names = set()
    for klass in type(value).__mro__:
        if id(klass) in _NAMES:
            names.add(_NAMES[id(klass)])
        elif getattr(builtins, klass.__name__, None) is klass and klass is not object:
            names.add(klass.__name__)
    # Aliases: several public names may denote one class (DagsterEvent / RunEvent).
    for n in dir(dg):
        if n.startswith("_") or n in names:
            continue
        try:
            v = getattr(dg, n)
        except Exception:
            continue
        try:
            if isinstance(v, type) and isinstance(value, v):
                names.add(n)
        except TypeError:  # typing special forms refuse isinstance
            continue
    return sorted(names - {"BaseException", "Exception"})


def normalise(value: Any) -> Any:  # noqa: PLR0911 - one return per kind of value
    """A JSON value for ``value``; raises TypeError for what a scenario must not record."""
    if value is None or isinstance(value, (bool, str, int, float)):
        return "nan" if isinstance(value, float) and math.isnan(value) else value
    # Before sequences: Dagster's AssetKey is a tuple subclass that refuses iteration.
    if hasattr(value, "path") and type(value).__name__ == "AssetKey":
        return {"AssetKey": list(value.path)}
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((normalise(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if type(value).__name__ == "AssetKey":
        return {"AssetKey": list(value.path)}
    if isinstance(value, enum.Enum):
        # Event types compare by their wire value; other enums by public class and member.
        if public_name(type(value)) == "DagsterEventType":
            return value.value
        return f"{public_name(type(value))}.{value.name}"
    raise TypeError(
        f"cannot record a {type(value).__name__} in a parity observation; record its "
        "fields (or obs.kind(value) for its public class name)"
    )


def _metadata(md: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, mv in (md or {}).items():
        kind = public_name(type(mv))
        raw = getattr(mv, "value", mv)
        try:
            val = normalise(raw)
        except TypeError:
            val = f"<{public_name(type(raw))}>"
        out[str(key)] = [kind, val]
    return out


def _events_of(source: Any) -> list[Any]:
    if isinstance(source, list):
        return source
    for attr in ("all_events", "event_list"):
        if hasattr(source, attr):
            return list(getattr(source, attr))
    raise TypeError(f"cannot read events from a {type(source).__name__}")


def _asset_path(event: Any) -> list[str] | None:
    key = getattr(event, "asset_key", None)
    return list(key.path) if key is not None else None


class Obs:
    """What one scenario observed. Every method records under a key, in call order."""

    def __init__(self, tmp: str) -> None:
        self.tmp = tmp
        self.data: dict[str, Any] = {}

    def _put(self, key: str, value: Any) -> None:
        if key in self.data:
            raise ScenarioError(f"observation {key!r} recorded twice in one scenario")
        self.data[key] = value

    def record(self, key: str, value: Any) -> None:
        """Any JSON-able value (tuples, sets and AssetKeys are normalised)."""
        self._put(key, normalise(value))

    def kind(self, key: str, value: Any) -> None:
        """The public class name of ``value`` (nearest exported class)."""
        self._put(key, public_name(type(value)))

    def events(self, source: Any, key: str = "events", *, skip: Iterable[str] = ()) -> None:
        """The event-type sequence with step keys, of a result or a list of events."""
        skipped = set(skip)
        self._put(
            key,
            [
                [e.event_type_value, e.step_key]
                for e in _events_of(source)
                if e.event_type_value not in skipped
            ],
        )

    def materializations(self, source: Any, key: str = "materializations") -> None:
        """Asset key, partition and metadata of each materialization event, in order."""
        rows = []
        for e in _events_of(source):
            if e.event_type_value != "ASSET_MATERIALIZATION":
                continue
            mat = e.materialization
            rows.append([_asset_path(e), e.partition, _metadata(mat.metadata)])
        self._put(key, rows)

    def check_evaluations(self, result: Any, key: str = "checks") -> None:
        """Asset key, check name, passed, severity and metadata of each check evaluation."""
        rows = []
        for ev in result.get_asset_check_evaluations():
            severity = getattr(ev, "severity", None)
            rows.append(
                [
                    list(ev.asset_key.path),
                    ev.check_name,
                    ev.passed,
                    getattr(severity, "value", severity),
                    _metadata(ev.metadata),
                ]
            )
        self._put(key, rows)

    def metadata(self, key: str, md: Mapping[str, Any] | None) -> None:
        """A metadata mapping as {key: [value class, raw value]}."""
        self._put(key, _metadata(md))

    def raises(self, fn: Callable[[], Any], *fragments: str, key: str = "error") -> None:
        """Call ``fn``; record the public class of what it raised and which fragments its
        message contains. Records ``None`` when nothing is raised."""
        try:
            fn()
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            self._put(key, error_observation(exc, fragments))
            return
        self._put(key, None)

    def signature(self, key: str, obj: Any) -> None:
        """Parameter names, kinds and simple defaults of a callable or class."""
        try:
            sig = inspect.signature(obj)
        except (TypeError, ValueError) as exc:
            self._put(key, f"<no signature: {type(exc).__name__}>")
            return
        found = [(p.name, p.kind.name, p.default) for p in sig.parameters.values()]
        # The reference's opaque (*args, **kwargs) signatures (records, kwargs-reading
        # errors) are compared on what the class really accepts.
        if IMPL == "dagster":
            accepted = importlib.import_module("_accepts").accepted_parameters(obj)
            if accepted is not None:
                found = accepted[0]
        params = []
        for name, kind, value in found:
            default: Any
            if value is inspect.Parameter.empty:
                default = "<required>"
            else:
                try:
                    default = normalise(value)
                except TypeError:
                    default = "<object>"
            params.append([name, kind, default])
        self._put(key, params)


def error_observation(exc: BaseException, fragments: Iterable[str] = ()) -> dict[str, Any]:
    """The comparable parts of an exception: its public class, what it is an instance of,
    and which expected message fragments its message contains."""
    message = str(exc)
    return {
        "class": public_name(type(exc)),
        "isa": public_isa(exc),
        "fragments": {f: f in message for f in fragments},
    }
