"""Opt-in resource scopes for out-of-process executors.

The documented contract: with the in-process executor a resource lives for the run; with
an executor that runs steps in other processes each step initializes the resources it
needs at its start and tears them down at its end (scope ``"step"``, the default). A
resource that is expensive to build (a connection pool, a client to a cluster) may opt
into a longer life in a step process:

* ``"run"``: built once per run in each worker process that needs it, torn down when the
  run ends;
* ``"worker"``: built once per warm worker (for each distinct config) and torn down when
  the worker stops, shared by the steps of every run that worker serves.

The in-process executor ignores scopes: it already builds every resource once per run.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any, Literal

from headwater.errors import InvalidDefinitionError
from headwater.resources import ResourceDefinition, Resources, coerce_resource, open_resources

__all__ = ["LongLivedResources", "ResourceScope", "resource_scope", "with_resource_scope"]

ResourceScope = Literal["step", "run", "worker"]
_SCOPES: tuple[str, ...] = ("step", "run", "worker")
_SCOPE_ATTRIBUTE = "_headwater_resource_scope"


def with_resource_scope(resource: object, scope: ResourceScope) -> ResourceDefinition:
    """``resource`` declared to live for ``scope`` in step processes.

    Args:
        resource: a ``ResourceDefinition``, a ``ConfigurableResource`` or any object.
        scope: ``"step"`` (the default lifecycle), ``"run"`` or ``"worker"``.

    Returns:
        A resource definition to bind in place of ``resource``.

    Raises:
        InvalidDefinitionError: ``scope`` is not one of the three.

    Example:
        ``Definitions(jobs=[etl], resources={"warehouse": with_resource_scope(Pool(), "worker")})``
    """
    if scope not in _SCOPES:
        raise InvalidDefinitionError(
            f"resource scope {scope!r} is not one of {list(_SCOPES)}; use 'step' (each step "
            "builds it), 'run' (once per run and worker) or 'worker' (once per warm worker)"
        )
    definition = copy.copy(coerce_resource(resource))
    setattr(definition, _SCOPE_ATTRIBUTE, scope)
    return definition


def resource_scope(definition: ResourceDefinition) -> ResourceScope:
    """The scope ``definition`` declares (``"step"`` unless it opted into another)."""
    scope: ResourceScope = getattr(definition, _SCOPE_ATTRIBUTE, "step")
    return scope


class LongLivedResources:
    """Resources of scope ``run`` and ``worker`` kept open in one worker process."""

    def __init__(self) -> None:
        self._stacks: dict[tuple[str, str], ExitStack] = {}
        self._values: dict[tuple[str, str, str], Any] = {}

    def get(
        self,
        defs: Mapping[str, ResourceDefinition],
        *,
        key: str,
        scope: ResourceScope,
        owner: str,
        configs: Mapping[str, Any],
        run_id: str,
        instance: Any,
        listener: Any,
    ) -> Any:
        """The value of resource ``key``, built on first use in this scope (with the
        resources it depends on, which then live as long)."""
        holder = run_id if scope == "run" else f"{owner}:{_fingerprint(configs.get(key))}"
        cache_key = (scope, holder, key)
        if cache_key in self._values:
            return self._values[cache_key]
        stack = self._stacks.setdefault((scope, holder), ExitStack())
        resources: Resources = stack.enter_context(
            open_resources(
                defs,
                keys=[key],
                configs=configs,
                run_id=run_id,
                instance=instance,
                listener=listener,
                owner=owner,
            )
        )
        value = getattr(resources, key)
        self._values[cache_key] = value
        return value

    def close_run(self, run_id: str) -> None:
        """Tear down the ``run``-scoped resources of ``run_id`` (the run ended)."""
        self._close(lambda scope, holder: scope == "run" and holder == run_id)

    def close_all(self) -> None:
        """Tear down everything (the worker is stopping)."""
        self._close(lambda scope, holder: True)

    def _close(self, which: Any) -> None:
        for scope, holder in [k for k in self._stacks if which(*k)]:
            stack = self._stacks.pop((scope, holder))
            for cache_key in [k for k in self._values if k[:2] == (scope, holder)]:
                del self._values[cache_key]
            stack.close()


def _fingerprint(config: Any) -> str:
    return json.dumps(config, sort_keys=True, default=repr)
