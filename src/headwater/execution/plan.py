"""The execution plan: a job's ops flattened into ordered steps. Pure: no I/O, no clock."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.errors import InvalidDefinitionError, InvalidSubsetError
from headwater.jobs.composition import (
    GraphInputHandle,
    InputSource,
    OutputHandle,
    iter_sources,
)
from headwater.jobs.graph import GraphDefinition
from headwater.jobs.io import NoValue
from headwater.jobs.job import JobDefinition
from headwater.jobs.op import OpDefinition
from headwater.jobs.retry import RetryPolicy

__all__ = ["ExecutionPlan", "Step", "StepInput", "build_plan"]


@dataclass(frozen=True, slots=True)
class StepInput:
    """Where one input of a step gets its value.

    Attributes:
        name: the op's input name.
        sources: upstream ``(step_key, output_name)`` pairs; several for a fan-in.
        is_fan_in: whether the op receives a list of the sources' values.
        is_nothing: an ordering-only input that passes no value.
        from_job_input: the job-level input that feeds it, if any.
        default: the input's default value (``NoValue`` if none).
    """

    name: str
    sources: tuple[tuple[str, str], ...]
    is_fan_in: bool
    is_nothing: bool
    from_job_input: str | None
    default: Any


@dataclass(frozen=True, slots=True)
class Step:
    """One op invocation to run: the unit the executor schedules and events refer to."""

    key: str
    path: tuple[str, ...]
    op_def: OpDefinition
    inputs: tuple[StepInput, ...]
    upstream: frozenset[str]
    tags: Mapping[str, str]
    retry_policy: RetryPolicy | None
    # HookDefinitions to call when the step ends: the job's, its graphs' and its own.
    hooks: frozenset[Any] = frozenset()

    @property
    def name(self) -> str:
        """The op's node name (the last part of the key)."""
        return self.path[-1]


class ExecutionPlan:
    """Steps in an order that runs every step after the steps it depends on."""

    def __init__(self, steps: Sequence[Step], outputs: Mapping[str, tuple[str, str]]) -> None:
        self.steps: tuple[Step, ...] = tuple(steps)
        self.by_key: dict[str, Step] = {s.key: s for s in self.steps}
        self._node_outputs = dict(outputs)

    @property
    def step_keys_to_execute(self) -> list[str]:
        """The keys of the steps this plan runs, in order (what an ``Executor`` reads)."""
        return [s.key for s in self.steps]

    def resolve_output(self, node: str, output_name: str) -> tuple[str, str] | None:
        """The ``(step_key, output)`` behind a node's output (graph nodes included)."""
        step = self.by_key.get(node)
        if step is not None:
            return (node, output_name) if output_name in step.op_def.output_defs else None
        return self._node_outputs.get(f"{node}:{output_name}")

    def has_node(self, node: str) -> bool:
        """Whether ``node`` (``"graph.op"`` nests) names a step or a graph of this plan."""
        if node in self.by_key:
            return True
        prefix = node + "."
        return any(key.startswith(prefix) for key in self.by_key)

    def has_outputs(self) -> bool:
        """Whether the top-level graph maps any outputs."""
        return any(key.startswith(":") for key in self._node_outputs)

    def only(self, keys: Sequence[str]) -> ExecutionPlan:
        """The steps with these keys, unchanged: inputs from left-out steps keep their
        sources (a re-execution loads them from the run that stored them)."""
        wanted = set(keys)
        return ExecutionPlan([s for s in self.steps if s.key in wanted], self._node_outputs)

    def subset(self, names: Sequence[str]) -> ExecutionPlan:
        """Only the steps whose key or op name is in ``names``.

        ``names`` may use Dagster's selection syntax (``*name``, ``name+`` ...).

        Raises:
            InvalidSubsetError: a name matches no step.
            InvalidDefinitionError: a kept step needs a value from a left-out step and has
                no default.
        """
        keys = self._select(names)
        kept = [s for s in self.steps if s.key in keys]
        for step in kept:
            for step_input in step.inputs:
                outside = [k for k, _ in step_input.sources if k not in keys]
                if outside and not step_input.is_nothing and step_input.default is NoValue:
                    raise InvalidDefinitionError(
                        f"op_selection leaves input '{step_input.name}' of op '{step.key}' "
                        f"without a value (it comes from {outside}); select those ops too"
                    )
        trimmed = [
            Step(
                key=s.key,
                path=s.path,
                op_def=s.op_def,
                inputs=tuple(
                    StepInput(
                        i.name,
                        tuple(src for src in i.sources if src[0] in keys),
                        i.is_fan_in,
                        i.is_nothing,
                        i.from_job_input,
                        i.default,
                    )
                    for i in s.inputs
                ),
                upstream=s.upstream & keys,
                tags=s.tags,
                retry_policy=s.retry_policy,
                hooks=s.hooks,
            )
            for s in kept
        ]
        return ExecutionPlan(trimmed, self._node_outputs)

    def _select(self, queries: Sequence[str]) -> set[str]:
        """The step keys a selection names, with Dagster's query syntax: ``name`` (an op, or
        a graph node and every op inside it), ``*name`` / ``name*`` (every ancestor /
        descendant), ``+name`` / ``name++`` (one level per ``+``).

        Raises:
            InvalidSubsetError: a query names no op or graph node of the job.
        """
        downstream: dict[str, set[str]] = {k: set() for k in self.by_key}
        for step in self.steps:
            for up in step.upstream:
                downstream.setdefault(up, set()).add(step.key)
        upstream = {s.key: set(s.upstream) for s in self.steps}
        selected: set[str] = set()
        unknown = []
        for query in queries:
            match = _QUERY.fullmatch(query)
            up, name, down = match.groups() if match else ("", query, "")
            base = {
                s.key for s in self.steps if name in (s.key, s.name) or s.key.startswith(name + ".")
            }
            if not base:
                unknown.append(query)
                continue
            selected |= base
            selected |= _walk(base, upstream, up)
            selected |= _walk(base, downstream, down)
        if unknown:
            raise InvalidSubsetError(
                f"op_selection names {sorted(unknown)}, which are not ops of this job; "
                f"ops are {sorted(self.by_key)}"
            )
        return selected


# A selection query: leading and trailing runs of "*" or "+" around a node name.
_QUERY = re.compile(r"(\*|\+*)([^*+]+)(\*|\+*)")


def _walk(start: set[str], edges: Mapping[str, set[str]], how: str) -> set[str]:
    """Keys reachable from ``start`` along ``edges``: all of them for ``*``, else one level
    per ``+``."""
    depth = -1 if how == "*" else len(how)
    found: set[str] = set()
    frontier = set(start)
    while frontier and depth != 0:
        frontier = {n for key in frontier for n in edges.get(key, ())} - found - start
        found |= frontier
        depth -= 1
    return found


# An input of a graph resolves, in its parent, to concrete sources or a job input.
_Resolver = Callable[[str], tuple[tuple[tuple[str, str], ...], str | None]]


def _resolve_output(
    graph: GraphDefinition, prefix: tuple[str, ...], handle: OutputHandle
) -> tuple[str, str]:
    node = graph.nodes[handle.node_name]
    path = (*prefix, handle.node_name)
    if isinstance(node.definition, GraphDefinition):
        inner = node.definition.output_mappings.get(handle.output_name)
        if inner is None:
            raise InvalidDefinitionError(
                f"graph '{node.definition.name}' has no output '{handle.output_name}'"
            )
        return _resolve_output(node.definition, path, inner)
    return ".".join(path), handle.output_name


def _resolve_source(
    graph: GraphDefinition, prefix: tuple[str, ...], source: InputSource, parent: _Resolver
) -> tuple[tuple[tuple[str, str], ...], str | None]:
    sources: list[tuple[str, str]] = []
    job_input: str | None = None
    for single in iter_sources(source):
        if isinstance(single, GraphInputHandle):
            upstream, job_input = parent(single.input_name)
            sources.extend(upstream)
        else:
            sources.append(_resolve_output(graph, prefix, single))
    return tuple(sources), job_input


def _flatten(
    graph: GraphDefinition,
    prefix: tuple[str, ...],
    parent: _Resolver,
    job_retry: RetryPolicy | None,
    steps: list[Step],
    hooks: frozenset[Any] = frozenset(),
) -> None:
    for name, node in graph.nodes.items():
        path = (*prefix, name)
        definition = node.definition
        node_hooks = hooks | node.hook_defs if node.hook_defs else hooks
        if isinstance(definition, GraphDefinition):

            def child_resolver(
                input_name: str, _node: Any = node, _prefix: tuple[str, ...] = prefix
            ) -> tuple[tuple[tuple[str, str], ...], str | None]:
                source = _node.inputs.get(input_name)
                if source is None:
                    return (), None
                return _resolve_source(graph, _prefix, source, parent)

            _flatten(definition, path, child_resolver, job_retry, steps, node_hooks)
            continue
        assert isinstance(definition, OpDefinition)
        inputs = []
        for input_name, in_def in definition.input_defs.items():
            source = node.inputs.get(input_name)
            sources: tuple[tuple[str, str], ...] = ()
            job_input = None
            if source is not None:
                sources, job_input = _resolve_source(graph, prefix, source, parent)
            inputs.append(
                StepInput(
                    name=input_name,
                    sources=sources,
                    is_fan_in=isinstance(source, tuple),
                    is_nothing=in_def.is_nothing,
                    from_job_input=job_input,
                    default=in_def.default_value,
                )
            )
        steps.append(
            Step(
                key=".".join(path),
                path=path,
                op_def=definition,
                inputs=tuple(inputs),
                upstream=frozenset(k for i in inputs for k, _ in i.sources)
                | {".".join((*prefix, a)) for a in node.after},
                tags={**definition.tags, **node.tags},
                retry_policy=node.retry_policy or definition.retry_policy or job_retry,
                hooks=node_hooks,
            )
        )


def _top_resolver(input_name: str) -> tuple[tuple[tuple[str, str], ...], str | None]:
    return (), input_name


def _node_outputs(
    graph: GraphDefinition, prefix: tuple[str, ...], into: dict[str, tuple[str, str]]
) -> None:
    for name, node in graph.nodes.items():
        if isinstance(node.definition, GraphDefinition):
            path = (*prefix, name)
            for out_name in node.definition.output_mappings:
                into[f"{'.'.join(path)}:{out_name}"] = _resolve_output(
                    graph, prefix, OutputHandle(name, out_name)
                )
            _node_outputs(node.definition, path, into)


def _ordered(steps: list[Step]) -> list[Step]:
    """Topological order by levels, each level sorted by step key, as the reference runs
    steps in process: the steps whose upstream all ran in earlier levels, alphabetically."""
    by_key = {step.key: step for step in steps}
    waiting = {step.key: len(step.upstream & by_key.keys()) for step in steps}
    dependents: dict[str, list[str]] = {}
    for step in steps:
        for up in step.upstream:
            dependents.setdefault(up, []).append(step.key)
    level = sorted(key for key, count in waiting.items() if count == 0)
    ordered: list[Step] = []
    while level:
        ordered.extend(by_key[key] for key in level)
        following = []
        for key in level:
            for down in dependents.get(key, ()):
                waiting[down] -= 1
                if waiting[down] == 0:
                    following.append(down)
        level = sorted(following)
    if len(ordered) != len(steps):
        placed = {step.key for step in ordered}
        cycle = sorted(key for key in by_key if key not in placed)
        raise InvalidDefinitionError(f"the ops {cycle} depend on each other in a cycle")
    return ordered


def build_plan(job: JobDefinition) -> ExecutionPlan:
    """Order the steps of one run of ``job``. Pure: no I/O, no clock, no resource init."""
    steps: list[Step] = []
    _flatten(job.graph, (), _top_resolver, job.op_retry_policy, steps, job.hook_defs)
    outputs: dict[str, tuple[str, str]] = {}
    _node_outputs(job.graph, (), outputs)
    for out_name, handle in job.graph.output_mappings.items():
        outputs[f":{out_name}"] = _resolve_output(job.graph, (), handle)
    return ExecutionPlan(_ordered(steps), outputs)
