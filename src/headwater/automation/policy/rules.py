"""``AutoMaterializeRule``: the rules of the deprecated ``AutoMaterializePolicy``, as values.

Each rule is a frozen value with a decision type (materialize or skip) and a description;
``to_asset_condition()`` wraps it in a ``RuleCondition`` node so a policy becomes one
condition tree. The evaluator evaluates those nodes (``automation/evaluator/rules.py``).
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Mapping
from dataclasses import field
from typing import Any, NamedTuple

from headwater._dataclass import dataclass
from headwater.automation.condition import AutomationCondition, _Node
from headwater.automation.cron import cron_problem
from headwater.errors import InvalidDefinitionError

__all__ = [
    "AutoMaterializeAssetPartitionsFilter",
    "AutoMaterializeDecisionType",
    "AutoMaterializeRule",
    "AutoMaterializeRuleSnapshot",
    "RuleCondition",
]


class AutoMaterializeDecisionType(enum.Enum):
    """Whether a rule asks to materialize, to skip, or to discard."""

    MATERIALIZE = "MATERIALIZE"
    SKIP = "SKIP"
    DISCARD = "DISCARD"


class AutoMaterializeRuleSnapshot(NamedTuple):
    """A rule as tools show it."""

    class_name: str
    description: str
    decision_type: AutoMaterializeDecisionType


class AutoMaterializeAssetPartitionsFilter:
    """Which updated parent partitions count for ``materialize_on_parent_updated``
    (deprecated).

    Args:
        latest_run_required_tags: only parents whose latest run had these tags count.
    """

    def __init__(self, latest_run_required_tags: Mapping[str, str] | None) -> None:
        warnings.warn(
            "Class `AutoMaterializeAssetPartitionsFilter` is deprecated and will be removed "
            "in 1.10.0.",
            DeprecationWarning,
            stacklevel=2,
        )
        self.latest_run_required_tags = (
            None if latest_run_required_tags is None else dict(latest_run_required_tags)
        )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AutoMaterializeAssetPartitionsFilter)
            and other.latest_run_required_tags == self.latest_run_required_tags
        )

    def __hash__(self) -> int:
        return hash(tuple(sorted((self.latest_run_required_tags or {}).items())))

    def __repr__(self) -> str:
        return (
            "AutoMaterializeAssetPartitionsFilter("
            f"latest_run_required_tags={self.latest_run_required_tags!r})"
        )


class AutoMaterializeRule:
    """A rule of an ``AutoMaterializePolicy`` (deprecated: use ``AutomationCondition``).

    Build rules with the static constructors, e.g. ``AutoMaterializeRule.materialize_on_cron
    ("0 * * * *")``, and add them with ``AutoMaterializePolicy.eager().with_rules(...)``.
    """

    @property
    def decision_type(self) -> AutoMaterializeDecisionType:
        """Whether the rule materializes or skips."""
        raise NotImplementedError  # pragma: no cover - every concrete rule overrides it

    @property
    def description(self) -> str:
        """What the rule checks, in words."""
        raise NotImplementedError  # pragma: no cover - every concrete rule overrides it

    def to_asset_condition(self) -> AutomationCondition:
        """The rule as a condition node (``RuleCondition``)."""
        return RuleCondition(rule=self)

    def to_snapshot(self) -> AutoMaterializeRuleSnapshot:
        """The rule as tools show it."""
        return AutoMaterializeRuleSnapshot(
            type(self).__name__, self.description, self.decision_type
        )

    # -- constructors ---------------------------------------------------------------------

    @staticmethod
    def materialize_on_missing() -> MaterializeOnMissingRule:
        """Materialize partitions that were never materialized."""
        return MaterializeOnMissingRule()

    @staticmethod
    def materialize_on_parent_updated(
        updated_parent_filter: AutoMaterializeAssetPartitionsFilter | None = None,
    ) -> MaterializeOnParentUpdatedRule:
        """Materialize when a parent was updated after the asset."""
        return MaterializeOnParentUpdatedRule(updated_parent_filter=updated_parent_filter)

    @staticmethod
    def materialize_on_required_for_freshness() -> MaterializeOnRequiredForFreshnessRule:
        """Materialize to meet a freshness policy."""
        return MaterializeOnRequiredForFreshnessRule()

    @staticmethod
    def materialize_on_cron(
        cron_schedule: str, timezone: str = "UTC", all_partitions: bool = False
    ) -> MaterializeOnCronRule:
        """Materialize once per tick of ``cron_schedule``.

        Raises:
            InvalidDefinitionError: ``cron_schedule`` is not a valid cron string.
        """
        _check_cron(cron_schedule, "materialize_on_cron")
        return MaterializeOnCronRule(cron_schedule, timezone, all_partitions)

    @staticmethod
    def skip_on_parent_outdated() -> SkipOnParentOutdatedRule:
        """Skip while a parent is outdated."""
        return SkipOnParentOutdatedRule()

    @staticmethod
    def skip_on_parent_missing() -> SkipOnParentMissingRule:
        """Skip while a parent is missing."""
        return SkipOnParentMissingRule()

    @staticmethod
    def skip_on_not_all_parents_updated(
        require_update_for_all_parent_partitions: bool = False,
    ) -> SkipOnNotAllParentsUpdatedRule:
        """Skip until every parent was updated."""
        return SkipOnNotAllParentsUpdatedRule(require_update_for_all_parent_partitions)

    @staticmethod
    def skip_on_not_all_parents_updated_since_cron(
        cron_schedule: str, timezone: str = "UTC"
    ) -> SkipOnNotAllParentsUpdatedSinceCronRule:
        """Skip until every parent was updated since the latest tick of ``cron_schedule``.

        Raises:
            InvalidDefinitionError: ``cron_schedule`` is not a valid cron string.
        """
        _check_cron(cron_schedule, "skip_on_not_all_parents_updated_since_cron")
        return SkipOnNotAllParentsUpdatedSinceCronRule(cron_schedule, timezone)

    @staticmethod
    def skip_on_required_but_nonexistent_parents() -> SkipOnRequiredButNonexistentParentsRule:
        """Skip while a parent partition the asset needs does not exist."""
        return SkipOnRequiredButNonexistentParentsRule()

    @staticmethod
    def skip_on_backfill_in_progress(all_partitions: bool = False) -> SkipOnBackfillInProgressRule:
        """Skip while a backfill targets the asset."""
        return SkipOnBackfillInProgressRule(all_partitions)

    @staticmethod
    def skip_on_run_in_progress() -> SkipOnRunInProgressRule:
        """Skip while a run targets the asset."""
        return SkipOnRunInProgressRule()


def _check_cron(cron_schedule: object, rule: str) -> None:
    problem = cron_problem(cron_schedule) if isinstance(cron_schedule, str) else "not a string"
    if problem is not None:
        raise InvalidDefinitionError(
            f"AutoMaterializeRule.{rule}: cron_schedule {cron_schedule!r} must be a valid cron "
            f"string ({problem}), e.g. '0 * * * *'"
        )


def _rule(decision: AutoMaterializeDecisionType, description: str) -> Any:
    """Properties of a rule class with a fixed decision and description."""

    def decision_type(self: AutoMaterializeRule) -> AutoMaterializeDecisionType:
        return decision

    def describe(self: AutoMaterializeRule) -> str:
        return description

    return property(decision_type), property(describe)


_M, _S = AutoMaterializeDecisionType.MATERIALIZE, AutoMaterializeDecisionType.SKIP


@dataclass(frozen=True)
class MaterializeOnMissingRule(AutoMaterializeRule):
    """Materialize missing partitions."""

    decision_type, description = _rule(_M, "materialization is missing")


@dataclass(frozen=True)
class MaterializeOnParentUpdatedRule(AutoMaterializeRule):
    """Materialize when a parent updated."""

    updated_parent_filter: AutoMaterializeAssetPartitionsFilter | None = None
    decision_type, description = _rule(_M, "upstream data has changed since latest materialization")


@dataclass(frozen=True)
class MaterializeOnRequiredForFreshnessRule(AutoMaterializeRule):
    """Materialize to meet freshness policies."""

    decision_type, description = _rule(
        _M, "required to meet this or downstream asset's freshness policy"
    )


@dataclass(frozen=True)
class MaterializeOnCronRule(AutoMaterializeRule):
    """Materialize once per cron tick."""

    cron_schedule: str
    timezone: str = "UTC"
    all_partitions: bool = False

    @property
    def decision_type(self) -> AutoMaterializeDecisionType:
        return _M

    @property
    def description(self) -> str:
        return (
            f"not materialized since last cron schedule tick of '{self.cron_schedule}' "
            f"(timezone: {self.timezone})"
        )


@dataclass(frozen=True)
class SkipOnParentOutdatedRule(AutoMaterializeRule):
    """Skip while a parent is outdated."""

    decision_type, description = _rule(_S, "waiting on upstream data to be up to date")


@dataclass(frozen=True)
class SkipOnParentMissingRule(AutoMaterializeRule):
    """Skip while a parent is missing."""

    decision_type, description = _rule(_S, "waiting on upstream data to be present")


@dataclass(frozen=True)
class SkipOnNotAllParentsUpdatedRule(AutoMaterializeRule):
    """Skip until every parent updated."""

    require_update_for_all_parent_partitions: bool = False

    @property
    def decision_type(self) -> AutoMaterializeDecisionType:
        return _S

    @property
    def description(self) -> str:
        if self.require_update_for_all_parent_partitions:
            return "waiting until all upstream partitions are updated"
        return "waiting on upstream data to be updated"


@dataclass(frozen=True)
class SkipOnNotAllParentsUpdatedSinceCronRule(AutoMaterializeRule):
    """Skip until every parent updated since the latest cron tick."""

    cron_schedule: str
    timezone: str = "UTC"

    @property
    def decision_type(self) -> AutoMaterializeDecisionType:
        return _S

    @property
    def description(self) -> str:
        return (
            "waiting until all upstream assets have updated since the last cron schedule tick "
            f"of '{self.cron_schedule}' (timezone: {self.timezone})"
        )


@dataclass(frozen=True)
class SkipOnRequiredButNonexistentParentsRule(AutoMaterializeRule):
    """Skip while a required parent partition does not exist."""

    decision_type, description = _rule(_S, "required parent partitions do not exist")


@dataclass(frozen=True)
class SkipOnBackfillInProgressRule(AutoMaterializeRule):
    """Skip while a backfill targets the asset."""

    all_partitions: bool = False

    @property
    def decision_type(self) -> AutoMaterializeDecisionType:
        return _S

    @property
    def description(self) -> str:
        if self.all_partitions:
            return "part of an asset targeted by an in-progress backfill"
        return "targeted by an in-progress backfill"


@dataclass(frozen=True)
class SkipOnRunInProgressRule(AutoMaterializeRule):
    """Skip while a run targets the asset."""

    decision_type, description = _rule(_S, "in-progress run for asset")


@dataclass(frozen=True)
class DiscardOnMaxMaterializationsExceededRule(AutoMaterializeRule):
    """Discard requests beyond ``limit`` per minute."""

    limit: int

    @property
    def decision_type(self) -> AutoMaterializeDecisionType:
        return AutoMaterializeDecisionType.DISCARD

    @property
    def description(self) -> str:
        return f"exceeds {self.limit} materialization(s) per minute"


@dataclass(frozen=True)
class RuleCondition(_Node):
    """A rule of an ``AutoMaterializePolicy`` as a condition node."""

    rule: AutoMaterializeRule = field(default_factory=MaterializeOnMissingRule)

    @property
    def description(self) -> str:
        return self.rule.description
