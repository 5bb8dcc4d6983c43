"""The legacy API: solids, pipelines and modes, as a thin layer over ops and jobs.

A solid is an op; a pipeline is a graph with one or more modes; a mode is a named set of
resources; running a pipeline in a mode runs the job that graph becomes with that mode's
resources. Nothing here executes anything itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.jobs.graph import GraphDefinition, _compose
from headwater.jobs.job import JobDefinition
from headwater.jobs.op import op
from headwater.jobs.run_config import iter_op_nodes
from headwater.resources import coerce_resources, resource_init_order

if TYPE_CHECKING:
    from headwater.execution.result import ExecuteInProcessResult

__all__ = ["ModeDefinition", "PipelineDefinition", "execute_pipeline", "pipeline", "solid"]

DEFAULT_MODE = "default"

solid = op
"""``@solid`` is ``@op`` under its legacy name: same arguments, same behaviour."""


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
    ) -> None:
        self.name = name or DEFAULT_MODE
        self.resource_defs = dict(resource_defs or {})
        self.logger_defs = dict(logger_defs or {})
        self.executor_defs = list(executor_defs or [])
        self.description = description

    def __repr__(self) -> str:
        return f"<ModeDefinition {self.name!r}>"


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
        tags: Mapping[str, str] | None = None,
        description: str | None = None,
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
            )

    @property
    def mode_names(self) -> list[str]:
        """The names of the pipeline's modes, in declaration order."""
        return [m.name for m in self.mode_definitions]

    def get_job(self, mode: str | None = None) -> JobDefinition:
        """The job that runs this pipeline in ``mode``.

        Raises:
            InvalidInvocationError: ``mode`` is unknown, or omitted while the pipeline has
                several modes.
        """
        if mode is None:
            if len(self._jobs) > 1:
                raise InvalidInvocationError(
                    f"pipeline '{self.name}' has modes {self.mode_names}; choose one with "
                    "mode=... (or -d on the command line)"
                )
            return next(iter(self._jobs.values()))
        if mode not in self._jobs:
            raise InvalidInvocationError(
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


@overload
def pipeline(compose_fn: Callable[..., Any]) -> PipelineDefinition: ...


@overload
def pipeline(
    compose_fn: None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    mode_defs: Sequence[ModeDefinition] | None = None,
    tags: Mapping[str, str] | None = None,
) -> Callable[[Callable[..., Any]], PipelineDefinition]: ...


def pipeline(
    compose_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    mode_defs: Sequence[ModeDefinition] | None = None,
    tags: Mapping[str, str] | None = None,
) -> PipelineDefinition | Callable[[Callable[..., Any]], PipelineDefinition]:
    """Compose solids into a pipeline, like ``@job``, with one or more modes.

    Args:
        name: the pipeline's name (defaults to the function's).
        description: shown in the UI.
        mode_defs: the modes it can run in (one ``"default"`` mode if omitted).
        tags: tags put on every run.

    Returns:
        A ``PipelineDefinition``.

    Example:
        ``@pipeline(mode_defs=[mode_def_ab, mode_def_c])``
        ``def pipeline_with_mode(): ...``
    """

    def build(fn: Callable[..., Any]) -> PipelineDefinition:
        graph_def = _compose(
            fn, name=name, description=description, ins=None, out={}, tags=None, config=None
        )
        return PipelineDefinition(graph_def, mode_defs=mode_defs, tags=tags)

    if compose_fn is not None:
        return build(compose_fn)
    return build


def execute_pipeline(
    pipeline: PipelineDefinition,
    run_config: Mapping[str, Any] | None = None,
    mode: str | None = None,
    tags: Mapping[str, str] | None = None,
    instance: Any = None,
    raise_on_error: bool = True,
    solid_selection: list[str] | None = None,
) -> ExecuteInProcessResult:
    """Run a pipeline in one of its modes, in this process.

    Args:
        pipeline: the pipeline to run.
        run_config: config for solids (``solids`` or ``ops``) and resources.
        mode: the mode to run in (may be omitted when the pipeline has one mode).
        tags: tags for the run.
        instance: where the run is recorded.
        raise_on_error: re-raise a failing solid's exception after the run.
        solid_selection: names of the solids to run.

    Returns:
        The run's result (``result_for_solid`` reads a solid's outputs).
    """
    if not isinstance(pipeline, PipelineDefinition):
        raise InvalidInvocationError(
            f"execute_pipeline expects a @pipeline, got {pipeline!r}; run a job with "
            "job.execute_in_process(...)"
        )
    return pipeline.get_job(mode).execute_in_process(
        run_config,
        instance=instance,
        raise_on_error=raise_on_error,
        op_selection=solid_selection,
        tags=tags,
    )
