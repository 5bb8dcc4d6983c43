"""Calling an op directly, outside a job, as tests do: ``my_op(build_op_context(), 1)``."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.config import Shape, process_config
from headwater.errors import InvalidInvocationError
from headwater.execution.compute import call_compute
from headwater.execution.context import OpExecutionContext, RunLog
from headwater.resources import Resources, build_resources

if TYPE_CHECKING:
    from headwater.events import RunEvent
    from headwater.jobs.op import OpDefinition
    from headwater.storage import Instance

__all__ = ["DirectOpContext", "build_op_context", "invoke_op"]


class DirectOpContext(OpExecutionContext):
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
    ) -> None:
        self.events: list[RunEvent] = []
        super().__init__(
            op_def=None,  # type: ignore[arg-type]  # bound when the op is invoked
            op_config=op_config,
            resources=resources,
            log=RunLog(self.events.append, run_id="EPHEMERAL", job_name="ephemeral"),
            run=None,
            run_config={},
            job_def=None,
            step_key="ephemeral",
            instance=instance,
            partition_key=partition_key,
            tags=run_tags,
        )
        self._stack = stack

    def close(self) -> None:
        """Tear down the resources this context initialized."""
        self._stack.close()

    def __enter__(self) -> DirectOpContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def build_op_context(
    resources: Mapping[str, Any] | None = None,
    op_config: Any = None,
    resources_config: Mapping[str, Any] | None = None,
    instance: Instance | None = None,
    config: Any = None,
    partition_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
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
        run_tags: the tags the op sees.

    Returns:
        A context to pass as the op's first argument.

    Example:
        ``assert my_op(build_op_context(resources={"db": FakeDb()}), 2) == 4``
    """
    if op_config is not None and config is not None:
        raise InvalidInvocationError("build_op_context: pass op_config or config, not both")
    stack = contextlib.ExitStack()
    built = stack.enter_context(
        build_resources(resources or {}, instance=instance, resource_config=resources_config)
    )
    return DirectOpContext(
        resources=built,
        stack=stack,
        op_config=op_config if op_config is not None else config,
        instance=instance,
        partition_key=partition_key,
        run_tags=run_tags,
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
    )


def _split_context(op_def: OpDefinition, args: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...]]:
    first_is_context = bool(args) and isinstance(args[0], OpExecutionContext)
    if op_def.signature.has_context:
        if first_is_context or (args and args[0] is None):
            return args[0], args[1:]
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


def invoke_op(op_def: OpDefinition, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run ``op_def``'s function now with the given context, inputs, config and resources."""
    context, rest = _split_context(op_def, args)
    sig = op_def.signature
    names = list(sig.input_params)
    if len(rest) > len(names):
        raise InvalidInvocationError(
            f"op '{op_def.name}' takes {len(names)} inputs {names} but was given {len(rest)} "
            "positional arguments"
        )
    inputs = dict(zip(names, rest, strict=False))
    config_value = kwargs.pop(sig.config_param, None) if sig.config_param else None
    resource_values = {p: kwargs.pop(p) for p in list(kwargs) if p in sig.resource_params}
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
    available = dict(vars(context.resources)) if context is not None else {}
    available.update(resource_values)
    absent = sorted(op_def.required_resource_keys - set(available))
    if absent:
        raise InvalidInvocationError(
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
    resources = Resources({k: available[k] for k in op_def.required_resource_keys})
    if context is not None:
        context.op_def = op_def
        context.op_config = op_config
        context.resources = resources
    return call_compute(op_def, context, inputs, resources, op_config)
