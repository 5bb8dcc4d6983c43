"""Schedules and sensors: definitions, their contexts and one-shot evaluation.

The daemon that runs them on a clock, and the CLI's ``schedule``/``sensor`` commands, call
:func:`evaluate_schedule` and :func:`evaluate_sensor`. croniter loads only when a schedule
is defined.
"""

from __future__ import annotations

from headwater.automation.asset_sensor import AssetSensorDefinition, EventLogEntry, asset_sensor
from headwater.automation.builders import build_schedule_context, build_sensor_context
from headwater.automation.context import ScheduleEvaluationContext, SensorEvaluationContext
from headwater.automation.evaluation import (
    ScheduleEvaluationResult,
    SensorEvaluationResult,
    evaluate_schedule,
    evaluate_sensor,
)
from headwater.automation.requests import RunRequest, SensorResult, SkipReason
from headwater.automation.schedule import DefaultScheduleStatus, ScheduleDefinition, schedule
from headwater.automation.sensor import DefaultSensorStatus, SensorDefinition, sensor
from headwater.automation.targets import InvalidRunRequest

__all__ = [
    "ScheduleDefinition",
    "schedule",
    "DefaultScheduleStatus",
    "ScheduleEvaluationContext",
    "build_schedule_context",
    "SensorDefinition",
    "sensor",
    "DefaultSensorStatus",
    "SensorEvaluationContext",
    "build_sensor_context",
    "AssetSensorDefinition",
    "asset_sensor",
    "EventLogEntry",
    "RunRequest",
    "SkipReason",
    "SensorResult",
    "evaluate_schedule",
    "evaluate_sensor",
    "ScheduleEvaluationResult",
    "SensorEvaluationResult",
    "InvalidRunRequest",
]
