"""Building a graph explicitly: node definitions plus a table of dependencies.

``GraphDefinition(node_defs=..., dependencies=..., input_mappings=..., output_mappings=...)``
is the spelled-out form of what ``@graph`` records from function calls. The classes here
are the table's vocabulary; :func:`build_nodes` turns the table into the graph's nodes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError
from headwater.jobs.composition import (
    GraphInputHandle,
    InputSource,
    NodeInvocation as _Node,
    OutputHandle,
    Source,
)
from headwater.jobs.io import DEFAULT_OUTPUT, In, Out

if TYPE_CHECKING:
    from headwater.jobs.node import NodeDefinition
    from headwater.jobs.retry import RetryPolicy

__all__ = [
    "DependencyDefinition",
    "GraphIn",
    "InputMapping",
    "MultiDependencyDefinition",
    "NodeInvocation",
    "OutputMapping",
]


@dataclass(frozen=True)
class DependencyDefinition:
    """An input fed by one output of another node of the same graph.

    Args:
        node: the upstream node's name (its alias, if it has one).
        output: the upstream node's output, ``"result"`` by default.
        description: what the dependency is for.
    """

    node: str
    output: str = DEFAULT_OUTPUT
    description: str | None = None

    def is_fan_in(self) -> bool:
        """Always False: one upstream output."""
        return False

    def get_node_dependencies(self) -> list[DependencyDefinition]:
        """This dependency, as the one-element list a fan-in would give."""
        return [self]


@dataclass(frozen=True)
class MultiDependencyDefinition:
    """An input fed by several upstream outputs (fan-in): the op receives them as a list."""

    dependencies: Sequence[DependencyDefinition]

    def __post_init__(self) -> None:
        deps = tuple(self.dependencies)
        for dep in deps:
            if not isinstance(dep, DependencyDefinition):
                raise InvalidDefinitionError(
                    f"MultiDependencyDefinition takes DependencyDefinitions, got {dep!r}"
                )
        object.__setattr__(self, "dependencies", list(deps))

    def is_fan_in(self) -> bool:
        """Always True."""
        return True

    def get_node_dependencies(self) -> list[DependencyDefinition]:
        """The upstream outputs, in order."""
        return list(self.dependencies)


@dataclass(frozen=True)
class NodeInvocation:
    """A key of the dependencies table that uses a definition under another name, or with
    tags, hooks or a retry policy of its own.

    Args:
        name: the definition's name.
        alias: the node's name in the graph (default: ``name``).
        tags: tags of this node.
        hook_defs: hooks run for this node.
        retry_policy: the node's retry policy.
    """

    name: str
    alias: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    hook_defs: frozenset[Any] = frozenset()
    retry_policy: RetryPolicy | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", dict(self.tags or {}))
        object.__setattr__(self, "hook_defs", frozenset(self.hook_defs or ()))

    def __hash__(self) -> int:
        return hash((self.name, self.alias, tuple(sorted(self.tags.items())), self.hook_defs))


@dataclass(frozen=True, kw_only=True)
class GraphIn:
    """Describes an input of a ``@graph`` (``ins={"x": GraphIn(description=...)}``); its
    type comes from the op input it feeds."""

    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class InputMapping:
    """Maps a graph input onto an input of one of its nodes.

    Args:
        graph_input_name: the graph's input.
        mapped_node_name: the node it feeds.
        mapped_node_input_name: that node's input.
        fan_in_index: for a fan-in input, which of its upstream slots.
        graph_input_description: the graph input's description.
        dagster_type: the graph input's type (default: the node input's).
    """

    graph_input_name: str
    mapped_node_name: str
    mapped_node_input_name: str
    fan_in_index: int | None = None
    graph_input_description: str | None = None
    dagster_type: Any = None


@dataclass(frozen=True)
class OutputMapping:
    """Maps an output of one of a graph's nodes onto an output of the graph.

    Args:
        graph_output_name: the graph's output.
        mapped_node_name: the node producing it.
        mapped_node_output_name: that node's output.
        graph_output_description: the graph output's description.
        dagster_type: the graph output's type (default: the node output's).
        from_dynamic_mapping: whether the node output is dynamic (not supported).
    """

    graph_output_name: str
    mapped_node_name: str
    mapped_node_output_name: str
    graph_output_description: str | None = None
    dagster_type: Any = None
    from_dynamic_mapping: bool = False


Dependency = DependencyDefinition | MultiDependencyDefinition


@dataclass
class BuiltGraph:
    """What :func:`build_nodes` makes of a table: nodes, and the graph's ins and outs."""

    nodes: dict[str, _Node]
    input_defs: dict[str, In]
    output_mappings: dict[str, OutputHandle]
    output_defs: dict[str, Out]


def _described(io: Any, description: str | None, dagster_type: Any) -> Any:
    if description is None and dagster_type is None:
        return io
    clone = copy.copy(io)
    if description is not None:
        clone.description = description
    if dagster_type is not None:
        clone.dagster_type = dagster_type
    return clone


def _node_names(
    node_defs: Sequence[NodeDefinition], dependencies: Mapping[Any, Any]
) -> dict[str, tuple[NodeDefinition, NodeInvocation | None]]:
    by_name: dict[str, NodeDefinition] = {}
    for definition in node_defs:
        by_name.setdefault(definition.name, definition)
    invoked: dict[str, list[NodeInvocation | str]] = {}
    for key in dependencies:
        def_name = key.name if isinstance(key, NodeInvocation) else key
        if def_name not in by_name:
            raise InvalidDefinitionError(
                f"Invalid dependencies: node {def_name!r} is a key of dependencies but no "
                f"node definition has that name; node_defs: {list(by_name)}"
            )
        invoked.setdefault(def_name, []).append(key)
    nodes: dict[str, tuple[NodeDefinition, NodeInvocation | None]] = {}
    for def_name, definition in by_name.items():
        keys = invoked.get(def_name)
        if not keys:
            nodes[def_name] = (definition, None)
            continue
        for key in keys:
            if isinstance(key, NodeInvocation):
                nodes[key.alias or key.name] = (definition, key)
            else:
                nodes[key] = (definition, None)
    return nodes


def _source(
    dep: DependencyDefinition, *, node: str, input_name: str, nodes: Mapping[str, Any]
) -> Source:
    upstream = nodes.get(dep.node)
    if upstream is None:
        raise InvalidDefinitionError(
            f'Invalid dependencies: node "{dep.node}" not found in node list. Listed as '
            f'dependency for node "{node}" input "{input_name}"'
        )
    if dep.output not in upstream[0].output_defs:
        raise InvalidDefinitionError(
            f'Invalid dependencies: node "{dep.node}" does not have output "{dep.output}". '
            f'Listed as dependency for node "{node}" input "{input_name}"'
        )
    return OutputHandle(dep.node, dep.output)


def _wire(
    named: Mapping[str, tuple[NodeDefinition, NodeInvocation | None]],
    dependencies: Mapping[Any, Mapping[str, Dependency]],
) -> dict[str, dict[str, InputSource]]:
    inputs: dict[str, dict[str, InputSource]] = {name: {} for name in named}
    for key, deps in dependencies.items():
        node = key.alias or key.name if isinstance(key, NodeInvocation) else key
        definition = named[node][0]
        for input_name, dep in deps.items():
            if input_name not in definition.input_defs:
                raise InvalidDefinitionError(
                    f'Invalid dependencies: op "{node}" does not have input "{input_name}". '
                    f"Available inputs: {list(definition.input_defs)}"
                )
            if isinstance(dep, MultiDependencyDefinition):
                inputs[node][input_name] = tuple(
                    _source(d, node=node, input_name=input_name, nodes=named)
                    for d in dep.dependencies
                )
            elif isinstance(dep, DependencyDefinition):
                inputs[node][input_name] = _source(
                    dep, node=node, input_name=input_name, nodes=named
                )
            else:
                raise InvalidDefinitionError(
                    f'Invalid dependencies: node "{node}" input "{input_name}" is given '
                    f"{dep!r}; expected a DependencyDefinition or MultiDependencyDefinition"
                )
    return inputs


def _map_inputs(
    graph_name: str,
    named: Mapping[str, tuple[NodeDefinition, NodeInvocation | None]],
    inputs: dict[str, dict[str, InputSource]],
    input_mappings: Sequence[InputMapping],
) -> dict[str, In]:
    input_defs: dict[str, In] = {}
    for mapping in input_mappings:
        target = named.get(mapping.mapped_node_name)
        if target is None:
            raise InvalidDefinitionError(
                f"In GraphDefinition '{graph_name}' input mapping references node "
                f"'{mapping.mapped_node_name}' which it does not contain."
            )
        node_in = target[0].input_defs.get(mapping.mapped_node_input_name)
        if node_in is None:
            raise InvalidDefinitionError(
                f"In GraphDefinition '{graph_name}' input mapping to node "
                f"'{mapping.mapped_node_name}' names input "
                f"'{mapping.mapped_node_input_name}', which that node does not have."
            )
        if mapping.fan_in_index is not None:
            raise InvalidDefinitionError(
                f"In GraphDefinition '{graph_name}': input mappings into one slot of a "
                "fan-in input (fan_in_index) are not supported"
            )
        inputs[mapping.mapped_node_name][mapping.mapped_node_input_name] = GraphInputHandle(
            mapping.graph_input_name
        )
        input_defs.setdefault(
            mapping.graph_input_name,
            _described(node_in, mapping.graph_input_description, mapping.dagster_type),
        )
    return input_defs


def _map_outputs(
    graph_name: str,
    named: Mapping[str, tuple[NodeDefinition, NodeInvocation | None]],
    output_mappings: Sequence[OutputMapping],
) -> tuple[dict[str, OutputHandle], dict[str, Out]]:
    outs: dict[str, OutputHandle] = {}
    out_defs: dict[str, Out] = {}
    for mapping in output_mappings:
        target = named.get(mapping.mapped_node_name)
        if target is None:
            raise InvalidDefinitionError(
                f"In GraphDefinition '{graph_name}', output mapping references node "
                f"'{mapping.mapped_node_name}' which it does not contain."
            )
        node_out = target[0].output_defs.get(mapping.mapped_node_output_name)
        if node_out is None:
            raise InvalidDefinitionError(
                f"In GraphDefinition '{graph_name}', output mapping from node "
                f"'{mapping.mapped_node_name}' names output "
                f"'{mapping.mapped_node_output_name}', which that node does not have."
            )
        outs[mapping.graph_output_name] = OutputHandle(
            mapping.mapped_node_name, mapping.mapped_node_output_name
        )
        out_defs[mapping.graph_output_name] = _described(
            node_out, mapping.graph_output_description, mapping.dagster_type
        )
    return outs, out_defs


def build_nodes(
    graph_name: str,
    node_defs: Sequence[NodeDefinition],
    dependencies: Mapping[Any, Mapping[str, Dependency]],
    input_mappings: Sequence[InputMapping],
    output_mappings: Sequence[OutputMapping],
) -> BuiltGraph:
    """The nodes, graph inputs and graph outputs that an explicit graph definition names."""
    named = _node_names(node_defs, dependencies)
    inputs = _wire(named, dependencies)
    input_defs = _map_inputs(graph_name, named, inputs, input_mappings)
    outs, out_defs = _map_outputs(graph_name, named, output_mappings)
    nodes = {
        name: _Node(
            name=name,
            definition=definition,
            inputs=inputs[name],
            tags=dict(invocation.tags) if invocation else {},
            retry_policy=invocation.retry_policy if invocation else None,
            hook_defs=invocation.hook_defs if invocation else frozenset(),
        )
        for name, (definition, invocation) in named.items()
    }
    return BuiltGraph(nodes, input_defs, outs, out_defs)
