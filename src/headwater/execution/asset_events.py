"""The run events that asset steps record: materializations, observations, check results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.errors import InvariantViolationError

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.results import (
        AssetCheckResult,
        AssetMaterialization,
        AssetObservation,
        DataVersion,
        ObserveResult,
    )

# The tag an observation carries its data version in (the wire name other tools read).
_DATA_VERSION_TAG = "dagster/data_version"
_USER_PROVIDED_TAG = "dagster/data_version_is_user_provided"

__all__ = [
    "CheckScope",
    "check_data",
    "validate_check_results",
    "derive_data_version",
    "is_blocking_failure",
    "logged_event_data",
    "materialization_data",
    "observation_events",
]


def _wire(metadata: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``metadata_to_wire``, loading the metadata package only when there is metadata."""
    if not metadata:
        return {}
    from headwater.metadata.normalize import metadata_to_wire

    return metadata_to_wire(metadata)


def derive_data_version(key: str, code_version: str, input_versions: Mapping[str, str]) -> str:
    """A data version from the code version and the inputs' data versions.

    Used when an asset states none: the same code over the same inputs yields the same
    version, so downstream staleness follows real changes.
    """
    import hashlib  # asset runs only; OpenSSL's bindings are slow to load

    digest = hashlib.sha256(f"{key}\0{code_version}".encode())
    for upstream in sorted(input_versions):
        digest.update(f"\0{upstream}={input_versions[upstream]}".encode())
    return digest.hexdigest()[:24]


def materialization_data(
    *,
    asset: str,
    metadata: Mapping[str, Any],
    partition: str | None,
    code_version: str | None,
    data_version: DataVersion | str | None,
    input_versions: Mapping[str, str],
    tags: Mapping[str, str] | None = None,
    user_provided: bool = False,
) -> dict[str, Any]:
    """The ``data`` of an ``ASSET_MATERIALIZATION`` event of ``asset`` (its key's user
    string), JSON-able; ``user_provided``: the data version came from the user's code, not
    derived from code and inputs."""
    version = (
        data_version
        if isinstance(data_version, str) or data_version is None
        else data_version.value
    )
    return {
        "asset_key": asset,
        "metadata": _wire(metadata),
        "partition": partition,
        "code_version": code_version,
        "data_version": version,
        "provenance": {
            "code_version": code_version,
            "input_data_versions": dict(input_versions),
            "is_user_provided": user_provided,
        },
        "tags": dict(tags or {}),
    }


def resolve_check_target(
    result: AssetCheckResult, scope: CheckScope
) -> tuple[str | None, str, bool]:
    """The asset (user string), the check name, and whether that check is blocking."""
    key = result.asset_key
    if key is None and len(scope.keys) == 1:
        key = scope.keys[0]
    name = result.check_name
    candidates = [s for s in scope.specs if key is None or s.asset_key == key]
    if name is None and len(candidates) == 1:
        name = candidates[0].name
    name = name or "check"
    blocking = any(s.name == name and s.blocking for s in candidates)
    return (key.to_user_string() if key is not None else None), name, blocking


class CheckScope:
    """What a step's check results may refer to: its assets and their check specs."""

    def __init__(self, keys: Sequence[AssetKey], specs: Sequence[Any]) -> None:
        self.keys = list(keys)
        self.specs = list(specs)


def validate_check_results(
    step_key: str, results: Sequence[AssetCheckResult], scope: CheckScope, *, complete: bool
) -> None:
    """Every result names a check the step evaluates; ``complete``: every check has one.

    Raises:
        InvariantViolationError: a result for an undeclared check, or (``complete``) a
            declared check without a result.
    """
    if not results and not (complete and scope.specs):
        return  # the common case, on every step's path: nothing to validate
    seen = set()
    for result in results:
        key, name, _ = resolve_check_target(result, scope)
        declared = sorted(s.name for s in scope.specs if s.asset_key.to_user_string() == key)
        if (result.check_name is None and len(declared) > 1) or name not in declared:
            known = f"its checks of '{key}' are {declared}" if declared else "it declares none"
            # A framework error, as Dagster's DagsterInvariantViolationError, not the user's.
            raise InvariantViolationError(
                f"step '{step_key}' returned an AssetCheckResult for check '{name}' on asset "
                f"'{key}', which it does not evaluate; {known}. "
                "Declare it in check_specs=[AssetCheckSpec(...)], or set check_name= (and "
                "asset_key= for a multi-asset) to one of them"
            )
        seen.add((key, name))
    if not complete:
        return
    missing = [
        f"'{s.name}' on '{s.asset_key.to_user_string()}'"
        for s in scope.specs
        if (s.asset_key.to_user_string(), s.name) not in seen
    ]
    if missing:
        raise InvariantViolationError(
            f"step '{step_key}' declares check(s) {', '.join(missing)} but returned no "
            "AssetCheckResult for them; return MaterializeResult(check_results=[...]) or yield "
            "an AssetCheckResult for each"
        )


def check_data(result: AssetCheckResult, scope: CheckScope) -> dict[str, Any]:
    """The ``data`` of an ``ASSET_CHECK_EVALUATION`` event."""
    key, name, blocking = resolve_check_target(result, scope)
    return {
        "asset_key": key,
        "check_name": name,
        "passed": result.passed,
        "severity": result.severity.value,
        "blocking": blocking,
        "metadata": _wire(result.metadata),
        "description": result.description,
    }


def is_blocking_failure(result: AssetCheckResult, data: Mapping[str, Any]) -> bool:
    """Whether a result is a failure of a blocking check, of ERROR severity."""
    from headwater.assets.results import AssetCheckSeverity

    return (
        not result.passed and result.severity is AssetCheckSeverity.ERROR and bool(data["blocking"])
    )


def logged_event_data(
    event: AssetMaterialization | AssetObservation, partition: str | None
) -> dict[str, Any]:
    """The ``data`` of a materialization or observation logged by an op."""
    data: dict[str, Any] = {
        "asset_key": event.asset_key.to_user_string(),
        "metadata": _wire(event.metadata),
        "partition": event.partition or partition,
        "description": event.description,
        "tags": dict(event.tags),
    }
    from headwater.assets.results import AssetObservation  # loaded: ``event`` is one of its

    if isinstance(event, AssetObservation):
        data["observation"] = True
    return data


def observation_events(
    key: AssetKey, result: ObserveResult, partitions: Sequence[str | None]
) -> list[tuple[str | None, dict[str, Any]]]:
    """``(data version, event data)`` of each ``ASSET_OBSERVATION`` an ``ObserveResult``
    stands for: one per partition given by version, else one per partition of the run."""
    versions = result.versions_by_partition
    if versions is not None:
        pairs: list[tuple[str | None, str | None]] = [(p, v.value) for p, v in versions.items()]
    else:
        version = result.data_version.value if result.data_version is not None else None
        pairs = [(p, version) for p in partitions]
    name = key.to_user_string()
    metadata = _wire(result.metadata or {})
    found = []
    for partition, version in pairs:
        tags = {_DATA_VERSION_TAG: version} if version is not None else {}
        if version is not None and not result.from_source_function:
            tags[_USER_PROVIDED_TAG] = "true"  # the asset's code stated it, as in materializations
        tags.update(result.tags or {})
        data = {
            "asset_key": name,
            "metadata": metadata,
            "partition": partition,
            "description": None,
            "tags": tags,
            "observation": True,
            "data_version": version,
        }
        found.append((version, data))
    return found
