"""The deprecated ``AutoMaterializePolicy`` and its ``AutoMaterializeRule``s, as values that
convert to ``AutomationCondition`` trees."""

from __future__ import annotations

from headwater.automation.policy.policy import AutoMaterializePolicy, AutoMaterializePolicyType
from headwater.automation.policy.rules import (
    AutoMaterializeAssetPartitionsFilter,
    AutoMaterializeDecisionType,
    AutoMaterializeRule,
    AutoMaterializeRuleSnapshot,
    RuleCondition,
)

__all__ = [
    "AutoMaterializeAssetPartitionsFilter",
    "AutoMaterializeDecisionType",
    "AutoMaterializePolicy",
    "AutoMaterializePolicyType",
    "AutoMaterializeRule",
    "AutoMaterializeRuleSnapshot",
    "RuleCondition",
]
