"""``ResourceDefinition``: a function that builds a resource, plus its config and needs."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from headwater._warnings import beta_param_warning
from headwater.config import (
    Any as AnySchema,
    ConfigType,
    Field,
    Shape,
    field_is_required as _field_is_required,
    normalize_schema,
    process_config as _process,
)
from headwater.resources.invocation import invoke_resource

if TYPE_CHECKING:
    from headwater.resources.context import InitResourceContext

__all__ = ["ResourceDefinition", "resource_label"]

ResourceFunction = Callable[..., Any]
ConfigMapping = Callable[[Any], Any]


def _takes_context(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` accepts the init context (it declares at least one parameter)."""
    try:
        return len(inspect.signature(fn).parameters) >= 1
    except (TypeError, ValueError):
        # Builtins without a signature: assume the documented form, a context argument.
        return True


def resource_label(fn: Callable[..., Any]) -> str:
    """The name used for a resource in messages when no key is known (its function's)."""
    return getattr(fn, "__name__", None) or type(fn).__name__


class ResourceDefinition:
    """How to build one resource: a function, the schema of its config and what it needs.

    Most resources are made with ``@resource`` or by subclassing ``ConfigurableResource``;
    construct this class directly only to wrap an existing function.

    Args:
        resource_fn: called with an ``InitResourceContext`` (or with no argument when it
            declares no parameter). It returns the resource, or is a generator that yields
            it exactly once; code after the ``yield`` runs at teardown.
        config_schema: the schema of the resource's config; ``None`` accepts any config.
        description: shown in the UI and the CLI.
        required_resource_keys: keys of other resources this one reads from
            ``context.resources``; they are initialized first.
        version: an opaque version string for memoization.

    Raises:
        InvalidConfigDefinitionError: ``config_schema`` is malformed.

    Example:
        ``ResourceDefinition(lambda ctx: Client(ctx.resource_config["url"]),
        config_schema={"url": str})``
    """

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: Any = None,
        description: str | None = None,
        required_resource_keys: Iterable[str] | None = None,
        version: str | None = None,
    ) -> None:
        if version is not None:
            beta_param_warning("version", "initializer `ResourceDefinition.__init__`")
        self._resource_fn = resource_fn
        self._config_schema = config_schema
        self._label = resource_label(resource_fn)
        where = f"resource '{self._label}'"
        self._config_type: ConfigType = normalize_schema(config_schema, where=where)
        self._description = description
        self._required_resource_keys = frozenset(required_resource_keys or ())
        self._version = version
        self._takes_context = _takes_context(resource_fn)
        # Set by ``configured``: maps this definition's processed config to the config of
        # the definition it was derived from, which is then processed against ``_inner``.
        self._config_mapping: ConfigMapping | None = None
        self._inner: ResourceDefinition | None = None
        self._omitted_shape: Shape | None = None

    # -- properties -------------------------------------------------------------------

    @property
    def resource_fn(self) -> ResourceFunction:
        """The function that builds the resource."""
        return self._resource_fn

    @property
    def config_schema(self) -> ConfigType:
        """The normalized schema node (``Any`` when the resource takes any config).

        Code written for Dagster reads ``resource_def.config_schema.config_type``; every
        node answers ``config_type`` with itself.
        """
        return self._config_type

    @property
    def config_type(self) -> ConfigType:
        """The normalized schema node of the resource's config (``Any`` without a schema)."""
        return self._config_type

    @property
    def description(self) -> str | None:
        """What the resource is for."""
        return self._description

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """Keys of the resources this one needs, initialized before it."""
        return self._required_resource_keys

    @property
    def version(self) -> str | None:
        """The version string given at definition time."""
        return self._version

    @property
    def takes_context(self) -> bool:
        """Whether ``resource_fn`` receives the ``InitResourceContext``."""
        return self._takes_context

    @property
    def is_config_required(self) -> bool:
        """Whether config must be given for this resource (no default covers it)."""
        return self._config_type is not AnySchema and _field_is_required(self._config_type)

    def config_field(self) -> Field:
        """The ``config`` entry of this resource in run config, as a field.

        A resource without a schema takes any config and needs none.
        """
        if self._config_type is AnySchema:
            return Field(AnySchema, is_required=False)
        return Field(self._config_type)

    def __repr__(self) -> str:
        return f"<ResourceDefinition '{self._label}'>"

    # -- config -----------------------------------------------------------------------

    def resolve_config(self, processed: Any, *, key: str | None = None) -> Any:
        """Turn config processed against ``config_type`` into what ``resource_fn`` sees.

        Only ``configured`` definitions change it: their mapping runs and its result is
        processed against the original schema.

        Args:
            processed: config already processed against ``config_type``.
            key: the resource key, used in error paths.

        Raises:
            InvalidConfigError: the mapped config does not fit the original schema.
        """
        if self._config_mapping is None or self._inner is None:
            return processed
        name = key or self._label
        inner_raw = self._config_mapping(processed)
        inner = _process(self._inner.config_type, inner_raw, path=f"resources.{name}.config")
        return self._inner.resolve_config(
            inner.value_or_raise(subject=f"config of resource '{name}' set by configured()"),
            key=key,
        )

    def process_config(self, config: Any, *, key: str | None = None) -> Any:
        """Validate raw ``config`` against the schema, fill defaults and apply ``configured``.

        ``None`` means omitted: the schema's defaults apply.

        Raises:
            InvalidConfigError: every problem, with paths under ``resources.<key>.config``.
        """
        name = key or self._label
        subject = f"config of resource '{name}'"
        if config is not None:
            result = _process(self._config_type, config, path=f"resources.{name}.config")
            return self.resolve_config(result.value_or_raise(subject=subject), key=key)
        if self._config_type is AnySchema:
            return self.resolve_config(None, key=key)
        # Omitted config: processed as an omitted field, so that defaults fill in and a
        # required schema is reported as a missing "config" entry, as in run config.
        if self._omitted_shape is None:
            self._omitted_shape = Shape({"config": self.config_field()})
        result = _process(self._omitted_shape, {}, path=f"resources.{name}")
        processed = result.value_or_raise(subject=subject)
        return self.resolve_config(processed.get("config"), key=key)

    def configured(
        self,
        config_or_config_fn: Any,
        config_schema: Any = None,
        description: str | None = None,
    ) -> ResourceDefinition:
        """Return a copy of this resource with its config fixed or derived.

        Args:
            config_or_config_fn: the config to use (the copy then takes none), or a function
                from the copy's config (validated against ``config_schema``) to this
                resource's config.
            config_schema: the copy's schema when a function is given; ``None`` accepts any.
            description: the copy's description (defaults to this one's).

        Returns:
            A new ``ResourceDefinition`` that builds the same resource.

        Example:
            ``local_db = db_resource.configured({"connection": "sqlite://"})``
        """
        mapping: ConfigMapping
        if callable(config_or_config_fn):
            mapping = config_or_config_fn
        else:
            fixed = config_or_config_fn

            def mapping(_: Any) -> Any:
                return fixed

            # Fixed config leaves nothing to configure: the copy accepts (and ignores) any.
            config_schema = None
        copy = self._new_configured_copy(
            config_schema, description if description is not None else self._description
        )
        copy._label = self._label
        copy._config_mapping = mapping
        copy._inner = self
        return copy

    def _new_configured_copy(
        self, config_schema: Any, description: str | None
    ) -> ResourceDefinition:
        """The bare copy ``configured`` fills in; subclasses return their own kind."""
        return ResourceDefinition(
            self._resource_fn,
            config_schema=config_schema,
            description=description,
            required_resource_keys=self._required_resource_keys,
            version=self._version,
        )

    # -- direct invocation ------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Build the resource outside a run, for tests.

        Call with ``None``, no argument, or a context from ``build_init_resource_context``.
        A generator resource returns a context manager: ``with my_resource(None) as r``.

        Raises:
            InvalidInvocationError: wrong arguments, or required config/resources missing.
            InvalidConfigError: the context's config does not fit the schema.
        """
        return invoke_resource(self, args, kwargs)

    # -- ready-made definitions -------------------------------------------------------

    @staticmethod
    def hardcoded_resource(value: Any, description: str | None = None) -> ResourceDefinition:
        """A resource that is always ``value``.

        Args:
            value: the object ops receive.
            description: shown in the UI and the CLI.
        """
        return _HardcodedResource(value, description)

    @staticmethod
    def mock_resource(description: str | None = None) -> ResourceDefinition:
        """A resource that is a fresh ``unittest.mock.MagicMock`` in each run.

        Args:
            description: shown in the UI and the CLI.
        """

        def mock_resource(_: InitResourceContext) -> Any:
            # Imported here: unittest.mock is only needed by tests that use it.
            from unittest.mock import MagicMock

            return MagicMock()

        return ResourceDefinition(mock_resource, description=description)

    @staticmethod
    def none_resource(description: str | None = None) -> ResourceDefinition:
        """A resource that is ``None``, to satisfy a key that a run does not use.

        Args:
            description: shown in the UI and the CLI.
        """
        return _HardcodedResource(None, description)

    @staticmethod
    def string_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose config is a string and whose value is that string.

        Args:
            description: shown in the UI and the CLI.
        """

        def string_resource(context: InitResourceContext) -> Any:
            return context.resource_config

        return ResourceDefinition(string_resource, config_schema=str, description=description)


class _HardcodedResource(ResourceDefinition):
    """A definition whose value is known up front; ``open_resources`` skips the call."""

    def __init__(self, value: Any, description: str | None) -> None:
        def hardcoded_resource(_: InitResourceContext) -> Any:
            return value

        super().__init__(hardcoded_resource, description=description)
        self.value = value
