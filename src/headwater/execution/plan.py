"""The execution plan: a job's ops flattened into ordered steps. Pure: no I/O, no clock."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from typing import TYPE_CHECKING, Any

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError, InvalidSubsetError
from headwater.jobs.composition import (
    CollectHandle,
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

if TYPE_CHECKING:
    from headwater.execution.dynamic import DynamicParts, Mappings

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
        collects: the input gathers a dynamic output (``.collect()``): a fan-in whose
            sources are known once the dynamic output has resolved.
        collect_of: for such an input, the ``(step_key, output_name)`` of the dynamic
            output it gathers (directly, or through the steps mapped over it).
        mapping_key: in a mapped step, the value of the dynamic output ``sources[0]`` this
            input reads.
    """

    name: str
    sources: tuple[tuple[str, str], ...]
    is_fan_in: bool
    is_nothing: bool
    from_job_input: str | None
    default: Any
    collects: bool = False
    collect_of: tuple[str, str] | None = None
    mapping_key: str | None = None


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
    # A copy of a step mapped over a dynamic output: the value's mapping key (the step's
    # key is then ``node[mapping_key]``).
    mapping_key: str | None = None
    # Whether an input reads values of a dynamic output (by mapping key, or all of them):
    # such steps load their inputs through ``execution/dynamic.py``.
    reads_pieces: bool = False
    # What running it reads of its job, kept on its first run (``step_facts.facts_for``):
    # plans, and so steps, serve every run of a job.
    facts: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The op's node name (the last part of the key)."""
        return self.path[-1]

    @property
    def handle(self) -> str:
        """The op's node path, dotted (``"graph.op"``): what an asset layer is keyed by."""
        return ".".join(self.path)


class ExecutionPlan:
    """Steps in an order that runs every step after the steps it depends on.

    A job with dynamic outputs has, besides ``steps``, the steps that wait on them
    (``dynamic``); :meth:`resolve` makes them concrete once the outputs are known.
    """

    def __init__(
        self,
        steps: Sequence[Step],
        outputs: Mapping[str, tuple[str, str]],
        dynamic: DynamicParts | None = None,
    ) -> None:
        self.steps: tuple[Step, ...] = tuple(steps)
        self.by_key: dict[str, Step] = {s.key: s for s in self.steps}
        self._node_outputs = dict(outputs)
        self.dynamic = dynamic

    @property
    def is_dynamic(self) -> bool:
        """Whether some steps wait on dynamic outputs (runs then grow as they resolve)."""
        return self.dynamic is not None

    def resolve(self, mappings: Mappings) -> tuple[ExecutionPlan, list[Step]]:
        """The plan once ``mappings`` are known (the dynamic outputs' mapping keys, or
        ``None`` for one not produced), and the steps that made concrete, in run order.
        Pure: ``self`` is unchanged."""
        if self.dynamic is None or not mappings:
            return self, []
        made, left = self.dynamic.resolve(mappings)
        return ExecutionPlan([*self.steps, *made], self._node_outputs, left), made

    @property
    def step_keys_to_execute(self) -> list[str]:
        """The keys of the steps this plan runs, in order (what an ``Executor`` reads)."""
        return [s.key for s in self.steps]

    def resolve_output(self, node: str, output_name: str) -> tuple[str, str] | None:
        """The ``(step_key, output)`` behind a node's output (graph nodes included)."""
        step = self.by_key.get(node)
        if step is None and self.dynamic is not None:
            step = next((t for t in self.dynamic.templates if t.key == node), None)
            if step is None and node in self.dynamic.roots:  # a mapped step, resolved
                return (node, output_name)
        if step is not None:
            return (node, output_name) if output_name in step.op_def.output_defs else None
        return self._node_outputs.get(f"{node}:{output_name}")

    def has_node(self, node: str) -> bool:
        """Whether ``node`` (``"graph.op"`` nests) names a step or a graph of this plan."""
        if node in self.by_key or (self.dynamic is not None and node in self.dynamic.requires):
            return True
        prefix = node + "."
        keys = [*self.by_key, *(self.dynamic.requires if self.dynamic is not None else ())]
        return any(key.startswith(prefix) for key in keys)

    def has_outputs(self) -> bool:
        """Whether the top-level graph maps any outputs."""
        return any(key.startswith(":") for key in self._node_outputs)

    def only(self, keys: Sequence[str]) -> ExecutionPlan:
        """The steps with these keys, unchanged: inputs from left-out steps keep their
        sources (a re-execution loads them from the run that stored them)."""
        wanted = set(keys)
        return ExecutionPlan(
            [s for s in self.steps if s.key in wanted], self._node_outputs, self.dynamic
        )

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
        dynamic = self.dynamic
        templates = [t for t in dynamic.templates if t.key in keys] if dynamic else []
        for step in (*kept, *templates):
            for step_input in step.inputs:
                outside = [k for k, _ in step_input.sources if k not in keys]
                if outside and not step_input.is_nothing and step_input.default is NoValue:
                    raise InvalidDefinitionError(
                        f"op_selection leaves input '{step_input.name}' of op '{step.key}' "
                        f"without a value (it comes from {outside}); select those ops too"
                    )
        if dynamic is not None:
            dynamic = replace(dynamic, templates=tuple(_trimmed(t, keys) for t in templates))
        return ExecutionPlan([_trimmed(s, keys) for s in kept], self._node_outputs, dynamic)

    def _select(self, queries: Sequence[str]) -> set[str]:
        """The step keys a selection names, with Dagster's query syntax: ``name`` (an op, or
        a graph node and every op inside it), ``*name`` / ``name*`` (every ancestor /
        descendant), ``+name`` / ``name++`` (one level per ``+``).

        Raises:
            InvalidSubsetError: a query names no op or graph node of the job.
        """
        steps = [*self.steps, *(self.dynamic.templates if self.dynamic is not None else ())]
        downstream: dict[str, set[str]] = {s.key: set() for s in steps}
        for step in steps:
            for up in step.upstream:
                downstream.setdefault(up, set()).add(step.key)
        upstream = {s.key: set(s.upstream) for s in steps}
        selected: set[str] = set()
        unknown = []
        for query in queries:
            match = re.fullmatch(_QUERY, query)
            up, name, down = match.groups() if match else ("", query, "")
            base = {s.key for s in steps if name in (s.key, s.name) or s.key.startswith(name + ".")}
            if not base:
                unknown.append(query)
                continue
            selected |= base
            selected |= _walk(base, upstream, up)
            selected |= _walk(base, downstream, down)
        if unknown:
            raise InvalidSubsetError(
                f"op_selection names {sorted(unknown)}, which are not ops of this job; "
                f"ops are {sorted(s.key for s in steps)}"
            )
        return selected


# A selection query: leading and trailing runs of "*" or "+" around a node name.
# Compiled (and cached by re) on the first op selection, not when the module loads.
_QUERY = r"(\*|\+*)([^*+]+)(\*|\+*)"


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


# An input of a graph resolves, in its parent, to concrete sources or a job input, and
# whether it gathers a dynamic output (``.collect()``).
_Sources = tuple[tuple[tuple[str, str], ...], str | None, bool]
_Resolver = Callable[[str], _Sources]


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
) -> _Sources:
    sources: list[tuple[str, str]] = []
    job_input: str | None = None
    collects = False
    for single in iter_sources(source):
        if isinstance(single, GraphInputHandle):
            upstream, job_input, collects = parent(single.input_name)
            sources.extend(upstream)
        else:
            collects = collects or isinstance(single, CollectHandle)
            sources.append(_resolve_output(graph, prefix, single))
    return tuple(sources), job_input, collects


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
            ) -> _Sources:
                source = _node.inputs.get(input_name)
                if source is None:
                    return (), None, False
                return _resolve_source(graph, _prefix, source, parent)

            _flatten(definition, path, child_resolver, job_retry, steps, node_hooks)
            continue
        assert isinstance(definition, OpDefinition)
        inputs = []
        for input_name, in_def in definition.input_defs.items():
            source = node.inputs.get(input_name)
            sources: tuple[tuple[str, str], ...] = ()
            job_input = None
            collects = False
            if source is not None:
                sources, job_input, collects = _resolve_source(graph, prefix, source, parent)
            inputs.append(
                StepInput(
                    name=input_name,
                    sources=sources,
                    is_fan_in=isinstance(source, tuple) or collects,
                    is_nothing=in_def.is_nothing,
                    from_job_input=job_input,
                    default=in_def.default_value,
                    collects=collects,
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


def _top_resolver(input_name: str) -> _Sources:
    return (), input_name, False


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
    ordered = _ordered(steps)
    if not any(o.is_dynamic for s in ordered for o in s.op_def.output_defs.values()):
        return ExecutionPlan(ordered, outputs)
    # Deferred: dynamic outputs' machinery loads for the jobs that have them.
    from headwater.execution.dynamic import split_dynamic

    concrete, dynamic = split_dynamic(ordered)
    return ExecutionPlan(concrete, outputs, dynamic)


def _trimmed(step: Step, keys: set[str]) -> Step:
    """``step`` in a plan of the steps ``keys``: sources and upstream steps outside it
    dropped (their values load from an earlier run, or the input has a default)."""
    inputs = tuple(
        replace(i, sources=tuple(src for src in i.sources if src[0] in keys)) for i in step.inputs
    )
    return replace(step, inputs=inputs, upstream=step.upstream & keys)
