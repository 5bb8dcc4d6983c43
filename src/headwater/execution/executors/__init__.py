"""Executors: how a job's steps run. In process is the default; pools and Dask follow."""

from __future__ import annotations

from headwater.jobs.executor import ExecutorDefinition

__all__ = ["in_process_executor"]

in_process_executor = ExecutorDefinition(
    "in_process",
    config_schema={},
    description="Runs every step in the launching process, one at a time, in plan order; "
    "resources are initialized once per run.",
)
