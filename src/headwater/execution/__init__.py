"""Execution: plans, contexts, the in-process run loop and its results."""

from __future__ import annotations

from headwater.execution.context import OpExecutionContext, SolidExecutionContext
from headwater.execution.executors import in_process_executor
from headwater.execution.invocation import build_op_context, build_solid_context
from headwater.execution.result import ExecuteInProcessResult
from headwater.jobs.executor import ExecutorDefinition

__all__ = [
    "ExecuteInProcessResult",
    "ExecutorDefinition",
    "OpExecutionContext",
    "SolidExecutionContext",
    "build_op_context",
    "build_solid_context",
    "in_process_executor",
]
