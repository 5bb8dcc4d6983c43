"""The ``ResourceDefinition`` behind a ``ConfigurableResource``, and binding nested ones.

Kept apart from ``pythonic`` (the classes users subclass) to keep both modules short; the
classes reach this module through their ``_hw_layout`` / ``_hw_bind`` hooks.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

from headwater._dataclass import dataclass
from headwater.config import Field, Shape
from headwater.config.pythonic import (
    _ConfigBase,
    config_dict_from_model,
    model_from_config,
    to_config_value,
)
from headwater.config.types import ConfigType
from headwater.config.wrappers import Defaulted
from headwater.errors import HeadwaterError, InvalidDefinitionError
from headwater.resources.binding import coerce_resource
from headwater.resources.context import InitResourceContext, given_instance
from headwater.resources.definition import ResourceDefinition
from headwater.resources.lifecycle import open_resources

__all__ = ["PythonicDefinition", "ResourceLayout", "bind_resources", "rebind"]


@dataclass(frozen=True, slots=True)
class ResourceLayout:
    """Which fields of a resource class hold other resources, and the schema of the rest."""

    nested: frozenset[str]
    shape: Shape


def _is_resource_value(value: object) -> bool:
    # ConfigurableResource objects and partial resources know how to bind themselves; the
    # hook is looked up on the type so that a MagicMock value is not mistaken for one.
    return isinstance(value, ResourceDefinition) or hasattr(type(value), "_hw_bind")


class PythonicDefinition(ResourceDefinition):
    """The definition of a ``ConfigurableResource`` object, class or partial resource.

    ``keys_by_id`` maps ``id(object)`` → key for resources bound at the top level: a nested
    resource found there becomes a dependency on that key (unless it is ``own_key``).
    """

    def __init__(
        self,
        resource_cls: type[Any],
        instance: Any,
        values: Mapping[str, Any],
        keys_by_id: Mapping[int, str] | None = None,
        own_key: str | None = None,
    ) -> None:
        layout: ResourceLayout = resource_cls._hw_layout()
        if instance is not None:
            nested_values = {n: getattr(instance, n) for n in layout.nested}
            defaults = config_dict_from_model(
                instance, field_filter=lambda n, _: n not in layout.nested
            )
        else:
            nested_values = {n: values[n] for n in layout.nested if n in values}
            defaults = {n: to_config_value(v) for n, v in values.items() if n not in layout.nested}
        self.resource_cls, self.values = resource_cls, dict(values)
        # Built from a class and launch-time values (configure_at_launch), not an object.
        self.is_partial = instance is None
        self.source: object = instance
        self.bound: dict[str, str] = {}
        self.children: dict[str, ResourceDefinition] = {}
        self.plain: dict[str, Any] = {}
        needs: set[str] = set()
        for name, value in nested_values.items():
            key = (keys_by_id or {}).get(id(value))
            if key is not None and key != own_key:
                self.bound[name] = key
                needs.add(key)
            elif _is_resource_value(value):
                child = _definition(value, keys_by_id, None)
                self.children[name] = child
                needs |= child.required_resource_keys
            else:
                self.plain[name] = value
        # A built object's values are the default of its whole config: run config given for
        # it replaces them (as in the reference). configure_at_launch(**values) instead
        # makes each value the default of its field.
        schema: ConfigType = (
            Defaulted(layout.shape, defaults)
            if instance is not None and defaults
            else _with_defaults(layout.shape, defaults)
        )
        super().__init__(
            self._run,
            config_schema=schema,
            description=(resource_cls.__doc__ or "").strip() or None,
            required_resource_keys=needs,
        )
        self._label = resource_cls.__name__

    def _run(self, context: InitResourceContext) -> Iterator[Any]:
        with self.open(context) as value:
            yield value

    @contextmanager
    def open(self, context: InitResourceContext) -> Iterator[Any]:
        """Build the object from processed config, open nested resources, hold it open."""
        with ExitStack() as stack:
            nested = dict(self.plain)
            for name, key in self.bound.items():
                nested[name] = getattr(context.resources, key)
            if self.children:
                nested.update(self._open_children(context, stack))
            obj = _build(self.resource_cls, context.resource_config or {}, nested)
            obj._hw_context = context  # what get_resource_context() returns during the run
            held = obj.yield_for_execution(context)
            if hasattr(held, "__aenter__"):  # an async context manager
                held = _on_loop(held, context, self.resource_cls.__name__)
            yield stack.enter_context(held)

    def _open_children(self, context: InitResourceContext, stack: ExitStack) -> dict[str, Any]:
        # Nested resources not bound to a key are initialized with (and before) this one,
        # under "Class.field" keys; what they need comes from this resource's resources.
        prefix = self.resource_cls.__name__
        defs: dict[str, ResourceDefinition] = {
            key: ResourceDefinition.hardcoded_resource(getattr(context.resources, key))
            for key in self.required_resource_keys
        }
        for name, child in self.children.items():
            defs[f"{prefix}.{name}"] = child
        opened = stack.enter_context(
            open_resources(
                defs,
                keys=[f"{prefix}.{name}" for name in self.children],
                configs={},
                run_id=context.run_id,
                instance=given_instance(context),
                log=context.log,
                owner=f"resource '{prefix}'",
            )
        )
        return {name: getattr(opened, f"{prefix}.{name}") for name in self.children}


def _build(cls: type[Any], config: Mapping[str, Any], nested: Mapping[str, Any]) -> Any:
    """The resource object for config the run has already validated against the class's
    schema: built without validating it again, unless the class validates or builds
    itself (pydantic validators, its own ``__init__``), which may transform values."""
    if _has_own_init(cls):
        return cls(**config, **nested)
    return model_from_config(cls, config, extra=nested)


def _has_own_init(cls: type[Any]) -> bool:
    found = _OWN_INIT.get(cls)
    if found is None:
        found = _OWN_INIT[cls] = any(
            "__init__" in vars(c) for c in cls.__mro__[: cls.__mro__.index(_ConfigBase)]
        )
    return found


# Resource class → whether a class between it and the config base defines ``__init__``.
_OWN_INIT: weakref.WeakKeyDictionary[type[Any], bool] = weakref.WeakKeyDictionary()


def _with_defaults(shape: Shape, defaults: Mapping[str, Any]) -> Shape:
    """``shape`` with the values set on an object as the fields' defaults."""
    if not defaults:
        return shape
    fields: dict[str, object] = {}
    for name, field in shape.fields.items():
        if name in defaults:
            fields[name] = Field(
                field.config_type, default_value=defaults[name], description=field.description
            )
        else:
            fields[name] = field
    return type(shape)(fields, description=shape.description)


def _definition(
    value: object, keys_by_id: Mapping[int, str] | None, own_key: str | None
) -> ResourceDefinition:
    if isinstance(value, PythonicDefinition) and value.source is not None:
        value = value.source
    if hasattr(type(value), "_hw_bind"):
        bound: ResourceDefinition = value._hw_bind(keys_by_id or {}, own_key)  # type: ignore[attr-defined]  # checked just above
        return bound
    if isinstance(value, PythonicDefinition):
        return PythonicDefinition(value.resource_cls, None, value.values, keys_by_id, own_key)
    return coerce_resource(value)


def bind_resources(resources: Mapping[str, object]) -> dict[str, ResourceDefinition]:
    """Coerce key → resource, making nested resources bound at the top level dependencies.

    Args:
        resources: key → definition, ``ConfigurableResource``, partial resource or value.
    """
    keys_by_id: dict[int, str] = {}
    for key, value in resources.items():
        keys_by_id.setdefault(id(value), key)
        if isinstance(value, PythonicDefinition) and value.source is not None:
            keys_by_id.setdefault(id(value.source), key)
    bound = {key: _definition(value, keys_by_id, key) for key, value in resources.items()}
    for key, definition in bound.items():
        _check_no_unbound_partial(key, definition)
    return bound


def _check_no_unbound_partial(key: str, definition: ResourceDefinition) -> None:
    # A configure_at_launch() resource gets its config from its own run config entry, which
    # exists only when the same object is bound at the top level under a key.
    if not isinstance(definition, PythonicDefinition):
        return
    for name, child in definition.children.items():
        if isinstance(child, PythonicDefinition) and child.is_partial:
            raise InvalidDefinitionError(
                f"resource '{key}': field '{name}' holds {child.source!r}, whose config "
                "comes from run config at launch, but that object is not bound at the top "
                f"level; bind it under a key too, e.g. resources={{'{name}': obj, '{key}': "
                f"...({name}=obj)}}"
            )
        _check_no_unbound_partial(key, child)


def _identities(definition: ResourceDefinition) -> set[int]:
    source = getattr(definition, "source", None)
    return {id(definition)} if source is None else {id(definition), id(source)}


def _has_unbound_match(definition: ResourceDefinition, top: set[int]) -> bool:
    if not isinstance(definition, PythonicDefinition):
        return False
    return any(
        _identities(child) & top or _has_unbound_match(child, top)
        for child in definition.children.values()
    )


def rebind(defs: Mapping[str, ResourceDefinition]) -> Mapping[str, ResourceDefinition]:
    """``defs``, re-bound if a nested resource is also bound at the top level (else as is).

    For callers that coerced each resource on its own (``coerce_resource``), which cannot
    see the other keys.
    """
    top: set[int] = set()
    for definition in defs.values():
        top |= _identities(definition)
    if any(_has_unbound_match(d, top) for d in defs.values()):
        return bind_resources(defs)
    return defs


@contextmanager
def _on_loop(held: Any, context: InitResourceContext, name: str) -> Iterator[Any]:
    """Enter and exit an async ``yield_for_execution`` on the context's event loop.

    A run without a loop gets its own for the resource's lifetime; a resource built
    outside a run (``build_op_context``, ``build_resources``) needs ``event_loop=``, so
    that the op or asset can run on the same loop.
    """
    loop = context.event_loop
    own = None
    if loop is None:
        if context.run_id is None:
            raise HeadwaterError(
                f"resource {name} has an async yield_for_execution, which needs an event "
                "loop; pass event_loop=asyncio.new_event_loop() to build_op_context, "
                "build_asset_context or build_resources, and run the op on the same loop"
            )
        loop = own = context.event_loop = asyncio.new_event_loop()
    try:
        value = loop.run_until_complete(held.__aenter__())
        try:
            yield value
        except BaseException as exc:
            if not loop.run_until_complete(held.__aexit__(type(exc), exc, exc.__traceback__)):
                raise
        else:
            loop.run_until_complete(held.__aexit__(None, None, None))
    finally:
        if own is not None:
            own.close()
