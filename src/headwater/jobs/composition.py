"""Graph composition: what calling an op inside a ``@graph`` or ``@job`` body records.

Inside a composition, calling a node definition does not run it: it records an invocation
and returns handles to its outputs, which later calls take as inputs. The recorded
invocations become the graph's nodes and dependencies.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError, InvalidInvocationError

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from headwater.jobs.node import NodeDefinition
    from headwater.jobs.retry import RetryPolicy

__all__ = [
    "CollectHandle",
    "DynamicHandle",
    "GraphInputHandle",
    "MappedHandle",
    "InputSource",
    "NodeInvocation",
    "OutputHandle",
    "PendingNodeInvocation",
    "composing",
    "current_composition",
]


@dataclass(frozen=True, slots=True)
class OutputHandle:
    """Stands for an output of an invoked node while a graph is being composed."""

    node_name: str
    output_name: str


class _Unpacks:
    """``map`` and ``collect``, for the handles of dynamic outputs."""

    __slots__ = ()
    node_name: str
    output_name: str

    def map(self, fn: Callable[..., Any]) -> Any:
        """Run ``fn``'s ops once per value: ``fn`` receives the value (inside a graph body,
        a handle) and invokes ops or graphs on it; their outputs come back dynamic, to map
        again or collect.

        Raises:
            InvalidDefinitionError: ``fn`` is not callable.
        """
        if not callable(fn):
            raise InvalidDefinitionError(
                f"map() of output '{self.output_name}' of '{self.node_name}' takes a function "
                f"(an op, a graph or a lambda invoking them), got {fn!r}"
            )
        returned = fn(MappedHandle(self.node_name, self.output_name))
        return _unmapped(returned)

    def collect(self) -> CollectHandle:
        """Gather every value into one list, for an op input (a fan-in)."""
        return CollectHandle(self.node_name, self.output_name)


@dataclass(frozen=True, slots=True)
class DynamicHandle(_Unpacks, OutputHandle):
    """A dynamic output (or the outputs of ops mapped over one) while a graph is composed:
    unpack it with :meth:`map` or :meth:`collect` before passing it on."""


@dataclass(frozen=True, slots=True)
class MappedHandle(_Unpacks, OutputHandle):
    """One value of a dynamic output, inside the function given to ``map``: ops invoked
    with it run once per value. (Mapping or collecting it again, from inside the map,
    is refused when the plan is built: a step is downstream of one dynamic output.)"""


@dataclass(frozen=True, slots=True)
class CollectHandle(OutputHandle):
    """Every value of a dynamic output (or of ops mapped over one), as one list input."""


def _unmapped(returned: Any) -> Any:
    """What ``map`` returns: the mapped ops' outputs, as dynamic handles."""
    if isinstance(returned, MappedHandle):
        return DynamicHandle(returned.node_name, returned.output_name)
    if isinstance(returned, MultipleOutputHandles):
        return MultipleOutputHandles([_unmapped(h) for h in returned])
    if isinstance(returned, tuple):
        return tuple(_unmapped(h) for h in returned)
    return returned


@dataclass(frozen=True, slots=True)
class GraphInputHandle:
    """Stands for an input of the graph being composed."""

    input_name: str


Source = OutputHandle | GraphInputHandle
# One source, or several for a fan-in input (the op receives a list).
InputSource = Source | tuple[Source, ...]


@dataclass(slots=True)
class NodeInvocation:
    """One node of a graph: a definition under a unique name with its input sources."""

    name: str
    definition: NodeDefinition
    inputs: dict[str, InputSource] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    retry_policy: RetryPolicy | None = None
    # Sibling nodes that must finish first without passing a value (blocking checks).
    after: tuple[str, ...] = ()
    hook_defs: frozenset[Any] = frozenset()  # HookDefinitions attached to this invocation


class MultipleOutputHandles(tuple[OutputHandle, ...]):
    """Handles for an op with several outputs: iterate, index, or use ``.output_name``."""

    _by_name: dict[str, OutputHandle]

    def __new__(cls, handles: Sequence[OutputHandle]) -> MultipleOutputHandles:
        obj = super().__new__(cls, handles)
        obj._by_name = {h.output_name: h for h in handles}
        return obj

    def __getattr__(self, name: str) -> OutputHandle:
        try:
            return self._by_name[name]
        except KeyError:
            raise AttributeError(
                f"no output named {name!r}; outputs are {sorted(self._by_name)}"
            ) from None


class _Composition:
    """The invocations recorded while one graph body runs."""

    def __init__(self, graph_name: str, input_names: Sequence[str]) -> None:
        self.graph_name = graph_name
        self.input_names = tuple(input_names)
        self.invocations: dict[str, NodeInvocation] = {}
        self._uses: dict[str, int] = {}

    def unique_name(self, wanted: str, *, explicit: bool) -> str:
        if wanted not in self.invocations:
            self._uses.setdefault(wanted, 1)
            return wanted
        if explicit:
            raise InvalidDefinitionError(
                f"graph '{self.graph_name}' invokes two nodes named '{wanted}'; "
                "give each a distinct name with .alias(...)"
            )
        # The reference numbers repeated invocations of one op: op, op_2, op_3 ...
        count = self._uses.get(wanted, 1) + 1
        while f"{wanted}_{count}" in self.invocations:
            count += 1
        self._uses[wanted] = count
        return f"{wanted}_{count}"


_current: contextvars.ContextVar[_Composition | None] = contextvars.ContextVar(
    "headwater_composition", default=None
)


def current_composition() -> _Composition | None:
    """The composition being recorded, or ``None`` outside a graph body."""
    return _current.get()


class composing:  # noqa: N801 - used as a context manager, reads like a statement
    """Record node invocations made inside the ``with`` block."""

    def __init__(self, graph_name: str, input_names: Sequence[str]) -> None:
        self.composition = _Composition(graph_name, input_names)
        self._token: contextvars.Token[_Composition | None] | None = None

    def __enter__(self) -> _Composition:
        self._token = _current.set(self.composition)
        return self.composition

    def __exit__(self, *exc: object) -> None:
        assert self._token is not None
        _current.reset(self._token)


def _as_source(value: Any, *, node: str, input_name: str, graph: str) -> InputSource:
    if isinstance(value, DynamicHandle):
        raise InvalidDefinitionError(
            f"In @job {graph}, received the dynamic output {value.output_name} from op "
            f"'{value.node_name}' directly. Dynamic output must be unpacked by invoking map or "
            f"collect: {value.node_name}().map(op) runs op once per value, "
            f"op({value.node_name}().collect()) receives them all as a list"
        )
    if isinstance(value, MappedHandle):  # the graph records the plain wiring
        return OutputHandle(value.node_name, value.output_name)
    if isinstance(value, OutputHandle | GraphInputHandle):
        return value
    if isinstance(value, list | tuple) and value:
        items = tuple(value)
        if all(
            isinstance(v, OutputHandle | GraphInputHandle)
            and not isinstance(v, DynamicHandle | MappedHandle | CollectHandle)
            for v in items
        ):
            return items
    raise InvalidDefinitionError(
        f"in graph '{graph}', node '{node}' received {value!r} for input '{input_name}'; "
        "inside a graph, inputs must be outputs of other ops (or graph inputs), not values"
    )


def record_invocation(
    definition: NodeDefinition,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
    *,
    alias: str | None = None,
    tags: Mapping[str, str] | None = None,
    retry_policy: RetryPolicy | None = None,
    hook_defs: frozenset[Any] = frozenset(),
) -> OutputHandle | MultipleOutputHandles | None:
    """Record one call of ``definition`` in the current composition; return its handles."""
    composition = _current.get()
    assert composition is not None
    name = composition.unique_name(alias or definition.name, explicit=alias is not None)
    input_names = list(definition.input_defs)
    if len(args) > len(input_names):
        raise InvalidDefinitionError(
            f"in graph '{composition.graph_name}', node '{name}' was called with "
            f"{len(args)} positional inputs but takes {len(input_names)}: {input_names}"
        )
    given = dict(zip(input_names, args, strict=False))
    for key, value in kwargs.items():
        if key not in definition.input_defs:
            raise InvalidDefinitionError(
                f"in graph '{composition.graph_name}', node '{name}' has no input '{key}'; "
                f"its inputs are {input_names}"
            )
        if key in given:
            raise InvalidDefinitionError(
                f"in graph '{composition.graph_name}', node '{name}' got input '{key}' twice"
            )
        given[key] = value
    invocation = NodeInvocation(
        name=name,
        definition=definition,
        inputs={
            key: _as_source(value, node=name, input_name=key, graph=composition.graph_name)
            for key, value in given.items()
        },
        tags=dict(tags or {}),
        retry_policy=retry_policy,
        hook_defs=hook_defs,
    )
    composition.invocations[name] = invocation
    outputs = list(definition.output_defs)
    if not outputs:
        return None
    # Invoked on a mapped value, the node is mapped: its outputs are mapped values too.
    mapped = any(isinstance(v, MappedHandle) for v in given.values())
    handles = [_handle(name, o, definition, mapped=mapped) for o in outputs]
    return handles[0] if len(handles) == 1 else MultipleOutputHandles(handles)


def _handle(node: str, output: str, definition: NodeDefinition, *, mapped: bool) -> OutputHandle:
    if mapped:
        return MappedHandle(node, output)
    if definition.output_defs[output].is_dynamic:
        return DynamicHandle(node, output)
    return OutputHandle(node, output)


class PendingNodeInvocation:
    """A node definition with a name, tags, retry policy or hooks chosen for one invocation.

    Returned by ``op.alias(...)``, ``op.tag(...)``, ``op.with_retry_policy(...)`` and
    ``op.with_hooks(...)``; call it inside a graph body like the op itself (outside one, it
    runs the op directly). A pending graph can also become a job (``to_job``).

    Attributes:
        node_def: the op or graph invoked.
        given_alias: the node's name in the graph (``None``: the definition's name).
        tags: tags added to the node's own.
        hook_defs: hooks (``HookDefinition``) run after the node's steps.
        retry_policy: how the node's steps are retried.
    """

    def __init__(
        self,
        node_def: NodeDefinition,
        given_alias: str | None,
        tags: Mapping[str, str] | None,
        hook_defs: AbstractSet[Any] | None,
        retry_policy: RetryPolicy | None,
    ) -> None:
        self.node_def = node_def
        self.given_alias = given_alias
        self.tags: dict[str, str] = dict(tags or {})
        self.hook_defs: frozenset[Any] = frozenset(hook_defs or ())
        self.retry_policy = retry_policy

    def _with(self, **changes: Any) -> PendingNodeInvocation:
        given: dict[str, Any] = {
            "given_alias": self.given_alias,
            "tags": self.tags,
            "hook_defs": self.hook_defs,
            "retry_policy": self.retry_policy,
        }
        return PendingNodeInvocation(self.node_def, **{**given, **changes})

    def alias(self, name: str) -> PendingNodeInvocation:
        """The same invocation under another name."""
        from headwater.jobs.node import check_valid_name

        return self._with(given_alias=check_valid_name(name, kind="node"))

    def tag(self, tags: Mapping[str, str] | None) -> PendingNodeInvocation:
        """The same invocation with extra tags."""
        return self._with(tags={**self.tags, **(tags or {})})

    def with_retry_policy(self, retry_policy: RetryPolicy) -> PendingNodeInvocation:
        """The same invocation with a retry policy."""
        return self._with(retry_policy=retry_policy)

    def with_hooks(self, hook_defs: AbstractSet[Any]) -> PendingNodeInvocation:
        """The same invocation with more hooks (``HookDefinition``) attached."""
        return self._with(hook_defs=self.hook_defs | frozenset(hook_defs))

    def describe_node(self) -> str:
        """``op 'name'`` or ``graph 'name'``, for messages."""
        kind = "graph" if hasattr(self.node_def, "nodes") else "op"
        return f"{kind} '{self.given_alias or self.node_def.name}'"

    def _graph(self, method: str) -> Any:
        if not hasattr(self.node_def, "to_job"):
            raise InvalidInvocationError(
                f"{method} needs a graph, and {self.describe_node()} is an op; compose it in "
                "a @graph or @job"
            )
        return self.node_def

    def to_job(
        self,
        name: str | None = None,
        description: str | None = None,
        resource_defs: Mapping[str, object] | None = None,
        config: Any = None,
        tags: Mapping[str, Any] | None = None,
        logger_defs: Mapping[str, Any] | None = None,
        executor_def: Any = None,
        hooks: AbstractSet[Any] | None = None,
        op_retry_policy: RetryPolicy | None = None,
        partitions_def: Any = None,
        input_values: Mapping[str, object] | None = None,
    ) -> Any:
        """A job running this graph, named after the alias, with its hooks and tags.

        Raises:
            InvalidInvocationError: the invoked node is an op, not a graph.
        """
        from headwater.jobs.job import JobDefinition  # deferred: the job layer imports this

        graph = self._graph("to_job")
        return JobDefinition(
            graph_def=graph,
            name=name or self.given_alias,
            description=description,
            resource_defs=resource_defs,
            config=config,
            tags={**self.tags, **(tags or {})},
            logger_defs=logger_defs,
            executor_def=executor_def,
            hook_defs=frozenset(hooks or ()) | self.hook_defs,
            op_retry_policy=op_retry_policy or self.retry_policy,
            partitions_def=partitions_def,
            input_values=input_values,
        )

    def execute_in_process(
        self,
        run_config: Any = None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        raise_on_error: bool = True,
        run_id: str | None = None,
        input_values: Mapping[str, object] | None = None,
    ) -> Any:
        """Run this graph once, in this process (see ``JobDefinition.execute_in_process``).

        Raises:
            InvalidInvocationError: the invoked node is an op, not a graph.
        """
        del run_id  # kept for the reference's signature; every run gets a fresh id
        self._graph("execute_in_process")
        job = self.to_job(resource_defs=resources, input_values=input_values)
        return job.execute_in_process(run_config, instance=instance, raise_on_error=raise_on_error)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _current.get() is None:
            return self.node_def.invoke_directly(*args, **kwargs)
        return record_invocation(
            self.node_def,
            args,
            kwargs,
            alias=self.given_alias,
            tags=self.tags,
            retry_policy=self.retry_policy,
            hook_defs=self.hook_defs,
        )


def iter_sources(source: InputSource) -> Iterator[Source]:
    """The single sources of an input source (one, or each of a fan-in)."""
    if isinstance(source, tuple):
        yield from source
    else:
        yield source
