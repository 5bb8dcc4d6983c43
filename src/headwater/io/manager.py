"""``IOManager``, ``IOManagerDefinition`` and ``@io_manager``.

An IO manager stores what a step returns (``handle_output``) and loads it for the steps
downstream (``load_input``). It is a resource: it has config, may need other resources, and
is bound under a key (``"io_manager"`` by default).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, overload

from headwater.io.input_manager import InputManager
from headwater.resources.definition import ResourceDefinition, ResourceFunction

if TYPE_CHECKING:
    from headwater.io.input import InputContext
    from headwater.io.output import OutputContext
    from headwater.resources.context import InitResourceContext

__all__ = [
    "IOManager",
    "IOManagerDefinition",
    "io_manager",
    "is_io_manager",
    "is_io_manager_definition",
    "describe_io_failure",
    "register_io_manager_class_test",
]


class IOManager(InputManager):
    """Stores step outputs and loads them as inputs of downstream steps.

    Subclass it and implement both methods; return an instance from an ``@io_manager``
    function, or subclass ``ConfigurableIOManager`` to get typed config fields.

    Example:
        ``class JsonIOManager(IOManager):
            def handle_output(self, context: OutputContext, obj: object) -> None:
                path = Path("/data", *context.get_asset_identifier())
                path.write_text(json.dumps(obj))

            def load_input(self, context: InputContext) -> object:
                return json.loads(Path("/data", *context.get_asset_identifier()).read_text())``
    """

    @abstractmethod
    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Store ``obj``, the value of the output described by ``context``.

        Args:
            context: the output: its step, name, asset key, partition, metadata.
            obj: the value the op or asset returned.
        """

    @abstractmethod
    def load_input(self, context: InputContext) -> Any:
        """Load the value of the input described by ``context``.

        Args:
            context: the input, with ``upstream_output`` describing what produced it.

        Returns:
            The value passed to the op or asset.
        """


class IOManagerDefinition(ResourceDefinition):
    """A resource definition whose resource is an ``IOManager``.

    Made by ``@io_manager``; construct it directly only to wrap an existing function.

    Args:
        resource_fn: called with an ``InitResourceContext``; returns the ``IOManager``.
        config_schema: the schema of the manager's config; ``None`` accepts any config.
        description: shown in the UI and the CLI.
        output_config_schema: the schema of per-output config (``OutputContext.config``).
        required_resource_keys: keys of other resources the manager reads.
        version: an opaque version string.
        input_config_schema: the schema of per-input config (``InputContext.config``).

    Example:
        ``IOManagerDefinition(lambda ctx: MyIOManager(), description="keeps values in S3")``
    """

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: Any = None,
        description: str | None = None,
        required_resource_keys: Iterable[str] | None = None,
        version: str | None = None,
        input_config_schema: Any = None,
        output_config_schema: Any = None,
    ) -> None:
        super().__init__(
            resource_fn,
            config_schema=config_schema,
            description=description,
            required_resource_keys=required_resource_keys,
            version=version,
        )
        self._output_config_schema = output_config_schema
        self._input_config_schema = input_config_schema

    @property
    def output_config_schema(self) -> Any:
        """The schema of per-output config, as given (``None``: none)."""
        return self._output_config_schema

    @property
    def input_config_schema(self) -> Any:
        """The schema of per-input config, as given (``None``: none)."""
        return self._input_config_schema

    def configured(
        self,
        config_or_config_fn: Any,
        config_schema: Any = None,
        description: str | None = None,
    ) -> IOManagerDefinition:
        """A copy with its config fixed or derived; still an ``IOManagerDefinition``.

        Args:
            config_or_config_fn: as ``ResourceDefinition.configured``.
            config_schema: as ``ResourceDefinition.configured``.
            description: as ``ResourceDefinition.configured``.

        Example:
            ``fs_io_manager.configured({"base_dir": "/data"})``
        """
        copy = super().configured(config_or_config_fn, config_schema, description)
        assert isinstance(copy, IOManagerDefinition)  # built by _new_configured_copy below
        return copy

    def _new_configured_copy(
        self, config_schema: Any, description: str | None
    ) -> IOManagerDefinition:
        return IOManagerDefinition(
            self._resource_fn,
            config_schema=config_schema,
            description=description,
            output_config_schema=self._output_config_schema,
            required_resource_keys=self._required_resource_keys,
            version=self._version,
            input_config_schema=self._input_config_schema,
        )

    def __repr__(self) -> str:
        return f"<IOManagerDefinition '{self._label}'>"

    @staticmethod
    def hardcoded_io_manager(
        value: IOManager, description: str | None = None
    ) -> IOManagerDefinition:
        """An IO manager definition that is always ``value``.

        Args:
            value: the ``IOManager`` every step uses.
            description: shown in the UI and the CLI.

        Example:
            ``IOManagerDefinition.hardcoded_io_manager(InMemoryIOManager())``
        """

        def hardcoded_io_manager(_: InitResourceContext) -> IOManager:
            return value

        return IOManagerDefinition(hardcoded_io_manager, description=description)


IOManagerFunction = Callable[..., Any]


@overload
def io_manager(config_schema: IOManagerFunction) -> IOManagerDefinition: ...


@overload
def io_manager(
    config_schema: Any = None,
    description: str | None = None,
    output_config_schema: Any = None,
    input_config_schema: Any = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> Callable[[IOManagerFunction], IOManagerDefinition]: ...


def io_manager(
    config_schema: Any = None,
    description: str | None = None,
    output_config_schema: Any = None,
    input_config_schema: Any = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> IOManagerDefinition | Callable[[IOManagerFunction], IOManagerDefinition]:
    """Define an IO manager from the function that builds it; usable bare or with arguments.

    The function takes an ``InitResourceContext`` and returns an ``IOManager`` (or yields
    one; code after the ``yield`` runs at teardown).

    Args:
        config_schema: the schema of the manager's config; ``None`` accepts any config.
        description: shown in the UI and the CLI; defaults to the function's docstring.
        output_config_schema: the schema of per-output config.
        input_config_schema: the schema of per-input config.
        required_resource_keys: keys of other resources read from ``context.resources``.
        version: an opaque version string.

    Returns:
        An ``IOManagerDefinition`` (or, with arguments, a decorator making one).

    Raises:
        InvalidConfigDefinitionError: ``config_schema`` is malformed.

    Example:
        ``@io_manager(config_schema={"prefix": str})
        def prefixed_io_manager(init_context):
            return PrefixedIOManager(init_context.resource_config["prefix"])``
    """
    if callable(config_schema) and not isinstance(config_schema, type):
        fn: IOManagerFunction = config_schema
        return IOManagerDefinition(fn, description=_doc(fn))

    def decorate(fn: IOManagerFunction) -> IOManagerDefinition:
        return IOManagerDefinition(
            fn,
            config_schema=config_schema,
            description=description if description is not None else _doc(fn),
            output_config_schema=output_config_schema,
            required_resource_keys=required_resource_keys,
            version=version,
            input_config_schema=input_config_schema,
        )

    return decorate


def _doc(fn: IOManagerFunction) -> str | None:
    doc = getattr(fn, "__doc__", None)
    return doc.strip() if isinstance(doc, str) and doc.strip() else None


def is_io_manager_definition(definition: ResourceDefinition) -> bool:
    """Whether a (coerced) resource definition builds an IO manager.

    True for ``IOManagerDefinition`` and for the definitions of ``ConfigurableIOManager``
    and ``ConfigurableIOManagerFactory`` objects. A hard-coded resource counts when its
    value is an ``IOManager``; other function-style resources cannot be known before they
    run and count as not.
    """
    if isinstance(definition, IOManagerDefinition):
        return True
    value = getattr(definition, "value", None)
    if isinstance(value, IOManager):
        return True
    resource_cls = getattr(definition, "resource_cls", None)
    return isinstance(resource_cls, type) and _is_pythonic_io_manager_class(resource_cls)


def is_io_manager(value: object) -> bool:
    """Whether ``value`` is, or defines, an IO manager.

    True for an ``IOManager``, an ``IOManagerDefinition``, a ``ConfigurableIOManager`` (or
    factory) object or class, and definitions coerced from them.
    """
    if isinstance(value, (IOManager, IOManagerDefinition)):
        return True
    if isinstance(value, type):
        return issubclass(value, IOManager) or _is_pythonic_io_manager_class(value)
    if isinstance(value, ResourceDefinition):
        return is_io_manager_definition(value)
    return _is_pythonic_io_manager_class(type(value))


def _is_pythonic_io_manager_class(cls: type) -> bool:
    return any(test(cls) for test in _io_manager_class_tests)


# headwater.io.pythonic registers its test when imported. No ConfigurableIOManager class can
# exist before that, so an empty list answers "no" without importing pydantic.
_io_manager_class_tests: list[Callable[[type], bool]] = []


def register_io_manager_class_test(test: Callable[[type], bool]) -> None:
    """Called once, by ``headwater.io.pythonic`` as it is imported."""
    _io_manager_class_tests.append(test)


def describe_io_failure(
    context: InputContext | OutputContext,
    *,
    manager_key: str,
    manager: object,
    error: BaseException,
) -> str:
    """The message of a step that failed because its IO manager raised.

    For the executor: it wraps the manager's exception (kept as ``__cause__``) in its step
    error with this message, which names the step, the input or output, the asset (and
    partition) and the manager.

    Args:
        context: the context the manager was called with.
        manager_key: the resource key the manager is bound to.
        manager: the manager object (its class is named).
        error: what it raised.

    Example:
        ``IO manager 'io_manager' (FilesystemIOManager) failed to load input 'orders' of
        step 'summary' (asset 'orders', partition '2024-01-01'): MissingValueError: ...``
    """
    asset = context.describe_asset()
    return (
        f"IO manager '{manager_key}' ({type(manager).__name__}) failed to {context.io_action} "
        f"{context.describe_subject()}{f' ({asset})' if asset else ''}: "
        f"{type(error).__name__}: {error}"
    )
