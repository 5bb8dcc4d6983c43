"""``headwater asset materialize --partition-range``: a backfill run in this process.

The range is planned and recorded as ``headwater backfill launch`` would (the same record,
the same units), marked as run in the foreground so the daemon leaves it alone. Each unit
is claimed before its run starts and its run is tagged ``dagster/backfill``, so
``headwater backfill list`` shows it progress, and a range that stops early (Ctrl-C, an
error, ``headwater backfill cancel``, the process killed) is continued by
``headwater backfill resume ID`` without running the partitions that succeeded again.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from headwater._warnings import BetaWarning
from headwater.errors import HeadwaterError, InvalidInvocationError

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.cli.loading import CodeTarget
    from headwater.location.definitions import Definitions
    from headwater.storage.backfills import BackfillUnit

__all__ = ["materialize_range"]


def materialize_range(
    target: CodeTarget,
    defs: Definitions,
    *,
    select: str,
    span: tuple[str, str],
    keys: set[AssetKey],
    job_for: Callable[[set[AssetKey]], Any],
    run_config: Mapping[str, Any],
    tags_json: str | None,
    as_json: bool,
) -> None:
    """Record a backfill of ``keys`` over ``span`` and run its units here, one by one.

    The partitioned assets run partition by partition (as their ``backfill_policy`` asks);
    the unpartitioned ones once: those upstream of the partitioned ones first (the
    partitions run only if that succeeded), the others after every partition succeeded.
    Exits with status 1 when a run failed or was not run.
    """
    from headwater.asset_key import AssetKey
    from headwater.cli.asset import check_partition, config_for
    from headwater.cli.instance import open_instance
    from headwater.cli.run_config import parse_tags
    from headwater.daemon.backfill_foreground import foreground_owner
    from headwater.daemon.backfills import launch_backfill, plan_backfill
    from headwater.execution.partitions import RANGE_END_TAG, RANGE_START_TAG
    from headwater.jobs.run_config import validate_run_config
    from headwater.storage.backfills import UNPARTITIONED_UNIT, read_backfill

    graph = defs.resolve_asset_graph()
    partitioned = {k for k in keys if graph.def_by_key[k].partitions_def is not None}
    if not partitioned:
        raise InvalidInvocationError(
            "--partition-range needs partitioned assets; the selected assets have no partitions"
        )
    with open_instance() as instance:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BetaWarning)  # '*' in --select: see _selected_keys
            try:
                job_name, selection, final, units = plan_backfill(
                    defs, select=select, partition_range=span, instance=instance
                )
            except HeadwaterError as exc:
                raise InvalidInvocationError(str(exc)) from exc
        # One job per kind of unit: the partitions, the unpartitioned assets run first
        # (the unit's own selection) and those run last.
        jobs: dict[str, Any] = {"": job_for(partitioned)}  # "": every partition unit
        for unit in units:
            if unit.selection is not None:
                jobs[unit.key] = job_for({AssetKey.from_user_string(n) for n in unit.selection})
        if final:
            jobs[UNPARTITIONED_UNIT] = job_for({AssetKey.from_user_string(n) for n in final})
        every_node = {name for job in jobs.values() for name in job.graph.nodes}
        planned: list[tuple[BackfillUnit, Any, str | None, dict[str, str]]] = []
        for unit in units:
            job = jobs.get(unit.key, jobs[""])
            span_tags = (
                {RANGE_START_TAG: unit.range[0], RANGE_END_TAG: unit.range[1]} if unit.range else {}
            )
            planned.append((unit, job, unit.partition, span_tags))
        # Every run is checked before the backfill is recorded: a mistake records nothing.
        for _, job, key, range_tags in planned:
            check_partition(job, key, range_tags)
        for job in jobs.values():
            validate_run_config(job, config_for(job, run_config, every_node))
        record = launch_backfill(
            instance,
            code=target,
            job_name=job_name,
            asset_selection=selection,
            final_selection=final,
            units=units,
            run_config=run_config,
            tags=parse_tags(tags_json),
            foreground=foreground_owner(),
        )
        _say(as_json, record.backfill_id, "REQUESTED", f"{len(units)} run(s) in this process")
        succeeded = _run_units(instance, target, record, planned, run_config, tags_json, as_json)
        status = getattr(read_backfill(instance, record.backfill_id), "status", "")
    _say(as_json, record.backfill_id, status, f"{succeeded} of {len(units)} runs succeeded")
    if succeeded < len(units):
        raise click.exceptions.Exit(1)


def _say(as_json: bool, backfill_id: str, status: str, what: str) -> None:
    if as_json:
        body = {"kind": "backfill", "backfill_id": backfill_id, "status": status}
        click.echo(json.dumps({**body, "detail": what}))
    else:
        click.echo(f"backfill {backfill_id} {status}: {what}")


def _run_units(
    instance: Any,
    target: CodeTarget,
    record: Any,
    planned: list[tuple[BackfillUnit, Any, str | None, dict[str, str]]],
    run_config: Mapping[str, Any],
    tags_json: str | None,
    as_json: bool,
) -> int:
    """Claim and run each unit in order; returns how many runs succeeded.

    The backfill is marked completed at the end, or canceled (with the reason) when this
    stops early; a cancel from another process stops it before its next run.
    """
    from headwater.cli.asset import config_for
    from headwater.cli.job import run_and_report
    from headwater.daemon.backfill_foreground import (
        claim_foreground_unit,
        finish_foreground_backfill,
        still_requested,
    )
    from headwater.storage.backfill_units import unit_waits_for
    from headwater.storage.backfills import BACKFILL_TAG

    backfill_id = record.backfill_id
    every_nodes = {name for _, job, _, _ in planned for name in job.graph.nodes}
    units = [unit for unit, _, _, _ in planned]
    succeeded = 0
    ok_units: set[str] = set()
    not_run: list[str] = []
    try:
        for unit, job, key, range_tags in planned:
            if not still_requested(instance, backfill_id):
                click.echo(f"backfill {backfill_id} was canceled; stopping", err=True)
                break
            if any(k not in ok_units for k in unit_waits_for(units, unit)):
                # As on the daemon: a unit runs only once the units it waits for succeeded.
                not_run.append(unit.key)
                continue
            run_id = claim_foreground_unit(instance, record, unit)
            if run_id is None:
                continue  # claimed already: never run twice
            ok = run_and_report(
                job,
                target,
                (),
                None,
                tags_json,
                as_json=as_json,
                partition_key=key,
                extra_tags={**range_tags, BACKFILL_TAG: backfill_id},
                exit_on_failure=False,
                run_config=config_for(job, run_config, every_nodes),
                run_id=run_id,
            )
            if ok:
                succeeded += 1
                ok_units.add(unit.key)
    except BaseException as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"stopped: {exc}"
        finish_foreground_backfill(instance, record, stopped=reason)
        click.echo(
            f"backfill {backfill_id} {reason}; `headwater backfill resume {backfill_id}` runs "
            "the partitions that did not succeed on the daemon",
            err=True,
        )
        raise
    if not_run:
        click.echo(
            f"backfill {backfill_id}: {len(not_run)} run(s) not run ({_few(not_run)}): a run "
            "they wait for did not succeed",
            err=True,
        )
    finish_foreground_backfill(instance, record)
    return succeeded


def _few(keys: list[str]) -> str:
    return ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
