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
    from headwater.jobs.asset_layer import AssetLayer
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
        output_mappings: Sequence[OutputMapping] | None = None,
        config: Any = None,
        tags: Mapping[str, str] | None = None,
        node_input_source_assets: Mapping[str, Mapping[str, Any]] | None = None,
        input_assets: Mapping[str, Mapping[str, Any]] | None = None,
        composition_fn: Callable[..., Any] | None = None,
        **kwargs: Any,
    ) -> None:
        # The reference's explicit spelling: node definitions, a dependencies table and
        # input/output mappings. ``@graph`` records its nodes directly (``_from_nodes``).
        from headwater.jobs.dependencies import build_nodes

        unknown = sorted(set(kwargs) - {"positional_inputs"})
        if unknown:
            raise TypeError(f"GraphDefinition got an unexpected keyword argument '{unknown[0]}'")
        if isinstance(output_mappings, Mapping):
            raise InvalidDefinitionError(
                f"graph '{name}': output_mappings= takes OutputMapping objects, not a mapping "
                "of output handles"
            )
        built = build_nodes(
            name,
            list(node_defs or ()),
            dict(dependencies or {}),
            list(input_mappings or ()),
            list(output_mappings or ()),
        )
        if input_assets is not None and node_input_source_assets is not None:
            raise InvalidDefinitionError(
                f"graph '{name}': give input_assets= (node_input_source_assets= is its old "
                "name), not both"
            )
        self._setup(
            name,
            nodes=built.nodes,
            output_mappings=built.output_mappings,
            input_defs=built.input_defs,
            output_defs=built.output_defs,
            description=description,
            tags=tags,
            config=config,
            input_assets=input_assets if input_assets is not None else node_input_source_assets,
            composition_fn=composition_fn,
        )

    @classmethod
    def _from_nodes(
        cls,
        name: str,
        *,
        nodes: Mapping[str, NodeInvocation],
        output_mappings: Mapping[str, OutputHandle] | None = None,
        input_defs: Mapping[str, In] | None = None,
        output_defs: Mapping[str, Out] | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        config: Any = None,
        composition_fn: Callable[..., Any] | None = None,
    ) -> GraphDefinition:
        """A graph of recorded nodes: what ``@graph`` and asset jobs build."""
        made = cls.__new__(cls)
        made._setup(
            name,
            nodes=nodes,
            output_mappings=output_mappings or {},
            input_defs=input_defs or {},
            output_defs=output_defs or {},
            description=description,
            tags=tags,
            config=config,
            input_assets=None,
            composition_fn=composition_fn,
        )
        return made

    def _setup(
        self,
        name: str,
        *,
        nodes: Mapping[str, NodeInvocation],
        output_mappings: Mapping[str, OutputHandle],
        input_defs: Mapping[str, In],
        output_defs: Mapping[str, Out],
        description: str | None,
        tags: Mapping[str, str] | None,
        config: Any,
        input_assets: Mapping[str, Mapping[str, Any]] | None,
        composition_fn: Callable[..., Any] | None,
    ) -> None:
        mappings = dict(output_mappings)
        outs = dict(output_defs)
        for out_name, handle in mappings.items():
            # A graph passing on a dynamic output (or mapped outputs) is dynamic there too.
            outs.setdefault(out_name, DynamicOut() if isinstance(handle, DynamicHandle) else Out())
        super().__init__(
            name=name,
            input_defs=input_defs,
            output_defs=outs,
            description=description,
            tags=tags,
        )
        self.nodes: dict[str, NodeInvocation] = dict(nodes)
        self.output_mappings = mappings
        self.config = config
        # Node input → the asset it loads when the graph runs as a job (``to_job``).
        self.input_assets: dict[str, dict[str, Any]] = {
            node: dict(inputs) for node, inputs in (input_assets or {}).items()
        }
        self.composition_fn = composition_fn
        self._check_wiring()
        self._check_input_assets()

    def _check_input_assets(self) -> None:
        for node_name, inputs in self.input_assets.items():
            node = self.nodes.get(node_name)
            if node is None:
                raise InvalidDefinitionError(
                    f"graph '{self.name}': input_assets names node '{node_name}', which is not "
                    f"in the graph; its nodes are {sorted(self.nodes)}"
                )
            for input_name in inputs:
                if input_name not in node.definition.input_defs:
                    raise InvalidDefinitionError(
                        f"graph '{self.name}': input_assets names input '{input_name}' of "
                        f"node '{node_name}', which has inputs "
                        f"{list(node.definition.input_defs)}"
                    )

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
            asset_layer=self._input_asset_layer(),
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

    def _input_asset_layer(self) -> AssetLayer | None:
        """What a job of this graph knows of ``input_assets``: which inputs load which
        asset, through which IO manager."""
        if not self.input_assets:
            return None
        from headwater.jobs.asset_layer import AssetLayer

        upstream: dict[tuple[str, str], Any] = {}
        managers: dict[Any, str] = {}
        partitions: dict[Any, Any] = {}
        definitions: dict[Any, Any] = {}
        for node_name, inputs in self.input_assets.items():
            for input_name, asset in inputs.items():
                key = asset.key
                upstream[(node_name, input_name)] = key
                # An asset definition names its manager per key; a source asset has one.
                find = getattr(asset, "io_manager_key_for", None)
                manager = find(key) if find is not None else getattr(asset, "io_manager_key", None)
                managers[key] = manager or "io_manager"
                partitions[key] = getattr(asset, "partitions_def", None)
                definitions[key] = asset
        return AssetLayer(
            key_by_output={},
            upstream_by_input=upstream,
            io_manager_key_by_key=managers,
            assets_def_by_node={},
            selected_keys=frozenset(),
            partitions_def_by_key=partitions,
            def_by_key=definitions,
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
    return GraphDefinition._from_nodes(
        graph_name,
        nodes=composition.invocations,
        output_mappings=mappings,
        input_defs=_graph_input_defs(params, composition.invocations, ins),
        output_defs=out_defs,
        description=description or doc_of(fn),
        tags=tags,
        config=config,
        composition_fn=fn,
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
