"""Ordering resources by their dependencies, and opening and closing them for a run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import GeneratorType
from typing import Any, Protocol

from headwater.errors import InvalidConfigError, InvalidDefinitionError, ResourceFunctionError
from headwater.resources.binding import bind_nested
from headwater.resources.context import InitResourceContext, Resources, resource_logger
from headwater.resources.definition import ResourceDefinition, _HardcodedResource
from headwater.resources.invocation import (
    finish_generator,
    first_yield,
    is_context_manager_result,
)

__all__ = ["ResourceListener", "open_resources", "resource_init_order"]

_MISSING: Any = object()


class ResourceListener(Protocol):
    """Receives what happens to resources while a run opens and closes them.

    The executor implements it to record resource events; every method must return
    quickly and must not raise.
    """

    def on_init_started(self, key: str) -> None:
        """Resource ``key`` is about to be initialized."""

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        """Resource ``key`` was initialized in ``seconds``."""

    def on_init_failed(self, key: str, error: BaseException) -> None:
        """Initializing ``key`` raised ``error`` (a ``ResourceFunctionError`` or config error)."""

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        """Tearing down ``key`` raised ``error``; the run goes on tearing down the rest."""


def _add_hint(owner: str) -> str:
    kind, _, name = owner.partition(" ")
    if name:
        return f"add it to the {kind}'s resource_defs"
    return f"add it to the resources given to {owner}"


def resource_init_order(
    defs: Mapping[str, ResourceDefinition],
    needed: Iterable[str],
    *,
    owner: str,
    needed_by: Mapping[str, str] | None = None,
) -> list[str]:
    """The keys to initialize for ``needed``: its closure over dependencies, in order.

    Dependencies come before the resources that need them: resources without dependencies
    first, then those whose dependencies are all initialized, and so on; alphabetical
    within each level, as in the reference.

    Args:
        defs: every resource bound where the run happens (key → definition).
        needed: the keys the steps use.
        owner: who binds ``defs``, for messages (``"job 'connect'"``).
        needed_by: what needs some of the ``needed`` keys (``"type 'Rows'"``), named when
            that key is missing.

    Returns:
        Each key of the closure once, dependencies first.

    Raises:
        InvalidDefinitionError: a needed or required key is not in ``defs`` (the message
            names the resource, the key and ``owner``), or the dependencies form a cycle
            (the message prints it: ``a → b → a``).
    """
    return _init_order(bind_nested(defs), needed, owner, needed_by)


def _init_order(
    defs: Mapping[str, ResourceDefinition],
    needed: Iterable[str],
    owner: str,
    needed_by: Mapping[str, str] | None = None,
) -> list[str]:
    """`resource_init_order` for ``defs`` whose nested resources are already bound."""
    users = needed_by or {}
    position = {key: i for i, key in enumerate(defs)}
    order: list[str] = []
    done: set[str] = set()
    path: list[str] = []

    def visit(key: str, dependent: str | None) -> None:
        if key in done:
            return
        if key in path:
            cycle = " → ".join([*path[path.index(key) :], key])
            raise InvalidDefinitionError(
                f"resource dependency cycle: {cycle} (in {owner}); "
                "remove one of these required_resource_keys"
            )
        definition = defs.get(key)
        if definition is None:
            if dependent is None and key in users:
                # The reference's words first (naming what needs it), then the fix.
                raise InvalidDefinitionError(
                    f"resource with key '{key}' required by {users[key]} was not "
                    f"provided: {owner} does not provide it; {_add_hint(owner)}"
                )
            if dependent is None:
                raise InvalidDefinitionError(
                    f"resource '{key}' is required, but {owner} does not provide it; "
                    f"{_add_hint(owner)}"
                )
            raise InvalidDefinitionError(
                f"resource '{dependent}' requires '{key}', which {owner} does not provide; "
                f"{_add_hint(owner)}"
            )
        path.append(key)
        # Sorted by binding order: a frozenset's own order changes between processes.
        for dep in sorted(definition.required_resource_keys, key=lambda k: position.get(k, -1)):
            visit(dep, key)
        path.pop()
        done.add(key)
        order.append(key)

    for key in needed:
        visit(key, None)
    # As in the reference: level by level (a resource one level above its deepest
    # dependency), alphabetical within a level, so the order never depends on dict order.
    level: dict[str, int] = {}
    for key in order:  # dependencies come first in `order`
        deps = defs[key].required_resource_keys
        level[key] = 1 + max((level[d] for d in deps), default=-1)
    return sorted(order, key=lambda k: (level[k], k))


def _call_resource_fn(
    key: str, definition: ResourceDefinition, context: InitResourceContext
) -> tuple[Any, Callable[[], object] | None]:
    """Build one resource; return it and its teardown (``None`` when it has none)."""
    fn = definition.resource_fn
    try:
        result = fn(context) if definition.takes_context else fn()
        if isinstance(result, GeneratorType):
            return first_yield(result, key), lambda: finish_generator(result, key)
        if is_context_manager_result(result):
            return result.__enter__(), lambda: result.__exit__(None, None, None)
    except ResourceFunctionError:
        raise
    except Exception as exc:
        raise ResourceFunctionError(
            f"error initializing resource '{key}': {type(exc).__name__}: {exc}",
            user_exception=exc,
            original_exc_info=(type(exc), exc, exc.__traceback__),
        ) from exc
    return result, None


class _RunResources:
    """The resources of one run that are up, with their teardowns (closed in reverse)."""

    __slots__ = (
        "dagster_run",
        "event_loop",
        "instance",
        "listener",
        "log",
        "run_id",
        "teardowns",
        "values",
    )

    def __init__(
        self,
        listener: ResourceListener | None,
        *,
        log: Any,
        run_id: str | None,
        instance: Any,
        dagster_run: Any = None,
        event_loop: Any = None,
    ) -> None:
        self.values: dict[str, Any] = {}
        self.teardowns: list[tuple[str, Callable[[], object]]] = []
        self.listener = listener
        self.log = log
        self.run_id = run_id
        self.instance = instance
        self.dagster_run = dagster_run
        self.event_loop = event_loop

    def open(self, key: str, definition: ResourceDefinition, config: Any) -> None:
        """Initialize one resource whose dependencies are already up."""
        listener = self.listener
        started = 0.0
        if listener is not None:
            listener.on_init_started(key)
            started = time.perf_counter()
        if type(definition) is _HardcodedResource:
            # The common case for plain objects: nothing to call, nothing to validate.
            self.values[key] = definition.value
        else:
            try:
                if config is _MISSING:
                    config = definition.process_config(None, key=key)
                else:
                    config = definition.resolve_config(config, key=key)
                context = InitResourceContext(
                    resource_config=config,
                    resources={k: self.values[k] for k in definition.required_resource_keys},
                    resource_def=definition,
                    instance=self.instance,
                    run_id=self.run_id,
                    log=self.log,
                    dagster_run=self.dagster_run,
                    event_loop=self.event_loop,
                )
                value, teardown = _call_resource_fn(key, definition, context)
            except (ResourceFunctionError, InvalidConfigError) as exc:
                if listener is not None:
                    listener.on_init_failed(key, exc)
                raise
            if teardown is not None:
                self.teardowns.append((key, teardown))
            self.values[key] = value
        if listener is not None:
            listener.on_init_succeeded(key, time.perf_counter() - started)

    def close(self, *, failing: bool) -> None:
        """Tear everything down; raise only when nothing else failed and nobody listens."""
        errors: list[tuple[str, Exception]] = []
        while self.teardowns:
            key, teardown = self.teardowns.pop()
            try:
                teardown()
            except Exception as exc:
                errors.append((key, exc))
                if self.listener is not None:
                    self.listener.on_teardown_failed(key, exc)
                elif failing:
                    # The run's own error is what the caller sees; keep this one visible.
                    log = self.log if self.log is not None else resource_logger()
                    log.error("error tearing down resource '%s'", key, exc_info=exc)
        if errors and self.listener is None and not failing:
            described = "; ".join(f"'{k}': {type(e).__name__}: {e}" for k, e in errors)
            first = errors[0][1]
            raise ResourceFunctionError(
                f"error tearing down resource {described}",
                user_exception=first,
                original_exc_info=(type(first), first, first.__traceback__),
            ) from first


@contextmanager
def open_resources(
    defs: Mapping[str, ResourceDefinition],
    *,
    keys: Iterable[str],
    configs: Mapping[str, Any],
    run_id: str | None = None,
    instance: Any = None,
    log: Any = None,
    listener: ResourceListener | None = None,
    owner: str = "the run",
    dagster_run: Any = None,
    event_loop: Any = None,
    ordered: bool = False,
) -> Iterator[Resources]:
    """Initialize the closure of ``keys`` once each, in dependency order; tear down on exit.

    Args:
        defs: every resource bound for the run.
        keys: the keys the run needs, closed over dependencies and ordered here unless
            ``ordered`` says they already are.
        configs: processed config per key; a key without an entry gets its schema's
            defaults (and an error if its config is required).
        run_id: given to each ``InitResourceContext``.
        instance: given to each ``InitResourceContext``.
        log: given to each ``InitResourceContext`` (default: the resources logger).
        listener: told about each init and each teardown failure.
        owner: who binds ``defs``, for messages.
        dagster_run: the run record each ``InitResourceContext`` exposes (looked up from
            ``instance`` and ``run_id`` on use when not given).
        event_loop: the loop that runs async ``yield_for_execution`` methods (a run
            without one makes its own when a resource needs it).
        ordered: ``keys`` is already what ``resource_init_order`` returned for ``defs``
            (a run computes its closure once, when it is prepared).

    Yields:
        The initialized resources (every key of the closure).

    Raises:
        ResourceFunctionError: a resource function raised (``__cause__`` is its exception);
            resources already up are torn down first. Also raised after teardown when a
            teardown raised, no listener was given and nothing else failed.
        InvalidConfigError: a resource without an entry in ``configs`` requires config.
        InvalidDefinitionError: see ``resource_init_order``.
    """
    defs = bind_nested(defs)  # once: the order and the definitions opened must agree
    order = list(keys) if ordered else _init_order(defs, keys, owner)
    run = _RunResources(
        listener,
        log=log,  # None: each InitResourceContext's default, found when one is built
        run_id=run_id,
        instance=instance,
        dagster_run=dagster_run,
        event_loop=event_loop,
    )
    try:
        for key in order:
            run.open(key, defs[key], configs.get(key, _MISSING))
        resources = Resources(run.values)
    except BaseException:
        run.close(failing=True)
        raise
    try:
        yield resources
    except BaseException:
        run.close(failing=True)
        raise
    run.close(failing=False)
