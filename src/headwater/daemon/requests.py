"""Turning a tick's run requests into queued runs, each run key claimed exactly once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence

from headwater.automation.requests import RunRequest
from headwater.automation.targets import InvalidRunRequest
from headwater.daemon.code import LoadedAutomation
from headwater.daemon.store import claim_run_key
from headwater.daemon.submit import submit_run
from headwater.storage import Instance

__all__ = ["ASSET_SELECTION_TAG", "RUN_KEY_TAG", "submit_requests"]

RUN_KEY_TAG = "dagster/run_key"
ASSET_SELECTION_TAG = "headwater/asset_selection"


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
    """Queue a run for each valid request whose run key is not claimed yet.

    Args:
        instance: where runs are queued.
        code: where their jobs are defined.
        requests: the tick's valid requests (``job_name`` resolved).
        invalid: the tick's invalid requests, reported as problems.
        claim_as: the namespace of the run keys (``sensor:<name>``, ``schedule:<name>``).
        default_key: with it, a request without a run key is keyed ``<default_key>:<i>``
            (a schedule's tick); without it, such a request is never de-duplicated.
        extra_tags: tags added to every run.

    Returns:
        The ids of the runs queued, and one line per problem.
    """
    run_ids: list[str] = []
    problems = [f"request {bad.index}: {bad.reason}" for bad in invalid]
    for index, request in enumerate(requests):
        key = request.run_key
        if key is None and default_key is not None:
            key = f"{default_key}:{index}"
        run_id = str(uuid.uuid4())
        if key is not None and claim_run_key(instance, claim_as, key, run_id) is not None:
            continue  # this key already made its run
        tags = {**(extra_tags or {}), **request.tags}
        if request.run_key is not None:
            tags[RUN_KEY_TAG] = request.run_key
        if request.partition_key is not None:
            tags["dagster/partition"] = request.partition_key
        if request.asset_selection is not None:
            keys = [k.to_user_string() for k in request.asset_selection]
            tags[ASSET_SELECTION_TAG] = json.dumps(keys)
        if request.job_name is None:
            problems.append(f"request {index}: names no job")
            continue
        submit_run(
            instance,
            job_name=request.job_name,
            code=code.code,
            run_config=request.run_config,
            tags=tags,
            run_id=run_id,
        )
        run_ids.append(run_id)
    return run_ids, problems
