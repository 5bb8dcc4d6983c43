"""Definitions: ops, graphs and jobs as values, runnable anywhere."""

from __future__ import annotations

from headwater.definitions.executor import ExecutorDefinition
from headwater.definitions.graph import GraphDefinition, graph
from headwater.definitions.io import In, Nothing, Out, Output
from headwater.definitions.job import JobDefinition, job
from headwater.definitions.op import OpDefinition, op
from headwater.definitions.retry import Backoff, Jitter, RetryPolicy

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
    "Output",
    "RetryPolicy",
    "graph",
    "job",
    "op",
]
