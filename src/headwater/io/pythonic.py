"""IO managers written as pydantic classes: ``ConfigurableIOManager``, its factory form,
and ``FilesystemIOManager``.

The only module of ``headwater.io`` that imports pydantic (through
``headwater.resources.pythonic``); ``headwater.io`` loads it on first use of these names.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Optional, TypeVar

from pydantic import Field

from headwater.io.filesystem import PickledObjectFilesystemIOManager, default_base_dir
from headwater.io.manager import IOManager, IOManagerDefinition, register_io_manager_class_test
from headwater.resources.context import InitResourceContext
from headwater.resources.pythonic import ConfigurableResource, ConfigurableResourceFactory

__all__ = [
    "ConfigurableIOManager",
    "ConfigurableLegacyIOManagerAdapter",
    "ConfigurableIOManagerFactory",
    "FilesystemIOManager",
    "is_io_manager_class",
]

TIOManager = TypeVar("TIOManager", bound=IOManager)


class ConfigurableIOManagerFactory(ConfigurableResourceFactory[TIOManager]):
    """A pydantic class whose fields are config and that builds an ``IOManager``.

    Implement ``create_io_manager``; use it when the manager object is a separate class
    (often one you do not own). Subclass ``ConfigurableIOManager`` when the class itself
    should be the manager.

    Example:
        ``class S3IOManagerFactory(ConfigurableIOManagerFactory[S3IOManager]):
            bucket: str

            def create_io_manager(self, context: InitResourceContext) -> S3IOManager:
                return S3IOManager(self.bucket)``
    """

    def create_io_manager(self, context: InitResourceContext) -> TIOManager:
        """Build the IO manager from this object's fields.

        Args:
            context: the init context (``instance``, ``resources``, ``log``).
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement create_io_manager(context) to build its "
            "IO manager"
        )

    def create_resource(self, context: InitResourceContext) -> TIOManager:
        """The IO manager (``create_io_manager``'s result)."""
        return self.create_io_manager(context)


class ConfigurableIOManager(ConfigurableResource, IOManager):
    """An IO manager written as a class: typed fields are its config, and the object itself
    stores and loads values.

    Example:
        ``class JsonIOManager(ConfigurableIOManager):
            root: str

            def handle_output(self, context: OutputContext, obj: object) -> None:
                path = Path(self.root, *context.get_asset_identifier())
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(obj))

            def load_input(self, context: InputContext) -> object:
                return json.loads(Path(self.root, *context.get_asset_identifier()).read_text())``

        ``Definitions(assets=[...], resources={"io_manager": JsonIOManager(root="/data")})``
    """


class FilesystemIOManager(ConfigurableIOManagerFactory[PickledObjectFilesystemIOManager]):
    """Built-in filesystem IO manager that stores and retrieves values using pickling.

    Values go under ``base_dir`` if set, else the instance's storage folder
    (``<home>/storage``), else a temporary folder; see ``headwater.io.filesystem`` for the
    layout. Writes are atomic.

    Example:
        ``Definitions(assets=[orders], resources={"io_manager":
        FilesystemIOManager(base_dir="/data")})``
    """

    base_dir: Optional[str] = Field(  # noqa: UP045  # pydantic evaluates it at runtime
        default=None, description="Base directory for storing files."
    )

    def create_io_manager(self, context: InitResourceContext) -> PickledObjectFilesystemIOManager:
        """The pickling manager rooted at ``base_dir`` or the instance's storage folder."""
        base_dir = self.base_dir or default_base_dir(context.instance)
        return PickledObjectFilesystemIOManager(base_dir, manager_name="FilesystemIOManager")


class ConfigurableLegacyIOManagerAdapter(ConfigurableIOManagerFactory[Any]):
    """Gives a function-style IO manager (``@io_manager``) typed config fields.

    Subclass it, declare the fields the wrapped manager's config takes, and return the
    wrapped definition from ``wrapped_io_manager``: its function receives an init context
    whose ``resource_config`` holds the fields' values.

    Example:
        ``class MyIOManager(ConfigurableLegacyIOManagerAdapter):
            base_path: str

            @property
            def wrapped_io_manager(self) -> IOManagerDefinition:
                return old_io_manager``
    """

    @property
    @abstractmethod
    def wrapped_io_manager(self) -> IOManagerDefinition:
        """The function-style IO manager definition this class configures."""

    def create_io_manager(self, context: InitResourceContext) -> Any:
        """The wrapped definition's manager, built from this object's fields."""
        wrapped = self.wrapped_io_manager
        if not wrapped.takes_context:
            return wrapped.resource_fn()
        return wrapped.resource_fn(context)


def is_io_manager_class(cls: type[Any]) -> bool:
    """Whether ``cls`` is a ``ConfigurableIOManager`` or ``ConfigurableIOManagerFactory``."""
    return issubclass(cls, (ConfigurableIOManager, ConfigurableIOManagerFactory))


register_io_manager_class_test(is_io_manager_class)
