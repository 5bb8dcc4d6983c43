"""Calling an op directly, outside a job, as tests do: ``my_op(build_op_context(), 1)``."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from headwater._dataclass import dataclass
from headwater.config import Shape, process_config
from headwater.errors import InvalidDefinitionError, InvalidInvocationError, InvariantViolationError
from headwater.execution.asset_context import AssetExecutionContext
from headwater.execution.check_context import (
    AssetCheckExecutionContext,
    DirectAssetCheckExecutionContext,
)
from headwater.execution.compute import call_compute
from headwater.execution.context import OpExecutionContext, RunLog
from headwater.execution.typecheck import check_direct_result
from headwater.resources import Resources, build_resources
from headwater.resources._instance import EphemeralInstance, resolve_instance
from headwater.resources.context import context_view

if TYPE_CHECKING:
    import asyncio

    from headwater.assets.definition import AssetsDefinition
    from headwater.events import RunEvent
    from headwater.jobs.op import OpDefinition
    from headwater.partitions import PartitionKeyRange
    from headwater.storage import Instance

__all__ = [
    "DirectAssetContext",
    "DirectOpContext",
    "build_asset_check_context",
    "build_asset_context",
    "build_op_context",
    "invoke_op",
]


_C = TypeVar("_C", bound="_ClosesResources")


class _ClosesResources:
    """Closing a direct context tears down the resources it initialized."""

    _stack: contextlib.ExitStack
    _instance_given: Any

    @property  # the run contexts hold a plain attribute; a direct one resolves it when read
    def instance(self) -> Any:
        """The instance given, else (as the reference's) an ephemeral one, made when first
        read and shared with the context's resources."""
        return resolve_instance(self._instance_given)

    @instance.setter
    def instance(self, value: Any) -> None:
        self._instance_given = value

    def close(self) -> None:
        """Tear down the resources this context initialized."""
        self._stack.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _instance_cell(instance: Any, stack: contextlib.ExitStack, builder: str) -> Any:
    """What a direct context and its resources see as the instance: ``instance``, else an
    ephemeral one made when first read and disposed when the context closes, after its
    resources' teardowns (registered before them: the stack unwinds last in, first out)."""
    if instance is not None:
        return instance
    cell = EphemeralInstance(f"the `with {builder}(...)` block")
    stack.callback(cell.dispose)
    return cell


def _direct_context_args(
    resources: Resources,
    op_config: Any,
    instance: Instance | None,
    partition_key: str | None,
    run_tags: Mapping[str, str] | None,
    events: list[RunEvent],
) -> dict[str, Any]:
    return {
        "op_def": None,  # bound when the op is invoked
        "op_config": op_config,
        "resources": resources,
        "log": RunLog(events.append, run_id="EPHEMERAL", job_name="ephemeral"),
        "run": None,
        "run_config": {},
        "job_def": None,
        "step_key": "ephemeral",
        "instance": instance,
        "partition_key": partition_key,
        "tags": run_tags,
    }


class DirectOpContext(_ClosesResources, OpExecutionContext):
    """A context built for calling an op directly; its resources live until it is closed.

    Use it as a context manager (``with build_op_context(...) as context:``) to tear the
    resources down at the end of the block.
    """

    def __init__(
        self,
        *,
        resources: Resources,
        stack: contextlib.ExitStack,
        op_config: Any,
        instance: Instance | None,
        partition_key: str | None,
        run_tags: Mapping[str, str] | None,
        mapping_key: str | None = None,
        partition_key_range: PartitionKeyRange | None = None,
        event_loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.events: list[RunEvent] = []
        super().__init__(
            **_direct_context_args(
                resources, op_config, instance, partition_key, run_tags, self.events
            ),
            mapping_key=mapping_key,
            partition_key_range=partition_key_range,
        )
        self._stack = stack
        self._event_loop = event_loop  # resources were set up on it; kept for reference


class DirectAssetContext(_ClosesResources, AssetExecutionContext):
    """A context built for calling an asset directly (``build_asset_context``).

    The asset it belongs to is bound when the asset is invoked with it.
    """

    def __init__(
        self,
        *,
        resources: Resources,
        stack: contextlib.ExitStack,
        op_config: Any,
        instance: Instance | None,
        partition_key: str | None,
        partition_key_range: Any,
        run_tags: Mapping[str, str] | None,
    ) -> None:
        self.events: list[RunEvent] = []
        # The op-level part only: the assets part waits for bind_assets_def.
        OpExecutionContext.__init__(
            self,
            **_direct_context_args(
                resources, op_config, instance, partition_key, run_tags, self.events
            ),
        )
        self._stack = stack
        self.assets_def = None  # type: ignore[assignment]  # bound at invocation
        self._key_range = partition_key_range
        self._op_key_range = partition_key_range
        self._selected = frozenset()

    def bind_assets_def(self, assets_def: AssetsDefinition) -> None:
        """Bind the asset being invoked with this context (every key is selected)."""
        self.assets_def = assets_def
        self._selected = frozenset(assets_def.keys)


def build_op_context(
    resources: Mapping[str, Any] | None = None,
    op_config: Any = None,
    resources_config: Mapping[str, Any] | None = None,
    instance: Instance | None = None,
    config: Any = None,
    partition_key: str | None = None,
    partition_key_range: PartitionKeyRange | None = None,
    mapping_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
    event_loop: asyncio.AbstractEventLoop | None = None,
) -> DirectOpContext:
    """Build a context for invoking an op directly in a test.

    Args:
        resources: resource key → resource (definition, ``ConfigurableResource`` or value);
            initialized now, torn down when the context closes.
        op_config: the op's config (validated against the op's schema at invocation).
        resources_config: config per resource key (``{"db": {"config": ...}}`` or the
            config itself).
        instance: the instance the op sees.
        config: the same as ``op_config`` (the older spelling).
        partition_key: the partition the op sees.
        partition_key_range: the partition range the op sees
            (``context.partition_key_range``); not with ``partition_key``.
        mapping_key: the dynamic mapping key the op sees (``context.get_mapping_key()``),
            as if it ran mapped over a dynamic output.
        run_tags: the tags the op sees.
        event_loop: the loop that sets up and tears down resources whose
            ``yield_for_execution`` is async; such resources need one.

    Returns:
        A context to pass as the op's first argument.

    Example:
        ``assert my_op(build_op_context(resources={"db": FakeDb()}), 2) == 4``
    """
    if op_config is not None and config is not None:
        raise InvalidInvocationError("build_op_context: pass op_config or config, not both")
    if partition_key is not None and partition_key_range is not None:
        raise InvalidInvocationError(
            "build_op_context: pass partition_key or partition_key_range, not both"
        )
    stack = contextlib.ExitStack()
    instance = _instance_cell(instance, stack, "build_op_context")
    built = stack.enter_context(
        build_resources(
            resources or {},
            instance=instance,
            resource_config=resources_config,
            event_loop=event_loop,
        )
    )
    return DirectOpContext(
        resources=built,
        stack=stack,
        op_config=op_config if op_config is not None else config,
        instance=instance,
        partition_key=partition_key,
        run_tags=run_tags,
        mapping_key=mapping_key,
        partition_key_range=partition_key_range,
        event_loop=event_loop,
    )


def build_asset_context(
    resources: Mapping[str, Any] | None = None,
    resources_config: Mapping[str, Any] | None = None,
    asset_config: Mapping[str, Any] | None = None,
    instance: Instance | None = None,
    partition_key: str | None = None,
    partition_key_range: PartitionKeyRange | None = None,
    run_tags: Mapping[str, str] | None = None,
    event_loop: asyncio.AbstractEventLoop | None = None,
) -> DirectAssetContext:
    """Build a context for invoking an asset directly in a test.

    Args:
        resources: resource key → resource; initialized now, torn down when the context
            closes.
        resources_config: config per resource key.
        asset_config: the asset's config.
        instance: the instance the asset sees.
        partition_key: the partition the asset sees.
        partition_key_range: the range of partitions the asset sees.
        run_tags: the tags the asset sees.
        event_loop: the loop that sets up and tears down resources whose
            ``yield_for_execution`` is async; such resources need one.

    Returns:
        A context to pass as the asset's first argument: ``my_asset(build_asset_context())``.
    """
    stack = contextlib.ExitStack()
    instance = _instance_cell(instance, stack, "build_asset_context")
    built = stack.enter_context(
        build_resources(
            resources or {},
            instance=instance,
            resource_config=resources_config,
            event_loop=event_loop,
        )
    )
    return DirectAssetContext(
        resources=built,
        stack=stack,
        op_config=asset_config,
        instance=instance,
        partition_key=partition_key,
        partition_key_range=partition_key_range,
        run_tags=run_tags,
    )


def build_asset_check_context(
    resources: Mapping[str, Any] | None = None,
    resources_config: Mapping[str, Any] | None = None,
    asset_config: Mapping[str, Any] | None = None,
    instance: Instance | None = None,
) -> DirectAssetCheckExecutionContext:
    """Build a context for invoking an asset check directly in a test.

    Args:
        resources: resource key → resource; initialized now, torn down when the context
            closes.
        resources_config: config per resource key.
        asset_config: the check's config.
        instance: the instance the check sees.

    Returns:
        An ``AssetCheckExecutionContext`` to pass as the check's first argument.
    """
    return DirectAssetCheckExecutionContext(
        build_op_context(
            resources=resources,
            resources_config=resources_config,
            op_config=asset_config,
            instance=instance,
        )
    )


def build_solid_context(
    resources: Mapping[str, Any] | None = None,
    solid_config: Any = None,
    resources_config: Mapping[str, Any] | None = None,
    instance: Instance | None = None,
    config: Any = None,
    partition_key: str | None = None,
    mapping_key: str | None = None,
) -> DirectOpContext:
    """``build_op_context`` under its legacy (0.15) name, with ``solid_config``.

    Example:
        ``assert my_solid(build_solid_context(solid_config={"n": 1}), 2) == 3``
    """
    return build_op_context(
        resources=resources,
        op_config=solid_config,
        resources_config=resources_config,
        instance=instance,
        config=config,
        partition_key=partition_key,
        mapping_key=mapping_key,
    )


def _split_context(
    op_def: OpDefinition, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, tuple[Any, ...]]:
    first_is_context = bool(args) and isinstance(args[0], OpExecutionContext)
    if op_def.signature.has_context:
        if first_is_context or (args and args[0] is None):
            return args[0], args[1:]
        name = next(iter(inspect.signature(op_def.compute_fn).parameters))
        if not args and name in kwargs:
            return kwargs.pop(name), args
        raise InvalidInvocationError(
            f"op '{op_def.name}' takes a context as its first argument, but none was given; "
            f"call it as {op_def.name}(build_op_context(...), ...)"
        )
    if first_is_context:
        if op_def.required_resource_keys or op_def.config_type is not None:
            return args[0], args[1:]  # the context carries resources or config only
        raise InvalidInvocationError(
            f"op '{op_def.name}' has no context parameter, but a context was given as its "
            "first argument; drop it"
        )
    return None, args


def _positional_params(op_def: OpDefinition) -> list[str]:
    params = [
        p
        for p in inspect.signature(op_def.compute_fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return [p.name for p in params[1 if op_def.signature.has_context else 0 :]]


@dataclass(slots=True)
class _Arguments:
    inputs: dict[str, Any]
    resources: dict[str, Any]
    config: Any


def _sort_arguments(
    op_def: OpDefinition, rest: tuple[Any, ...], kwargs: dict[str, Any]
) -> _Arguments:
    """Sort the arguments of a direct call into inputs, resources and config."""
    sig = op_def.signature
    names = list(sig.input_params)
    if sig.takes_any_input:  # `**inputs`: the inputs are those declared in ins=
        names = [n for n, d in op_def.input_defs.items() if not d.is_nothing]
    positional = names if sig.takes_any_input else _positional_params(op_def)
    if len(rest) > len(positional):
        raise InvalidInvocationError(
            f"op '{op_def.name}' takes {len(names)} inputs {names} but was given {len(rest)} "
            "positional arguments"
        )
    config_value = kwargs.pop(sig.config_param, None) if sig.config_param else None
    resource_values = {p: kwargs.pop(p) for p in list(kwargs) if p in sig.resource_params}
    # More positional arguments than inputs: they follow the function's parameters (after
    # the context), as in the reference, so a resource or config parameter may be given in
    # its place: my_asset(my_resource). Otherwise they are the inputs, and resources and
    # config come from the context or keywords.
    if len(rest) <= len(names):
        positional = names
    inputs: dict[str, Any] = {}
    for param, value in zip(positional, rest, strict=False):
        if param in sig.resource_params:
            resource_values[param] = value
        elif param == sig.config_param:
            config_value = value
        else:
            inputs[param] = value
    for key, value in kwargs.items():
        if key not in names:
            raise InvalidInvocationError(
                f"op '{op_def.name}' has no input '{key}'; its inputs are {names}"
            )
        inputs[key] = value
    missing = [n for n in names if n not in inputs and not op_def.input_defs[n].has_default]
    if missing:
        raise InvalidInvocationError(f"op '{op_def.name}' is missing inputs {missing}")
    for name in names:
        if name not in inputs:
            inputs[name] = op_def.input_defs[name].default_value
    return _Arguments(inputs, resource_values, config_value)


def _check_one_source(op_def: OpDefinition, context: Any, arguments: _Arguments) -> None:
    # As in the reference: resources (or config) come from the context or from the call's
    # arguments, never from both, so that which one wins is never a question.
    if context is None:
        return
    if arguments.resources and len(context.resources):
        raise InvalidInvocationError(
            f"op '{op_def.name}' was given resources both in its context and as arguments "
            f"({sorted(arguments.resources)}); pass them one way"
        )
    if arguments.config is not None and context.op_config is not None:
        raise InvalidInvocationError(
            f"op '{op_def.name}' was given config both in its context and as an argument; "
            "pass it one way"
        )


def invoke_op(op_def: OpDefinition, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run ``op_def``'s function now with the given context, inputs, config and resources."""
    check_context = None
    if args and isinstance(args[0], AssetCheckExecutionContext):
        # The check's function receives the check context; the invocation uses its op's.
        check_context = args[0]
        args = (check_context.op_execution_context, *args[1:])
    context, rest = _split_context(op_def, args, kwargs)
    if isinstance(context, DirectAssetContext) and context.assets_def is None:
        raise InvariantViolationError(
            f"op '{op_def.name}' was given a context from build_asset_context, which can only "
            "be used to invoke an asset; use build_op_context for ops"
        )
    arguments = _sort_arguments(op_def, rest, kwargs)
    inputs, resource_values, config_value = (
        arguments.inputs,
        arguments.resources,
        arguments.config,
    )
    _check_one_source(op_def, context, arguments)
    available = dict(vars(context.resources)) if context is not None else {}
    available.update(resource_values)
    absent = sorted(op_def.required_resource_keys - set(available))
    if absent:
        raise InvalidDefinitionError(  # the reference's class for a missing resource
            f"op '{op_def.name}' requires resources {absent}, which were not given; pass "
            "them with build_op_context(resources={...}) or as keyword arguments"
        )
    op_config = (
        config_value
        if config_value is not None
        else (context.op_config if context is not None else None)
    )
    if op_def.config_type is not None and not (
        op_def.config_class is not None and isinstance(op_config, op_def.config_class)
    ):
        if op_config is None and isinstance(op_def.config_type, Shape):
            op_config = {}  # omitted, as in a run: the schema's defaults (or what is missing)
        op_config = process_config(op_def.config_type, op_config, path="config").value_or_raise(
            subject=f"config of op '{op_def.name}'"
        )
    # Resources passed as arguments are set up for the call and torn down after it (a
    # ConfigurableResource's setup_for_execution runs), as in a run.
    with build_resources(resource_values) as opened:
        available.update(vars(opened))
        resources = Resources({k: available[k] for k in op_def.required_resource_keys})
        if context is not None:
            context.op_def = op_def
            context.op_config = op_config
            context.resources = context_view(resources)
        given = check_context if check_context is not None else context
        result = call_compute(op_def, given, inputs, resources, op_config)
    check_direct_result(op_def, result)
    return result
