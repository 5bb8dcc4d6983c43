"""Jobs: ops, graphs and the jobs they become, as values runnable anywhere."""

from __future__ import annotations

from headwater.jobs.executor import ExecutorDefinition
from headwater.jobs.graph import GraphDefinition, graph
from headwater.jobs.io import GraphOut, In, Nothing, Out, Output
from headwater.jobs.job import JobDefinition, job
from headwater.jobs.op import OpDefinition, op
from headwater.jobs.retry import Backoff, Jitter, RetryPolicy

__all__ = [
    "Backoff",
    "ExecutorDefinition",
    "GraphDefinition",
    "In",
    "Jitter",
    "JobDefinition",
    "Nothing",
    "OpDefinition",
    "Out",
    "GraphOut",
    "Output",
    "RetryPolicy",
    "graph",
    "job",
    "op",
]
