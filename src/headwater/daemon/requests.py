"""Turning ticks' run requests into queued runs, each run key claimed exactly once.

A pass of the scheduler gathers every due schedule's requests into one :class:`RequestBatch`
and commits it once: one transaction claims all run keys and records the runs whose keys it
claimed (so a key makes exactly one run, even with two daemons or after a crash), one more
stores their ``RUN_ENQUEUED`` events. Run keys are claimed per code location, so sensors of
one name in two locations never take each other's keys.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import field

from headwater._dataclass import dataclass
from headwater.automation.requests import RunRequest
from headwater.automation.targets import InvalidRunRequest
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.store import legacy_run_key_claims, run_key_claim
from headwater.daemon.submit import QueuedRun, submit_runs
from headwater.storage import Instance

__all__ = ["ASSET_SELECTION_TAG", "RUN_KEY_TAG", "RequestBatch", "Submitted", "submit_requests"]

RUN_KEY_TAG = "dagster/run_key"
ASSET_SELECTION_TAG = "headwater/asset_selection"


@dataclass(slots=True)
class Submitted:
    """What one tick's requests became, once the batch is committed.

    Attributes:
        run_ids: the runs queued.
        problems: one line per request that could not be queued.
    """

    run_ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Planned:
    owner: str  # the namespace of its run key: sensor:<name>, schedule:<name>
    key: str | None
    item: QueuedRun
    into: Submitted


class RequestBatch:
    """Run requests of several ticks, queued together by :meth:`commit`."""

    def __init__(self, instance: Instance, code: LoadedAutomation) -> None:
        self._instance = instance
        self._code = code
        self._planned: list[_Planned] = []

    def add(
        self,
        requests: Sequence[RunRequest],
        invalid: Sequence[InvalidRunRequest],
        *,
        claim_as: str,
        default_key: str | None,
        extra_tags: Mapping[str, str] | None = None,
    ) -> Submitted:
        """Plan one tick's requests; the returned record is filled by :meth:`commit`.

        Args:
            requests: the tick's valid requests (``job_name`` resolved).
            invalid: the tick's invalid requests, reported as problems.
            claim_as: the namespace of the run keys (``sensor:<name>``, ``schedule:<name>``).
            default_key: with it, a request without a run key is keyed ``<default_key>:<i>``
                (a schedule's tick); without it, such a request is never de-duplicated.
            extra_tags: tags added to every run.
        """
        submitted = Submitted(problems=[f"request {bad.index}: {bad.reason}" for bad in invalid])
        keys: set[str] = set()
        for index, request in enumerate(requests):
            if request.job_name is None:
                submitted.problems.append(f"request {index}: names no job")
                continue
            key = request.run_key
            if key is None and default_key is not None:
                key = f"{default_key}:{index}"
            if key is not None:
                if key in keys:
                    continue  # asked twice in one tick: one run
                keys.add(key)
            item = QueuedRun(
                request.job_name,
                self._code.code,
                request.run_config,
                _tags_of(request, extra_tags),
                str(uuid.uuid4()),
            )
            self._planned.append(_Planned(claim_as, key, item, submitted))
        return submitted

    def commit(self) -> None:
        """Queue the planned runs in one transaction that also claims their run keys: a run
        whose key was claimed before (by an earlier tick, or another daemon) is dropped."""
        planned, self._planned = self._planned, []
        keyed = [(p.owner, p.key) for p in planned if p.key is not None]
        if keyed:
            # Keys claimed before claims were kept per code location make no run either.
            before = legacy_run_key_claims(self._instance, keyed)
            planned = [p for p in planned if p.key is None or (p.owner, p.key) not in before]
        location = self._code.location
        claims = {
            run_key_claim(location, p.owner, p.key): str(p.item.run_id)
            for p in planned
            if p.key is not None
        }
        recorded = {
            r.run_id for r in submit_runs(self._instance, [p.item for p in planned], claims=claims)
        }
        for p in planned:
            if p.item.run_id in recorded:
                p.into.run_ids.append(str(p.item.run_id))


def submit_requests(
    instance: Instance,
    code: LoadedAutomation,
    requests: Sequence[RunRequest],
    invalid: Sequence[InvalidRunRequest],
    *,
    claim_as: str,
    default_key: str | None,
    extra_tags: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """Queue one tick's requests at once (a batch of one tick; see :class:`RequestBatch`).

    Returns:
        The ids of the runs queued, and one line per problem.
    """
    batch = RequestBatch(instance, code)
    submitted = batch.add(
        requests, invalid, claim_as=claim_as, default_key=default_key, extra_tags=extra_tags
    )
    batch.commit()
    return submitted.run_ids, submitted.problems


def _tags_of(request: RunRequest, extra_tags: Mapping[str, str] | None) -> dict[str, str]:
    """The run's tags: the tick's, the request's, and what the request says as tags."""
    tags = {**(extra_tags or {}), **request.tags}
    if request.run_key is not None:
        tags[RUN_KEY_TAG] = request.run_key
    if request.partition_key is not None:
        tags["dagster/partition"] = request.partition_key
    if request.asset_selection is not None:
        keys = [k.to_user_string() for k in request.asset_selection]
        tags[ASSET_SELECTION_TAG] = json.dumps(keys)
    return tags
