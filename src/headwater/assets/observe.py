"""``observe``: run observable source assets' functions in this process."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.assets.job import run_assets
from headwater.assets.selection import AssetSelection

if TYPE_CHECKING:
    from headwater.execution.result import ExecuteInProcessResult

__all__ = ["observe"]


def observe(
    assets: Sequence[Any],
    run_config: Any = None,
    instance: Any = None,
    resources: Mapping[str, object] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
) -> ExecuteInProcessResult:
    """Run the observation functions of ``assets`` (observable source assets) in this
    process, recording an ``ASSET_OBSERVATION`` for each.

    Args:
        assets: the observable source assets (and what they need).
        run_config: run config for their ops and resources.
        instance: where the run and its observations are recorded.
        resources: resources by key.
        partition_key: the partition to observe.
        raise_on_error: re-raise a failing function's own exception.
        tags: tags on the run.

    Returns:
        The run's result.
    """
    return run_assets(
        assets,
        caller="observe",
        job_name="in_process_observation_job",
        default_io_manager="filesystem",
        run_config=run_config,
        instance=instance,
        resources=resources,
        partition_key=partition_key,
        raise_on_error=raise_on_error,
        tags=tags,
        selection=AssetSelection.all(include_sources=True),
    )
