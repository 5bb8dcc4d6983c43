"""Evaluating automation conditions: a pure evaluator over the asset graph, a snapshot of
the instance, a time and a cursor (``evaluate_conditions``), and the test-facing
``evaluate_automation_conditions`` that reads the instance first."""

from __future__ import annotations

from headwater.automation.evaluator.context import AutomationContext, AutomationResult
from headwater.automation.evaluator.cursor import AssetDaemonCursor
from headwater.automation.evaluator.evaluate import (
    ConditionsEvaluation,
    EvaluateAutomationConditionsResult,
    evaluate_automation_conditions,
    evaluate_conditions,
)
from headwater.automation.evaluator.state import InstanceState, read_instance_state
from headwater.automation.evaluator.subset import EntitySubset

__all__ = [
    "AssetDaemonCursor",
    "AutomationContext",
    "AutomationResult",
    "ConditionsEvaluation",
    "EntitySubset",
    "EvaluateAutomationConditionsResult",
    "InstanceState",
    "evaluate_automation_conditions",
    "evaluate_conditions",
    "read_instance_state",
]
