"""Data versions beyond one value: per partition, and where a materialization's came from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.assets.results import DataVersion
from headwater.errors import InvalidDefinitionError

__all__ = [
    "CODE_VERSION_TAG",
    "DATA_VERSION_IS_USER_PROVIDED_TAG",
    "DATA_VERSION_TAG",
    "INPUT_DATA_VERSION_TAG_PREFIX",
    "DataProvenance",
    "DataVersionsByPartition",
]

# The tags an asset event carries its versions in (the wire names other tools read).
DATA_VERSION_TAG = "dagster/data_version"
CODE_VERSION_TAG = "dagster/code_version"
INPUT_DATA_VERSION_TAG_PREFIX = "dagster/input_data_version"
DATA_VERSION_IS_USER_PROVIDED_TAG = "dagster/data_version_is_user_provided"
_INPUT_EVENT_POINTER_TAG_PREFIX = "dagster/input_event_pointer"
_OLD_INPUT_DATA_VERSION_TAG_PREFIX = "dagster/input_logical_version"


@dataclass(frozen=True)
class DataVersionsByPartition:
    """The data version of each partition of an observed asset, returned by the observation
    function of a partitioned observable source asset.

    Args:
        data_versions_by_partition: partition key → its version (a string or a
            ``DataVersion``).

    Raises:
        InvalidDefinitionError: a key that is not a string, or a version that is neither.

    Example:
        ``return DataVersionsByPartition({"2024-01-01": "v3", "2024-01-02": "v1"})``
    """

    data_versions_by_partition: Mapping[str, DataVersion]

    def __init__(self, data_versions_by_partition: Mapping[str, str | DataVersion]) -> None:
        if not isinstance(data_versions_by_partition, Mapping):
            raise InvalidDefinitionError(
                "DataVersionsByPartition takes a dict of partition key → version, got "
                f"{type(data_versions_by_partition).__name__}"
            )
        versions: dict[str, DataVersion] = {}
        given: Mapping[Any, Any] = data_versions_by_partition  # checked: users pass anything
        for partition, version in given.items():
            if not isinstance(partition, str) or not isinstance(version, (str, DataVersion)):
                raise InvalidDefinitionError(
                    f"DataVersionsByPartition: entry {partition!r}: {version!r} must map a "
                    "partition key (str) to a version (str or DataVersion)"
                )
            versions[partition] = DataVersion(version) if isinstance(version, str) else version
        object.__setattr__(self, "data_versions_by_partition", versions)


@dataclass(frozen=True)
class DataProvenance:
    """Where a materialization's data version came from: the code version that ran and
    the data versions of the inputs it read.

    Args:
        code_version: the code version of the op (the run id when it states none).
        input_data_versions: each upstream asset's data version when it was read.
        input_storage_ids: each upstream asset's event it was read from (``None``: none).
        is_user_provided: whether the asset's code gave the data version itself.
    """

    code_version: str
    input_data_versions: Mapping[AssetKey, DataVersion]
    input_storage_ids: Mapping[AssetKey, int | None]
    is_user_provided: bool

    def has_input_asset(self, key: AssetKey) -> bool:
        """Whether ``key`` was read as an input (known both by version and by event)."""
        return key in self.input_data_versions and key in self.input_storage_ids

    @staticmethod
    def from_tags(tags: Mapping[str, str]) -> DataProvenance | None:
        """The provenance recorded in an asset event's tags, or ``None`` when it has none
        (no ``dagster/code_version`` tag: an observation, or an op's own event)."""
        code_version = tags.get(CODE_VERSION_TAG)
        if code_version is None:
            return None
        versions = {
            _tag_key(k): DataVersion(v)
            for k, v in tags.items()
            if k.startswith((INPUT_DATA_VERSION_TAG_PREFIX, _OLD_INPUT_DATA_VERSION_TAG_PREFIX))
        }
        storage_ids = {
            _tag_key(k): None if v == "NULL" else int(v)
            for k, v in tags.items()
            if k.startswith(_INPUT_EVENT_POINTER_TAG_PREFIX)
        }
        return DataProvenance(
            code_version,
            versions,
            storage_ids,
            tags.get(DATA_VERSION_IS_USER_PROVIDED_TAG) == "true",
        )


def _tag_key(tag: str) -> AssetKey:
    # The asset's key is what follows the tag's second "/".
    return AssetKey.from_user_string(tag.split("/", maxsplit=2)[-1])


def observed_version(value: Any) -> str | None:
    """The string form of a data version given as ``DataVersion`` or string."""
    if value is None:
        return None
    return value.value if isinstance(value, DataVersion) else str(value)
