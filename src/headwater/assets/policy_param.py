"""The deprecated ``auto_materialize_policy=`` argument of ``@asset`` and ``AssetSpec``.

A policy is turned into the automation condition the asset carries, with the reference's
two deprecation warnings. Policies live in ``automation/``, above this layer: only their
``to_automation_condition()`` method is used here.
"""

from __future__ import annotations

import warnings
from typing import Any

from headwater._warnings import deprecated_param_warning
from headwater.errors import InvariantViolationError

__all__ = ["condition_from_policy"]


def condition_from_policy(policy: Any, automation_condition: Any, *, owner: str, hint: str) -> Any:
    """The automation condition, given ``automation_condition`` and the deprecated
    ``auto_materialize_policy`` argument of ``owner`` (``None`` when not given; the caller
    has refused unknown keyword arguments already).

    Raises:
        InvariantViolationError: both a condition and a policy.
    """
    if policy is None:
        return automation_condition
    deprecated_param_warning(
        "auto_materialize_policy", owner, breaking_version="1.10.0", hint=hint, stacklevel=4
    )
    warnings.warn(
        "Parameter `auto_materialize_policy` is deprecated and will be removed in 1.9. Use "
        "`automation_condition` instead.",
        DeprecationWarning,
        stacklevel=4,
    )
    if automation_condition is not None:
        raise InvariantViolationError(
            "Cannot supply both `automation_condition` and `auto_materialize_policy`; keep "
            "automation_condition (policies are deprecated)"
        )
    to_condition = getattr(policy, "to_automation_condition", None)
    if to_condition is None:
        raise InvariantViolationError(
            f"auto_materialize_policy must be an AutoMaterializePolicy, got "
            f"{type(policy).__name__}; prefer automation_condition=AutomationCondition.eager()"
        )
    return to_condition()
