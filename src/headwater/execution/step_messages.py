"""How step events word things as the reference does: type names, durations, step errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.errors import HeadwaterError, RetryRequested, StepExecutionError
from headwater.events import ErrorInfo
from headwater.jobs.io import Nothing

if TYPE_CHECKING:
    from headwater.execution.plan import Step

__all__ = [
    "format_duration",
    "retry_error_info",
    "step_error_fields",
    "step_error_info",
    "type_label",
]

# How the reference names Python types in its step messages ("of type "Int"").
_TYPE_LABELS: dict[Any, str] = {
    None: "Any",
    Any: "Any",
    int: "Int",
    str: "String",
    float: "Float",
    bool: "Bool",
    list: "List",
    dict: "Dict",
    Nothing: "Nothing",
}


def type_label(dagster_type: Any) -> str:
    """The name step messages give a type: ``Int`` for ``int``, ``Any`` when untyped."""
    if dagster_type is None:  # the common case, on the per-step path
        return "Any"
    try:
        label = _TYPE_LABELS.get(dagster_type)
    except TypeError:  # an unhashable type annotation
        label = None
    if label is not None:
        return label
    name = getattr(dagster_type, "display_name", None) or getattr(dagster_type, "__name__", None)
    return str(name) if name else str(dagster_type)


def step_error_fields(step: Step) -> dict[str, str]:
    """The step a `StepExecutionError` names: its key, its op's node name and definition name."""
    return {"step_key": step.key, "op_name": step.path[-1], "op_def_name": step.op_def.name}


def step_error_info(step: Step, exc: BaseException) -> ErrorInfo:
    """The error a step failure records: the reference's step error, caused by ``exc``."""
    if isinstance(exc, StepExecutionError) and exc.user_exception is not None:
        cause = ErrorInfo.from_exception(exc.user_exception)
        message = str(exc)
    elif isinstance(exc, HeadwaterError):
        return ErrorInfo.from_exception(exc)
    else:
        cause = ErrorInfo.from_exception(exc)
        message = f'Error occurred while executing op "{step.op_def.name}":'
    return ErrorInfo("DagsterExecutionStepExecutionError", message, (), cause)


def retry_error_info(exc: BaseException, delay: float) -> ErrorInfo:
    """The error a ``STEP_UP_FOR_RETRY`` records: a ``RetryRequested`` as raised, or, for a
    retry the step's policy grants, the reference's ``RetryRequestedFromPolicy`` caused by
    the attempt's exception."""
    if isinstance(exc, RetryRequested):
        return ErrorInfo.from_exception(exc)
    return ErrorInfo(
        "RetryRequestedFromPolicy",
        f"retry requested by the step's retry policy (waiting {delay:.3g} seconds)",
        (),
        ErrorInfo.from_exception(exc),
    )


def format_duration(ms: float) -> str:
    """A duration as the reference prints it: ``4.08ms``, ``56ms``, ``1.2s``."""
    if ms < 1000:
        return f"{ms:.3g}ms"
    return f"{ms / 1000:.3g}s"
