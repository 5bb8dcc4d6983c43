"""What the orchestrator put in scope for this step, read from the injected context data.

`PipesContext` inherits these read-only views; errors say what *is* in scope.
"""

from __future__ import annotations

from headwater_pipes import _reports
from headwater_pipes.protocol import (
    EXTRA_TRACEPARENT,
    PipesError,
)

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from headwater_pipes.protocol import (
        PipesContextData,
        PipesDataProvenance,
        PipesExtras,
        PipesPartitionKeyRange,
        PipesTimeWindow,
    )

__all__ = ["PipesContextScope"]


class PipesContextScope:
    """The step's assets, partitions, run and extras, as the orchestrator injected them."""

    _data: PipesContextData

    @property
    def is_asset_step(self) -> bool:
        """Whether the current step targets assets."""
        return self._data.get("asset_keys") is not None

    @property
    def asset_key(self) -> str:
        """The one asset key in scope. Raises `PipesError` if there are zero or several."""
        return _reports.require_single_asset(self._data, "asset_key")

    @property
    def asset_keys(self) -> Sequence[str]:
        """The asset keys in scope. Raises `PipesError` if there are none."""
        return _reports.require_assets(self._data, "asset_keys")

    @property
    def code_version(self) -> str | None:
        """The code version of the one asset in scope. Raises if there are zero or several."""
        key = _reports.require_single_asset(self._data, "code_version")
        return (self._data.get("code_version_by_asset_key") or {}).get(key)

    @property
    def code_version_by_asset_key(self) -> Mapping[str, str | None]:
        """Each asset in scope's code version. Raises `PipesError` if no assets are in scope."""
        _reports.require_assets(self._data, "code_version_by_asset_key")
        return self._data.get("code_version_by_asset_key") or {}

    @property
    def provenance(self) -> PipesDataProvenance | None:
        """The data provenance of the one asset in scope. Raises if there are zero or several."""
        key = _reports.require_single_asset(self._data, "provenance")
        return (self._data.get("provenance_by_asset_key") or {}).get(key)

    @property
    def provenance_by_asset_key(self) -> Mapping[str, PipesDataProvenance | None]:
        """Each asset in scope's provenance. Raises `PipesError` if no assets are in scope."""
        _reports.require_assets(self._data, "provenance_by_asset_key")
        return self._data.get("provenance_by_asset_key") or {}

    @property
    def is_partition_step(self) -> bool:
        """Whether the current step targets one or more partitions."""
        return self._data.get("partition_key_range") is not None

    @property
    def partition_key(self) -> str:
        """The one partition key in scope. Raises if there are zero or several partitions."""
        key = self._data.get("partition_key")
        if key is None:
            raise PipesError(
                f"`partition_key` is undefined: {_reports.describe_partitions(self._data)}"
            )
        return key

    @property
    def partition_key_range(self) -> PipesPartitionKeyRange:
        """The partition key range in scope. Raises `PipesError` if no partitions are in scope."""
        key_range = self._data.get("partition_key_range")
        if key_range is None:
            raise PipesError(
                f"`partition_key_range` is undefined: {_reports.describe_partitions(self._data)}"
            )
        return key_range

    @property
    def partition_time_window(self) -> PipesTimeWindow | None:
        """The time window of the partitions in scope; None when they are not time-based.
        Raises `PipesError` if no partitions are in scope."""
        if self._data.get("partition_key_range") is None:
            raise PipesError(
                f"`partition_time_window` is undefined: {_reports.describe_partitions(self._data)}"
            )
        return self._data.get("partition_time_window")

    @property
    def run_id(self) -> str:
        """The id of the run this step belongs to."""
        return self._data["run_id"]

    @property
    def job_name(self) -> str | None:
        """The run's job name; None when the run does not come from a job."""
        return self._data.get("job_name")

    @property
    def retry_number(self) -> int:
        """How many times this step has been retried (0 on the first attempt)."""
        return self._data.get("retry_number", 0)

    @property
    def extras(self) -> PipesExtras:
        """Every extra the orchestrator passed."""
        return self._data.get("extras") or {}

    def get_extra(self, key: str) -> Any:
        """Return the extra named `key`.

        Raises:
            PipesError: no such extra; the message lists the extras there are.
        """
        extras = self.extras
        if key not in extras:
            present = ", ".join(repr(k) for k in sorted(extras)) or "none"
            raise PipesError(
                f"extra {key!r} is not defined; extras in scope: {present}; "
                "pass it in extras={...} where the orchestrator runs this process"
            )
        return extras[key]

    @property
    def traceparent(self) -> str | None:
        """The W3C ``traceparent`` of the step (extra ``traceparent``), to join the run's trace;
        None when the orchestrator sent none."""
        value = self.extras.get(EXTRA_TRACEPARENT)
        return value if isinstance(value, str) else None
