"""Jobs: a graph bound to resources, default config and an executor, ready to run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from headwater._warnings import beta_param_warning
from headwater.config import Shape
from headwater.config.mapping import ConfigMapping, Mapped
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.jobs.builtin_executors import multi_or_in_process_executor
from headwater.jobs.executor import ExecutorDefinition
from headwater.jobs.graph import GraphDefinition, _compose
from headwater.jobs.node import check_valid_name
from headwater.jobs.run_config import (
    build_run_config_schema,
    is_partitioned_config,
    iter_op_nodes,
    mapped_job_schema,
)
from headwater.loggers.builtin import default_loggers
from headwater.resources import ResourceDefinition, coerce_resources, resource_init_order

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from headwater.config.run_config import RunConfig
    from headwater.execution.result import ExecuteInProcessResult
    from headwater.jobs.asset_layer import AssetLayer  # asset jobs bring their own
    from headwater.jobs.hooks import HookDefinition
    from headwater.jobs.retry import RetryPolicy
    from headwater.loggers import LoggerDefinition

__all__ = ["JobDefinition", "job"]


def _op_resource_needs(graph: GraphDefinition) -> dict[str, tuple[str, ...]]:
    """resource key -> the ops (by path) that require it."""
    needs: dict[str, list[str]] = {}
    for path, op_def in iter_op_nodes(graph):
        if not op_def.required_resource_keys:  # most ops
            continue
        for key in sorted(op_def.required_resource_keys):
            needs.setdefault(key, []).append(".".join(path))
    return {key: tuple(ops) for key, ops in needs.items()}


def _input_manager_needs(graph: GraphDefinition) -> dict[str, tuple[tuple[str, str], ...]]:
    """input manager key -> the (op path, input name) pairs whose ``In`` names it."""
    needs: dict[str, list[tuple[str, str]]] = {}
    for path, op_def in iter_op_nodes(graph):
        for name, in_def in op_def.input_defs.items():
            if in_def.input_manager_key is not None:
                needs.setdefault(in_def.input_manager_key, []).append((".".join(path), name))
    return {key: tuple(uses) for key, uses in needs.items()}


class JobDefinition:
    """A graph with resources, default run config, tags and an executor.

    Build one with :func:`job` or ``GraphDefinition.to_job``; run it with
    :meth:`execute_in_process`.
    """

    def __init__(
        self,
        *,
        graph_def: GraphDefinition,
        resource_defs: Mapping[str, object] | None = None,
        executor_def: ExecutorDefinition | None = None,
        logger_defs: Mapping[str, LoggerDefinition] | None = None,
        name: str | None = None,
        config: Any = None,
        description: str | None = None,
        partitions_def: Any = None,
        tags: Mapping[str, str] | None = None,
        run_tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        hook_defs: AbstractSet[HookDefinition] | None = None,
        op_retry_policy: RetryPolicy | None = None,
        asset_layer: AssetLayer | None = None,
        input_values: Mapping[str, object] | None = None,
        owners: Sequence[str] | None = None,
    ) -> None:
        if owners is not None:
            beta_param_warning("owners", "initializer `JobDefinition.__init__`")
        self.name = check_valid_name(name or graph_def.name, kind="job")
        self.graph = graph_def
        self.description = description or graph_def.description
        # Coerced together: a nested ConfigurableResource that is also bound at the top
        # level must resolve to that key's definition.
        self.resource_defs: dict[str, ResourceDefinition] = coerce_resources(resource_defs or {})
        self.config = config if config is not None else graph_def.config
        self.tags: dict[str, str] = {**graph_def.tags, **(tags or {})}
        # Tags put on each run: `run_tags` when given, else the job's own tags.
        self.run_tags: dict[str, str] = dict(run_tags) if run_tags is not None else self.tags
        self.input_values: dict[str, object] = dict(input_values or {})
        self.owners: list[str] = list(owners or ())
        self._executor_def = executor_def
        self.op_retry_policy = op_retry_policy
        self.metadata = dict(metadata or {})
        self.asset_layer = asset_layer
        # A PartitionedConfig (``@daily_partitioned_config`` ...) partitions the job: each
        # run's default config is computed from its partition key.
        self.partitioned_config: Any = config if is_partitioned_config(config) else None
        if partitions_def is None and self.partitioned_config is not None:
            partitions_def = self.partitioned_config.partitions_def
        self.partitions_def = partitions_def
        self.loggers: dict[str, LoggerDefinition] = dict(logger_defs or {})
        self.hook_defs: frozenset[HookDefinition] = frozenset(hook_defs or ())
        self._resource_needs = _op_resource_needs(graph_def)
        self._input_manager_needs = _input_manager_needs(graph_def)
        # Hooks need their resources too (`with_hooks` ones are checked when the run opens
        # its resources): key -> the hooks that require it.
        self._hook_needs: dict[str, list[str]] = {}
        for hook in sorted(self.hook_defs, key=lambda h: h.name):
            for key in sorted(hook.required_resource_keys):
                self._hook_needs.setdefault(key, []).append(hook.name)
        self._schema: Shape | Mapped | None = None
        self._plan: Any = None
        # (the resources checked, the keys to initialize): check_resources runs when the job
        # is built, when its config schema is built and when each run is prepared.
        self._resource_order: tuple[tuple[tuple[str, ResourceDefinition], ...], list[str]] | None
        self._resource_order = None
        # A job given no resources may still get them later (``execute_in_process(
        # resources=...)``, Definitions); one given resources must be complete now.
        if resource_defs:
            self.check_resources()

    # resources ---------------------------------------------------------------------

    @property
    def graph_def(self) -> GraphDefinition:
        """The job's graph."""
        return self.graph

    @property
    def required_resource_keys(self) -> frozenset[str]:
        """Keys the job's ops and hooks need directly (not resources' own needs)."""
        return frozenset(self._resource_needs) | frozenset(self._hook_needs)

    def check_resources(self) -> list[str]:
        """Check that every needed resource is provided; return the keys to initialize.

        Computed once for the job's resources (again if ``resource_defs`` is changed).

        Raises:
            InvalidDefinitionError: an op needs a key the job lacks (naming op, key and
                job), an input's ``input_manager_key`` names no bound resource, a resource
                needs a missing key, or resources form a cycle.
        """
        defs = self.resource_defs
        checked = tuple(defs.items())
        cached = self._resource_order
        if cached is not None and cached[0] == checked:
            return list(cached[1])
        for key, ops in self._resource_needs.items():
            if key not in defs:
                op_word = "op" if len(ops) == 1 else "ops"
                raise InvalidDefinitionError(
                    f"{op_word} {', '.join(repr(o) for o in ops)} "
                    f"{'requires' if len(ops) == 1 else 'require'} resource '{key}', "
                    f"which job '{self.name}' does not provide; add it to the job's "
                    f"resource_defs (available: {sorted(defs) or 'none'})"
                )
        for key, uses in self._input_manager_needs.items():
            if key not in defs:
                op_path, input_name = uses[0]
                raise InvalidDefinitionError(
                    f"input manager with key '{key}' required by input '{input_name}' of op "
                    f"'{op_path}' was not provided to job '{self.name}'; bind an "
                    f"@input_manager or IO manager under '{key}' in the job's resources, or "
                    f"change the input's input_manager_key (available: {sorted(defs) or 'none'})"
                )
        for key, hooks in self._hook_needs.items():
            if key not in defs:
                raise InvalidDefinitionError(
                    f"hook {', '.join(repr(h) for h in hooks)} of job '{self.name}' requires "
                    f"resource '{key}', which the job does not provide; add it to the job's "
                    f"resource_defs (available: {sorted(defs) or 'none'})"
                )
        owner = f"job '{self.name}'"
        resource_init_order(defs, list(defs), owner=owner)  # every resource's needs are met
        order = resource_init_order(defs, [*self._resource_needs, *self._hook_needs], owner=owner)
        self._resource_order = (checked, order)
        return list(order)

    # config -------------------------------------------------------------------------

    @property
    def run_config_schema(self) -> Shape | Mapped:
        """The schema of this job's run config (ops, resources, execution, loggers), or, when
        the job's ``config`` is a ``ConfigMapping``, that mapping's schema in front of it."""
        if self._schema is None:
            needed = frozenset(self.check_resources()) if self.resource_defs else frozenset()
            loaded = (
                frozenset(self.asset_layer.upstream_by_input) if self.asset_layer else frozenset()
            )
            self._schema = build_run_config_schema(
                self.graph,
                self.resource_defs,
                needed,
                self._executor_def,
                loaded,
                self.loggers or default_loggers(),
            )
            if isinstance(self.config, ConfigMapping):
                self._schema = mapped_job_schema(self.name, self.config, self._schema)
        return self._schema

    # running ------------------------------------------------------------------------

    def execute_in_process(
        self,
        run_config: Mapping[str, Any] | RunConfig | None = None,
        instance: Any = None,
        partition_key: str | None = None,
        raise_on_error: bool = True,
        op_selection: list[str] | None = None,
        run_id: str | None = None,
        input_values: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        resources: Mapping[str, object] | None = None,
        asset_selection: Sequence[Any] | None = None,
    ) -> ExecuteInProcessResult:
        """Run the job once in this process and return what happened.

        Args:
            run_config: config for ops, resources and execution; merged over the job's
                default ``config``.
            instance: where the run is recorded (an ephemeral in-memory instance if
                omitted).
            partition_key: the partition to run (for partitioned jobs).
            raise_on_error: re-raise a failing op's own exception after the run ends
                (``True``), or return a result that says what failed (``False``).
            op_selection: names of the ops to run (others are left out).
            run_id: a run id to use instead of a new one.
            input_values: values for the job's top-level inputs.
            tags: tags for this run, over the job's tags.
            resources: resources to add to (or replace in) the job's for this run.
            asset_selection: of an asset job, the ``AssetKey``s to materialize (with
                their checks); the steps of the others are left out.

        Returns:
            An ``ExecuteInProcessResult``.

        Raises:
            InvalidConfigError: the run config has problems; nothing ran.
        """
        # Deferred: the execution machinery is only needed when something runs.
        from headwater.execution.run import execute_job_in_process

        if asset_selection is not None:
            op_selection = self.nodes_for_assets(asset_selection)
        return execute_job_in_process(
            self,
            run_config=run_config,
            instance=instance,
            partition_key=partition_key,
            raise_on_error=raise_on_error,
            op_selection=op_selection,
            run_id=run_id,
            input_values=input_values,
            tags=tags,
            resources=resources,
        )

    def nodes_for_assets(self, asset_selection: Sequence[Any]) -> list[str]:
        """The nodes that materialize (or check) the assets ``asset_selection`` names.

        Raises:
            InvalidInvocationError: the job materializes no assets.
        """
        layer = self.asset_layer
        if layer is None:
            raise InvalidInvocationError(
                f"job '{self.name}' materializes no assets; use op_selection= instead of "
                "asset_selection="
            )
        wanted = {
            (k,) if isinstance(k, str) else tuple(getattr(k, "path", k)) for k in asset_selection
        }
        # A graph-backed asset's outputs come from ops inside it: select its whole node.
        nodes = {
            node.split(".", 1)[0]
            for (node, _), key in layer.key_by_output.items()
            if key.path in wanted
        }
        nodes |= {
            node
            for node, check in layer.check_def_by_node.items()
            if any(key.path in wanted for key in check.asset_keys)
        }
        return sorted(nodes)

    def with_resources(self, resource_defs: Mapping[str, object]) -> JobDefinition:
        """The same job with ``resource_defs`` added to (or replacing) its resources."""
        return self._copy({**self.resource_defs, **resource_defs}, self._executor_def)

    def with_hooks(self, hook_defs: AbstractSet[HookDefinition]) -> JobDefinition:
        """The same job with ``hook_defs`` added to the hooks of every op."""
        return self._copy(
            self.resource_defs, self._executor_def, hook_defs=self.hook_defs | set(hook_defs)
        )

    @property
    def executor_def(self) -> ExecutorDefinition:
        """How the job's steps run: its own executor, or the reference's default,
        ``multi_or_in_process_executor`` (a process per step through ``execute_job``)."""
        return self._executor_def or multi_or_in_process_executor

    @property
    def has_specified_executor(self) -> bool:
        """Whether the job names its executor (``Definitions(executor=)`` applies if not)."""
        return self._executor_def is not None

    def with_logger_defs(self, logger_defs: Mapping[str, LoggerDefinition]) -> JobDefinition:
        """The same job with ``logger_defs`` as its loggers (``Definitions(loggers=...)``)."""
        return self._copy(self.resource_defs, self._executor_def, logger_defs=logger_defs)

    def with_executor_def(self, executor_def: ExecutorDefinition) -> JobDefinition:
        """The same job run by ``executor_def`` (``Definitions(executor=...)`` gives its
        executor to the jobs that name none)."""
        return self._copy(self.resource_defs, executor_def)

    def _copy(
        self,
        resource_defs: Mapping[str, object],
        executor_def: ExecutorDefinition | None,
        *,
        hook_defs: AbstractSet[HookDefinition] | None = None,
        logger_defs: Mapping[str, LoggerDefinition] | None = None,
    ) -> JobDefinition:
        return JobDefinition(
            graph_def=self.graph,
            name=self.name,
            description=self.description,
            resource_defs=resource_defs,
            config=self.config,
            tags=self.tags,
            executor_def=executor_def,
            op_retry_policy=self.op_retry_policy,
            metadata=self.metadata,
            asset_layer=self.asset_layer,
            partitions_def=self.partitions_def,
            logger_defs=self.loggers if logger_defs is None else logger_defs,
            hook_defs=self.hook_defs if hook_defs is None else hook_defs,
            run_tags=self.run_tags,
            input_values=self.input_values,
            owners=self.owners or None,
        )

    def __repr__(self) -> str:
        return f"<JobDefinition {self.name!r}>"


@overload
def job(compose_fn: Callable[..., Any]) -> JobDefinition: ...


@overload
def job(
    compose_fn: None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    resource_defs: Mapping[str, object] | None = None,
    config: Any = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    logger_defs: Mapping[str, LoggerDefinition] | None = None,
    executor_def: ExecutorDefinition | None = None,
    hooks: AbstractSet[HookDefinition] | None = None,
    op_retry_policy: RetryPolicy | None = None,
    partitions_def: Any = None,
    input_values: Mapping[str, object] | None = None,
    owners: Sequence[str] | None = None,
) -> Callable[[Callable[..., Any]], JobDefinition]: ...


def job(
    compose_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    resource_defs: Mapping[str, object] | None = None,
    config: Any = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    logger_defs: Mapping[str, LoggerDefinition] | None = None,
    executor_def: ExecutorDefinition | None = None,
    hooks: AbstractSet[HookDefinition] | None = None,
    op_retry_policy: RetryPolicy | None = None,
    partitions_def: Any = None,
    input_values: Mapping[str, object] | None = None,
    owners: Sequence[str] | None = None,
) -> JobDefinition | Callable[[Callable[..., Any]], JobDefinition]:
    """Compose ops into a job, like :func:`graph`, bound to resources and config.

    Args:
        name: the job's name (defaults to the function's).
        description: shown in the UI (defaults to the docstring).
        resource_defs: resource key → resource (definition, ``ConfigurableResource``
            or plain object).
        config: default run config.
        tags: tags put on every run.
        executor_def: how steps are executed (in process by default).
        op_retry_policy: retry policy for every op that has none of its own.
        metadata: free-form facts about the job.
        partitions_def: the job's partitions (runs take ``partition_key=...``).
        logger_defs: loggers by name; run config ``loggers:`` configures and selects them.
        hooks: hooks run after each of the job's ops (``@success_hook``, ...).
        run_tags: tags put on every run (default: ``tags``).
        input_values: values for the job's top-level inputs.
        owners: who owns the job (in beta in the reference: it warns).

    Returns:
        A ``JobDefinition``.

    Example:
        ``@job(resource_defs={"database": database_resource})``
        ``def do_database_stuff_job(): op_requires_resources()``
    """

    def build(fn: Callable[..., Any]) -> JobDefinition:
        graph_def = _compose(
            fn,
            name=name,
            description=description,
            ins=None,
            out={},
            tags=None,
            config=None,
        )
        return JobDefinition(
            graph_def=graph_def,
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
            run_tags=run_tags,
            input_values=input_values,
            owners=owners,
        )

    if owners is not None:
        beta_param_warning("owners", "function `job`")
    if compose_fn is not None:
        return build(compose_fn)
    return build
