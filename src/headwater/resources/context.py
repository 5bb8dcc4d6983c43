"""What a resource function sees (``InitResourceContext``) and what ops read (``Resources``)."""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.errors import UnknownResourceError
from headwater.resources._instance import resolve_instance

if TYPE_CHECKING:
    import logging

    from headwater.resources.definition import ResourceDefinition

__all__ = [
    "IAttachDifferentObjectToOpContext",
    "InitResourceContext",
    "Resources",
    "resource_logger",
    "context_view",
    "given_instance",
]


def resource_logger() -> logging.Logger:
    """The default ``log`` of an ``InitResourceContext``: a child of the ``headwater`` logger.

    Looked up when a context without a log is built, not at import: a run gives its
    resources its own log, and does not load ``logging``.
    """
    import logging

    return logging.getLogger("headwater").getChild("resources")


class Resources:
    """Initialized resources, read by attribute: ``context.resources.database``.

    Reading a key that is not available raises ``UnknownResourceError`` listing the keys
    that are, so ``hasattr(resources, "x")`` works as expected.

    Args:
        values: key → initialized resource.
    """

    # No public methods: any name may be a resource key. ``key in resources``, iteration and
    # ``vars(resources)`` give the mapping.
    # Values live in the instance ``__dict__`` so that a hit is a plain attribute lookup
    # (ops read resources in hot loops); ``__getattr__`` only runs on a miss.
    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        if values:
            self.__dict__.update(values)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            # Dunder probes (copy, pickle) must see a normal AttributeError.
            raise AttributeError(key)
        raise UnknownResourceError.among(key, self.__dict__)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"resources are read-only; cannot set '{key}'")

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Resources) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable-looking mapping: not hashable

    def __repr__(self) -> str:
        return f"Resources({', '.join(self.__dict__)})"


class IAttachDifferentObjectToOpContext(abc.ABC):
    """A resource that shows ``context.resources`` another object than itself.

    Parameters annotated with the resource's class still receive the resource; code that
    reads ``context.resources.<key>`` receives ``get_object_to_set_on_execution_context()``
    (for example the client the resource wraps, for code written before the resource).
    """

    @abc.abstractmethod
    def get_object_to_set_on_execution_context(self) -> Any:
        """The object ``context.resources.<key>`` gives for this resource."""


def context_view(resources: Resources) -> Resources:
    """``resources`` as an op's context shows them (see `IAttachDifferentObjectToOpContext`)."""
    values = resources.__dict__
    if not any(isinstance(v, IAttachDifferentObjectToOpContext) for v in values.values()):
        return resources
    return Resources(
        {
            k: v.get_object_to_set_on_execution_context()
            if isinstance(v, IAttachDifferentObjectToOpContext)
            else v
            for k, v in values.items()
        }
    )


class InitResourceContext:
    """What a resource function receives while its resource is being built.

    Build one for tests with ``build_init_resource_context``; during a run the executor
    builds it.

    Args:
        resource_config: the resource's processed config.
        resources: the resources this one requires, already initialized.
        resource_def: the definition being initialized.
        instance: the instance the run is recorded in, if any.
        run_id: the id of the run, if any.
        log: where the resource should log; defaults to the ``headwater.resources`` logger.
        dagster_run: the run record, if any.

    Example:
        ``@resource(config_schema={"url": str})
        def client(context: InitResourceContext) -> Client:
            context.log.info("connecting")
            return Client(context.resource_config["url"])``
    """

    __slots__ = (
        "_dagster_run",
        "_exit_stack",
        "_instance",
        "event_loop",
        "log",
        "resource_config",
        "resource_def",
        "resources",
        "run_id",
    )

    def __init__(
        self,
        resource_config: Any = None,
        resources: Resources | Mapping[str, Any] | None = None,
        resource_def: ResourceDefinition | None = None,
        instance: Any = None,
        *,
        run_id: str | None = None,
        log: Any = None,
        dagster_run: Any = None,
        event_loop: Any = None,
    ) -> None:
        self.resource_config: Any = resource_config
        self.resources: Resources = (
            resources if isinstance(resources, Resources) else Resources(resources)
        )
        self.resource_def: ResourceDefinition | None = resource_def
        # The instance as given: an `EphemeralInstance` cell is resolved when read.
        self._instance: Any = instance
        self.run_id: str | None = run_id
        self.log: Any = log if log is not None else resource_logger()
        self._dagster_run: Any = dagster_run
        self._exit_stack: ExitStack | None = None
        # The loop that runs an async `yield_for_execution` (None: none was given).
        self.event_loop: Any = event_loop

    @property
    def instance(self) -> Any:
        """The instance the run is recorded in; outside a run, an ephemeral (in-memory) one
        unless the builder was given one."""
        return resolve_instance(self._instance)

    @instance.setter
    def instance(self, value: Any) -> None:
        self._instance = value

    @property
    def dagster_run(self) -> Any:
        """The run record the resource is initialized for; ``None`` outside a run."""
        # run_id first: outside a run, reading the instance would make one for nothing.
        if self._dagster_run is None and self.run_id is not None and self.instance is not None:
            # Read on first use: most resources never look at it.
            self._dagster_run = self.instance.get_run(self.run_id)
        return self._dagster_run

    @property
    def log_manager(self) -> Any:
        """The same logger as ``log`` (Dagster's older spelling)."""
        return self.log

    def replace(self, **changes: Any) -> InitResourceContext:
        """A copy of this context with some attributes changed (teardown stays here)."""
        fields = {
            "resource_config": self.resource_config,
            "resources": self.resources,
            "resource_def": self.resource_def,
            "instance": self._instance,  # a cell stays one: the copy shares its instance
            "run_id": self.run_id,
            "log": self.log,
            "dagster_run": self._dagster_run,
            "event_loop": self.event_loop,
        }
        fields.update(changes)
        return InitResourceContext(**fields)

    def attach_teardown(self, stack: ExitStack) -> None:
        """Make exiting (or closing) this context close ``stack``; used by the builders."""
        self._exit_stack = stack

    def close(self) -> None:
        """Tear down the resources that ``build_init_resource_context`` initialized."""
        stack, self._exit_stack = self._exit_stack, None
        if stack is not None:
            stack.close()

    def __enter__(self) -> InitResourceContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"InitResourceContext(run_id={self.run_id!r}, resources={self.resources!r})"


def given_instance(context: InitResourceContext) -> Any:
    """``context``'s instance as it was given, for a resource that opens others with it: an
    ephemeral one nobody has read yet stays unmade, and is shared with them."""
    return context._instance
