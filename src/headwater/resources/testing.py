"""Building resources outside a run: ``build_resources`` and ``build_init_resource_context``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from headwater.config import Shape, process_config
from headwater.resources._instance import EphemeralInstance
from headwater.resources.binding import coerce_resources
from headwater.resources.context import InitResourceContext, Resources
from headwater.resources.definition import ResourceDefinition
from headwater.resources.lifecycle import open_resources

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop  # asyncio costs ~15 ms to import; only named here

__all__ = ["build_init_resource_context", "build_resources"]

_OWNER = "build_resources"


def _process_resource_config(
    defs: Mapping[str, ResourceDefinition], resource_config: Mapping[str, Any]
) -> dict[str, Any]:
    """Process ``{key: {"config": ...}}`` for every resource, collecting every problem."""
    # The same shape run config gives resources, so messages and paths match a job's.
    schema = Shape({key: Shape({"config": d.config_field()}) for key, d in defs.items()})
    processed = process_config(schema, resource_config, path="resources").value_or_raise(
        subject="resource config"
    )
    return {key: entry["config"] for key, entry in processed.items() if "config" in entry}


@contextmanager
def build_resources(
    resources: Mapping[str, Any],
    instance: Any = None,
    resource_config: Mapping[str, Any] | None = None,
    dagster_run: Any = None,
    log_manager: Any = None,
    event_loop: AbstractEventLoop | None = None,
) -> Iterator[Resources]:
    """Initialize resources outside a run, e.g. in a script or a test.

    Every resource given is initialized (dependencies first) and torn down in reverse
    order when the ``with`` block ends.

    Args:
        resources: key → ``ResourceDefinition``, ``ConfigurableResource`` or plain value.
        instance: passed to each ``InitResourceContext``; without one, they share an
            ephemeral (in-memory) instance, made when first read and disposed on exit.
        resource_config: config per key, shaped like run config:
            ``{"db": {"config": {"connection": "sqlite://"}}}``.
        dagster_run: the run record resources see as ``context.dagster_run`` (and its id as
            ``context.run_id``).
        log_manager: the logger resources receive as ``context.log``.
        event_loop: the loop that runs resources whose ``yield_for_execution`` is async
            (they need one here).

    Yields:
        The initialized resources, by attribute: ``resources.db``.

    Raises:
        InvalidConfigError: every problem in ``resource_config``, with its path.
        InvalidDefinitionError: a dependency is missing or the dependencies form a cycle.
        ResourceFunctionError: a resource function raised.

    Example:
        ``with build_resources({"db_connection": db, "credentials": creds}) as resources:
            conn = resources.db_connection``
    """
    defs = coerce_resources(resources)
    configs = _process_resource_config(defs, resource_config or {})
    ephemeral = (
        EphemeralInstance("the `with build_resources(...)` block") if instance is None else None
    )
    try:
        with open_resources(
            defs,
            keys=defs,
            configs=configs,
            instance=instance if ephemeral is None else ephemeral,
            log=log_manager,
            owner=_OWNER,
            run_id=getattr(dagster_run, "run_id", None),
            dagster_run=dagster_run,
            event_loop=event_loop,
        ) as built:
            yield built
    finally:
        if ephemeral is not None:
            ephemeral.dispose()  # after the teardowns, which may still read it


def build_init_resource_context(
    config: Any = None,
    resources: Mapping[str, Any] | None = None,
    instance: Any = None,
) -> InitResourceContext:
    """Build the context a resource function receives, to call a resource in a test.

    Resources given as definitions (or ``ConfigurableResource``) are initialized now; use
    the context in a ``with`` block to tear them down afterwards.

    Args:
        config: the resource's config, raw; it is validated when the resource is called.
        resources: the resources the resource under test requires (values or definitions).
        instance: the instance to expose as ``context.instance`` (and to the resources
            given). Without one, an ephemeral (in-memory) instance, made when first read;
            leaving the ``with`` block disposes it.

    Returns:
        An ``InitResourceContext``; also a context manager.

    Example:
        ``context = build_init_resource_context(resources={"foo": "foo_str"},
        config={"bar": "bar_str"})
        assert my_resource(context) == ("foo_str", "bar_str")``
    """
    stack = ExitStack()
    if instance is None:
        ephemeral = EphemeralInstance("the `with build_init_resource_context(...)` block")
        stack.callback(ephemeral.dispose)  # registered first: runs after the teardowns
        instance = ephemeral
    values: Resources | None = None
    if resources:
        defs = coerce_resources(resources)
        values = stack.enter_context(
            open_resources(
                defs,
                keys=defs,
                configs={},
                instance=instance,
                owner="build_init_resource_context",
            )
        )
    context = InitResourceContext(resource_config=config, resources=values, instance=instance)
    context.attach_teardown(stack)
    return context
