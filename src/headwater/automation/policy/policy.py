"""``AutoMaterializePolicy``: the deprecated way to say when an asset materializes.

A policy is a set of rules (or one ``AutomationCondition``) and a rate limit. It is kept so
code that uses it still loads: ``to_automation_condition()`` turns it into a condition
tree, which is what assets carry.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Sequence, Set
from typing import Any

from headwater.automation.condition import (
    AndAutomationCondition,
    AutomationCondition,
    NotAutomationCondition,
    OrAutomationCondition,
)
from headwater.automation.policy.rules import (
    AutoMaterializeDecisionType,
    AutoMaterializeRule,
    AutoMaterializeRuleSnapshot,
    DiscardOnMaxMaterializationsExceededRule,
)
from headwater.errors import InvalidDefinitionError

__all__ = ["AutoMaterializePolicy", "AutoMaterializePolicyType"]

_CLASS_DEPRECATED = (
    "Class `AutoMaterializePolicy` is deprecated and will be removed in 1.10.0. This type "
    "remains in Dagster for backwards compatibility because older serialized code locations "
    "and automation state may still reference it. New code should use `AutomationCondition` "
    "APIs instead."
)


def _deprecated_function(name: str, instead: str) -> None:
    warnings.warn(
        f"Function `AutoMaterializePolicy.{name}` is deprecated and will be removed in 1.10.0. "
        f"Use `{instead}` instead.",
        DeprecationWarning,
        stacklevel=3,
    )


class AutoMaterializePolicyType(enum.Enum):
    """Whether a policy materializes eagerly (on parent updates) or lazily."""

    EAGER = "EAGER"
    LAZY = "LAZY"


class AutoMaterializePolicy:
    """When an asset should be materialized, as rules (deprecated: use
    ``AutomationCondition``).

    Args:
        rules: the rules; materialize rules are OR-ed, skip rules veto.
        max_materializations_per_minute: the rate limit (``None``: no limit).
        asset_condition: a condition instead of rules.

    Raises:
        InvalidDefinitionError: both or neither of ``rules`` and ``asset_condition``; a
            rate limit that is not positive, or given with ``asset_condition``.

    Example:
        ``AutoMaterializePolicy.eager().with_rules(AutoMaterializeRule.materialize_on_cron
        ("0 * * * *"))``
    """

    def __init__(
        self,
        rules: Set[AutoMaterializeRule],
        max_materializations_per_minute: int | None = 1,
        asset_condition: AutomationCondition | None = None,
    ) -> None:
        warnings.warn(_CLASS_DEPRECATED, DeprecationWarning, stacklevel=2)
        self._check(rules, max_materializations_per_minute, asset_condition)
        self.rules: frozenset[AutoMaterializeRule] = frozenset(rules)
        self.max_materializations_per_minute = max_materializations_per_minute
        self.asset_condition = asset_condition

    @staticmethod
    def _check(rules: Any, limit: int | None, condition: AutomationCondition | None) -> None:
        if limit is not None and limit <= 0:
            raise InvalidDefinitionError(
                f"AutoMaterializePolicy: max_materializations_per_minute must be positive, got "
                f"{limit}; set it to None to disable rate-limiting, or remove the policy to "
                "disable auto-materializing"
            )
        if bool(rules) == (condition is not None):
            raise InvalidDefinitionError(
                "AutoMaterializePolicy: specify exactly one of `rules` or `asset_condition`"
            )
        if condition is not None and limit is not None:
            raise InvalidDefinitionError(
                "AutoMaterializePolicy: `max_materializations_per_minute` is not supported "
                "with `asset_condition`; pass max_materializations_per_minute=None"
            )
        bad = [r for r in rules if not isinstance(r, AutoMaterializeRule)]
        if bad:
            raise InvalidDefinitionError(
                f"AutoMaterializePolicy: rules must be AutoMaterializeRule values, got "
                f"{bad[0]!r}; build them with AutoMaterializeRule.materialize_on_missing() etc."
            )

    # -- ready-made policies ----------------------------------------------------------------

    @staticmethod
    def eager(max_materializations_per_minute: int | None = 1) -> AutoMaterializePolicy:
        """Materialize when missing or when a parent updates (deprecated: use
        ``AutomationCondition.eager()``)."""
        _deprecated_function("eager", "AutomationCondition.eager()")
        return AutoMaterializePolicy(
            rules={
                AutoMaterializeRule.materialize_on_missing(),
                AutoMaterializeRule.materialize_on_parent_updated(),
                AutoMaterializeRule.materialize_on_required_for_freshness(),
                *_SKIPS,
            },
            max_materializations_per_minute=max_materializations_per_minute,
        )

    @staticmethod
    def lazy(max_materializations_per_minute: int | None = 1) -> AutoMaterializePolicy:
        """Materialize only for freshness (deprecated: use
        ``AutomationCondition.any_downstream_conditions()``)."""
        _deprecated_function("lazy", "AutomationCondition.any_downstream_conditions()")
        return AutoMaterializePolicy(
            rules={AutoMaterializeRule.materialize_on_required_for_freshness(), *_SKIPS},
            max_materializations_per_minute=max_materializations_per_minute,
        )

    @staticmethod
    def from_automation_condition(
        automation_condition: AutomationCondition,
    ) -> AutoMaterializePolicy:
        """A policy that materializes whenever ``automation_condition`` is true."""
        return AutoMaterializePolicy(
            rules=set(), max_materializations_per_minute=None, asset_condition=automation_condition
        )

    # -- reading and changing -------------------------------------------------------------

    @property
    def materialize_rules(self) -> set[AutoMaterializeRule]:
        """The rules that ask to materialize."""
        return {r for r in self.rules if r.decision_type is AutoMaterializeDecisionType.MATERIALIZE}

    @property
    def skip_rules(self) -> set[AutoMaterializeRule]:
        """The rules that veto."""
        return {r for r in self.rules if r.decision_type is AutoMaterializeDecisionType.SKIP}

    @property
    def policy_type(self) -> AutoMaterializePolicyType:
        """``EAGER`` when the policy materializes on parent updates, else ``LAZY``."""
        if AutoMaterializeRule.materialize_on_parent_updated() in self.rules:
            return AutoMaterializePolicyType.EAGER
        return AutoMaterializePolicyType.LAZY

    @property
    def rule_snapshots(self) -> Sequence[AutoMaterializeRuleSnapshot]:
        """The rules as tools show them."""
        return [r.to_snapshot() for r in self.rules]

    def with_rules(self, *rules_to_add: AutoMaterializeRule) -> AutoMaterializePolicy:
        """A copy with ``rules_to_add``, replacing rules of the same kind."""
        kinds = {type(r) for r in rules_to_add}
        kept = {r for r in self.rules if type(r) not in kinds}
        return self._copy(frozenset(rules_to_add) | kept)

    def without_rules(self, *rules_to_remove: AutoMaterializeRule) -> AutoMaterializePolicy:
        """A copy without ``rules_to_remove``.

        Raises:
            InvalidDefinitionError: a rule is not in the policy.
        """
        absent = [r for r in rules_to_remove if r not in self.rules]
        if absent:
            raise InvalidDefinitionError(
                f"AutoMaterializePolicy.without_rules: rules {absent} do not exist in this "
                "policy; remove only rules listed in policy.rules"
            )
        return self._copy(self.rules - set(rules_to_remove))

    def _copy(self, rules: frozenset[AutoMaterializeRule]) -> AutoMaterializePolicy:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return AutoMaterializePolicy(
                rules, self.max_materializations_per_minute, self.asset_condition
            )

    def to_automation_condition(self) -> AutomationCondition:
        """The policy as one condition: ``(m1 | m2 ...) & ~(s1 | s2 ...) & ~discard``."""
        if self.asset_condition is not None:
            return self.asset_condition

        def by_description(rules: set[AutoMaterializeRule]) -> tuple[AutomationCondition, ...]:
            ordered = sorted(rules, key=lambda r: r.description)
            return tuple(r.to_asset_condition() for r in ordered)

        operands: list[AutomationCondition] = [
            OrAutomationCondition(operands=by_description(self.materialize_rules)),
            NotAutomationCondition(
                operand=OrAutomationCondition(operands=by_description(self.skip_rules))
            ),
        ]
        if self.max_materializations_per_minute:
            discard = DiscardOnMaxMaterializationsExceededRule(self.max_materializations_per_minute)
            operands.append(NotAutomationCondition(operand=discard.to_asset_condition()))
        return AndAutomationCondition(operands=tuple(operands))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AutoMaterializePolicy):
            return NotImplemented
        return (
            self.rules,
            self.max_materializations_per_minute,
            self.asset_condition,
        ) == (other.rules, other.max_materializations_per_minute, other.asset_condition) or (
            self.to_automation_condition() == other.to_automation_condition()
        )

    __hash__ = None  # type: ignore[assignment]  # equal policies may differ in form, as the reference's

    def __repr__(self) -> str:
        return (
            f"AutoMaterializePolicy(rules={set(self.rules)!r}, max_materializations_per_minute="
            f"{self.max_materializations_per_minute!r}, asset_condition={self.asset_condition!r})"
        )


_SKIPS = (
    AutoMaterializeRule.skip_on_parent_outdated(),
    AutoMaterializeRule.skip_on_parent_missing(),
    AutoMaterializeRule.skip_on_required_but_nonexistent_parents(),
    AutoMaterializeRule.skip_on_backfill_in_progress(),
)
