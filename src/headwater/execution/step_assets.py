"""What an asset step records of its assets: materializations, observations, the
materializations and observations its body logged, and its asset checks' evaluations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.errors import AssetCheckFailedError
from headwater.events import DEBUG, WARNING, EventType
from headwater.execution.asset_events import (
    CheckScope,
    check_data,
    derive_data_version,
    is_blocking_failure,
    materialization_data,
    observation_events,
)
from headwater.execution.io import record_logged_event
from headwater.execution.step_facts import yielded_message

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.results import (
        AssetMaterialization,
        AssetObservation,
        DataVersion,
        ExpectationResult,
        ObserveResult,
    )
    from headwater.events import ErrorInfo
    from headwater.execution.plan import Step
    from headwater.execution.state import RunState
    from headwater.execution.step_facts import StepFacts
    from headwater.execution.yields import Collected

__all__ = ["AssetRecording"]


class AssetRecording:
    """The asset events of a step's attempt: a part of ``step._StepRun``, which gives the
    step, its run and facts, and how to record an event."""

    if TYPE_CHECKING:
        state: RunState
        step: Step
        key: str
        facts: StepFacts

        def event(
            self,
            event_type: EventType,
            message: str,
            *,
            level: int = DEBUG,
            data: Mapping[str, Any] | None = None,
            error: ErrorInfo | None = None,
        ) -> None: ...

        def output_event(self, name: str, metadata: Mapping[str, Any], message: str) -> None: ...

    def observed(self, name: str, result: ObserveResult) -> None:
        """Record an observable asset's observation(s) and its (valueless) output: the
        observation first when a source asset's function made it (as its own event)."""
        state = self.state
        state.outputs.mark_produced((self.key, name))
        key = state.asset_key_for(self.step.handle, name) or result.asset_key
        assert key is not None  # an observable asset's outputs are its keys
        message = self.facts.yielded(name)
        if not result.from_source_function:
            self.output_event(name, {}, message)
        partitions = state.partitions.keys or (state.partition_key,)
        for version, data in observation_events(key, result, partitions):
            if version is not None:
                state.outputs.versioned(key.to_user_string(), version)
            self.event(EventType.ASSET_OBSERVATION, "", data=data)
        if result.from_source_function:
            self.output_event(name, {}, message)

    def logged(self, logged: AssetMaterialization | AssetObservation | ExpectationResult) -> None:
        """Record an event the body yielded (one it logged with ``context.log_event`` was
        recorded then)."""
        record_logged_event(self.state, self.key, logged)

    def checks(
        self,
        collected: Collected,
        scope: CheckScope,
        *,
        inline: bool,
        output_names: Mapping[Any, str] | None = None,
    ) -> None:
        """Record the check evaluations; a failed blocking check then fails the step.

        Raises:
            AssetCheckFailedError: a blocking check failed with ERROR severity.
        """
        failed_blocking: dict[str, list[str]] = {}
        for check in collected.checks:
            data = check_data(check, scope)
            if self.state.partition_key is not None and _partitioned_check(scope, data):
                data["partition"] = self.state.partition_key
            passed = "passed." if check.passed else "did not pass."
            from_output = (output_names or {}).get((data["asset_key"], data["check_name"]))
            if from_output is not None:  # an op's output returned it (graph-backed assets)
                self.output_event(from_output, {}, yielded_message(from_output, None))
            elif inline:
                asset = str(data["asset_key"] or "").replace("/", "_")
                name = f"{asset}_{data['check_name']}"
                self.output_event(name, {}, yielded_message(name, None))
            else:
                self.output_event("result", {}, yielded_message("result", None))
            described = f" Description: '{check.description}'" if check.description else ""
            self.event(
                EventType.ASSET_CHECK_EVALUATION,
                f"Asset check '{data['check_name']}' on '{data['asset_key']}' {passed}{described}",
                level=DEBUG if check.passed else WARNING,
                data=data,
            )
            if is_blocking_failure(check, data):
                failed_blocking.setdefault(str(data["asset_key"]), []).append(data["check_name"])
        if failed_blocking:
            # As in the reference: the step fails, so nothing downstream of it runs.
            count = sum(len(names) for names in failed_blocking.values())
            lines = "\n".join(f"{key}: {','.join(names)}" for key, names in failed_blocking.items())
            raise AssetCheckFailedError(
                f"{count} blocking asset check{'s' if count > 1 else ''} failed with ERROR "
                f"severity:\n{lines}"
            )

    def materialized(
        self,
        key: AssetKey,
        metadata: Mapping[str, Any],
        data_version: DataVersion | None,
        tags: Mapping[str, str] | None,
    ) -> None:
        """Record the ``ASSET_MATERIALIZATION`` of asset ``key`` (of the step's assets)."""
        state = self.state
        asset = self.facts.asset(key)
        code_version = asset.spec.code_version
        input_versions = state.input_data_versions(asset.upstream)
        version: str = (
            data_version.value
            if data_version is not None
            else derive_data_version(asset.name, code_version or state.run_id, input_versions)
        )
        state.outputs.versioned(asset.name, version)
        # A range run materializes every partition of the range: one event each.
        for partition in state.partitions.keys or (None,):
            self.event(
                EventType.ASSET_MATERIALIZATION,
                asset.message,
                data=materialization_data(
                    asset=asset.name,
                    metadata=metadata,
                    partition=partition,
                    code_version=code_version,
                    data_version=version,
                    input_versions=input_versions,
                    tags=tags,
                    user_provided=data_version is not None,
                ),
            )


def _partitioned_check(scope: CheckScope, data: Mapping[str, Any]) -> bool:
    """Whether the check an evaluation reports is partitioned (``partitions_def=``)."""
    return any(
        spec.partitions_def is not None
        and spec.name == data["check_name"]
        and spec.asset_key.to_user_string() == data["asset_key"]
        for spec in scope.specs
    )
