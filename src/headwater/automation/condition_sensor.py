"""``AutomationConditionSensorDefinition``: the sensor that evaluates assets' automation
conditions. Users cannot call it; the daemon evaluates it with
:func:`evaluate_condition_sensor`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from headwater._warnings import beta_param_warning
from headwater.asset_key import AssetKey
from headwater.assets.graph import AssetGraph
from headwater.assets.selection import AssetSelection
from headwater.automation.condition import AutomationCondition
from headwater.automation.context import SensorEvaluationContext
from headwater.automation.evaluator import (
    AssetDaemonCursor,
    ConditionsEvaluation,
    InstanceState,
    evaluate_conditions,
)
from headwater.automation.sensor import DefaultSensorStatus, SensorDefinition
from headwater.errors import InvalidDefinitionError

__all__ = [
    "DEFAULT_CONDITION_SENSOR_NAME",
    "AutomationConditionSensorDefinition",
    "default_condition_sensor",
    "evaluate_condition_sensor",
]

DEFAULT_CONDITION_SENSOR_NAME = "default_automation_condition_sensor"


_NOT_CALLABLE = (
    "Automation condition sensors cannot be evaluated like regular user-space sensors: the "
    "automation daemon evaluates {subject}; to test the conditions of its assets, call "
    "evaluate_automation_conditions(defs, instance)"
)


def _evaluated_by_the_daemon(context: SensorEvaluationContext) -> Any:
    raise NotImplementedError(_NOT_CALLABLE.format(subject="it"))


class AutomationConditionSensorDefinition(SensorDefinition):
    """A sensor that requests runs of ``target`` assets when their
    ``automation_condition`` is true.

    Args:
        name: unique among the sensors of a ``Definitions``.
        target: the assets whose conditions it evaluates (keys, assets or a selection).
        tags: tags describing the sensor.
        run_tags: tags added to the runs it requests.
        default_status: ``RUNNING`` to start as soon as the daemon loads it.
        minimum_interval_seconds: the least time between two evaluations (default 30).
        description: shown by ``headwater sensor list``.
        metadata: metadata describing the sensor.
        emit_backfills: request several partitions as one backfill.
        use_user_code_server: evaluate in the code location's process.
        default_condition: the condition of target assets that have none (beta; needs
            ``use_user_code_server=True``).

    Raises:
        InvalidDefinitionError: ``default_condition`` without ``use_user_code_server``.

    Example:
        ``AutomationConditionSensorDefinition("automation", target=AssetSelection.all())``
    """

    def __init__(
        self,
        name: str,
        *,
        target: Any,
        tags: Mapping[str, str] | None = None,
        run_tags: Mapping[str, Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        emit_backfills: bool = True,
        use_user_code_server: bool = False,
        default_condition: AutomationCondition | None = None,
        **kwargs: Any,
    ) -> None:
        if default_condition is not None:
            beta_param_warning("default_condition", "class `AutomationConditionSensorDefinition`")
            if not use_user_code_server:
                raise InvalidDefinitionError(
                    f"automation condition sensor '{name}' has a default_condition, which is "
                    "supported only with use_user_code_server=True"
                )
        super().__init__(
            name,
            evaluation_fn=_evaluated_by_the_daemon,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            default_status=default_status,
            tags=tags,
            metadata=metadata,
        )
        self.asset_selection: Any = AssetSelection.from_coercible(target)
        self.run_tags: dict[str, Any] = dict(run_tags or {})
        self.emit_backfills = emit_backfills
        self.use_user_code_server = use_user_code_server
        self.default_condition = default_condition

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Automation condition sensors cannot be called directly.

        Raises:
            NotImplementedError: always; the daemon evaluates them.
        """
        raise NotImplementedError(_NOT_CALLABLE.format(subject=f"sensor '{self.name}'"))


def evaluate_condition_sensor(
    sensor: AutomationConditionSensorDefinition,
    graph: AssetGraph,
    state: InstanceState,
    *,
    evaluation_time: datetime,
    cursor: AssetDaemonCursor,
) -> ConditionsEvaluation:
    """One tick of an automation condition sensor: its target assets' conditions, evaluated.

    Pure, like :func:`evaluate_conditions`; the daemon reads ``state`` from the instance,
    calls this, launches runs for ``requested`` and stores the returned cursor.
    """
    target: Any = sensor.asset_selection
    selection = AssetSelection.from_coercible(target)
    return evaluate_conditions(
        graph,
        state,
        evaluation_time=evaluation_time,
        cursor=cursor,
        keys=selection.resolve(graph),
        default_condition=sensor.default_condition,
    )


def default_condition_sensor(
    graph: AssetGraph, sensors: Sequence[SensorDefinition]
) -> AutomationConditionSensorDefinition | None:
    """The sensor a code location gets when some of its assets have an automation condition
    that none of its automation condition sensors targets (``None`` otherwise).

    Named ``default_automation_condition_sensor``, evaluated every 30 seconds and stopped
    until started; it targets every asset the other automation condition sensors leave out
    (only those with a condition are evaluated).
    """
    # Each sensor's asset_selection is an AssetSelection (its constructor coerces it).
    selection = AssetSelection.all()
    covered: set[AssetKey] = set()
    for sensor in sensors:
        if isinstance(sensor, AutomationConditionSensorDefinition):
            covered |= set(sensor.asset_selection.resolve(graph))
            selection = selection - sensor.asset_selection
    if not any(
        key not in covered and graph.get(key).spec.automation_condition is not None
        for key in graph.all_asset_keys
    ):
        return None
    return AutomationConditionSensorDefinition(DEFAULT_CONDITION_SENSOR_NAME, target=selection)
