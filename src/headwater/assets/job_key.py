"""``AssetJobKey``: names a job as an entity next to assets and checks (for example in
the health and status views that key their rows by asset, check or job)."""

from __future__ import annotations

import json

from headwater._dataclass import dataclass
from headwater.errors import InvalidInvocationError

__all__ = ["AssetJobKey"]


@dataclass(frozen=True, slots=True, order=True)
class AssetJobKey:
    """The key of a job among asset and check keys.

    Args:
        job_name: the job's name.

    Example:
        ``AssetJobKey("nightly").to_user_string() == "nightly"``
    """

    job_name: str

    def __post_init__(self) -> None:
        if not isinstance(self.job_name, str):
            raise InvalidInvocationError(
                f"AssetJobKey takes the job's name as a string, got {self.job_name!r} "
                f"({type(self.job_name).__name__})"
            )

    def to_user_string(self) -> str:
        """The job's name, as a person types it."""
        return self.job_name

    @staticmethod
    def from_user_string(user_string: str) -> AssetJobKey:
        """The key of the job named ``user_string``."""
        return AssetJobKey(job_name=user_string)

    def to_db_string(self) -> str:
        """The stored form: ``{"job_name": ...}`` as JSON."""
        return json.dumps({"job_name": self.job_name})

    @staticmethod
    def from_db_string(db_string: str) -> AssetJobKey | None:
        """The key a stored string holds, or ``None`` when it holds another kind of key."""
        try:
            values = json.loads(db_string)
        except ValueError:
            return None
        if isinstance(values, dict) and set(values) == {"job_name"}:
            name = values["job_name"]
            return AssetJobKey(job_name=name) if isinstance(name, str) else None
        return None
