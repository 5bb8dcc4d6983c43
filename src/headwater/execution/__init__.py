"""Execution: plans, contexts, the in-process run loop and its results.

Names load on first use: a job file that names ``OpExecutionContext`` in an annotation
needs ``execution.context``, not the direct-invocation helpers (``build_op_context``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater._lazy import lazy_names

if TYPE_CHECKING:
    from headwater.execution.context import (
        OpExecutionContext as OpExecutionContext,
        SolidExecutionContext as SolidExecutionContext,
    )
    from headwater.execution.executors import (
        in_process_executor as in_process_executor,
    )
    from headwater.execution.invocation import (
        build_op_context as build_op_context,
        build_solid_context as build_solid_context,
    )
    from headwater.execution.result import (
        ExecuteInProcessResult as ExecuteInProcessResult,
    )
    from headwater.jobs.executor import (
        ExecutorDefinition as ExecutorDefinition,
    )

# name -> defining module: a name's module loads on first use, so that importing one
# module of this package (or this package) does not load all the others.
_EXPORTS = {
    **dict.fromkeys(("OpExecutionContext", "SolidExecutionContext"), "headwater.execution.context"),
    "in_process_executor": "headwater.execution.executors",
    **dict.fromkeys(("build_op_context", "build_solid_context"), "headwater.execution.invocation"),
    "ExecuteInProcessResult": "headwater.execution.result",
    "ExecutorDefinition": "headwater.jobs.executor",
}

__all__ = [
    "ExecuteInProcessResult",
    "ExecutorDefinition",
    "OpExecutionContext",
    "SolidExecutionContext",
    "build_op_context",
    "build_solid_context",
    "in_process_executor",
]


__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
