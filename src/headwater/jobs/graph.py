"""Graphs: ops (and nested graphs) wired together by composing function calls."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.jobs.composition import (
    DynamicHandle,
    GraphInputHandle,
    MultipleOutputHandles,
    NodeInvocation,
    OutputHandle,
    composing,
    iter_sources,
)
from headwater.jobs.dynamic import DynamicOut
from headwater.jobs.io import DEFAULT_OUTPUT, In, Out
from headwater.jobs.node import NodeDefinition
from headwater.jobs.op import doc_of

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from headwater.execution.result import ExecuteInProcessResult
    from headwater.jobs.dependencies import InputMapping, OutputMapping
    from headwater.jobs.job import JobDefinition
    from headwater.jobs.retry import RetryPolicy

__all__ = ["GraphDefinition", "graph"]


class GraphDefinition(NodeDefinition):
    """A set of nodes and the dependencies between them; build one with :func:`graph`.

    A graph runs by becoming a job: ``graph.to_job(resource_defs=...)``. One graph can
    become several jobs with different resources (production and test, say).
    """

    def __init__(
        self,
        name: str,
        *,
        description: str | None = None,
        node_defs: Sequence[NodeDefinition] | None = None,
        dependencies: Mapping[Any, Mapping[str, Any]] | None = None,
        input_mappings: Sequence[InputMapping] | None = None,
        output_mappings: Sequence[OutputMapping] | Mapping[str, OutputHandle] | None = None,
        config: Any = None,
        tags: Mapping[str, str] | None = None,
        nodes: Mapping[str, NodeInvocation] | None = None,
        input_defs: Mapping[str, In] | None = None,
        output_defs: Mapping[str, Out] | None = None,
    ) -> None:
        # Two spellings: ``nodes=`` (what ``@graph`` records) or the reference's explicit
        # ``node_defs=`` with a ``dependencies=`` table and input/output mappings.
        if nodes is None or node_defs is not None:
            from headwater.jobs.dependencies import build_nodes

            if nodes is not None or isinstance(output_mappings, Mapping):
                raise InvalidDefinitionError(
                    f"graph '{name}': node_defs= takes OutputMapping objects, not nodes="
                    " or a mapping of output handles"
                )
            built = build_nodes(
                name,
                list(node_defs or ()),
                dict(dependencies or {}),
                list(input_mappings or ()),
                list(output_mappings or ()),
            )
            nodes = built.nodes
            output_mappings = built.output_mappings
            input_defs = {**built.input_defs, **(input_defs or {})}
            output_defs = {**built.output_defs, **(output_defs or {})}
        elif dependencies or input_mappings:
            raise InvalidDefinitionError(
                f"graph '{name}': dependencies= and input_mappings= go with node_defs="
            )
        if not isinstance(output_mappings, Mapping | None):
            raise InvalidDefinitionError(
                f"graph '{name}': OutputMapping sequences go with node_defs="
            )
        mappings = dict(output_mappings or {})
        outs = dict(output_defs or {})
        for out_name, handle in mappings.items():
            # A graph passing on a dynamic output (or mapped outputs) is dynamic there too.
            outs.setdefault(out_name, DynamicOut() if isinstance(handle, DynamicHandle) else Out())
        super().__init__(
            name=name,
            input_defs=input_defs or {},
            output_defs=outs,
            description=description,
            tags=tags,
        )
        self.nodes: dict[str, NodeInvocation] = dict(nodes)
        self.output_mappings = mappings
        self.config = config
        self._check_wiring()

    def _check_wiring(self) -> None:
        for node in self.nodes.values():
            for source in node.inputs.values():
                for single in iter_sources(source):
                    if isinstance(single, GraphInputHandle):
                        if single.input_name not in self.input_defs:
                            raise InvalidDefinitionError(
                                f"graph '{self.name}': node '{node.name}' reads graph input "
                                f"'{single.input_name}', which the graph does not declare"
                            )
                    elif single.node_name not in self.nodes:
                        raise InvalidDefinitionError(
                            f"graph '{self.name}': node '{node.name}' depends on "
                            f"'{single.node_name}', which is not in the graph"
                        )

    @property
    def node_defs(self) -> list[NodeDefinition]:
        """The distinct definitions used by this graph's nodes."""
        seen: dict[int, NodeDefinition] = {}
        for node in self.nodes.values():
            seen.setdefault(id(node.definition), node.definition)
        return list(seen.values())

    def to_job(
        self,
        name: str | None = None,
        description: str | None = None,
        resource_defs: Mapping[str, object] | None = None,
        config: Any = None,
        tags: Mapping[str, str] | None = None,
        executor_def: Any = None,
        op_retry_policy: RetryPolicy | None = None,
        metadata: Mapping[str, Any] | None = None,
        partitions_def: Any = None,
        logger_defs: Mapping[str, Any] | None = None,
        hooks: AbstractSet[Any] | None = None,
    ) -> JobDefinition:
        """A job that runs this graph with the given resources and default config.

        Args:
            name: the job's name (defaults to the graph's).
            description: shown in the UI.
            resource_defs: resource key → resource (definition, ``ConfigurableResource``
                or plain object).
            config: default run config for the job.
            tags: tags put on every run of the job.
            executor_def: how steps are executed.
            op_retry_policy: retry policy for every op that has none of its own.
            metadata: free-form facts about the job.
            partitions_def: the job's partitions.
            logger_defs: loggers by name (``LoggerDefinition``).
            hooks: hooks run after each op (``HookDefinition``).

        Returns:
            A ``JobDefinition``.

        Raises:
            InvalidDefinitionError: an op or resource needs a resource key that
                ``resource_defs`` lacks, or resources depend on each other in a cycle.
        """
        from headwater.jobs.job import JobDefinition

        return JobDefinition(
            graph_def=self,
            name=name,
            description=description,
            resource_defs=resource_defs,
            config=config,
            tags=tags,
            executor_def=executor_def,
            op_retry_policy=op_retry_policy,
            metadata=metadata,
            partitions_def=partitions_def,
            logger_defs=logger_defs,
            hook_defs=hooks,
        )

    def execute_in_process(
        self,
        run_config: Mapping[str, Any] | None = None,
        *,
        resources: Mapping[str, object] | None = None,
        raise_on_error: bool = True,
        instance: Any = None,
        tags: Mapping[str, str] | None = None,
        input_values: Mapping[str, Any] | None = None,
    ) -> ExecuteInProcessResult:
        """Run this graph once as an ad-hoc job (see ``JobDefinition.execute_in_process``)."""
        return self.to_job(resource_defs=resources).execute_in_process(
            run_config,
            raise_on_error=raise_on_error,
            instance=instance,
            tags=tags,
            input_values=input_values,
        )


def _graph_outputs(
    graph_name: str, returned: Any, out: Out | Mapping[str, Out] | None
) -> tuple[dict[str, OutputHandle], dict[str, Out]]:
    declared: dict[str, Out] = {DEFAULT_OUTPUT: out} if isinstance(out, Out) else dict(out or {})
    if returned is None:
        return {}, declared
    if isinstance(returned, OutputHandle):
        key = next(iter(declared)) if len(declared) == 1 else DEFAULT_OUTPUT
        made = DynamicOut() if isinstance(returned, DynamicHandle) else Out()
        return {key: returned}, declared or {key: made}
    if isinstance(returned, Mapping):
        return dict(returned), declared
    if isinstance(returned, MultipleOutputHandles | tuple) and declared:
        if len(returned) != len(declared):
            raise InvalidDefinitionError(
                f"graph '{graph_name}' returns {len(returned)} outputs but declares "
                f"{len(declared)} in out=: {list(declared)}"
            )
        return dict(zip(declared, returned, strict=True)), declared
    raise InvalidDefinitionError(
        f"graph '{graph_name}' returned {returned!r}; a graph returns an op's output, "
        "a dict of outputs by name, or a tuple matching out={...}"
    )


def _graph_input_defs(
    params: list[str], nodes: Mapping[str, NodeInvocation], ins: Mapping[str, Any] | None
) -> dict[str, In]:
    result: dict[str, In] = {}
    for param in params:
        given = (ins or {}).get(param)
        if isinstance(given, In):
            result[param] = given
            continue
        found = In()
        for node in nodes.values():
            for input_name, source in node.inputs.items():
                if GraphInputHandle(param) in tuple(iter_sources(source)):
                    found = node.definition.input_defs[input_name]
        description = getattr(given, "description", None)  # a GraphIn's
        if description is not None:
            found = copy.copy(found)
            found.description = description
        result[param] = found
    return result


def _compose(
    fn: Callable[..., Any],
    *,
    name: str | None,
    description: str | None,
    ins: Mapping[str, Any] | None,
    out: Out | Mapping[str, Out] | None,
    tags: Mapping[str, str] | None,
    config: Any,
) -> GraphDefinition:
    graph_name = name or fn.__name__
    params = list(inspect.signature(fn).parameters)
    with composing(graph_name, params) as composition:
        returned = fn(*[GraphInputHandle(p) for p in params])
    mappings, out_defs = _graph_outputs(graph_name, returned, out)
    return GraphDefinition(
        graph_name,
        nodes=composition.invocations,
        output_mappings=mappings,
        input_defs=_graph_input_defs(params, composition.invocations, ins),
        output_defs=out_defs,
        description=description or doc_of(fn),
        tags=tags,
        config=config,
    )


@overload
def graph(compose_fn: Callable[..., Any]) -> GraphDefinition: ...


@overload
def graph(
    compose_fn: None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    input_defs: Sequence[Any] | None = None,
    output_defs: Sequence[Any] | None = None,
    ins: Mapping[str, Any] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    tags: Mapping[str, str] | None = None,
    config: Any = None,
) -> Callable[[Callable[..., Any]], GraphDefinition]: ...


def graph(
    compose_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    input_defs: Sequence[Any] | None = None,
    output_defs: Sequence[Any] | None = None,
    ins: Mapping[str, Any] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    tags: Mapping[str, str] | None = None,
    config: Any = None,
) -> GraphDefinition | Callable[[Callable[..., Any]], GraphDefinition]:
    """Compose ops into a graph by calling them in the decorated function's body.

    The body runs once, at definition time: each op call records a node and returns a
    handle to its output, which later calls take as input. Parameters of the function are
    graph inputs; the returned handle(s) are graph outputs.

    Args:
        name: the graph's name (defaults to the function's).
        description: shown in the UI (defaults to the docstring).
        input_defs: the reference's legacy ``InputDefinition`` list; headwater takes
            ``ins`` instead and raises when this is given.
        output_defs: the legacy ``OutputDefinition`` list; use ``out`` instead.
        ins: ``In`` facts for graph inputs.
        out: ``Out`` or a dict of them for graph outputs.
        tags: string tags.
        config: default config for the graph's ops when it runs as a job.

    Returns:
        A ``GraphDefinition``.

    Example:
        ``@graph``
        ``def etl(): load(clean(extract()))``
    """

    if input_defs is not None or output_defs is not None:
        raise InvalidInvocationError(
            "@graph(input_defs=..., output_defs=...) is the legacy spelling; headwater takes "
            "ins={name: In(...)} and out=Out(...) (or a dict of them)"
        )

    def build(fn: Callable[..., Any]) -> GraphDefinition:
        return _compose(
            fn, name=name, description=description, ins=ins, out=out, tags=tags, config=config
        )

    if compose_fn is not None:
        return build(compose_fn)
    return build
