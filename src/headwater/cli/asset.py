"""``headwater asset list|materialize``: what the assets are, how fresh, and making them."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from headwater._warnings import BetaWarning
from headwater.cli.backfill import parse_partition_range, partition_range_option, run_options
from headwater.cli.root import code_options, debug_option, target_from
from headwater.errors import InvalidInvocationError

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.graph import AssetGraph
    from headwater.cli.loading import CodeTarget
    from headwater.location.definitions import Definitions

__all__ = ["asset_group"]


@click.group("asset")
def asset_group() -> None:
    """List assets with their freshness, and materialize a selection of them."""


@asset_group.command("list")
@code_options()
@click.option("--select", metavar="SELECTION", help="Only these assets ('*orders', 'group:x').")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per asset.")
@debug_option
def asset_list_command(select: str | None, as_json: bool, **code: Any) -> None:
    """Each asset with its group, last materialization and whether it is stale."""
    from headwater.assets.staleness import asset_statuses
    from headwater.cli.instance import open_instance
    from headwater.cli.output import format_time

    defs = _load_definitions(target_from(code))
    graph = defs.resolve_asset_graph()
    keys = _selected_keys(graph, select, executable_only=False)
    with open_instance() as instance:
        statuses = asset_statuses(graph, instance, [k for k in graph.toposorted_keys if k in keys])
    for status in statuses:
        definition = graph.def_by_key[status.key]
        row = {
            "asset_key": status.key.to_user_string(),
            "group": graph.group_of(status.key),
            "kind": "external"
            if definition.is_external
            else "observable"
            if definition.is_observable
            else "asset",
            "partitions": definition.partitions_def.describe()
            if definition.partitions_def is not None
            else None,
            "last_materialized": status.last_materialized,
            "last_run_id": status.last_run_id,
            "last_partition": status.last_partition,
            "stale": status.is_stale,
            "stale_reasons": list(status.stale_reasons),
        }
        if as_json:
            click.echo(json.dumps(row))
            continue
        state = (
            click.style("stale", fg="yellow") + f" ({'; '.join(status.stale_reasons)})"
            if status.is_stale
            else click.style("fresh", fg="green")
            if definition.is_materializable
            else f"observable ({status.data_version or 'never observed'})"
            if definition.is_observable
            else "external"
        )
        when = (
            format_time(status.last_materialized, with_date=True)
            if status.last_materialized
            else "-"
        )
        click.echo(f"{row['asset_key']:<32} {row['group']:<12} {when:<20} {state}")


@asset_group.command("materialize")
@code_options()
@click.option(
    "--select",
    required=True,
    metavar="SELECTION",
    help="Which assets: keys, 'group:name', '*key' (with upstream), 'key+'.",
)
@click.option("--partition", "partition_key", metavar="KEY", help="The partition to materialize.")
@partition_range_option(
    "A backfill: every partition from FIRST to LAST, in runs as the assets' "
    "backfill_policy asks (one run per partition by default), recorded as a backfill."
)
@click.option(
    "--launch",
    is_flag=True,
    help="With --partition-range: record a backfill for the daemon to run, not run here.",
)
@run_options
@click.option("--json", "as_json", is_flag=True, help="Print events and summaries as JSON lines.")
@debug_option
def asset_materialize_command(
    select: str,
    partition_key: str | None,
    partition_range: str | None,
    launch: bool,
    config_files: tuple[str, ...],
    config_json: str | None,
    tags: str | None,
    as_json: bool,
    **code: Any,
) -> None:
    """Materialize the selected assets in this process, recording the runs.

    Exits with status 1 when a run fails. A --partition-range is recorded as a backfill
    (`headwater backfill list` follows it; `headwater backfill resume ID` continues it on
    the daemon if it stops early); with --launch the daemon works through it instead.
    """
    from headwater.assets.job import build_asset_job
    from headwater.cli.job import run_and_report
    from headwater.cli.run_config import load_run_config, parse_tags

    if partition_key and partition_range:
        raise InvalidInvocationError("give --partition or --partition-range, not both")
    target = target_from(code)
    run_config = load_run_config(config_files, config_json)
    if launch:
        from headwater.cli.backfill import launch_from_cli

        if partition_range is None:
            raise InvalidInvocationError(
                "--launch records a backfill: give --partition-range FIRST...LAST with it "
                "(or `headwater job launch` for a single run)"
            )
        launch_from_cli(
            target,
            select=select,
            partition_range=partition_range,
            partitions=None,
            run_config=run_config,
            tags=parse_tags(tags),
            as_json=as_json,
        )
        return
    defs = _load_definitions(target)
    graph = defs.resolve_asset_graph()
    keys = _selected_keys(graph, select, executable_only=True)
    resources = defs._asset_resources()

    def job_for(selected: set[AssetKey]) -> Any:
        return build_asset_job(
            "__ASSET_JOB", graph, selected, resource_defs=resources, executor_def=defs.executor
        )

    if partition_range is not None:
        from headwater.cli.asset_backfill import materialize_range

        materialize_range(
            target,
            defs,
            select=select,
            span=parse_partition_range(partition_range),
            keys=keys,
            job_for=job_for,
            run_config=run_config,
            tags_json=tags,
            as_json=as_json,
        )
        return
    job = job_for(keys)
    check_partition(job, partition_key, {})
    run_and_report(
        job,
        target,
        config_files,
        config_json,
        tags,
        as_json=as_json,
        partition_key=partition_key,
        run_config=run_config,
    )


def check_partition(job: Any, key: str | None, tags: Mapping[str, str]) -> None:
    """Refuse a run whose partition does not fit ``job``, naming this command's flags."""
    from headwater.execution.partitions import PartitionAdvice, check_partition_request

    advice = PartitionAdvice(
        give="--partition KEY or --partition-range FIRST...LAST", drop="drop --partition"
    )
    check_partition_request(job, key, tags, subject=_assets_subject(job), advice=advice)


def _assets_subject(job: Any) -> str:
    """How an error names what a run of ``job`` materializes: the partitioned assets when the
    job is partitioned, else all of them; ``asset 'a'`` or ``the selection (assets ...)``."""
    layer = job.asset_layer
    keys = layer.selected_keys
    if job.partitions_def is not None:
        keys = {k for k in keys if layer.partitions_def_by_key.get(k) is not None} or keys
    names = sorted(f"'{k.to_user_string()}'" for k in keys)
    if len(names) == 1:
        return f"asset {names[0]}"
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"the selection (assets {', '.join(names[:3])}{more})"


def config_for(job: Any, run_config: Mapping[str, Any], planned: set[str]) -> dict[str, Any]:
    """The run config for one run of a backfill: without the config of the other runs' ops.

    A backfill splits the selection into runs of partitioned and unpartitioned assets; one
    config names ops of both, and each run's job would refuse the other's as unknown. Names
    in no run stay, so that a misspelt op is still reported.
    """
    ops = run_config.get("ops")
    if not isinstance(ops, Mapping):
        return dict(run_config)
    nodes = job.graph.nodes
    return {**run_config, "ops": {k: v for k, v in ops.items() if k in nodes or k not in planned}}


def _load_definitions(target: CodeTarget) -> Definitions:
    from headwater.cli.loading import get_definitions, load_code

    return get_definitions(load_code(target))


def _selected_keys(
    graph: AssetGraph, select: str | None, *, executable_only: bool
) -> set[AssetKey]:
    from headwater.assets.selection import AssetSelection

    with warnings.catch_warnings():
        # The reference's Python API warns that '*' is beta; on the command line that
        # notice is about an API the user did not call.
        warnings.simplefilter("ignore", BetaWarning)
        keys = AssetSelection.from_string(select).resolve(graph) if select else graph.all_keys
    if select and not keys and graph.all_keys:
        # Materializing nothing is never what a command-line user meant: a misspelt group
        # or key prefix would otherwise record a successful run of no steps.
        raise InvalidInvocationError(_empty_selection_message(graph, select))
    if executable_only:
        external = sorted(k.to_user_string() for k in keys - graph.executable_keys)
        if external:
            raise InvalidInvocationError(
                f"the selection includes external assets {external}, which headwater cannot "
                "materialize; leave them out of --select"
            )
    return set(keys)


def _empty_selection_message(graph: AssetGraph, select: str) -> str:
    import difflib

    groups = sorted({graph.group_of(k) for k in graph.all_keys})
    prefixes = sorted({k.path[0] for k in graph.all_keys if len(k.path) > 1})
    # Compare bare names (what follows "group:" or "key:"), suggest whole clauses.
    candidates = {g: f"group:{g}" for g in groups}
    candidates.update({p: f"key:{p}/*" for p in prefixes})
    candidates.update({k.to_user_string(): k.to_user_string() for k in graph.all_keys})
    bare = select.partition(":")[2] if ":" in select else select
    bare = bare.strip("*+ ").removesuffix("/")
    close = difflib.get_close_matches(bare, list(candidates), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(candidates[c]) for c in close)}?" if close else ""
    known = f"groups: {', '.join(groups)}"
    if prefixes:
        known += f"; key prefixes: {', '.join(prefixes)}"
    return f"--select {select!r} matches no asset{hint} ({known})"
