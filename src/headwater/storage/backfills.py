"""Backfill records, kept in the instance's key-value table as JSON documents.

- ``daemon/backfill/<id>``: one backfill: what it runs (code pointer, job, asset selection,
  run config, tags), its units (one per run: a partition, a range of partitions, the
  unpartitioned assets upstream of those run first, or the other unpartitioned assets run
  last; each with the units it waits for), its status and its generation;
- ``daemon/backfills``: the ids of every backfill, oldest first (the key-value table has no
  prefix scan);
- ``daemon/run_key/backfill:<id>:<generation>/<unit>``: the run a unit made in a generation,
  claimed in the transaction that records the run, so a unit runs once per generation even
  when the daemon is killed between submitting and recording its progress.

The record is written with compare-and-set, so a ``cancel`` from the CLI and the daemon's
"completed" never overwrite each other. Progress is never written separately: it is read
from the claims and the runs' statuses, which are committed together
(``backfill_units.unit_states``).

The records live in the storage layer, below the daemon that works through them, because
automation conditions read them too (``backfill_in_progress``): what a requested backfill
will still materialize is decided here once, for both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, field, replace
from typing import TYPE_CHECKING, Any, Literal

from headwater._dataclass import dataclass
from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    from headwater.storage.instance import Instance

__all__ = [
    "BACKFILL_TAG",
    "BackfillRecord",
    "BackfillStatus",
    "BackfillUnit",
    "UNPARTITIONED_UNIT",
    "add_backfill",
    "claims_of",
    "claims_of_many",
    "list_backfill_ids",
    "read_backfill",
    "read_backfills",
    "requested_backfills",
    "unit_claim",
    "update_backfill",
]

BACKFILL_TAG = "dagster/backfill"
UNPARTITIONED_UNIT = "__unpartitioned__"
BackfillStatus = Literal["REQUESTED", "CANCELED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED"]
ACTIVE = "REQUESTED"
_INDEX = "daemon/backfills"


def _key(backfill_id: str) -> str:
    return f"daemon/backfill/{backfill_id}"


@dataclass(frozen=True, slots=True)
class BackfillUnit:
    """One run of a backfill.

    Attributes:
        key: its name in run-key claims: the partition, ``FIRST...LAST`` or
            ``__unpartitioned__``.
        partition: the partition of a one-partition run.
        range: ``(first, last)`` of a run over several partitions.
        selection: the assets this run materializes (user strings), when they differ from
            the backfill's (an automation condition sensor's backfill asks for different
            assets in different partitions).
        after: the keys of the units that must succeed before this one starts (``None``:
            the default of ``backfill_units.unit_waits_for``; records written before this
            field have none).
    """

    key: str
    partition: str | None = None
    range: tuple[str, str] | None = None
    selection: tuple[str, ...] | None = None
    after: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class BackfillRecord:
    """A durable backfill.

    Attributes:
        backfill_id: its id.
        status: ``REQUESTED`` (the daemon works through it), ``CANCELED``,
            ``COMPLETED_SUCCESS``, ``COMPLETED_FAILED`` (a run failed) or ``FAILED`` (it
            could not be worked through; ``error`` says why).
        created: when it was launched (seconds since the epoch).
        code: the code pointer (as a dict) run workers load the job from.
        job_name: the job its runs run.
        asset_selection: the assets its partition runs materialize (user strings),
            ``None``: every asset of the job.
        units: its runs, in order; a unit starts once those it waits for succeeded
            (``backfill_units``): the unpartitioned unit after all others.
        final_selection: the assets the unpartitioned unit materializes.
        run_config: every run's config.
        tags: every run's tags.
        generation: how many times it was resumed (a resume claims units afresh).
        error: why it failed.
        foreground: ``{"pid": ..., "host": ...}`` of the command running it in the
            foreground (``headwater asset materialize --partition-range``); the daemon
            leaves such a backfill alone until it is resumed. ``None``: the daemon's.
    """

    backfill_id: str
    status: BackfillStatus
    created: float
    code: dict[str, Any]
    job_name: str
    asset_selection: tuple[str, ...] | None
    units: tuple[BackfillUnit, ...]
    final_selection: tuple[str, ...] | None = None
    run_config: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    generation: int = 0
    error: str | None = None
    foreground: dict[str, Any] | None = None

    def unit_selection(self, unit: BackfillUnit) -> tuple[str, ...] | None:
        """The assets ``unit``'s run materializes (user strings); ``None``: every asset of
        the job."""
        final = self.final_selection if unit.key == UNPARTITIONED_UNIT else None
        return unit.selection or final or self.asset_selection

    def to_json(self) -> str:
        """The record as stored."""
        body = asdict(self)
        body["units"] = [{k: v for k, v in asdict(u).items() if v is not None} for u in self.units]
        return json.dumps(body, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> BackfillRecord:
        """The record :meth:`to_json` wrote."""
        body = json.loads(raw)
        units = tuple(
            BackfillUnit(
                u["key"],
                u.get("partition"),
                tuple(u["range"]) if u.get("range") else None,
                tuple(u["selection"]) if u.get("selection") is not None else None,
                tuple(u["after"]) if u.get("after") is not None else None,
            )
            for u in body["units"]
        )
        selection = body.get("asset_selection")
        final = body.get("final_selection")
        return cls(
            backfill_id=body["backfill_id"],
            status=body["status"],
            created=float(body["created"]),
            code=dict(body["code"]),
            job_name=body["job_name"],
            asset_selection=tuple(selection) if selection is not None else None,
            units=units,
            final_selection=tuple(final) if final is not None else None,
            run_config=dict(body.get("run_config") or {}),
            tags=dict(body.get("tags") or {}),
            generation=int(body.get("generation", 0)),
            error=body.get("error"),
            foreground=body.get("foreground"),
        )


def unit_claim(backfill_id: str, generation: int, unit: str) -> str:
    """The key-value key under which a unit's run of one generation is claimed."""
    return f"daemon/run_key/backfill:{backfill_id}:{generation}/{unit}"


def add_backfill(instance: Instance, record: BackfillRecord) -> None:
    """Store a new backfill and add it to the index.

    Raises:
        HeadwaterError: a backfill with its id exists.
    """
    if not instance.kv_insert_new({_key(record.backfill_id): record.to_json()}):
        raise HeadwaterError(f"a backfill with id {record.backfill_id!r} exists already")
    while True:  # append to the index; another launcher may append at the same time
        raw = instance.kv_get([_INDEX]).get(_INDEX)
        ids = json.loads(raw) if raw else []
        if instance.kv_compare_and_set(_INDEX, raw, json.dumps([*ids, record.backfill_id])):
            return


def list_backfill_ids(instance: Instance) -> list[str]:
    """Every backfill's id, oldest first."""
    raw = instance.kv_get([_INDEX]).get(_INDEX)
    ids = json.loads(raw) if raw else []
    return [str(i) for i in ids]


def read_backfill(instance: Instance, backfill_id: str) -> BackfillRecord | None:
    """The backfill with that id, or ``None``."""
    raw = instance.kv_get([_key(backfill_id)]).get(_key(backfill_id))
    return BackfillRecord.from_json(raw) if raw else None


def read_backfills(instance: Instance, ids: list[str]) -> dict[str, BackfillRecord]:
    """The backfills with those ids that exist, in one read."""
    raw = instance.kv_get([_key(i) for i in ids])
    return {i: BackfillRecord.from_json(raw[_key(i)]) for i in ids if _key(i) in raw}


def update_backfill(
    instance: Instance,
    backfill_id: str,
    *,
    only_from: tuple[str, ...],
    **changes: Any,
) -> BackfillRecord | None:
    """Change a backfill's fields if its status is one of ``only_from``; atomic.

    Returns:
        The changed record, or ``None`` when its status is not one of ``only_from``.

    Raises:
        HeadwaterError: there is no backfill with that id.
    """
    while True:
        raw = instance.kv_get([_key(backfill_id)]).get(_key(backfill_id))
        if raw is None:
            known = ", ".join(list_backfill_ids(instance)[-5:]) or "none"
            raise HeadwaterError(
                f"no backfill with id {backfill_id!r} in this instance (latest: {known}); "
                "`headwater backfill list` shows them"
            )
        current = BackfillRecord.from_json(raw)
        if current.status not in only_from:
            return None
        changed = replace(current, **changes)
        if instance.kv_compare_and_set(_key(backfill_id), raw, changed.to_json()):
            return changed


def claims_of(instance: Instance, record: BackfillRecord) -> dict[tuple[int, str], str]:
    """``(generation, unit)`` → run id, for every claimed unit of every generation."""
    return claims_of_many(instance, [record]).get(record.backfill_id, {})


def claims_of_many(
    instance: Instance, records: Iterable[BackfillRecord]
) -> dict[str, dict[tuple[int, str], str]]:
    """:func:`claims_of` for several backfills, in one read: backfill id → its claims."""
    wanted = {
        unit_claim(record.backfill_id, gen, unit.key): (record.backfill_id, gen, unit.key)
        for record in records
        for gen in range(record.generation + 1)
        for unit in record.units
    }
    found = instance.kv_get(list(wanted)) if wanted else {}
    claims: dict[str, dict[tuple[int, str], str]] = {}
    for k, run_id in found.items():
        backfill_id, gen, unit = wanted[k]
        claims.setdefault(backfill_id, {})[(gen, unit)] = run_id
    return claims


def requested_backfills(instance: Instance) -> list[BackfillRecord]:
    """The backfills being worked through (``REQUESTED``), oldest first, in two reads."""
    ids = list_backfill_ids(instance)
    found = read_backfills(instance, ids) if ids else {}
    return [found[i] for i in ids if i in found and found[i].status == ACTIVE]
