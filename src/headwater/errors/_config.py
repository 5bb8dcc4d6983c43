"""Errors in config: values that fail their schema (``InvalidConfigError``, one
``ConfigProblem`` each) and schemas that are malformed themselves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.errors._base import HeadwaterError, rebuilt_by_calling
from headwater.errors._definition import InvalidDefinitionError

__all__ = [
    "ConfigProblem",
    "InvalidConfigDefinitionError",
    "InvalidConfigError",
    "SCHEMA_FORMS",
]


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem found while validating config.

    Attributes:
        path: dotted path from the run-config root (``resources.db.config.port``); ``""``
            for the root itself.
        message: what is wrong and, where possible, how to fix it.
        code: a stable machine-readable kind (``wrong_type``, ``missing_field``,
            ``unknown_field``, ``selector_choice``, ``env_unset``, ``invalid_value``).
        field_name: for ``missing_field`` and ``unknown_field``, the field missing or not
            expected (``path`` is then the mapping it belongs in); ``None`` otherwise.
    """

    path: str
    message: str
    code: str = "invalid_value"
    field_name: str | None = None

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.message}"


class InvalidConfigError(HeadwaterError, ValueError):
    """Config failed validation. ``.problems`` holds every problem, not only the first.

    Args:
        preamble: the message's first line (what was validated).
        errors: the problems found; each becomes one line of the message.
        config_value: the config that was validated.
        *args: further exception arguments.

    Attributes:
        preamble: as given.
        problems: the problems, as a tuple (``errors`` holds them as a list).
        error_messages: each problem's message.
        config_value: the config that was validated.
        message: the whole message.
    """

    reference_name = "DagsterInvalidConfigError"

    def __init__(
        self,
        preamble: str,
        errors: Sequence[ConfigProblem],
        config_value: object,
        *args: object,
    ) -> None:
        if not isinstance(preamble, str):
            raise TypeError(
                f"InvalidConfigError(preamble, errors, config_value): preamble must be a str, "
                f"got {type(preamble).__name__}; to report problems use "
                "InvalidConfigError.for_problems(problems, subject=...)"
            )
        self.preamble = preamble
        self.problems = tuple(errors)
        self.errors = list(self.problems)
        self.error_messages = [str(getattr(p, "message", p)) for p in self.problems]
        self.config_value = config_value
        self.message = preamble + "".join(f"\n  {p}" for p in self.problems)
        super().__init__(self.message, *args)

    @classmethod
    def for_problems(
        cls,
        problems: Sequence[ConfigProblem],
        *,
        subject: str = "run config",
        config_value: object = None,
    ) -> InvalidConfigError:
        """The error for `problems` found in `subject`: ``N problem(s) in <subject>:``."""
        found = tuple(problems)
        return cls(f"{len(found)} problem(s) in {subject}:", found, config_value)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its parameters: the message alone would be taken for the preamble.
        return rebuilt_by_calling(
            self, self.preamble, self.problems, self.config_value, *self.args[1:]
        )


SCHEMA_FORMS = (
    "use a type (int, str, float, bool, list, dict), a dict of fields, [type], Field(...), "
    "a schema node (Shape, Array, Noneable, ...) or a Config subclass"
)
"""What a config schema may be: the fix named when a value is not one."""


class InvalidConfigDefinitionError(InvalidDefinitionError, TypeError):
    """A config schema itself is malformed (not the values given for it).

    Args:
        original_root: the schema as it was given (``{"a": {"b": set}}``).
        current_value: the part of it that cannot be used (``set``).
        stack: the field names from the root down to that part (``["a", "b"]``).
        reason: why it cannot be used and how to fix it; ``None``: it is not a schema form.
        **kwargs: taken as the reference takes them, and refused as it refuses them (its
            exception base takes no keywords): any keyword raises ``TypeError``.

    Attributes:
        original_root, current_value, stack, reason: as given.
        where: what the schema belongs to (``"op 'load'"``), when headwater raised it
            (`in_schema_of`); ``None`` otherwise.
    """

    reference_name = "DagsterInvalidConfigDefinitionError"

    def __init__(
        self,
        original_root: object,
        current_value: object,
        stack: Sequence[str],
        reason: str | None = None,
        **kwargs: object,
    ) -> None:
        if kwargs:
            raise TypeError(
                "InvalidConfigDefinitionError(original_root, current_value, stack, reason) "
                f"takes no other keyword arguments; got {', '.join(sorted(kwargs))}"
            )
        self.original_root = original_root
        self.current_value = current_value
        self.stack = stack
        self.reason = reason
        self.where: str | None = None
        super().__init__(self._message())

    @classmethod
    def in_schema_of(
        cls,
        where: str,
        original_root: object,
        current_value: object,
        stack: Sequence[str] = (),
        reason: str | None = None,
    ) -> InvalidConfigDefinitionError:
        """The error for a schema that belongs to `where` (``"op 'load'"``, ``"Shape"``);
        the message starts with it."""
        error = cls(original_root, current_value, stack, reason)
        error.where = where
        error.args = (error._message(),)
        return error

    def _message(self) -> str:
        head = f"{self.where}: " if self.where else ""
        path = ".".join(str(name) for name in self.stack)
        if path:
            head += f'config schema {self.original_root!r}, field "{path}": '
        elif self.current_value is not self.original_root:
            head += f"config schema {self.original_root!r}: "
        reason = self.reason or f"it is not a config schema; {SCHEMA_FORMS}"
        return f"{head}{self.current_value!r} cannot be resolved: {reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its parameters (the message alone would not fill them).
        return rebuilt_by_calling(
            self, self.original_root, self.current_value, self.stack, self.reason
        )
