"""A job's partitions, as the Launchpad's partition picker reads them: the keys (of the job,
or of the assets selected in it), and each partition's run config, tags, runs and status."""

from __future__ import annotations

from typing import Any

import yaml

from headwater.asset_key import AssetKey
from headwater.errors import HeadwaterError
from headwater.webserver.schema.base import python_error
from headwater.webserver.schema.modes import is_pipeline, modes_of
from headwater.webserver.schema.registry import field, sdl, typed
from headwater.webserver.schema.runs import runs_or_error

__all__: list[str] = []

PARTITION_TAG = "dagster/partition"

sdl("""
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
  "The job's runs of this partition, newest first (a filter narrows them further)."
  runs(filter: RunsFilter, cursor: String, limit: Int): [Run!]!
  "The status of the job's latest run of this partition; null before its first run."
  status: RunStatus
}

extend type Pipeline {
  "The partition keys; with selectedAssetKeys, those of the selected assets of an asset job."
  partitionKeysOrError(
    cursor: String, limit: Int, reverse: Boolean, selectedAssetKeys: [AssetKeyInput!]
  ): PartitionKeys!
  partition(partitionName: String!, selectedAssetKeys: [AssetKeyInput!]): PartitionTagsAndConfig
}
""")


def _runnable(job: Any) -> Any:
    """The job of a legacy pipeline's first mode (a job is itself): partitions belong to
    the pipeline's graph, the same in every mode."""
    return job.get_job(modes_of(job)[0]["name"]) if is_pipeline(job) else job


def _partitions_of(job: Any, selected: list[dict[str, Any]] | None) -> Any:
    """The partitions definition of ``job``, or of the assets ``selected`` in it (``None``
    when unpartitioned).

    Raises:
        HeadwaterError: the job materializes no assets or not those selected, or the
            selected assets are partitioned differently.
    """
    if not selected:
        return getattr(job, "partitions_def", None)
    layer = getattr(job, "asset_layer", None)
    if layer is None:
        raise HeadwaterError(
            f"job {job.name!r} materializes no assets, so selectedAssetKeys cannot apply; "
            "leave it out"
        )
    keys = [AssetKey(list(k["path"])) for k in selected]
    unknown = sorted(k.to_user_string() for k in keys if k not in layer.selected_keys)
    if unknown:
        raise HeadwaterError(
            f"selectedAssetKeys names assets that job {job.name!r} does not materialize: "
            f"{unknown}; its assets are {sorted(k.to_user_string() for k in layer.selected_keys)}"
        )
    found = {id(p): p for k in keys if (p := layer.partitions_def_by_key.get(k)) is not None}
    if len(found) > 1:
        raise HeadwaterError(
            "the selected assets have different partitions definitions; select assets that "
            "share one"
        )
    return next(iter(found.values()), None)


def _not_partitioned(job: Any, selected: Any, what: str) -> HeadwaterError:
    if selected:
        return HeadwaterError(
            f"the assets selected in job {job.name!r} are not partitioned, so they have "
            f"{what}; select partitioned assets, or leave selectedAssetKeys out"
        )
    return HeadwaterError(
        f"job {job.name!r} is not partitioned, so it has {what}; give it a partitions_def "
        "or a partitioned config to run it by partition"
    )


@field("Pipeline", "partitionKeysOrError")
def _partition_keys(
    parent: dict[str, Any],
    info: Any,
    cursor: str | None = None,
    limit: int | None = None,
    reverse: bool | None = None,
    selectedAssetKeys: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A page of the partition keys, in their order: after ``cursor``, or with ``reverse``
    the ``limit`` keys before it (or the last ``limit``). Despite its name the field
    answers ``PartitionKeys`` only: a job without partitions is a GraphQL error."""
    if limit is not None and limit < 0:
        raise HeadwaterError(f"partitionKeysOrError: limit is {limit}; pass 0 or more")
    job = _runnable(parent["_job"])
    partitions = _partitions_of(job, selectedAssetKeys)
    if partitions is None:
        raise _not_partitioned(job, selectedAssetKeys, "no partition keys")
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
    parent: dict[str, Any],
    _info: Any,
    partitionName: str,
    selectedAssetKeys: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    job = _runnable(parent["_job"])
    return {
        "name": partitionName,
        "jobName": job.name,
        "_job": job,
        "_selected": selectedAssetKeys,
    }


def _check_partition(parent: dict[str, Any], instance: Any) -> None:
    job, key, selected = parent["_job"], parent["name"], parent["_selected"]
    partitions = _partitions_of(job, selected)
    if partitions is None:
        raise _not_partitioned(job, selected, f"no partition {key!r}")
    partitions.validate_partition_key(key, dynamic_partitions_store=instance)


@field("PartitionTagsAndConfig", "runConfigOrError")
def _partition_config(parent: dict[str, Any], info: Any) -> dict[str, Any]:
    from headwater.jobs.run_config import merged_run_config

    try:
        _check_partition(parent, info.context.instance)
        config = merged_run_config(parent["_job"].config, None, parent["name"])
    except Exception as exc:
        return python_error(exc)
    text = yaml.safe_dump(config, default_flow_style=False, allow_unicode=True, sort_keys=True)
    return typed("PartitionRunConfig", yaml=text)


@field("PartitionTagsAndConfig", "tagsOrError")
def _partition_tags(parent: dict[str, Any], info: Any) -> dict[str, Any]:
    from headwater.automation.partitioned_schedule import PARTITION_SET_TAG

    job = parent["_job"]
    key = parent["name"]
    try:
        _check_partition(parent, info.context.instance)
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


@field("PartitionTagsAndConfig", "runs")
def _partition_runs(
    parent: dict[str, Any],
    info: Any,
    filter: dict[str, Any] | None = None,  # the schema's argument name
    cursor: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    given = dict(filter or {})
    tags = [t for t in given.get("tags") or () if t["key"] != PARTITION_TAG]
    given["tags"] = [*tags, {"key": PARTITION_TAG, "value": parent["name"]}]
    given["pipelineName"] = parent["jobName"]
    answer = runs_or_error(info, given, cursor, limit)
    if answer["__typename"] != "Runs":
        raise HeadwaterError(answer["message"])
    return list(answer["results"])


@field("PartitionTagsAndConfig", "status")
def _partition_status(parent: dict[str, Any], info: Any) -> str | None:
    latest = info.context.instance.get_runs(
        job_name=parent["jobName"], tags={PARTITION_TAG: parent["name"]}, limit=1
    )
    return latest[0].status.value if latest else None
