"""Asset jobs: compiling a selection of assets into a job, and running assets directly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING, Any

from headwater.asset_key import AssetKey
from headwater.assets._job_cache import cached_job
from headwater.assets.binding import (
    bound_resources,
    check_asset_resources,
    check_no_io_manager_given,
    io_manager_keys_of,
)
from headwater.assets.definition import (
    AssetsDefinition,
    check_output_name,
    input_targets,
    resolve_output,
)
from headwater.assets.graph import AssetGraph, split_assets_and_checks
from headwater.assets.selection import AssetSelection, CoercibleToAssetSelection
from headwater.errors import InvalidDefinitionError
from headwater.jobs.asset_layer import AssetLayer
from headwater.jobs.composition import InputSource, NodeInvocation, OutputHandle
from headwater.jobs.graph import GraphDefinition
from headwater.jobs.job import JobDefinition

if TYPE_CHECKING:
    from headwater.execution.result import ExecuteInProcessResult

__all__ = [
    "IMPLICIT_ASSET_JOB_NAME",
    "UnresolvedAssetJobDefinition",
    "build_asset_job",
    "define_asset_job",
    "materialize",
    "materialize_to_memory",
]

IMPLICIT_ASSET_JOB_NAME = "__ASSET_JOB"
# The job `materialize` and `materialize_to_memory` run, named as the reference names it.
EPHEMERAL_ASSET_JOB_NAME = "__ephemeral_asset_job__"


def build_asset_job(
    name: str,
    graph: AssetGraph,
    selected: Iterable[AssetKey],
    *,
    resource_defs: Mapping[str, object] | None = None,
    config: Any = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    executor_def: Any = None,
    partitions_def: Any = None,
    check_defs: Sequence[Any] = (),
    job_options: Mapping[str, Any] | None = None,
) -> JobDefinition:
    """A job whose ops compute the ``selected`` assets of ``graph``, in dependency order."""
    selected_keys = frozenset(selected)
    defs: dict[int, AssetsDefinition] = {}
    for key in graph.toposorted_keys:
        if key in selected_keys:
            definition = graph.def_by_key[key]
            if definition.is_external:
                raise InvalidDefinitionError(
                    f"job '{name}' selects asset '{key.to_user_string()}', which is external "
                    "(an AssetSpec): headwater cannot materialize it"
                )
            defs.setdefault(id(definition), definition)
    for definition in defs.values():
        _check_subset(name, definition, selected_keys)
    producers = {k: d for d in defs.values() for k in d.keys}
    nodes: dict[str, NodeInvocation] = {}
    key_by_output: dict[tuple[str, str], AssetKey] = {}
    upstream_by_input: dict[tuple[str, str], AssetKey] = {}
    check_by_output: dict[tuple[str, str], Any] = {}
    handles: dict[AssetKey, OutputHandle] = {}  # one per upstream key, however many read it
    def_by_node: dict[str, AssetsDefinition] = {}
    for definition in defs.values():
        node = _asset_node(
            definition, producers, key_by_output, upstream_by_input, check_by_output, handles
        )
        nodes[node.name] = node
        def_by_node[node.name] = definition
    check_by_node = _add_check_nodes(graph, selected_keys, producers, nodes, upstream_by_input)
    layer = AssetLayer(
        key_by_output=key_by_output,
        upstream_by_input=upstream_by_input,
        io_manager_key_by_key=graph.io_manager_key_by_key,
        assets_def_by_node=def_by_node,
        selected_keys=selected_keys,
        check_def_by_node=check_by_node,
        partitions_def_by_key=graph.partitions_def_by_key,
        check_spec_by_output=check_by_output,
        def_by_key=graph.def_by_key,
    )
    # External assets bring the IO managers that load them (SourceAsset(io_manager_def=)).
    sources = [
        d
        for d in graph.def_by_key.values()
        if (d.is_external or d.is_observable) and d.resource_defs
    ]
    carried = bound_resources([*defs.values(), *sources], resource_defs)
    for check in check_by_node.values():  # @asset_check(resource_defs=...)
        carried.update(check.resource_defs)
    if carried:  # resources bound with with_resources come along
        resource_defs = {**carried, **(resource_defs or {})}
    return JobDefinition(
        graph_def=GraphDefinition._from_nodes(name, nodes=nodes, description=description),
        name=name,
        description=description,
        resource_defs=resource_defs,
        config=config,
        tags=tags,
        executor_def=executor_def,
        asset_layer=layer,
        partitions_def=partitions_def or _shared_partitions(defs.values(), name),
        **(job_options or {}),
    )


def _asset_node(
    definition: AssetsDefinition,
    producers: Mapping[AssetKey, AssetsDefinition],
    key_by_output: dict[tuple[str, str], AssetKey],
    upstream_by_input: dict[tuple[str, str], AssetKey],
    check_by_output: dict[tuple[str, str], Any],
    handles: dict[AssetKey, OutputHandle],
) -> NodeInvocation:
    """The node computing ``definition``, wired to its producers in the job; records which
    op outputs materialize (or check) which keys and which op inputs load which (and keeps
    in ``handles`` the output handle of each upstream key, shared by its readers)."""
    node_def = definition.node_def
    node = definition.node_name
    # An op's inputs and outputs are its own (the common case, taken without the
    # path-resolving helpers once per asset of a large job); a graph's lead to its ops.
    is_graph = isinstance(node_def, GraphDefinition)
    data_keys = definition.data_keys_by_input_name
    inputs: dict[str, InputSource] = {}
    for input_name in node_def.input_defs:
        upstream = data_keys.get(input_name) or _dep_key(definition, input_name)
        if upstream is None:
            continue
        if is_graph:  # a graph's input reaches its ops: each op input it feeds loads it
            for path, op_input in input_targets(node_def, input_name):
                upstream_by_input[(".".join((node, *path)), op_input)] = upstream
        else:
            upstream_by_input[(node, input_name)] = upstream
        producer = producers.get(upstream)
        if producer is not None and producer is not definition:
            handle = handles.get(upstream)
            if handle is None:
                handle = OutputHandle(producer.node_name, producer.output_name_for_key(upstream))
                handles[upstream] = handle
            inputs[input_name] = handle
    for output_name, spec in definition.specs_by_output.items():
        if not is_graph:
            key_by_output[(node, output_name)] = spec.key
            continue
        path, op_output, _ = resolve_output(node_def, output_name)
        key_by_output[(".".join((node, *path)), op_output)] = spec.key
    if is_graph:  # its checks' results are graph outputs
        for check_spec in definition.check_specs:
            path, op_output, _ = resolve_output(node_def, check_output_name(check_spec))
            check_by_output[(".".join((node, *path)), op_output)] = check_spec
    return NodeInvocation(
        name=node, definition=node_def, inputs=inputs, hook_defs=definition.hook_defs
    )


def _add_check_nodes(
    graph: AssetGraph,
    selected: frozenset[AssetKey],
    producers: Mapping[AssetKey, AssetsDefinition],
    nodes: dict[str, NodeInvocation],
    upstream_by_input: dict[tuple[str, str], AssetKey],
) -> dict[str, Any]:
    """A node per check of a selected asset; blocking ones gate the asset's dependents."""
    by_node: dict[str, Any] = {}
    for check in graph.check_defs:
        if not any(key in selected for key in check.asset_keys):
            continue
        node = check.node_name
        inputs: dict[str, InputSource] = {}
        for input_name, key in check.asset_keys_by_input.items():
            if input_name not in check.op.input_defs:
                continue
            upstream_by_input[(node, input_name)] = key
            producer = producers.get(key)
            if producer is not None and key in selected:
                inputs[input_name] = OutputHandle(
                    producer.node_name, producer.output_name_for_key(key)
                )
        nodes[node] = NodeInvocation(name=node, definition=check.op, inputs=inputs)
        by_node[node] = check
        for key in {s.asset_key for s in check.check_specs if s.blocking}:
            producer = producers.get(key)
            for other in nodes.values():
                consumes = any(
                    upstream_by_input.get((other.name, i)) == key
                    for i in other.definition.input_defs
                )
                if consumes and other.name not in (node, producer and producer.node_name):
                    other.after = (*other.after, node)
    return by_node


def _check_subset(
    job_name: str, definition: AssetsDefinition, selected_keys: frozenset[AssetKey]
) -> None:
    # Running the op would materialize the unselected keys too: refuse, as the reference does.
    keys = definition.keys
    if definition.can_subset or keys <= selected_keys:
        return
    chosen = keys & selected_keys
    raise InvalidDefinitionError(
        f"job '{job_name}' selects {sorted(k.to_user_string() for k in chosen)} of "
        f"'{definition.node_name}', which computes "
        f"{sorted(k.to_user_string() for k in definition.keys)} together and cannot compute "
        "a subset; select all of its assets, or declare it @multi_asset(can_subset=True)"
    )


def _dep_key(definition: AssetsDefinition, input_name: str) -> AssetKey | None:
    renamed = definition.dep_keys_by_input_name.get(input_name)
    if renamed is not None:
        return renamed
    for spec in definition.specs_by_output.values():
        for key in spec.dep_keys:
            if key.to_python_identifier() == input_name:
                return key
    return None


def _shared_partitions(defs: Iterable[AssetsDefinition], job_name: str) -> Any:
    found = {id(d.partitions_def): d.partitions_def for d in defs if d.partitions_def is not None}
    if len(found) > 1:
        raise InvalidDefinitionError(
            f"job '{job_name}' selects assets with different partitions definitions; select "
            "assets that share one partitions definition per job"
        )
    return next(iter(found.values()), None)


class UnresolvedAssetJobDefinition:
    """A job over a selection of assets, resolved when the assets are known.

    Made by :func:`define_asset_job`; ``Definitions`` resolves it against its assets.
    """

    def __init__(
        self,
        name: str,
        selection: CoercibleToAssetSelection | None,
        *,
        config: Any = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        partitions_def: Any = None,
        executor_def: Any = None,
        job_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        # Passed as they are to the JobDefinition (run_tags, metadata, hook_defs, ...).
        self.job_options = dict(job_options or {})
        self.selection = (
            AssetSelection.all() if selection is None else AssetSelection.from_coercible(selection)
        )
        self.config = config
        self.description = description
        self.tags = dict(tags or {})
        self.partitions_def = partitions_def
        self.executor_def = executor_def

    def resolve(
        self,
        graph: AssetGraph,
        resource_defs: Mapping[str, object] | None = None,
        executor_def: Any = None,
    ) -> JobDefinition:
        """The job over the assets of ``graph`` this selection picks."""
        keys = self.selection.resolve(graph) & graph.executable_keys
        return build_asset_job(
            self.name,
            graph,
            keys,
            resource_defs=resource_defs,
            config=self.config,
            tags=self.tags,
            description=self.description,
            executor_def=self.executor_def or executor_def,
            partitions_def=self.partitions_def,
            job_options=self.job_options,
        )

    def __repr__(self) -> str:
        return f"<UnresolvedAssetJobDefinition {self.name!r} selection={self.selection}>"


def define_asset_job(
    name: str,
    selection: CoercibleToAssetSelection | None = None,
    config: Any = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    partitions_def: Any = None,
    executor_def: Any = None,
    hooks: AbstractSet[Any] | None = None,
    op_retry_policy: Any = None,
    owners: Sequence[str] | None = None,
    automation_condition: Any = None,
) -> UnresolvedAssetJobDefinition:
    """Define a job that materializes a selection of assets.

    Args:
        name: the job's name.
        selection: which assets (an ``AssetSelection``, a selection string, or a list of
            keys/definitions); all executable assets if omitted.
        config: default run config.
        description: shown in the UI.
        tags: tags on every run.
        run_tags: tags on every run, instead of ``tags``.
        metadata: free-form facts about the job.
        partitions_def: the job's partitions (defaults to the selected assets').
        executor_def: how steps are executed.
        hooks: hooks run after each asset's step (``HookDefinition``).
        op_retry_policy: retry policy for every step that has none of its own.
        owners: who owns the job (in beta in the reference: it warns).
        automation_condition: kept for the reference's signature; headwater's daemon does
            not evaluate job automation conditions.

    Returns:
        A job definition that ``Definitions`` resolves against its assets.

    Example:
        ``define_asset_job("daily_sales", selection=AssetSelection.groups("sales"))``
    """
    return UnresolvedAssetJobDefinition(
        name,
        selection,
        config=config,
        description=description,
        tags=tags,
        partitions_def=partitions_def,
        executor_def=executor_def,
        job_options={
            "run_tags": run_tags,
            "metadata": metadata,
            "hook_defs": hooks,
            "op_retry_policy": op_retry_policy,
            "owners": owners,
        },
    )


def run_assets(
    assets: Sequence[Any],
    *,
    caller: str,
    job_name: str = EPHEMERAL_ASSET_JOB_NAME,
    default_io_manager: object | None,
    run_config: Mapping[str, Any] | None,
    instance: Any,
    resources: Mapping[str, object] | None,
    partition_key: str | None,
    raise_on_error: bool,
    tags: Mapping[str, str] | None,
    selection: CoercibleToAssetSelection | None,
) -> ExecuteInProcessResult:
    if default_io_manager == "filesystem":
        from headwater.io.filesystem import default_fs_io_manager  # deferred: asset runs only

        default_io_manager = default_fs_io_manager

    def build() -> JobDefinition:
        return _assets_job(assets, caller, job_name, default_io_manager, resources, selection)

    # A selection given as a list may change between calls while staying the same object;
    # strings and AssetSelections cannot, so only those share a job.
    job = (
        cached_job(assets, resources, (job_name, default_io_manager, selection), build)
        if selection is None or isinstance(selection, (str, AssetSelection))
        else build()
    )
    return job.execute_in_process(
        run_config,
        instance=instance,
        partition_key=partition_key,
        raise_on_error=raise_on_error,
        tags=tags,
    )


def _assets_job(
    assets: Sequence[Any],
    caller: str,
    job_name: str,
    default_io_manager: object | None,
    resources: Mapping[str, object] | None,
    selection: CoercibleToAssetSelection | None,
) -> JobDefinition:
    graph = AssetGraph(*split_assets_and_checks(assets))
    chosen = (
        AssetSelection.from_coercible(selection).resolve(graph)
        if selection is not None
        else graph.materializable_keys  # observable source assets only when selected
    )
    resource_defs = dict(resources or {})
    if default_io_manager is not None and "io_manager" not in resource_defs:
        # Assets that carry their own io_manager (with_resources) keep it.
        carried = {k for d in graph.def_by_key.values() for k in d.resource_defs}
        if "io_manager" not in carried:
            resource_defs["io_manager"] = default_io_manager
    # Checked here, not by the run: the user passed the assets, not the internal job.
    check_asset_resources(
        graph,
        resource_defs,
        owner=f"{caller}()",
        fix=lambda key: f"pass it in {caller}(..., resources={{'{key}': ...}})",
    )
    return build_asset_job(
        job_name, graph, chosen & graph.executable_keys, resource_defs=resource_defs
    )


def materialize(
    assets: Sequence[Any],
    run_config: Mapping[str, Any] | None = None,
    instance: Any = None,
    resources: Mapping[str, object] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    selection: CoercibleToAssetSelection | None = None,
) -> ExecuteInProcessResult:
    """Materialize assets in this process, storing values with the filesystem IO manager.

    Args:
        assets: asset definitions (and ``AssetSpec``s for external upstream assets).
        run_config: run config for the assets' ops and resources.
        instance: where the run and its materializations are recorded.
        resources: resources by key (``io_manager`` overrides where values go).
        partition_key: the partition to materialize.
        raise_on_error: re-raise a failing asset's own exception.
        tags: tags on the run.
        selection: only these assets (the others are loaded, not computed).

    Returns:
        The run's result; ``result.output_for_node(...)`` reads values.
    """
    return run_assets(
        assets,
        caller="materialize",
        default_io_manager="filesystem",
        run_config=run_config,
        instance=instance,
        resources=resources,
        partition_key=partition_key,
        raise_on_error=raise_on_error,
        tags=tags,
        selection=selection,
    )


def materialize_to_memory(
    assets: Sequence[Any],
    run_config: Mapping[str, Any] | None = None,
    instance: Any = None,
    resources: Mapping[str, object] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    selection: CoercibleToAssetSelection | None = None,
) -> ExecuteInProcessResult:
    """Like :func:`materialize`, but every value stays in memory (for tests).

    Each IO manager key the assets store their outputs under (``io_manager`` and any other
    ``io_manager_key``, and the key a source or external asset is loaded with) gets an
    in-memory IO manager. Input managers (``AssetIn(input_manager_key=...)``) and other
    resources still come from ``resources``.

    Raises:
        InvariantViolationError: ``resources``, or a resource bound to one of the assets,
            provides one of those IO manager keys (it would be replaced); use
            ``materialize`` to store values with it.
    """
    from headwater.io.memory import mem_io_manager  # deferred: asset runs only

    given = dict(resources or {})
    keys = io_manager_keys_of(assets)
    check_no_io_manager_given(keys, assets, given)
    # "io_manager" is left to the run, which keeps values in memory when nothing binds it.
    in_memory: dict[str, object] = {key: mem_io_manager for key in keys - {"io_manager"}}
    return run_assets(
        assets,
        caller="materialize_to_memory",
        default_io_manager=None,
        run_config=run_config,
        instance=instance,
        resources={**in_memory, **given} or None,
        partition_key=partition_key,
        raise_on_error=raise_on_error,
        tags=tags,
        selection=selection,
    )
