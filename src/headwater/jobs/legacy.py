"""The legacy API (Dagster 0.15): solids, pipelines and modes, a thin layer over ops and jobs.

A solid is an op; a composite solid is a graph; a pipeline is a graph with one or more
modes; a mode is a named set of resources; a preset is a saved run config and mode.
Running a pipeline in a mode runs the job that graph becomes with that mode's resources,
and its result reads as 0.15's ``PipelineExecutionResult``. Nothing here executes anything
itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.errors import (
    InvalidDefinitionError,
    InvalidInvocationError,
    InvariantViolationError,
)
from headwater.jobs.composition import NodeInvocation
from headwater.jobs.graph import GraphDefinition, _compose
from headwater.jobs.io import DEFAULT_OUTPUT, In, NoValue, Out
from headwater.jobs.job import JobDefinition
from headwater.jobs.op import OpDefinition
from headwater.jobs.retry import RetryPolicy
from headwater.jobs.run_config import iter_op_nodes
from headwater.resources import coerce_resources, resource_init_order

if TYPE_CHECKING:
    from headwater.events import RunEvent
    from headwater.execution.result import ExecuteInProcessResult

__all__ = [
    "CompositeSolidDefinition",
    "CompositeSolidExecutionResult",
    "InputDefinition",
    "ModeDefinition",
    "OutputDefinition",
    "PipelineDefinition",
    "PipelineExecutionResult",
    "PresetDefinition",
    "SolidDefinition",
    "SolidExecutionResult",
    "composite_solid",
    "execute_pipeline",
    "execute_solid",
    "pipeline",
    "solid",
]

DEFAULT_MODE = "default"


class InputDefinition:
    """An input of a solid (the legacy form of ``In``, with the name inside).

    Example:
        ``@solid(input_defs=[InputDefinition("x", int, default_value=0)])``
    """

    def __init__(
        self,
        name: str,
        dagster_type: Any = None,
        description: str | None = None,
        default_value: Any = NoValue,
        root_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        asset_key: Any = None,
        asset_partitions: Any = None,
        input_manager_key: str | None = None,
    ) -> None:
        self.name = name
        self.dagster_type = dagster_type
        self.description = description
        self.default_value = default_value
        self.metadata = dict(metadata or {})
        self.asset_key = asset_key
        self.asset_partitions = asset_partitions
        self.input_manager_key = input_manager_key or root_manager_key

    def to_in(self) -> In:
        """The ``In`` this definition stands for."""
        return In(
            # 0.15 reads the annotation when no type is given (None).
            dagster_type=NoValue if self.dagster_type is None else self.dagster_type,
            description=self.description,
            default_value=self.default_value,
            metadata=self.metadata,
            asset_key=self.asset_key,
            asset_partitions=self.asset_partitions,
            input_manager_key=self.input_manager_key,
        )

    def __repr__(self) -> str:
        return f"<InputDefinition {self.name!r}>"


class OutputDefinition:
    """An output of a solid (the legacy form of ``Out``); its name defaults to ``"result"``.

    Example:
        ``@solid(output_defs=[OutputDefinition(int, name="count")])``
    """

    def __init__(
        self,
        dagster_type: Any = None,
        name: str | None = None,
        description: str | None = None,
        is_required: bool = True,
        io_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        asset_key: Any = None,
        asset_partitions: Any = None,
        asset_partitions_def: Any = None,
    ) -> None:
        self.dagster_type = dagster_type
        self.name = name or DEFAULT_OUTPUT
        self.description = description
        self.is_required = is_required
        self.io_manager_key = io_manager_key
        self.metadata = dict(metadata or {})

    def to_out(self) -> Out:
        """The ``Out`` this definition stands for."""
        return Out(
            # 0.15 reads the annotation when no type is given (None).
            dagster_type=NoValue if self.dagster_type is None else self.dagster_type,
            description=self.description,
            is_required=self.is_required,
            io_manager_key=self.io_manager_key,
            metadata=self.metadata,
        )

    def __repr__(self) -> str:
        return f"<OutputDefinition {self.name!r}>"


class SolidDefinition(OpDefinition):
    """What ``@solid`` returns: an op, with the legacy spellings of its parts."""

    @property
    def input_dict(self) -> dict[str, In]:
        """Input name → ``In``."""
        return dict(self.input_defs)

    @property
    def output_dict(self) -> dict[str, Out]:
        """Output name → ``Out``."""
        return dict(self.output_defs)


class CompositeSolidDefinition(GraphDefinition):
    """What ``@composite_solid`` returns: a graph of solids, usable as one solid."""

    @property
    def solids(self) -> list[NodeInvocation]:
        """The graph's nodes."""
        return list(self.nodes.values())


def _ins(input_defs: Sequence[InputDefinition] | None) -> dict[str, In] | None:
    return {d.name: d.to_in() for d in input_defs} if input_defs is not None else None


def _outs(output_defs: Sequence[OutputDefinition] | None) -> dict[str, Out] | None:
    return {d.name: d.to_out() for d in output_defs} if output_defs is not None else None


def solid(
    name: Callable[..., Any] | str | None = None,
    description: str | None = None,
    input_defs: Sequence[InputDefinition] | None = None,
    output_defs: Sequence[OutputDefinition] | None = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | frozenset[str] | None = None,
    tags: Mapping[str, Any] | None = None,
    version: str | None = None,
    retry_policy: RetryPolicy | None = None,
) -> Any:
    """``@solid``: an op under its legacy name, with ``input_defs``/``output_defs``.

    Args:
        name: the solid's name (defaults to the function's); ``@solid`` and
            ``@solid("name")`` work too.
        description: shown in the UI (defaults to the docstring).
        input_defs: ``InputDefinition`` of each input (types, defaults, ``Nothing``).
        output_defs: ``OutputDefinition`` of each output (one named ``"result"`` if omitted).
        config_schema: the schema of ``context.solid_config``.
        required_resource_keys: resources read as ``context.resources.<key>``.
        tags: string tags.
        version: a code version.
        retry_policy: how a failure is retried.

    Returns:
        A ``SolidDefinition`` (an ``OpDefinition``).
    """

    def build(fn: Callable[..., Any], solid_name: str | None) -> SolidDefinition:
        return SolidDefinition(
            fn,
            name=solid_name or fn.__name__,
            ins=_ins(input_defs),
            outs=_outs(output_defs),
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            description=description,
            tags=tags,
            retry_policy=retry_policy,
            version=version,
        )

    if callable(name):
        return build(name, None)
    return lambda fn: build(fn, name)


def composite_solid(
    name: Callable[..., Any] | str | None = None,
    input_defs: Sequence[InputDefinition] | None = None,
    output_defs: Sequence[OutputDefinition] | None = None,
    description: str | None = None,
    config_schema: Any = None,
    config_fn: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Any:
    """``@composite_solid``: solids composed by calling them, usable as one solid (a graph).

    Its inputs are the function's parameters; its output is what the function returns (a
    dict of them for several named outputs, as ``@graph``).

    Raises:
        InvalidDefinitionError: ``config_schema``/``config_fn`` (config mapping of a
            composite) are not supported; configure the inner solids under
            ``solids: {composite: {solids: ...}}`` instead.
    """
    if config_schema is not None or config_fn is not None:
        raise InvalidDefinitionError(
            "composite_solid(config_schema=, config_fn=) is not supported by headwater; "
            "configure the inner solids under solids: {<composite>: {solids: ...}}"
        )

    def build(fn: Callable[..., Any], graph_name: str | None) -> CompositeSolidDefinition:
        outs = _outs(output_defs)
        graph_def = _compose(
            fn,
            name=graph_name,
            description=description,
            ins=None,
            out=outs,
            tags=None,
            config=None,
        )
        graph_def.__class__ = CompositeSolidDefinition
        assert isinstance(graph_def, CompositeSolidDefinition)
        return graph_def

    if callable(name):
        return build(name, None)
    return lambda fn: build(fn, name)


class ModeDefinition:
    """A named set of resources a pipeline can run with.

    Args:
        name: the mode's name (``"default"`` if omitted).
        resource_defs: resource key → resource.
        description: shown in the UI.

    Example:
        ``ModeDefinition("prod", resource_defs={"db": postgres_db})``
    """

    def __init__(
        self,
        name: str | None = None,
        resource_defs: Mapping[str, object] | None = None,
        logger_defs: Mapping[str, object] | None = None,
        executor_defs: Sequence[object] | None = None,
        description: str | None = None,
        _config_mapping: Any = None,
        _partitioned_config: Any = None,
    ) -> None:
        if _config_mapping is not None or _partitioned_config is not None:
            raise InvalidDefinitionError(
                "ModeDefinition(_config_mapping=, _partitioned_config=) is not supported by "
                "headwater; give the config in run_config or a PresetDefinition"
            )
        self.name = name or DEFAULT_MODE
        self.resource_defs = dict(resource_defs or {})
        self.logger_defs = dict(logger_defs or {})
        self.executor_defs = list(executor_defs or [])
        self.description = description

    def __repr__(self) -> str:
        return f"<ModeDefinition {self.name!r}>"


class PresetDefinition:
    """A named run config, mode and solid selection a pipeline can run with.

    Example:
        ``PresetDefinition("nightly", run_config={...}, mode="prod")``
    """

    def __init__(
        self,
        name: str,
        run_config: Mapping[str, Any] | None = None,
        solid_selection: list[str] | None = None,
        mode: str | None = None,
        tags: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.run_config = dict(run_config) if run_config is not None else None
        self.solid_selection = list(solid_selection) if solid_selection is not None else None
        self.mode = mode or DEFAULT_MODE
        self.tags = dict(tags or {})

    def __repr__(self) -> str:
        return f"<PresetDefinition {self.name!r} mode={self.mode!r}>"


class PipelineDefinition:
    """A graph with modes; each mode becomes a job with that mode's resources.

    Raises:
        InvalidDefinitionError: two modes share a name, or a mode lacks a resource that a
            solid or another of its resources needs, or its resources form a cycle.
    """

    def __init__(
        self,
        graph_def: GraphDefinition,
        *,
        mode_defs: Sequence[ModeDefinition] | None = None,
        preset_defs: Sequence[PresetDefinition] | None = None,
        tags: Mapping[str, str] | None = None,
        description: str | None = None,
        solid_retry_policy: RetryPolicy | None = None,
    ) -> None:
        self.graph = graph_def
        self.name = graph_def.name
        self.description = description or graph_def.description
        modes = list(mode_defs or [ModeDefinition()])
        names = [m.name for m in modes]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InvalidDefinitionError(
                f"pipeline '{self.name}' has several modes named {duplicates}; mode names "
                "must be unique"
            )
        self.mode_definitions = modes
        self.preset_defs = list(preset_defs or [])
        preset_names = [p.name for p in self.preset_defs]
        duplicates = sorted({n for n in preset_names if preset_names.count(n) > 1})
        if duplicates:
            raise InvalidDefinitionError(
                f"pipeline '{self.name}' has several presets named {duplicates}; preset names "
                "must be unique"
            )
        self.tags = dict(tags or {})
        self._jobs: dict[str, JobDefinition] = {}
        needed = sorted({k for _, o in iter_op_nodes(graph_def) for k in o.required_resource_keys})
        for mode in modes:
            # Checked before the job is built, so errors name the mode, not the job.
            _check_mode(needed, mode, self.name)
            self._jobs[mode.name] = JobDefinition(
                graph_def=graph_def,
                name=self.name,
                resource_defs=mode.resource_defs,
                tags=self.tags,
                description=self.description,
                op_retry_policy=solid_retry_policy,
            )

    @property
    def mode_names(self) -> list[str]:
        """The names of the pipeline's modes, in declaration order."""
        return [m.name for m in self.mode_definitions]

    @property
    def solids(self) -> list[NodeInvocation]:
        """The pipeline's top-level solids (nodes), in composition order."""
        return list(self.graph.nodes.values())

    def has_solid_named(self, name: str) -> bool:
        """Whether a top-level solid is called ``name``."""
        return name in self.graph.nodes

    def solid_named(self, name: str) -> NodeInvocation:
        """The top-level solid called ``name``.

        Raises:
            InvariantViolationError: there is none.
        """
        if name not in self.graph.nodes:
            raise InvariantViolationError(
                f"pipeline '{self.name}' has no solid named '{name}'; its solids are "
                f"{sorted(self.graph.nodes)}"
            )
        return self.graph.nodes[name]

    def get_preset(self, name: str) -> PresetDefinition:
        """The preset called ``name``.

        Raises:
            InvariantViolationError: there is none.
        """
        for preset in self.preset_defs:
            if preset.name == name:
                return preset
        raise InvariantViolationError(
            f"pipeline '{self.name}' has no preset '{name}'; its presets are "
            f"{[p.name for p in self.preset_defs]}"
        )

    def get_job(self, mode: str | None = None) -> JobDefinition:
        """The job that runs this pipeline in ``mode``.

        Raises:
            InvariantViolationError: ``mode`` is unknown, or omitted while the pipeline has
                several modes.
        """
        if mode is None:
            if len(self._jobs) > 1:
                raise InvariantViolationError(
                    f"pipeline '{self.name}' has modes {self.mode_names}; choose one with "
                    "mode=... (or -d on the command line)"
                )
            return next(iter(self._jobs.values()))
        if mode not in self._jobs:
            raise InvariantViolationError(
                f"pipeline '{self.name}' has no mode '{mode}'; its modes are {self.mode_names}"
            )
        return self._jobs[mode]

    def __repr__(self) -> str:
        return f"<PipelineDefinition {self.name!r} modes={self.mode_names}>"


def _check_mode(needed: list[str], mode: ModeDefinition, pipeline_name: str) -> None:
    owner = f"mode '{mode.name}' of pipeline '{pipeline_name}'"
    defs = coerce_resources(mode.resource_defs)
    for key in needed:
        if key not in defs:
            raise InvalidDefinitionError(
                f"a solid of pipeline '{pipeline_name}' requires resource '{key}', which "
                f"{owner} does not provide; add it to the mode's resource_defs"
            )
    resource_init_order(defs, list(defs), owner=owner)


def pipeline(
    name: Callable[..., Any] | str | None = None,
    description: str | None = None,
    mode_defs: Sequence[ModeDefinition] | None = None,
    preset_defs: Sequence[PresetDefinition] | None = None,
    tags: Mapping[str, str] | None = None,
    hook_defs: Any = None,
    input_defs: Sequence[InputDefinition] | None = None,
    output_defs: Sequence[OutputDefinition] | None = None,
    config_schema: Any = None,
    config_fn: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    solid_retry_policy: RetryPolicy | None = None,
    version_strategy: Any = None,
) -> Any:
    """Compose solids into a pipeline, like ``@job``, with one or more modes.

    Args:
        name: the pipeline's name (defaults to the function's); ``@pipeline`` and
            ``@pipeline("name")`` work too.
        description: shown in the UI.
        mode_defs: the modes it can run in (one ``"default"`` mode if omitted).
        preset_defs: saved run configs and modes, run with ``execute_pipeline(preset=)``.
        tags: tags put on every run.
        solid_retry_policy: the retry policy of every solid that has none of its own.
        hook_defs, input_defs, output_defs, config_schema, config_fn, version_strategy:
            not supported by headwater: giving one raises ``InvalidDefinitionError``.

    Returns:
        A ``PipelineDefinition``.

    Example:
        ``@pipeline(mode_defs=[mode_def_ab, mode_def_c])``
        ``def pipeline_with_mode(): ...``
    """
    unsupported = {
        "hook_defs": hook_defs,
        "input_defs": input_defs,
        "output_defs": output_defs,
        "config_schema": config_schema,
        "config_fn": config_fn,
        "version_strategy": version_strategy,
    }
    given = sorted(k for k, v in unsupported.items() if v is not None)
    if given:
        raise InvalidDefinitionError(
            f"@pipeline({', '.join(f'{k}=' for k in given)}) is not supported by headwater; "
            "a @job (with hooks, config mapping and inputs) covers these"
        )

    def build(fn: Callable[..., Any], pipeline_name: str | None) -> PipelineDefinition:
        graph_def = _compose(
            fn,
            name=pipeline_name,
            description=description,
            ins=None,
            out={},
            tags=None,
            config=None,
        )
        return PipelineDefinition(
            graph_def,
            mode_defs=mode_defs,
            preset_defs=preset_defs,
            tags=tags,
            solid_retry_policy=solid_retry_policy,
        )

    if callable(name):
        return build(name, None)
    return lambda fn: build(fn, name)


def execute_pipeline(
    pipeline: PipelineDefinition,
    run_config: Mapping[str, Any] | None = None,
    mode: str | None = None,
    preset: str | None = None,
    tags: Mapping[str, str] | None = None,
    solid_selection: list[str] | None = None,
    instance: Any = None,
    raise_on_error: bool = True,
) -> PipelineExecutionResult:
    """Run a pipeline in one of its modes, in this process.

    Args:
        pipeline: the pipeline to run.
        run_config: config for solids (``solids`` or ``ops``) and resources.
        mode: the mode to run in (may be omitted when the pipeline has one mode).
        preset: the name of a preset that gives the run config, mode and selection (not
            with ``run_config`` or ``mode``).
        tags: tags for the run.
        solid_selection: the solids to run (``"name"``, ``"*name"``, ``"name+"`` ...).
        instance: where the run is recorded.
        raise_on_error: re-raise a failing solid's exception after the run.

    Returns:
        The run's ``PipelineExecutionResult`` (``result_for_solid`` reads a solid's outputs).

    Raises:
        InvalidInvocationError: not a pipeline, or ``preset`` with ``run_config``/``mode``.
        InvariantViolationError: unknown mode or preset, or no mode with several modes.
    """
    if not isinstance(pipeline, PipelineDefinition):
        raise InvalidInvocationError(
            f"execute_pipeline expects a @pipeline, got {pipeline!r}; run a job with "
            "job.execute_in_process(...)"
        )
    if preset is not None:
        if run_config is not None or mode is not None:
            raise InvalidInvocationError(
                "execute_pipeline: a preset gives the run config and mode; pass preset= "
                "without run_config= or mode="
            )
        chosen = pipeline.get_preset(preset)
        run_config, mode = chosen.run_config, chosen.mode
        solid_selection = solid_selection or chosen.solid_selection
        tags = {**chosen.tags, **(tags or {})}
    result = pipeline.get_job(mode).execute_in_process(
        run_config,
        instance=instance,
        raise_on_error=raise_on_error,
        op_selection=solid_selection,
        tags=tags,
    )
    return PipelineExecutionResult(pipeline, result)


def execute_solid(
    solid_def: OpDefinition | GraphDefinition,
    mode_def: ModeDefinition | None = None,
    input_values: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    run_config: Mapping[str, Any] | None = None,
    raise_on_error: bool = True,
) -> SolidExecutionResult | CompositeSolidExecutionResult:
    """Run one solid (or composite) alone, in this process: a test helper.

    Args:
        solid_def: the solid to run.
        mode_def: the mode whose resources it gets.
        input_values: input name → value, for the inputs given here.
        tags: tags for the run.
        run_config: config, under ``solids: {<name>: ...}`` as in its pipelines.
        raise_on_error: re-raise the solid's exception.

    Returns:
        The solid's result (``output_value()``, ``success``, ``step_events`` ...).
    """
    given = [name for name in solid_def.input_defs if name in (input_values or {})]

    def compose(*handles: Any) -> None:
        solid_def(**dict(zip(given, handles, strict=True)))

    compose.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in given]
    )
    graph_def = _compose(
        compose,
        name=f"ephemeral_{solid_def.name}_solid_pipeline",
        description=None,
        ins=None,
        out={},
        tags=None,
        config=None,
    )
    pipeline_def = PipelineDefinition(graph_def, mode_defs=[mode_def] if mode_def else None)
    result = pipeline_def.get_job().execute_in_process(
        run_config,
        raise_on_error=raise_on_error,
        tags=tags,
        input_values={name: (input_values or {})[name] for name in given},
    )
    return PipelineExecutionResult(pipeline_def, result).result_for_solid(solid_def.name)


# --- results ------------------------------------------------------------------------------


def _events_under(events: Sequence[RunEvent], handle: str) -> list[RunEvent]:
    prefix = handle + "."
    return [
        e
        for e in events
        if e.step_key is not None and (e.step_key == handle or e.step_key.startswith(prefix))
    ]


def _node_at(graph_def: GraphDefinition, handle: str) -> NodeInvocation | None:
    """The node a dotted handle (``"composite.inner"``) names, or None."""
    node: NodeInvocation | None = None
    current: Any = graph_def
    for part in handle.split("."):
        if not isinstance(current, GraphDefinition) or part not in current.nodes:
            return None
        node = current.nodes[part]
        current = node.definition
    return node


class _GraphResultMixin:
    _result: ExecuteInProcessResult
    _graph: GraphDefinition
    _prefix: str

    @property
    def step_event_list(self) -> list[RunEvent]:
        """The step events (no run-level events), in order."""
        events = [e for e in self._result.all_events if e.is_step_event]
        return _events_under(events, self._prefix[:-1]) if self._prefix else events

    @property
    def events_by_step_key(self) -> dict[str, list[RunEvent]]:
        """Step key → that step's events."""
        grouped: dict[str, list[RunEvent]] = {}
        for event in self.step_event_list:
            grouped.setdefault(str(event.step_key), []).append(event)
        return grouped

    def _ran(self, name: str) -> bool:
        """Whether the run's plan has a step of node ``name`` (a selection may leave it out)."""
        handle = self._prefix + name
        return any(
            k == handle or k.startswith(handle + ".") for k in self._result.planned_step_keys
        )

    def result_for_solid(self, name: str) -> SolidExecutionResult | CompositeSolidExecutionResult:
        """The result of the top-level solid ``name`` (of this pipeline or composite).

        Raises:
            InvariantViolationError: no top-level solid (in the run's selection) has that name.
        """
        if name not in self._graph.nodes or not self._ran(name):
            raise InvariantViolationError(
                f"Tried to get result for solid '{name}' in '{self._graph.name}'. No such top "
                "level solid."
            )
        return self.result_for_handle(name)

    def result_for_handle(
        self, handle: str
    ) -> SolidExecutionResult | CompositeSolidExecutionResult:
        """The result of the solid a dotted handle names (``"composite.inner"``).

        Raises:
            InvariantViolationError: the handle names no solid.
        """
        node = _node_at(self._graph, str(handle))
        if node is None:
            raise InvariantViolationError(f"Can not find solid handle {handle}.")
        full = self._prefix + str(handle)
        if isinstance(node.definition, GraphDefinition):
            return CompositeSolidExecutionResult(self._result, node, full)
        return SolidExecutionResult(self._result, node, full)

    def output_for_solid(self, handle_str: str, output_name: str = DEFAULT_OUTPUT) -> Any:
        """The value of output ``output_name`` of the solid ``handle_str`` names."""
        return self.result_for_handle(handle_str).output_value(output_name)

    @property
    def solid_result_list(self) -> list[SolidExecutionResult | CompositeSolidExecutionResult]:
        """The result of each top-level solid."""
        return [self.result_for_solid(name) for name in self._graph.nodes if self._ran(name)]


class PipelineExecutionResult(_GraphResultMixin):
    """What ``execute_pipeline`` returns (0.15's result object).

    Anything else (``all_events``, ``output_for_node`` ...) is read from the underlying
    ``ExecuteInProcessResult``.
    """

    def __init__(self, pipeline_def: PipelineDefinition, result: ExecuteInProcessResult) -> None:
        self.pipeline_def = pipeline_def
        self._result = result
        self._graph = pipeline_def.graph
        self._prefix = ""

    @property
    def success(self) -> bool:
        """Whether every step succeeded."""
        return self._result.success

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self._result.run_id

    @property
    def event_list(self) -> list[RunEvent]:
        """Every event of the run, in order."""
        return self._result.all_events

    def __getattr__(self, name: str) -> Any:
        return getattr(self._result, name)

    def __repr__(self) -> str:
        return f"<PipelineExecutionResult run_id={self.run_id} success={self.success}>"


class SolidExecutionResult:
    """One leaf solid's part of a pipeline run."""

    def __init__(self, result: ExecuteInProcessResult, node: NodeInvocation, handle: str) -> None:
        self._result = result
        self.solid = node
        self.handle = handle

    @property
    def step_events(self) -> list[RunEvent]:
        """The solid's step events, in order."""
        return [e for e in self._result.all_events if e.is_step_event and e.step_key == self.handle]

    compute_step_events = step_events

    def _of_type(self, event_type: str) -> list[RunEvent]:
        return [e for e in self.step_events if e.event_type_value == event_type]

    @property
    def input_events_during_compute(self) -> list[RunEvent]:
        """The solid's ``STEP_INPUT`` events."""
        return self._of_type("STEP_INPUT")

    @property
    def compute_input_event_dict(self) -> dict[str, RunEvent]:
        """Input name → its ``STEP_INPUT`` event."""
        return {e.step_input_data.input_name: e for e in self.input_events_during_compute}

    @property
    def output_events_during_compute(self) -> list[RunEvent]:
        """The solid's ``STEP_OUTPUT`` events."""
        return self._of_type("STEP_OUTPUT")

    @property
    def compute_output_events_dict(self) -> dict[str, list[RunEvent]]:
        """Output name → its ``STEP_OUTPUT`` events."""
        grouped: dict[str, list[RunEvent]] = {}
        for event in self.output_events_during_compute:
            grouped.setdefault(event.step_output_data.output_name, []).append(event)
        return grouped

    def get_output_events_for_compute(self, output_name: str = DEFAULT_OUTPUT) -> list[RunEvent]:
        """The ``STEP_OUTPUT`` events of output ``output_name``."""
        return self.compute_output_events_dict.get(output_name, [])

    def get_output_event_for_compute(self, output_name: str = DEFAULT_OUTPUT) -> RunEvent:
        """The one ``STEP_OUTPUT`` event of output ``output_name``.

        Raises:
            InvariantViolationError: the output has none, or several (a dynamic output).
        """
        events = self.get_output_events_for_compute(output_name)
        if len(events) != 1:
            raise InvariantViolationError(
                f"solid '{self.solid.name}' has {len(events)} output events for output "
                f"'{output_name}', not one; use get_output_events_for_compute"
            )
        return events[0]

    @property
    def materialization_events_during_compute(self) -> list[RunEvent]:
        """The solid's ``ASSET_MATERIALIZATION`` events."""
        return self._of_type("ASSET_MATERIALIZATION")

    @property
    def materializations_during_compute(self) -> list[Any]:
        """The ``AssetMaterialization`` values the solid logged."""
        return [e.materialization for e in self.materialization_events_during_compute]

    @property
    def expectation_events_during_compute(self) -> list[RunEvent]:
        """The solid's ``STEP_EXPECTATION_RESULT`` events."""
        return self._of_type("STEP_EXPECTATION_RESULT")

    @property
    def expectation_results_during_compute(self) -> list[Any]:
        """The expectation results the solid logged (headwater records none)."""
        return [e.event_specific_data for e in self.expectation_events_during_compute]

    def get_step_success_event(self) -> RunEvent:
        """The solid's ``STEP_SUCCESS`` event.

        Raises:
            InvariantViolationError: the solid did not succeed.
        """
        for event in self.step_events:
            if event.is_step_success:
                return event
        raise InvariantViolationError(f"Step success not found for solid {self.solid.name}")

    @property
    def compute_step_failure_event(self) -> RunEvent:
        """The solid's ``STEP_FAILURE`` event.

        Raises:
            InvariantViolationError: the solid did not fail.
        """
        for event in self.step_events:
            if event.is_step_failure:
                return event
        raise InvariantViolationError(
            f"Cannot call compute_step_failure_event if successful: solid {self.solid.name}"
        )

    @property
    def success(self) -> bool:
        """Whether the solid's step succeeded (False when it failed or never ran)."""
        events = self.step_events
        if any(e.is_step_failure for e in events):
            return False
        return any(e.is_step_success for e in events)

    @property
    def skipped(self) -> bool:
        """Whether the solid was skipped: every step event is a skip (or it has none)."""
        return all(e.event_type_value == "STEP_SKIPPED" for e in self.step_events)

    @property
    def failure_data(self) -> Any:
        """The ``StepFailureData`` of the solid's failure, or None."""
        for event in self.step_events:
            if event.is_step_failure:
                return event.step_failure_data
        return None

    @property
    def retry_attempts(self) -> int:
        """How many times the step was retried."""
        return sum(1 for e in self.step_events if e.event_type_value == "STEP_RESTARTED")

    @property
    def output_values(self) -> dict[str, Any] | None:
        """Output name → value of what the solid produced; None if it did not succeed."""
        if not self.success:
            return None
        names = [e.step_output_data.output_name for e in self.step_events if e.is_successful_output]
        return {n: self._result.output_for_node(self.handle, n) for n in names}

    def output_value(self, output_name: str = DEFAULT_OUTPUT) -> Any:
        """The value of output ``output_name``; None if the solid did not succeed.

        Raises:
            InvariantViolationError: the solid has no such output, or did not produce it.
        """
        outputs = list(self.solid.definition.output_defs)
        if output_name not in outputs:
            raise InvariantViolationError(
                f"Output '{output_name}' not defined in solid '{self.solid.name}': found "
                f"outputs {outputs}"
            )
        if not self.success:
            return None
        values = self.output_values or {}
        if output_name not in values:
            raise InvariantViolationError(
                f"Did not find result {output_name} in solid {self.solid.name} execution result"
            )
        return values[output_name]

    def __repr__(self) -> str:
        return f"<SolidExecutionResult {self.handle!r} success={self.success}>"


class CompositeSolidExecutionResult(_GraphResultMixin):
    """A composite solid's part of a pipeline run: its inner solids' results and outputs."""

    def __init__(self, result: ExecuteInProcessResult, node: NodeInvocation, handle: str) -> None:
        assert isinstance(node.definition, GraphDefinition)
        self._result = result
        self._graph = node.definition
        self._prefix = handle + "."
        self.solid = node
        self.handle = handle

    @property
    def success(self) -> bool:
        """Whether no step inside the composite failed."""
        return not any(e.is_step_failure for e in self.step_event_list)

    @property
    def output_values(self) -> dict[str, Any]:
        """Output name → value, for the composite's outputs its inner solids produced."""
        values = {}
        for name in self._graph.output_defs:
            try:
                values[name] = self._result.output_for_node(self.handle, name)
            except InvariantViolationError:
                continue
        return values

    def output_value(self, output_name: str = DEFAULT_OUTPUT) -> Any:
        """The value of the composite's output ``output_name``.

        Raises:
            InvariantViolationError: the composite has no such output.
        """
        if output_name not in self._graph.output_defs:
            raise InvariantViolationError(
                f"Output '{output_name}' not defined in composite solid '{self.solid.name}': "
                f"found outputs {list(self._graph.output_defs)}"
            )
        return self._result.output_for_node(self.handle, output_name)

    def __repr__(self) -> str:
        return f"<CompositeSolidExecutionResult {self.handle!r} success={self.success}>"
