"""``AutomationConditionSensorDefinition``: the sensor that evaluates assets' automation
conditions. Defined here as a value; the daemon that evaluates it comes later."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater._warnings import beta_param_warning
from headwater.automation.condition import AutomationCondition
from headwater.automation.context import SensorEvaluationContext
from headwater.automation.sensor import DefaultSensorStatus, SensorDefinition
from headwater.errors import InvalidDefinitionError

__all__ = ["AutomationConditionSensorDefinition"]


def _evaluated_by_the_daemon(context: SensorEvaluationContext) -> Any:
    raise NotImplementedError(
        "an automation condition sensor is evaluated by the daemon, not by calling it"
    )


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
        self.asset_selection = target
        self.run_tags: dict[str, Any] = dict(run_tags or {})
        self.emit_backfills = emit_backfills
        self.use_user_code_server = use_user_code_server
        self.default_condition = default_condition

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Automation condition sensors cannot be called directly.

        Raises:
            NotImplementedError: always; the daemon evaluates them.
        """
        raise NotImplementedError(
            f"sensor '{self.name}' is an automation condition sensor: the daemon evaluates "
            "it, it cannot be called directly"
        )
