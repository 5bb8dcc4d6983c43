"""The jobs a schedule or sensor launches, and checking its run requests against them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater._dataclass import dataclass
from headwater.automation.requests import RunRequest
from headwater.config import process_config
from headwater.errors import ConfigProblem, InvalidDefinitionError
from headwater.jobs.node import check_valid_name
from headwater.jobs.run_config import merged_run_config

__all__ = ["InvalidRunRequest", "JobTargets", "check_run_requests"]


@dataclass(frozen=True, slots=True)
class InvalidRunRequest:
    """A run request that cannot launch, with every reason why.

    Attributes:
        index: its position among the evaluation's requests (from 0).
        request: the request as the function returned it.
        job_name: the job it was for, when that could be worked out.
        reason: one line saying what is wrong.
        problems: each run config problem, with its path (empty for target problems).
    """

    index: int
    request: RunRequest
    job_name: str | None
    reason: str
    problems: tuple[ConfigProblem, ...] = ()

    def __str__(self) -> str:
        return "\n".join([self.reason, *(f"  {p}" for p in self.problems)])


def _job_name_of(job: object, *, subject: str) -> str:
    name = getattr(job, "name", None)
    if not isinstance(name, str):
        raise InvalidDefinitionError(
            f"{subject}: job target {job!r} is not a job; pass a JobDefinition (from @job "
            "or define_asset_job) or job_name='...'"
        )
    return name


def _is_job_like(value: object) -> bool:
    return (
        hasattr(value, "run_config_schema")
        or hasattr(value, "to_job")
        or (type(value).__name__ == "UnresolvedAssetJobDefinition")
    )


def _anonymous_asset_job(target: object, owner_name: str | None) -> object:
    """The asset job a schedule or sensor runs for ``target=`` assets or a selection."""
    # deferred: the assets package loads only for asset targets
    from headwater.assets.job import define_asset_job
    from headwater.assets.selection import AssetSelection

    selection: Any = target if isinstance(target, (str, list, tuple, AssetSelection)) else [target]
    return define_asset_job(f"__anonymous_asset_job_{owner_name or 'target'}", selection=selection)


def _as_job(job: object) -> object:
    # A graph given where a job is expected becomes its default job, as in the reference.
    if not hasattr(job, "run_config_schema") and hasattr(job, "to_job"):
        return job.to_job()
    return job


@dataclass(frozen=True, slots=True)
class JobTargets:
    """The jobs a schedule or sensor may launch: name → job object (``None``: named only)."""

    jobs: Mapping[str, object | None]

    @classmethod
    def of(
        cls,
        *,
        subject: str,
        job: object | None = None,
        jobs: Sequence[object] | None = None,
        job_name: str | None = None,
        target: object | None = None,
        asset_selection: object | None = None,
        owner_name: str | None = None,
    ) -> JobTargets:
        """Collect the targets given as ``job=``, ``jobs=``, ``job_name=`` or ``target=``.

        A ``target`` that is not a job (assets, keys, a selection) becomes an asset job
        named ``__anonymous_asset_job_<owner_name>``, as in the reference.

        Raises:
            InvalidDefinitionError: two of them were given, or a job has no valid name.
        """
        given = [
            k
            for k, v in (
                ("job", job),
                ("jobs", jobs),
                ("job_name", job_name),
                ("asset_selection", asset_selection),
                ("target", target),
            )
            if v is not None and v != []
        ]
        if len(given) > 1:
            raise InvalidDefinitionError(
                f"{subject} got {' and '.join(given)}; give only one of job, jobs, job_name, "
                "asset_selection and target"
            )
        if target is not None:
            job = target if _is_job_like(target) else _anonymous_asset_job(target, owner_name)
        found: dict[str, object | None] = {}
        for given_job in [job] if job is not None else list(jobs or ()):
            target = _as_job(given_job)
            found[_job_name_of(target, subject=subject)] = target
        if job_name is not None:
            found[check_valid_name(job_name, kind="job")] = None
        return cls(found)

    @property
    def names(self) -> tuple[str, ...]:
        """The target job names, in the order given."""
        return tuple(self.jobs)


def _describe(index: int, request: RunRequest) -> str:
    key = f" (run_key {request.run_key!r})" if request.run_key is not None else ""
    return f"run request {index}{key}"


def _config_problems(job: Any, run_config: Mapping[str, Any]) -> list[ConfigProblem]:
    """Every problem with ``run_config`` for ``job``, its default config merged under it."""
    merged = merged_run_config(getattr(job, "config", None), run_config)
    return list(process_config(job.run_config_schema, merged).problems)


def _resolve_job(
    index: int, request: RunRequest, targets: JobTargets, subject: str
) -> tuple[str | None, str | None]:
    """(job name, None) or (None, why the request has no usable job)."""
    names = targets.names
    listed = ", ".join(f"'{n}'" for n in names)
    if request.job_name is None:
        if len(names) == 1:
            return names[0], None
        if not names:
            return None, (
                f"{_describe(index, request)} names no job and {subject} has no job target; "
                "give the sensor or schedule job=..., or the request job_name=..."
            )
        return None, (
            f"{_describe(index, request)} names no job, but {subject} targets {listed}; "
            "set RunRequest(job_name=...) to one of them"
        )
    if names and request.job_name not in names:
        return None, (
            f"{_describe(index, request)} names job '{request.job_name}', but {subject} "
            f"targets {listed}; set job_name to one of them"
        )
    return request.job_name, None


def check_run_requests(
    requests: Sequence[RunRequest],
    *,
    subject: str,
    targets: JobTargets,
    jobs: Mapping[str, object] | None,
    tags: Mapping[str, str],
    targets_assets: bool = False,
) -> tuple[tuple[RunRequest, ...], tuple[InvalidRunRequest, ...]]:
    """Resolve each request's job and validate its run config against the job's schema.

    Args:
        requests: what the function returned.
        subject: for messages (``"sensor 'files'"``).
        targets: the definition's own jobs.
        jobs: loaded jobs by name (from ``Definitions``); they win over ``targets``' objects.
        tags: added to each valid request under its own tags.
        targets_assets: the definition targets an asset selection, so requests without a
            job are valid as they are.

    Returns:
        The valid requests (``job_name`` filled in, ``tags`` added) and the invalid ones.
    """
    valid: list[RunRequest] = []
    invalid: list[InvalidRunRequest] = []
    for index, request in enumerate(requests):
        if request.job_name is None and targets_assets and not targets.names:
            valid.append(request.with_tags(tags))
            continue
        job_name, why = _resolve_job(index, request, targets, subject)
        if job_name is None:
            invalid.append(InvalidRunRequest(index, request, request.job_name, why or ""))
            continue
        job = (jobs or {}).get(job_name) or targets.jobs.get(job_name)
        if job is None:
            invalid.append(
                InvalidRunRequest(
                    index,
                    request,
                    job_name,
                    f"{_describe(index, request)} is for job '{job_name}', which is not "
                    "loaded here; evaluate it through Definitions (or pass jobs={...}) so "
                    "that its run config can be checked",
                )
            )
            continue
        problems = _config_problems(_as_job(job), request.run_config)
        if problems:
            invalid.append(
                InvalidRunRequest(
                    index,
                    request,
                    job_name,
                    f"{_describe(index, request)} for job '{job_name}': "
                    f"{len(problems)} problem(s) in run config:",
                    tuple(problems),
                )
            )
            continue
        valid.append(request.with_replaced_attrs(job_name=job_name).with_tags(tags))
    return tuple(valid), tuple(invalid)
