"""Input managers: resources that load an op's input themselves (``In(input_manager_key=)``).

An input manager replaces, for one input, the upstream output's IO manager (or run config,
for an unconnected input). Every ``IOManager`` is also an ``InputManager``.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, overload

from headwater.resources import ResourceDefinition

if TYPE_CHECKING:
    from headwater.io.input import InputContext

__all__ = ["InputManager", "InputManagerDefinition", "input_manager"]


class InputManager(ABC):
    """Loads the value of an op input; bound under a resource key that ``In`` names.

    Example:
        ``class TableLoader(InputManager):
            def load_input(self, context: InputContext) -> object:
                return read_table(context.asset_key)``
    """

    @abstractmethod
    def load_input(self, context: InputContext) -> Any:
        """Load the value of the input described by ``context``.

        Args:
            context: the input: its name, asset key, partitions, metadata and (when the
                input is connected) ``upstream_output``.

        Returns:
            The value passed to the op or asset.
        """


class _FunctionInputManager(InputManager):
    """The manager an ``@input_manager`` function stands for."""

    def __init__(self, load_fn: Callable[..., Any]) -> None:
        self._load_fn = load_fn
        self._takes_context = bool(inspect.signature(load_fn).parameters)

    def load_input(self, context: InputContext) -> Any:
        # The function returns the value itself, or an InputManager that loads it.
        got = self._load_fn(context) if self._takes_context else self._load_fn()
        return got.load_input(context) if isinstance(got, InputManager) else got


class InputManagerDefinition(ResourceDefinition):
    """A resource definition whose resource is an ``InputManager`` (``@input_manager``).

    Args:
        resource_fn: called with an ``InitResourceContext``; returns the manager.
        config_schema: the schema of the manager's config.
        description: shown in the UI and the CLI.
        input_config_schema: the schema of per-input config.
        required_resource_keys: keys of other resources the manager reads.
        version: an opaque version string.
    """

    def __init__(
        self,
        resource_fn: Callable[..., Any],
        config_schema: Any = None,
        description: str | None = None,
        input_config_schema: Any = None,
        required_resource_keys: Iterable[str] | None = None,
        version: str | None = None,
    ) -> None:
        super().__init__(
            resource_fn,
            config_schema=config_schema,
            description=description,
            required_resource_keys=required_resource_keys,
            version=version,
        )
        self._input_config_schema = input_config_schema

    @property
    def input_config_schema(self) -> Any:
        """The schema of per-input config, as given (``None``: none)."""
        return self._input_config_schema


@overload
def input_manager(config_schema: Callable[..., Any]) -> InputManagerDefinition: ...


@overload
def input_manager(
    config_schema: Any = None,
    description: str | None = None,
    input_config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    version: str | None = None,
) -> Callable[[Callable[..., Any]], InputManagerDefinition]: ...


def input_manager(
    config_schema: Any = None,
    description: str | None = None,
    input_config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    version: str | None = None,
) -> Any:
    """Turn a load function into an input manager definition.

    The function takes an ``InputContext`` (or nothing) and returns the input's value, or
    an ``InputManager`` that loads it.

    Args:
        config_schema: the schema of the manager's config.
        description: shown in the UI and the CLI.
        input_config_schema: the schema of per-input config.
        required_resource_keys: keys of other resources the manager reads.
        version: an opaque version string.

    Returns:
        An ``InputManagerDefinition`` (or a decorator producing one).

    Example:
        ``@input_manager``
        ``def from_table(context): return read_table(context.asset_key)``
    """

    def build(load_fn: Callable[..., Any]) -> InputManagerDefinition:
        manager = _FunctionInputManager(load_fn)
        doc = inspect.getdoc(load_fn)
        return InputManagerDefinition(
            lambda _init_context: manager,
            config_schema=None if callable(config_schema) else config_schema,
            description=description or doc,
            input_config_schema=input_config_schema,
            required_resource_keys=required_resource_keys,
            version=version,
        )

    if callable(config_schema) and not isinstance(config_schema, (type, dict)):
        return build(config_schema)
    return build
