"""Calling a step's hooks when it ends, and the ``context`` hooks receive.

After a step succeeds or fails, the run loop calls each of its hooks (in name order) with
the step's final event. A hook that raises is recorded as ``HOOK_ERRORED`` and the run goes
on: a broken notification must not fail the data it reports on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from headwater.errors import HeadwaterError, InvariantViolationError
from headwater.events import ERROR, ErrorInfo, EventType, RunEvent
from headwater.execution.context import RunLog
from headwater.jobs.hooks import HookDefinition, HookExecutionResult
from headwater.resources import Resources, build_resources

if TYPE_CHECKING:
    from headwater.execution.plan import Step
    from headwater.execution.state import RunState
    from headwater.jobs.node import NodeDefinition
    from headwater.storage import Instance

__all__ = ["HookContext", "build_hook_context", "run_hooks"]


class HookedNode(NamedTuple):
    """The node a hook was triggered for: its name in the graph and its definition."""

    name: str
    definition: NodeDefinition

    @property
    def tags(self) -> Mapping[str, str]:
        """The node definition's tags."""
        return self.definition.tags


class HookContext:
    """The ``context`` a hook function receives.

    Attributes:
        job_name: the job of the run.
        run_id: the run's id.
        hook_def: the hook being called.
        op: the node the hook was triggered for (``op.name``).
        step_key: the step that ended.
        resources: the resources the hook requires.
        log: a logger whose records become run events.
        op_exception: the exception the step raised, or ``None`` when it succeeded.
        op_output_values: output name → value the step produced.
        op_output_metadata: output name → the metadata recorded with that output.
        instance: the instance of the run.
    """

    def __init__(
        self,
        *,
        job_name: str | None,
        run_id: str | None,
        hook_def: HookDefinition | None,
        op: HookedNode | None,
        step_key: str | None,
        resources: Resources,
        log: RunLog,
        op_exception: BaseException | None,
        op_output_values: Mapping[str, Any],
        op_config: Any,
        instance: Instance | None,
        op_output_metadata: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self._job_name = job_name
        self._run_id = run_id
        self._hook_def = hook_def
        self._op = op
        self._step_key = step_key
        self.resources = resources
        self.log = log
        self.op_exception = op_exception
        self.op_output_values = dict(op_output_values)
        self.op_output_metadata = dict(op_output_metadata or {})
        self.op_config = op_config
        self.instance = instance

    def _given(self, value: Any, name: str) -> Any:
        if value is None:
            raise HeadwaterError(
                f"Attribute '{name}' was not provided when constructing the hook context; "
                f"pass {name}=... to build_hook_context"
            )
        return value

    @property
    def job_name(self) -> str:
        """The job of the run."""
        return self._given(self._job_name, "job_name")  # type: ignore[no-any-return]

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self._given(self._run_id, "run_id")  # type: ignore[no-any-return]

    @property
    def hook_def(self) -> HookDefinition:
        """The hook being called."""
        return self._given(self._hook_def, "hook_def")  # type: ignore[no-any-return]

    @property
    def op(self) -> HookedNode:
        """The node the hook was triggered for."""
        return self._given(self._op, "op")  # type: ignore[no-any-return]

    @property
    def step_key(self) -> str:
        """The step that ended."""
        return self._given(self._step_key, "op")  # type: ignore[no-any-return]

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """The resource keys the hook requires."""
        return self._hook_def.required_resource_keys if self._hook_def else frozenset()


class UnboundHookContext(HookContext):
    """A hook context built for a test; its resources live until it is closed."""

    def __init__(self, stack: contextlib.ExitStack, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stack = stack

    def close(self) -> None:
        """Tear down the resources this context initialized."""
        self._stack.close()

    def __enter__(self) -> UnboundHookContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def build_hook_context(
    resources: Mapping[str, Any] | None = None,
    op: Any = None,
    run_id: str | None = None,
    job_name: str | None = None,
    op_exception: Exception | None = None,
    instance: Instance | None = None,
) -> UnboundHookContext:
    """Build a context for calling a hook directly in a test.

    Args:
        resources: resource key → resource (definition, ``ConfigurableResource`` or value);
            initialized now, torn down when the context closes.
        op: the op (or aliased invocation) the hook pretends to be triggered for.
        run_id: the run id the hook sees.
        job_name: the job name the hook sees.
        op_exception: the exception the hook sees, as if the op had raised it.
        instance: the instance the hook sees.

    Returns:
        A context to pass to the hook: ``my_hook(build_hook_context(...))``.

    Example:
        ``assert my_hook(build_hook_context(resources={"slack": FakeSlack()})) is None``
    """
    stack = contextlib.ExitStack()
    built = stack.enter_context(build_resources(resources or {}, instance=instance))
    node = None
    if op is not None:
        definition = getattr(op, "definition", op)  # an aliased invocation, or the op
        node = HookedNode(getattr(op, "given_alias", None) or definition.name, definition)
    events: list[RunEvent] = []
    return UnboundHookContext(
        stack,
        job_name=job_name,
        run_id=run_id,
        hook_def=None,
        op=node,
        step_key=node.name if node else None,
        resources=built,
        log=RunLog(events.append, run_id=run_id or "EPHEMERAL", job_name=job_name or ""),
        op_exception=op_exception,
        op_output_values={},
        op_config=None,
        instance=instance,
    )


def run_hooks(
    state: RunState, step: Step, outcome: RunEvent, op_exception: BaseException | None
) -> None:
    """Call every hook of ``step`` after it ended with ``outcome``; record what each did."""
    from headwater.metadata import normalize_metadata  # loads only for steps with hooks

    op_name = step.path[-1]
    outputs = {
        name: state.outputs.kept[(step.key, name)]
        for name in step.op_def.output_defs
        if (step.key, name) in state.outputs.kept
    }
    metadata = {
        name: normalize_metadata(state.outputs.metadata.get((step.key, name))) for name in outputs
    }
    node = HookedNode(op_name, step.op_def)
    for hook in sorted(step.hooks, key=lambda h: h.name):
        context = HookContext(
            job_name=state.job_name,
            run_id=state.run_id,
            hook_def=hook,
            op=node,
            step_key=step.key,
            resources=Resources(
                {k: getattr(state.resources, k) for k in hook.required_resource_keys}
            ),
            log=RunLog(
                state.events.emit, run_id=state.run_id, job_name=state.job_name, step_key=step.key
            ),
            op_exception=op_exception,
            op_output_values=outputs,
            op_output_metadata=metadata,
            op_config=(state.node_config(step.path) or {}).get("config"),
            instance=state.instance,
        )
        try:
            result = hook.hook_fn(context, [outcome])
        except Exception as exc:
            state.events.run_event(
                EventType.HOOK_ERRORED,
                f'Error occurred during the execution of hook_fn triggered for op "{op_name}"',
                level=ERROR,
                data={"hook_name": hook.name},
                error=ErrorInfo.from_exception(exc),
                step_key=step.key,
            )
            continue
        if not isinstance(result, HookExecutionResult):
            raise InvariantViolationError(
                f"hook '{hook.name}' returned {result!r} ({type(result).__name__}); a hook_fn "
                "must return a HookExecutionResult"
            )
        if result.is_skipped:
            message = (
                f'Skipped the execution of hook "{hook.name}". It did not meet its triggering '
                f'condition during the execution of "{op_name}".'
            )
            kind = EventType.HOOK_SKIPPED
        else:
            message = f'Finished the execution of hook "{hook.name}" triggered for "{op_name}".'
            kind = EventType.HOOK_COMPLETED
        state.events.run_event(kind, message, data={"hook_name": hook.name}, step_key=step.key)
