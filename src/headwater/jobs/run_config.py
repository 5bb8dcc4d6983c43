"""The shape of a job's run config, derived from its graph, resources and executor."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from headwater.config import (
    Field,
    Permissive,
    Shape,
    deep_merge,
    field_is_required as _required,
    process_config,
)
from headwater.config.mapping import ConfigMapping, Mapped
from headwater.config.run_config import RunConfig, run_config_dict
from headwater.config.types import Any as AnyConfig, ConfigType
from headwater.jobs.graph import GraphDefinition
from headwater.jobs.op import OpDefinition

if TYPE_CHECKING:
    from headwater.jobs.executor import ExecutorDefinition
    from headwater.jobs.job import JobDefinition
    from headwater.loggers import LoggerDefinition
    from headwater.resources import ResourceDefinition

__all__ = [
    "build_run_config_schema",
    "iter_op_nodes",
    "merged_run_config",
    "normalize_legacy_keys",
    "run_config_dict",
    "validate_run_config",
]


def iter_op_nodes(
    graph: GraphDefinition, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], OpDefinition]]:
    """Every op in ``graph`` (nested graphs flattened) with its path of node names."""
    for name, node in graph.nodes.items():
        path = (*prefix, name)
        if isinstance(node.definition, GraphDefinition):
            yield from iter_op_nodes(node.definition, path)
        elif isinstance(node.definition, OpDefinition):
            yield path, node.definition


def _optional(config_type: ConfigType, description: str | None = None) -> Field:
    # A node with no schema (``Any``) needs no config: omitting it gives ``None``.
    is_required = config_type is not AnyConfig and _required(config_type)
    return Field(config_type, is_required=is_required, description=description)


def _op_fields(op_def: OpDefinition, open_inputs: list[str]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    if op_def.config_type is None:
        fields["config"] = Field(AnyConfig, is_required=False)
    else:
        fields["config"] = _optional(op_def.config_type, op_def.description)
    inputs = {}
    for name in open_inputs:
        in_def = op_def.input_defs[name]
        inputs[name] = Field(_input_schema(op_def, name), is_required=not in_def.has_default)
    if inputs:
        fields["inputs"] = _optional(Shape(inputs))
    return fields


def _input_schema(op_def: OpDefinition, name: str) -> Any:
    """The schema of an input's value in run config: its type's loader's, or any value.

    A type declared on the input (or as its annotation) that loads from config carries a
    ``loader`` with a ``schema_type``; the types layer builds it, this layer only reads it.
    """
    in_def = op_def.input_defs[name]
    declared = in_def.dagster_type
    if declared is None:
        declared = op_def.signature.hints.get(name)
    schema = getattr(getattr(declared, "loader", None), "schema_type", None)
    return AnyConfig if schema is None else schema


def _open_inputs(node_def: OpDefinition, sources: Mapping[str, Any]) -> list[str]:
    """Inputs given under the op in run config: the unconnected ones that no input
    manager loads."""
    return [
        name
        for name, in_def in node_def.input_defs.items()
        if not in_def.is_nothing and sources.get(name) is None and not in_def.input_manager_key
    ]


def _graph_shape(graph: GraphDefinition, loaded: frozenset[tuple[str, str]] = frozenset()) -> Shape:
    fields: dict[str, Field] = {}
    for name, node in graph.nodes.items():
        definition = node.definition
        if isinstance(definition, GraphDefinition):
            inner = _graph_shape(definition)
            ops_shape = Shape({"ops": _optional(inner)})
            mapping = definition.config
            if isinstance(mapping, Mapping):
                mapping = _fixed_config(mapping)
            if isinstance(mapping, ConfigMapping):
                fields[name] = _optional(_mapped_graph(name, mapping, ops_shape))
            else:
                fields[name] = _optional(ops_shape)
        elif isinstance(definition, OpDefinition):
            # Inputs loaded from upstream assets by IO managers take no run config.
            open_inputs = [
                i for i in _open_inputs(definition, node.inputs) if (name, i) not in loaded
            ]
            fields[name] = _optional(Shape(_op_fields(definition, open_inputs)))
    return Shape(fields)


def _fixed_config(config: Mapping[str, Any]) -> ConfigMapping:
    # A nested graph's dict config is its ops' fixed config: the graph's own run config is
    # an optional, ignored `config`, as in the reference.
    fixed = dict(config)

    def give_fixed(_given: Any) -> dict[str, Any]:
        return fixed

    return ConfigMapping(config_fn=give_fixed, config_schema=AnyConfig)


def _mapped_graph(name: str, mapping: ConfigMapping, ops_shape: Shape) -> Mapped:
    # Run config gives the graph's own `config`; the mapping function turns it into the
    # `ops` section of its inner ops, which is then validated like any other.
    def to_ops(value: Any) -> dict[str, Any]:
        return {"ops": mapping.config_fn((value or {}).get("config"))}

    outer = Shape({"config": _optional(mapping.config_schema)})
    return Mapped(outer, to_ops, ops_shape, f"graph '{name}'")


def mapped_job_schema(job_name: str, mapping: ConfigMapping, run_shape: Shape) -> Mapped:
    """A job's run config schema when its ``config`` is a ``ConfigMapping``: run config
    gives the mapping's own config, which its function turns into the full run config."""
    return Mapped(mapping.config_schema, mapping.config_fn, run_shape, f"job '{job_name}'")


def _job_inputs_shape(graph: GraphDefinition) -> Shape:
    # The top-level graph's inputs sit at the root (``inputs: {x: ...}``), as in the
    # reference; ``execute_in_process(input_values=...)`` fills the same slots.
    return Shape(
        {
            name: Field(AnyConfig, is_required=not in_def.has_default)
            for name, in_def in graph.input_defs.items()
            if not in_def.is_nothing
        }
    )


def build_run_config_schema(
    graph: GraphDefinition,
    resource_defs: Mapping[str, ResourceDefinition],
    needed_resources: frozenset[str],
    executor_def: ExecutorDefinition | None,
    loaded_inputs: frozenset[tuple[str, str]] = frozenset(),
    logger_defs: Mapping[str, LoggerDefinition] | None = None,
) -> Shape:
    """The schema of a job's whole run config, so one validation reports every problem.

    Only resources the job's ops need (with their dependencies) must be configured;
    the others are validated when given but never required.
    """
    resource_fields = {}
    for key, resource_def in resource_defs.items():
        config_field = _optional(resource_def.config_type, resource_def.description)
        shape = Shape({"config": config_field})
        resource_fields[key] = Field(
            shape, is_required=key in needed_resources and _required(shape)
        )
    execution_type: ConfigType = AnyConfig
    if executor_def is not None and executor_def.config_type is not None:
        execution_type = Shape({"config": _optional(executor_def.config_type)})
    fields: dict[str, Field] = {
        "ops": _optional(_graph_shape(graph, loaded_inputs)),
        "resources": _optional(Shape(resource_fields)),
        "execution": Field(execution_type, is_required=False),
        "loggers": Field(_loggers_shape(logger_defs), is_required=False),
    }
    job_inputs = _job_inputs_shape(graph)
    if job_inputs.fields:
        fields["inputs"] = _optional(job_inputs)
    return Shape(fields)


def _loggers_shape(logger_defs: Mapping[str, LoggerDefinition] | None) -> ConfigType:
    if logger_defs is None:
        return Permissive({})
    return Shape(
        {
            key: Field(Shape({"config": logger_def.config_field()}), is_required=False)
            for key, logger_def in logger_defs.items()
        }
    )


def normalize_legacy_keys(run_config: Mapping[str, Any]) -> dict[str, Any]:
    """Accept the legacy ``solids`` key (at any graph level) as ``ops``."""
    result = dict(run_config)
    if "solids" in result and "ops" not in result:
        result["ops"] = result.pop("solids")
    ops = result.get("ops")
    if isinstance(ops, Mapping):
        result["ops"] = {
            name: normalize_legacy_keys(value) if isinstance(value, Mapping) else value
            for name, value in ops.items()
        }
    return result


def is_partitioned_config(config: Any) -> bool:
    """Whether a job's ``config`` is a ``PartitionedConfig`` (config by partition key)."""
    return hasattr(config, "get_run_config_for_partition_key") and hasattr(config, "partitions_def")


def merged_run_config(
    job_config: Any,
    run_config: Mapping[str, Any] | RunConfig | None,
    partition_key: str | None = None,
) -> dict[str, Any]:
    """The run config a run of a job sees: ``run_config`` over the job's default config.

    Either may be a ``RunConfig``. A ``PartitionedConfig`` default is the config of
    ``partition_key`` (none without a key). Legacy ``solids`` keys are read as ``ops`` on
    both sides first.

    Raises:
        UnknownPartitionError: ``partition_key`` is not a partition of the config.
    """
    job_config, given = run_config_dict(job_config), run_config_dict(run_config)
    defaults: Mapping[str, Any] = job_config if isinstance(job_config, Mapping) else {}
    if is_partitioned_config(job_config) and partition_key is not None:
        job_config.partitions_def.validate_partition_key(partition_key)
        defaults = job_config.get_run_config_for_partition_key(partition_key)
    return deep_merge(
        normalize_legacy_keys(defaults),
        normalize_legacy_keys(given if isinstance(given, Mapping) else {}),
    )


def validate_run_config(
    job_def: JobDefinition, run_config: Mapping[str, Any] | RunConfig | None = None
) -> Mapping[str, Any]:
    """Check ``run_config`` for ``job_def`` as a launch would, without running anything.

    Args:
        job_def: the job.
        run_config: the run config (a dict or a `RunConfig`); the job's default config is
            merged under it.

    Returns:
        The processed run config: defaults filled in, environment variables read.

    Raises:
        InvalidConfigError: every problem, each with its path.
    """
    merged = merged_run_config(job_def.config, run_config)
    processed: Mapping[str, Any] = process_config(job_def.run_config_schema, merged).value_or_raise(
        subject=f"run config for job '{job_def.name}'"
    )
    return processed
