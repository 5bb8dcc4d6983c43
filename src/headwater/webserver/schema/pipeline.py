"""One job as the job page and the Launchpad read it: its ops and how they connect, its
modes, and its partitions with the run config and tags each partition's run gets."""

from __future__ import annotations

from typing import Any

import yaml

from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.modes import is_pipeline, modes_of
from headwater.webserver.schema.registry import field, sdl, typed

__all__: list[str] = []

sdl("""
type Mode { id: String! name: String! description: String }
type SolidDefinition { name: String! description: String }
type InputDefinition { name: String! }
type OutputDefinition { name: String! }
type Output { solid: Solid! definition: OutputDefinition! }
type Input { solid: Solid! definition: InputDefinition! dependsOn: [Output!]! }
type Solid {
  name: String!
  definition: SolidDefinition!
  inputs: [Input!]!
  outputs: [Output!]!
}
type PartitionKeys { partitionKeys: [String!]! }
type PartitionRunConfig { yaml: String! }
union PartitionRunConfigOrError = PartitionRunConfig | PythonError
type PartitionTags { results: [PipelineTag!]! }
union PartitionTagsOrError = PartitionTags | PythonError
type PartitionTagsAndConfig {
  name: String!
  jobName: String!
  runConfigOrError: PartitionRunConfigOrError!
  tagsOrError: PartitionTagsOrError!
}

extend type Pipeline {
  modes: [Mode!]!
  solids: [Solid!]!
  partitionKeysOrError(
    cursor: String, limit: Int, reverse: Boolean, selectedAssetKeys: [AssetKeyInput!]
  ): PartitionKeys!
  partition(partitionName: String!, selectedAssetKeys: [AssetKeyInput!]): PartitionTagsAndConfig
}
union PipelineOrError = Pipeline | PipelineNotFoundError | InvalidSubsetError | PythonError

extend type Query {
  "One job (or legacy pipeline) with its ops, modes and partitions."
  pipelineOrError(params: PipelineSelector!): PipelineOrError!
}
""")


@field("Query", "pipelineOrError")
def _pipeline(_: Any, info: Any, params: dict[str, Any]) -> dict[str, Any]:
    from headwater.webserver.schema.config import pipeline_not_found
    from headwater.webserver.schema.workspace import job_value

    try:
        _location, job = info.context.workspace.find_job(
            params["pipelineName"], params.get("repositoryLocationName")
        )
    except KeyError as exc:
        return pipeline_not_found(params, str(exc.args[0]))
    selection = params.get("solidSelection")
    unknown = sorted(set(selection or ()) - set(_graph_of(job).nodes))
    if unknown:
        return typed(
            "InvalidSubsetError",
            message=f"solidSelection names ops that job {job.name!r} does not have: {unknown}",
        )
    value = job_value("Pipeline", job)
    value["_job"] = job
    return value


def _graph_of(job: Any) -> Any:
    return job.graph


def _runnable(job: Any) -> Any:
    """The job of a legacy pipeline's first mode (a job is itself): partitions belong to
    the pipeline's graph, the same in every mode."""
    return job.get_job(modes_of(job)[0]["name"]) if is_pipeline(job) else job


@field("Pipeline", "modes")
def _modes(parent: dict[str, Any], _info: Any) -> list[dict[str, Any]]:
    return modes_of(parent["_job"])


def _sources(source: Any) -> list[Any]:
    return list(source) if isinstance(source, tuple) else [source]


@field("Pipeline", "solids")
def _solids(parent: dict[str, Any], _info: Any) -> list[dict[str, Any]]:
    nodes = _graph_of(parent["_job"]).nodes
    solids: dict[str, dict[str, Any]] = {}
    for node in nodes.values():
        definition = node.definition
        outs = getattr(definition, "outs", None) or getattr(definition, "output_defs", {})
        solid: dict[str, Any] = {
            "name": node.name,
            "definition": {"name": definition.name, "description": definition.description},
            "inputs": [],
        }
        solid["outputs"] = [{"solid": solid, "definition": {"name": n}} for n in outs]
        solids[node.name] = solid
    for node in nodes.values():
        definition = node.definition
        ins = getattr(definition, "ins", None) or getattr(definition, "input_defs", {})
        solid = solids[node.name]
        for name in ins:
            upstream = []
            # Graph inputs of the top level have no upstream op; fan-ins have several.
            for source in _sources(node.inputs.get(name, ())):
                owner = solids.get(getattr(source, "node_name", ""))
                if owner is None:
                    continue
                for output in owner["outputs"]:
                    if output["definition"]["name"] == source.output_name:
                        upstream.append(output)
            solid["inputs"].append(
                {"solid": solid, "definition": {"name": name}, "dependsOn": upstream}
            )
    return list(solids.values())


@field("Pipeline", "partitionKeysOrError")
def _partition_keys(
    parent: dict[str, Any],
    info: Any,
    cursor: str | None = None,
    limit: int | None = None,
    reverse: bool | None = None,
    selectedAssetKeys: Any = None,
) -> dict[str, Any]:
    """A page of the job's partition keys, in their order: after ``cursor``, or with
    ``reverse`` the ``limit`` keys before it (or the last ``limit``). Despite its name the
    field answers ``PartitionKeys`` only: a job without partitions is a GraphQL error."""
    from headwater.errors import HeadwaterError

    job = _runnable(parent["_job"])
    partitions = getattr(job, "partitions_def", None)
    if partitions is None:
        raise HeadwaterError(
            f"job {job.name!r} is not partitioned, so it has no partition keys; give it a "
            "partitions_def or a partitioned config to run it by partition"
        )
    # Dynamic partitions live in the instance.
    keys = list(partitions.get_partition_keys(dynamic_partitions_store=info.context.instance))
    start, end = 0, len(keys)
    if cursor:
        if cursor not in keys:
            raise HeadwaterError(
                f"cursor {cursor!r} is not a partition key of job {job.name!r}; pass a key "
                "from the previous page"
            )
        if reverse:
            end = keys.index(cursor)
        else:
            start = keys.index(cursor) + 1
    if limit:
        if reverse:
            start = end - limit
        else:
            end = start + limit
    return typed("PartitionKeys", partitionKeys=keys[max(start, 0) : end])


@field("Pipeline", "partition")
def _partition(
    parent: dict[str, Any], _info: Any, partitionName: str, selectedAssetKeys: Any = None
) -> dict[str, Any]:
    job = _runnable(parent["_job"])
    return {"name": partitionName, "jobName": job.name, "_job": job}


def _check_partition(job: Any, key: str, instance: Any) -> None:
    from headwater.errors import HeadwaterError

    if getattr(job, "partitions_def", None) is None:
        raise HeadwaterError(
            f"job {job.name!r} is not partitioned, so it has no partition {key!r}; give it a "
            "partitions_def or a partitioned config to run it by partition"
        )
    job.partitions_def.validate_partition_key(key, dynamic_partitions_store=instance)


@field("PartitionTagsAndConfig", "runConfigOrError")
def _partition_config(parent: dict[str, Any], info: Any) -> dict[str, Any]:
    from headwater.jobs.run_config import merged_run_config

    try:
        _check_partition(parent["_job"], parent["name"], info.context.instance)
        config = merged_run_config(parent["_job"].config, None, parent["name"])
    except Exception as exc:
        return python_error(exc)
    text = yaml.safe_dump(config, default_flow_style=False, allow_unicode=True, sort_keys=True)
    return typed("PartitionRunConfig", yaml=text)


@field("PartitionTagsAndConfig", "tagsOrError")
def _partition_tags(parent: dict[str, Any], info: Any) -> dict[str, Any]:
    from headwater.automation.partitioned_schedule import PARTITION_SET_TAG, PARTITION_TAG

    job = parent["_job"]
    key = parent["name"]
    try:
        job.partitions_def.validate_partition_key(
            key, dynamic_partitions_store=info.context.instance
        )
        partitioned = getattr(job, "partitioned_config", None)
        given = {} if partitioned is None else partitioned.get_tags_for_partition_key(key)
    except Exception as exc:
        return python_error(exc)
    # The tags a run of this partition gets: the user's, then the partition's own; op jobs
    # also name their partition set (asset jobs do not).
    tags = {k: v for k, v in given.items() if k != PARTITION_TAG}
    tags[PARTITION_TAG] = key
    if hasattr(job, "run_config_schema"):
        tags[PARTITION_SET_TAG] = f"{job.name}_partition_set"
    return typed("PartitionTags", results=[{"key": k, "value": str(v)} for k, v in tags.items()])
