"""Declarative rules that turn an unmodified program's output lines into run events.

A rules file (YAML) lists rules tried in order on each stdout/stderr line; the first that
matches decides what the line becomes::

    unmatched: info            # lines no rule matches: a level, or "ignore"
    rules:
      - regex: '^(?P<level>DEBUG|INFO|WARNING|ERROR) (?P<message>.*)$'
        log: "{level}"         # a level, or a template naming one
        message: "{message}"   # default: the whole line
      - json: true             # a line that is a JSON object; its fields fill templates
        log: "{level}"
        message: "{msg}"
      - regex: 'wrote (?P<rows>\\d+) rows to (?P<path>\\S+)'
        materialize: {asset: orders, metadata: {rows: "{rows}", path: "{path}"}}
      - regex: 'check (?P<name>\\w+) (?P<outcome>passed|failed)'
        check: {asset: orders, name: "{name}", passed: "{outcome}", severity: WARN}

``stream: stdout|stderr`` limits a rule to one stream. Templates are ``str.format`` fields
over the regex's named groups (or the JSON object's fields); metadata values that read as
numbers become numbers.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.errors import ConfigProblem, InvalidConfigError

__all__ = ["LineEvent", "Rule", "Rules", "load_rules", "parse_rules"]

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}
_TRUE = frozenset({"true", "passed", "pass", "ok", "yes", "1", "success", "succeeded"})
_ACTIONS = ("log", "materialize", "check")


@dataclass(frozen=True, slots=True)
class LineEvent:
    """What one line became.

    Attributes:
        kind: ``"log"``, ``"materialize"`` or ``"check"``.
        level: the log level (logs only).
        message: the log text (logs only).
        asset: the asset key string (materializations and checks).
        metadata: metadata values (materializations and checks).
        check_name: the check's name (checks only).
        passed: the check's outcome (checks only).
        severity: ``"ERROR"`` or ``"WARN"`` (checks only).
        data_version: the data version (materializations only).
    """

    kind: str
    level: int = logging.INFO
    message: str = ""
    asset: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    check_name: str = ""
    passed: bool = True
    severity: str = "ERROR"
    data_version: str | None = None


def _fill(template: Any, values: Mapping[str, Any]) -> Any:
    if isinstance(template, str):
        return template.format_map(values)
    return template


def _number(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: a matcher (``regex`` or ``json``), an optional stream, one action."""

    action: str
    spec: Mapping[str, Any]
    pattern: re.Pattern[str] | None = None
    is_json: bool = False
    stream: str | None = None

    def values(self, line: str, stream: str) -> dict[str, Any] | None:
        """The template values if this rule matches ``line``, else ``None``."""
        if self.stream is not None and self.stream != stream:
            return None
        if self.pattern is not None:
            found = self.pattern.search(line)
            if found is None:
                return None
            return {"line": line, **{k: v or "" for k, v in found.groupdict().items()}}
        try:
            parsed = json.loads(line)
        except ValueError:
            return None
        return {"line": line, **parsed} if isinstance(parsed, dict) else None

    def apply(self, values: Mapping[str, Any]) -> LineEvent:
        """The event this rule makes of a matched line.

        Raises:
            KeyError: a template names a field the line did not give.
        """
        spec = self.spec
        if self.action == "log":
            level = str(_fill(spec["log"], values)).lower()
            return LineEvent(
                "log",
                level=_LEVELS.get(level, logging.INFO),
                message=str(_fill(spec.get("message", "{line}"), values)),
            )
        body: Mapping[str, Any] = spec[self.action]
        metadata = {k: _number(_fill(v, values)) for k, v in (body.get("metadata") or {}).items()}
        asset = str(_fill(body["asset"], values))
        if self.action == "materialize":
            version = body.get("data_version")
            return LineEvent(
                "materialize",
                asset=asset,
                metadata=metadata,
                data_version=None if version is None else str(_fill(version, values)),
            )
        outcome = str(_fill(body.get("passed", "true"), values)).strip().lower()
        return LineEvent(
            "check",
            asset=asset,
            metadata=metadata,
            check_name=str(_fill(body["name"], values)),
            passed=outcome in _TRUE,
            severity=str(body.get("severity", "ERROR")).upper(),
        )


@dataclass(frozen=True, slots=True)
class Rules:
    """Parsed rules and what to do with lines no rule matches (``None``: ignore them)."""

    rules: tuple[Rule, ...] = ()
    unmatched_level: int | None = logging.INFO

    def event_for(self, line: str, stream: str) -> LineEvent | None:
        """What ``line`` (without its newline) from ``stream`` becomes, or ``None``."""
        for rule in self.rules:
            values = rule.values(line, stream)
            if values is None:
                continue
            try:
                return rule.apply(values)
            except (KeyError, IndexError, ValueError) as exc:
                return LineEvent(
                    "log",
                    level=logging.WARNING,
                    message=f"[pipes run] a rule matched but failed ({exc!r}): {line}",
                )
        if self.unmatched_level is None:
            return None
        return LineEvent("log", level=self.unmatched_level, message=line)


def _parse_rule(index: int, raw: Any, problems: list[ConfigProblem]) -> Rule | None:
    path = f"rules[{index}]"
    if not isinstance(raw, Mapping):
        problems.append(ConfigProblem(path, f"expected a mapping, got {type(raw).__name__}"))
        return None
    actions = [a for a in _ACTIONS if a in raw]
    if len(actions) != 1:
        problems.append(
            ConfigProblem(path, f"needs exactly one of log, materialize, check; has {actions}")
        )
        return None
    action = actions[0]
    if action != "log" and not (isinstance(raw[action], Mapping) and "asset" in raw[action]):
        problems.append(ConfigProblem(f"{path}.{action}", "needs a mapping with 'asset'"))
    if action == "check" and "name" not in (raw.get("check") or {}):
        problems.append(ConfigProblem(f"{path}.check", "needs 'name' (the check's name)"))
    severity = (raw.get("check") or {}).get("severity", "ERROR") if action == "check" else "ERROR"
    if str(severity).upper() not in ("ERROR", "WARN"):
        problems.append(
            ConfigProblem(f"{path}.check.severity", f"expected ERROR or WARN, got {severity!r}")
        )
    stream = raw.get("stream")
    if stream not in (None, "stdout", "stderr"):
        problems.append(
            ConfigProblem(f"{path}.stream", f"expected stdout or stderr, got {stream!r}")
        )
    pattern = None
    if "regex" in raw:
        try:
            pattern = re.compile(str(raw["regex"]))
        except re.error as exc:
            problems.append(ConfigProblem(f"{path}.regex", f"not a valid regex: {exc}"))
    elif not raw.get("json"):
        problems.append(ConfigProblem(path, "needs a matcher: regex: '...' or json: true"))
    return Rule(action, dict(raw), pattern, pattern is None, stream)


def parse_rules(data: Any) -> Rules:
    """Rules from their parsed YAML (a mapping with ``rules`` and ``unmatched``).

    Raises:
        InvalidConfigError: every problem in the file, each with its path.
    """
    if data is None:
        return Rules()
    problems: list[ConfigProblem] = []
    if not isinstance(data, Mapping):
        raise InvalidConfigError.for_problems(
            [ConfigProblem("", f"expected a mapping with 'rules', got {type(data).__name__}")],
            subject="pipes rules",
            config_value=data,
        )
    unmatched = str(data.get("unmatched", "info")).lower()
    if unmatched != "ignore" and unmatched not in _LEVELS:
        problems.append(
            ConfigProblem("unmatched", f"expected a level or 'ignore', got {unmatched!r}")
        )
    parsed = [_parse_rule(i, raw, problems) for i, raw in enumerate(data.get("rules") or ())]
    if problems:
        raise InvalidConfigError.for_problems(problems, subject="pipes rules", config_value=data)
    return Rules(
        tuple(r for r in parsed if r is not None),
        None if unmatched == "ignore" else _LEVELS[unmatched],
    )


def load_rules(path: str) -> Rules:
    """Read and parse a rules YAML file.

    Raises:
        InvalidConfigError: the file does not parse or its rules are malformed.
    """
    import yaml  # deferred: PyYAML is only needed when a rules file is given

    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise InvalidConfigError.for_problems(
                [ConfigProblem("", f"not valid YAML: {exc}")], subject=f"pipes rules {path}"
            ) from exc
    return parse_rules(data)
