"""`EnvVar`: a config value that names an environment variable, read at run time.

Kept apart from pydantic so that ``import headwater.config`` stays light.
"""

from __future__ import annotations

import os
from typing import NoReturn

from headwater.errors import InvariantViolationError

__all__ = ["EnvVar", "IntEnvVar", "is_env_var", "env_var_to_config"]


class EnvVar(str):
    """The name of an environment variable whose value config should use, read at run time.

    A ``str`` subclass (the string is the variable's name) so that it type-checks where a
    ``str`` field is expected. The variable is read when the run's config is processed, in
    the process that needs it, never when the definition is built.

    Args:
        env_var_name: the variable's name.

    Example:
        ``MyDatabase(password=EnvVar("DB_PASSWORD"), port=EnvVar.int("DB_PORT"))``
    """

    __slots__ = ()

    @classmethod
    def int(cls, name: str) -> IntEnvVar:
        """An `EnvVar` for an ``int`` field: the variable's value is parsed as an int.

        Args:
            name: the variable's name.

        Returns:
            An `IntEnvVar`.
        """
        return IntEnvVar.create(name)

    @property
    def env_var_name(self) -> str:
        """The variable's name."""
        return str.__str__(self)

    def get_value(self, default: str | None = None) -> str | None:
        """Read the variable now.

        Args:
            default: returned when the variable is unset.

        Returns:
            The variable's value, or `default`.
        """
        return os.environ.get(self.env_var_name, default)

    def __repr__(self) -> str:
        return f"EnvVar({self.env_var_name!r})"

    def __str__(self) -> NoReturn:
        # As in Dagster: str() would silently give the variable's *name* where its value
        # was meant (a password, a URL); the value is only known at run time.
        raise InvariantViolationError(
            f'EnvVar("{self.env_var_name}") is read when the run starts, so it has no value '
            "to print now; call .get_value() to read the variable, or pass it to config or "
            "a resource"
        )


class IntEnvVar(int):
    """An environment variable holding an int, for ``int`` fields (``EnvVar.int("PORT")``).

    An ``int`` subclass so that it type-checks where an ``int`` is expected; using it as a
    number raises, since its value is only known at run time.
    """

    name: str

    @classmethod
    def create(cls, name: str) -> IntEnvVar:
        """Build one for the variable `name`.

        Args:
            name: the variable's name.

        Returns:
            The `IntEnvVar`.
        """
        var = cls(0)
        var.name = name
        return var

    @property
    def env_var_name(self) -> str:
        """The variable's name."""
        return self.name

    def get_value(self, default: int | None = None) -> int | None:
        """Read and parse the variable now.

        Args:
            default: returned when the variable is unset.

        Returns:
            The variable's value as an int, or `default`.

        Raises:
            ValueError: the variable is set but is not an int.
        """
        raw = os.environ.get(self.name)
        return default if raw is None else int(raw)

    def __int__(self) -> NoReturn:
        raise InvariantViolationError(
            f'IntEnvVar("{self.name}") is read when the run starts; call .get_value() to read '
            "it now, or pass it to config or a resource"
        )

    def __repr__(self) -> str:
        return f"IntEnvVar({self.name!r})"

    __str__ = __repr__


def is_env_var(value: object) -> bool:
    """Whether `value` is an `EnvVar` or `IntEnvVar`.

    Args:
        value: anything.

    Returns:
        ``True`` for env var references.
    """
    return isinstance(value, (EnvVar, IntEnvVar))


def env_var_to_config(value: EnvVar | IntEnvVar) -> dict[str, str]:
    """The run-config form of an env var reference: ``{"env": NAME}``.

    Args:
        value: the reference.

    Returns:
        The dict that a source (``StringSource``, ``IntSource`` ...) resolves at run time.
    """
    return {"env": value.env_var_name}
