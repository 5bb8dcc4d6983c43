"""``@resource``: turn a function into a ``ResourceDefinition``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, overload

from headwater._warnings import beta_param_warning
from headwater.resources.definition import ResourceDefinition, ResourceFunction

__all__ = ["make_values_resource", "resource"]


@overload
def resource(config_schema: ResourceFunction) -> ResourceDefinition: ...


@overload
def resource(
    config_schema: Any = None,
    description: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> Callable[[ResourceFunction], ResourceDefinition]: ...


def resource(
    config_schema: Any = None,
    description: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> ResourceDefinition | Callable[[ResourceFunction], ResourceDefinition]:
    """Define a resource from the function that builds it; usable bare or with arguments.

    The function takes an ``InitResourceContext`` (or nothing) and returns the resource, or
    yields it once; code after the ``yield`` (or in ``finally``) runs at teardown.

    Args:
        config_schema: the schema of the resource's config (``{"connection": str}``, a
            ``Field``, a ``Shape`` ...); ``None`` accepts any config.
        description: shown in the UI and the CLI; defaults to the function's docstring.
        required_resource_keys: keys of other resources read from ``context.resources``.
        version: an opaque version string.

    Returns:
        A ``ResourceDefinition`` (or, with arguments, a decorator making one).

    Raises:
        InvalidConfigDefinitionError: ``config_schema`` is malformed.

    Example:
        ``@resource(config_schema={"connection": str})
        def db_resource(init_context):
            return DatabaseConnection(init_context.resource_config["connection"])``

        ``@resource
        def db_connection():
            conn = connect()
            try:
                yield conn
            finally:
                conn.close()``
    """
    # Bare ``@resource``: the only argument is the function itself. A schema is never a
    # plain function, so this test is unambiguous (types like ``str`` are classes).
    if callable(config_schema) and not isinstance(config_schema, type):
        fn: ResourceFunction = config_schema
        return ResourceDefinition(fn, description=_doc(fn))

    if version is not None:
        beta_param_warning("version", "function `resource`")

    def decorate(fn: ResourceFunction) -> ResourceDefinition:
        return ResourceDefinition(
            fn,
            config_schema=config_schema,
            description=description if description is not None else _doc(fn),
            required_resource_keys=required_resource_keys,
            version=version,
        )

    return decorate


def _doc(fn: ResourceFunction) -> str | None:
    doc = getattr(fn, "__doc__", None)
    return doc.strip() if isinstance(doc, str) and doc.strip() else None


def make_values_resource(**kwargs: Any) -> ResourceDefinition:
    """A resource whose value is its own config: shared values for many ops.

    Args:
        kwargs: field name → schema form (``int``, ``Field(str, default_value="x")`` ...);
            with none, the resource takes any config.

    Returns:
        A `ResourceDefinition` whose value is the processed config.

    Example:
        ``Definitions(resources={"values": make_values_resource(day=str)})``, then
        ``context.resources.values["day"]`` in an op.
    """

    def values(context: Any) -> Any:
        return context.resource_config

    return ResourceDefinition(values, config_schema=dict(kwargs) if kwargs else None)
