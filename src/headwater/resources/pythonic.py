"""``ConfigurableResource``: a resource written as a pydantic class whose fields are its config.

The only module of ``headwater.resources`` that imports pydantic; ``coerce_resource`` and
``is_resource_annotation`` find it through ``sys.modules`` once user code has loaded it.
"""

from __future__ import annotations

import abc
import types
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any, Generic, TypeVar, Union

from pydantic import PrivateAttr
from pydantic.fields import FieldInfo

from headwater.config.pythonic import _ConfigBase, config_type_from_model
from headwater.config.schema import Shape
from headwater.errors import InvalidInvocationError, InvariantViolationError
from headwater.resources import _pydantic_hooks
from headwater.resources._pythonic_definition import (
    PythonicDefinition,
    ResourceLayout,
    bind_resources,
    rebind,
)
from headwater.resources.context import (
    IAttachDifferentObjectToOpContext,
    InitResourceContext,
    given_instance,
)
from headwater.resources.definition import ResourceDefinition
from headwater.resources.testing import build_resources

__all__ = [
    "ConfigurableLegacyResourceAdapter",
    "IAttachDifferentObjectToOpContext",
    "ConfigurableResource",
    "ConfigurableResourceFactory",
    "PartialResource",
    "ResourceDependency",
    "bind_resources",
    "definition_of",
    "is_resource_class",
    "rebind",
]

T = TypeVar("T")
TResValue = TypeVar("TResValue")
Self = TypeVar("Self", bound="ConfigurableResourceFactory[Any]")

_DEPENDENCY_MARKER = "resource_dependency"


class ResourceDependency(Generic[T]):
    """Annotates a ``ConfigurableResource`` attribute holding a function-style resource or a
    plain object (not a ``ConfigurableResource``), so it is bound as a resource.

    Example: ``class Reporter(ConfigurableResource): client: ResourceDependency[Client]``

    ``ResourceDependency[Client]`` is, at run time, ``Annotated[Client, <marker>]``, which the
    resource layout reads; to a type checker the attribute reads as a ``Client``.
    """

    def __class_getitem__(cls, item: Any) -> Any:
        return Annotated[item, _DEPENDENCY_MARKER]

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @typing.overload
    def __get__(self, obj: None, owner: type) -> ResourceDependency[T]: ...
    @typing.overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: object, owner: type) -> Any:
        return self if obj is None else getattr(obj, self._name)

    def __set__(self, obj: object, value: T) -> None:
        setattr(obj, self._name, value)


_LAYOUTS: dict[type, ResourceLayout] = {}


def _is_widened(annotation: object) -> bool:
    return PartialResource in typing.get_args(annotation)


def _resource_classes(annotation: object) -> list[type]:
    """The ``ConfigurableResourceFactory`` classes an annotation names, alone or in a union."""
    if isinstance(annotation, type):
        return [annotation] if issubclass(annotation, ConfigurableResourceFactory) else []
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _resource_classes(arg)]
    return []


def _is_resource_field(annotation: object, info: FieldInfo) -> bool:
    # `jump_host: SSH | None` on SSH itself must be seen as a resource here: read as config,
    # the class would expand into its own schema forever (issue 9).
    return _DEPENDENCY_MARKER in info.metadata or bool(_resource_classes(annotation))


def _widened(annotation: object) -> object:
    """``annotation`` also accepting a partial resource or a function-style definition."""
    extra = (PartialResource, ResourceDefinition)
    if isinstance(annotation, type):
        return Union[(annotation, *extra)]  # a runtime union of classes
    args = typing.get_args(annotation)
    return Union[(*args, *extra)]  # a runtime union of classes


def _layout(cls: type[ConfigurableResourceFactory[Any]]) -> ResourceLayout:
    layout = _LAYOUTS.get(cls)
    if layout is None:
        nested = frozenset(
            n for n, info in cls.model_fields.items() if _is_resource_field(info.annotation, info)
        )
        shape = config_type_from_model(
            cls, where=f"resource class '{cls.__name__}'", field_filter=lambda n, _: n not in nested
        )
        layout = _LAYOUTS[cls] = ResourceLayout(nested, shape)
    return layout


class ConfigurableResourceFactory(_ConfigBase, Generic[TResValue]):
    """A pydantic resource whose fields are its config and that builds another object.

    Subclass it and implement ``create_resource``; ops receive what it returns. Subclass
    ``ConfigurableResource`` instead when the resource object itself is what ops use.

    Example:
        ``class ClientFactory(ConfigurableResourceFactory[Client]):
            url: str

            def create_resource(self, context: InitResourceContext) -> Client:
                return Client(self.url)``
    """

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # Attributes holding other resources also accept a not-yet-configured resource
        # (configure_at_launch) or a function-style definition; ResourceDependency attributes
        # accept anything, the value is only known once the run initializes it.
        changed = False
        for info in cls.model_fields.values():
            ann = info.annotation
            if _DEPENDENCY_MARKER in info.metadata and ann is not Any:
                info.annotation, changed = Any, True
            elif _resource_classes(ann) and not _is_widened(ann):
                info.annotation = _widened(ann)  # type: ignore[assignment]  # a runtime union
                changed = True
        if changed:
            cls.model_rebuild(force=True)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            super().__setattr__(name, value)
            return
        raise InvalidInvocationError(
            f"'{type(self).__name__}' is a ConfigurableResource and is immutable: cannot set "
            f"'{name}'. Keep run-time state in a PrivateAttr (set in setup_for_execution) or "
            "in a separate client object the resource builds"
        )

    # The init context of the run this object was built for; None outside a run.
    _hw_context: Any = PrivateAttr(default=None)

    def get_resource_context(self) -> InitResourceContext:
        """The init context this resource was initialized with, during a run.

        Raises:
            InvariantViolationError: the resource is not initialized for a run (or by
                ``with_replaced_resource_context``).
        """
        if self._hw_context is None:
            raise InvariantViolationError(
                f"'{type(self).__name__}' has no resource context: it is only set while the "
                "resource is initialized for a run or build_resources; in a test use "
                "resource.with_replaced_resource_context(build_init_resource_context(...))"
            )
        context: InitResourceContext = self._hw_context
        return context

    def with_replaced_resource_context(
        self: Self, replacement_context: InitResourceContext
    ) -> Self:
        """A copy of this resource whose ``get_resource_context()`` is ``replacement_context``.

        Args:
            replacement_context: usually ``build_init_resource_context(...)``, in tests.
        """
        copy = self.model_copy()
        copy._hw_context = replacement_context
        return copy

    @classmethod
    def to_config_schema(cls) -> Shape:
        """The config schema of this class (nested resources left out), for ``@resource``."""
        return _layout(cls).shape

    def create_resource(self, context: InitResourceContext) -> TResValue:
        """Build the object ops receive.

        Args:
            context: the init context; its ``resource_config`` is this resource's config.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement create_resource(context) to build its value"
        )

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Prepare run-time state (``PrivateAttr``) before the first step; default: nothing.

        Args:
            context: the init context of this resource.
        """

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        """Release what ``setup_for_execution`` acquired after the run; default: nothing.

        Args:
            context: the same init context ``setup_for_execution`` received.
        """

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[TResValue]:
        """Hold the resource open for a run: set up, yield the value, tear down.

        Override it to keep a context open for the whole run (a connection, a file).

        Args:
            context: the init context of this resource.

        Yields:
            What ops receive (``create_resource``'s result).
        """
        self.setup_for_execution(context)
        try:
            yield self.create_resource(context)
        finally:
            self.teardown_after_execution(context)

    def get_resource_definition(self) -> ResourceDefinition:
        """This resource as a ``ResourceDefinition``: set values are its config defaults."""
        return PythonicDefinition(type(self), self, {})

    @classmethod
    def _hw_layout(cls) -> ResourceLayout:
        return _layout(cls)

    def _hw_bind(self, keys_by_id: Mapping[int, str], own_key: str | None) -> ResourceDefinition:
        return PythonicDefinition(type(self), self, {}, keys_by_id, own_key)

    @classmethod
    def configure_at_launch(cls: type[Self], **values: Any) -> PartialResource:
        """A resource of this class whose config is given in run config when the run launches.

        Args:
            values: fields known now; they become defaults.

        Example:
            ``Definitions(resources={"db": Database.configure_at_launch()})`` with run
            config ``{"resources": {"db": {"config": {"url": "..."}}}}``.
        """
        return PartialResource(cls, values)

    def process_config_and_initialize(self) -> Any:
        """Initialize this resource outside a run: process its config, run its setup.

        Returns:
            What ops would receive (the resource, or a factory's ``create_resource`` value).

        Raises:
            InvalidInvocationError: the class has teardown behaviour; use
                ``process_config_and_initialize_cm`` so that it runs.
            InvalidConfigError: its values do not satisfy its config (an unset ``EnvVar``).
        """
        _refuse_teardown(type(self), "resource.process_config_and_initialize_cm()")
        with self.process_config_and_initialize_cm() as value:
            return value

    @contextmanager
    def process_config_and_initialize_cm(self) -> Iterator[Any]:
        """Like ``process_config_and_initialize``, as a context manager that tears down."""
        with build_resources({"resource": self}) as resources:
            yield resources.resource

    @classmethod
    def from_resource_context(cls: type[Self], context: InitResourceContext) -> Any:
        """Build the resource from an init context, e.g. inside a function-style resource.

        Raises:
            InvalidInvocationError: the class has teardown behaviour; use
                ``from_resource_context_cm`` so that it runs.
        """
        _refuse_teardown(cls, f"{cls.__name__}.from_resource_context_cm(context)")
        with cls.from_resource_context_cm(context) as value:
            return value

    @classmethod
    @contextmanager
    def from_resource_context_cm(cls: type[Self], context: InitResourceContext) -> Iterator[Any]:
        """Like ``from_resource_context``, as a context manager that also tears down."""
        definition = PythonicDefinition(cls, None, {})
        config = definition.process_config(context.resource_config)
        with definition.open(context.replace(resource_config=config)) as value:
            yield value


def _refuse_teardown(cls: type[ConfigurableResourceFactory[Any]], instead: str) -> None:
    overrides = ("teardown_after_execution", "yield_for_execution")
    if any(getattr(cls, n) is not getattr(ConfigurableResourceFactory, n) for n in overrides):
        raise InvalidInvocationError(
            f"{cls.__name__} tears down after execution; use 'with {instead} as value' instead"
        )


class ConfigurableResource(ConfigurableResourceFactory[Any]):
    """A resource written as a class: typed fields are its config, methods use them.

    Values set when the object is built become config defaults (run config may override
    them); ``EnvVar("NAME")`` values are read when a run starts. The object is immutable;
    keep run-time state in pydantic ``PrivateAttr`` fields set in ``setup_for_execution``.

    Example:
        ``class MyConnectionResource(ConfigurableResource):
            username: str

            def request(self, endpoint: str) -> str:
                return f"GET {endpoint} as {self.username}"``

        ``build_resources({"conn": MyConnectionResource(username="me")})``
    """

    def create_resource(self, context: InitResourceContext) -> Any:
        """The resource is this object itself."""
        return self


class PartialResource:
    """A resource class with some config missing until launch (``configure_at_launch``).

    Args:
        resource_cls: the ``ConfigurableResource`` class.
        values: the fields known now; they become defaults.
    """

    def __init__(self, resource_cls: type[ConfigurableResourceFactory[Any]], values: Any) -> None:
        self.resource_cls = resource_cls
        self.values: dict[str, Any] = dict(values)

    def get_resource_definition(self) -> ResourceDefinition:
        """The definition, whose config comes from run config at launch."""
        return self._hw_bind({}, None)

    def _hw_bind(self, keys_by_id: Mapping[int, str], own_key: str | None) -> ResourceDefinition:
        definition = PythonicDefinition(self.resource_cls, None, self.values, keys_by_id, own_key)
        definition.source = self
        return definition

    def __repr__(self) -> str:
        return f"{self.resource_cls.__name__}.configure_at_launch()"


def definition_of(obj: object) -> ResourceDefinition | None:
    """The definition of a ``ConfigurableResource`` or partial resource; ``None`` otherwise."""
    if isinstance(obj, (ConfigurableResourceFactory, PartialResource)):
        return obj.get_resource_definition()
    return None


def is_resource_class(annotation: type) -> bool:
    """Whether ``annotation`` is a ``ConfigurableResource`` (or factory) class."""
    return issubclass(annotation, ConfigurableResourceFactory)


class ConfigurableLegacyResourceAdapter(ConfigurableResource, abc.ABC):
    """A typed front for a function-style resource: fields are its config.

    Subclass it, declare the config as fields, and return the ``@resource`` definition from
    ``wrapped_resource``; ops then receive what that function builds.

    Example:
        ``class Writer(ConfigurableLegacyResourceAdapter):
            prefix: str

            @property
            def wrapped_resource(self) -> ResourceDefinition:
                return writer_resource``
    """

    @property
    @abc.abstractmethod
    def wrapped_resource(self) -> ResourceDefinition:
        """The function-style definition this class configures."""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[Any]:
        """Run the wrapped resource's function with this resource's config."""
        with build_resources(
            {"wrapped": self.wrapped_resource},
            resource_config={"wrapped": {"config": context.resource_config}},
            instance=given_instance(context),
        ) as resources:
            yield resources.wrapped


_pydantic_hooks.register(
    _pydantic_hooks.PydanticResourceHooks(
        definition_of=definition_of,
        bind_resources=bind_resources,
        rebind=rebind,
        is_resource_class=is_resource_class,
    )
)
