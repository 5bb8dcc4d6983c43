"""The built-in executor definitions: in process, a process per step, Dask, and the
reference's default that chooses between the first two.

They are values (a name, a config schema, a creation function choosing an engine, and
the dotted path of the launcher that runs the steps); the launchers live in
``headwater.execution.executors`` and are imported only when a run uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.config import (
    Array,
    Bool,
    Field,
    Int,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    Shape,
    String,
    StringSource,
)
from headwater.config.types import Any as AnyConfig
from headwater.jobs.executor import EngineChoice, ExecutorDefinition, InitExecutorContext

__all__ = [
    "EXECUTORS",
    "dask_executor",
    "in_process_executor",
    "multi_or_in_process_executor",
    "multiprocess_executor",
]


def _retries() -> Field:
    return Field(
        Selector({"enabled": {}, "disabled": {}}),
        default_value={"enabled": {}},
        description="Whether RetryPolicy and RetryRequested retry failed steps (default: yes).",
    )


def _tag_limits() -> Field:
    return Field(
        Array(
            Shape(
                {
                    "key": Field(String, description="The op tag to limit."),
                    "value": Field(
                        AnyConfig,
                        is_required=False,
                        description="Only steps with this tag value; or "
                        "{applyLimitPerUniqueValue: true} for one limit per distinct value.",
                    ),
                    "limit": Field(Int, description="At most this many such steps at once."),
                }
            )
        ),
        is_required=False,
        description="Limits on how many steps with a given op tag run at once.",
    )


def _engine(name: str) -> Any:
    """The creation function of a built-in executor: it chooses engine ``name``."""

    def create(context: InitExecutorContext) -> EngineChoice:
        return EngineChoice(name, dict(context.executor_config or {}))

    create.__name__ = f"{name}_executor"
    return create


def _with_launcher(definition: ExecutorDefinition, path: str) -> ExecutorDefinition:
    definition.launcher = path
    return definition


def _choose_engine(context: InitExecutorContext) -> EngineChoice:
    # The config is a selector: {multiprocess: {...}} or {in_process: {...}}.
    ((engine, config),) = dict(context.executor_config).items()
    return EngineChoice(engine, dict(config or {}))


in_process_executor = _with_launcher(
    ExecutorDefinition(
        "in_process",
        executor_creation_fn=_engine("in_process"),
        config_schema={"retries": _retries(), "marker_to_close": Field(String, is_required=False)},
        description="Runs every step in the launching process, one at a time, in plan order; "
        "resources are initialized once per run.",
    ),
    "headwater.execution.executors.in_process.LAUNCHER",
)

multiprocess_executor = _with_launcher(
    ExecutorDefinition(
        "multiprocess",
        executor_creation_fn=_engine("multiprocess"),
        config_schema={
            "max_concurrent": Field(
                Noneable(Int),
                default_value=None,
                description="How many steps run at once (default, or 0: the number of CPUs).",
            ),
            "tag_concurrency_limits": _tag_limits(),
            "start_method": Field(
                ScalarUnion(
                    String,
                    Selector(
                        {
                            "forkserver": Field(
                                {"preload_modules": Field([str], is_required=False)},
                                description="Fork workers from a server that imported "
                                "headwater (and these modules) once (the default).",
                            ),
                            "spawn": Field({}, description="Start each worker interpreter afresh."),
                        }
                    ),
                ),
                is_required=False,
                description="How worker processes start: forkserver (default) or spawn.",
            ),
            "retries": _retries(),
            "reuse_workers": Field(
                Bool,
                default_value=False,
                description="Run steps in long-lived worker processes that serve many steps "
                "(process state then carries over from one step to the next, and resource "
                "scopes 'run' and 'worker' apply) instead of a fresh process per step.",
            ),
        },
        description="Runs each step in its own process, up to max_concurrent at once; each "
        "step initializes the resources it needs and tears them down at its end.",
    ),
    "headwater.execution.executors.out_of_process.MULTIPROCESS",
)

dask_executor = _with_launcher(
    ExecutorDefinition(
        "dask",
        executor_creation_fn=_engine("dask"),
        config_schema={
            "address": Field(
                StringSource,
                is_required=False,
                description="The Dask scheduler to submit steps to (tcp://host:8786); without "
                "it, a LocalCluster with n_workers process workers is started for the run.",
            ),
            "n_workers": Field(Int, default_value=2, description="Workers of the LocalCluster."),
            "threads_per_worker": Field(
                Int,
                default_value=1,
                description="Threads (concurrent steps) per LocalCluster worker.",
            ),
            "cluster": Field(
                Selector(
                    {
                        "existing": Field({"address": StringSource}),
                        "local": Field(Permissive({})),
                    }
                ),
                is_required=False,
                description="The dagster-dask spelling: {existing: {address}} or {local: {...}}.",
            ),
            "max_concurrent": Field(
                Noneable(Int), default_value=None, description="How many steps run at once."
            ),
            "tag_concurrency_limits": _tag_limits(),
            "retries": _retries(),
        },
        description="Runs each step as a task on a dask.distributed cluster; each step "
        "initializes the resources it needs and tears them down at its end.",
    ),
    "headwater.execution.executors.dask.LAUNCHER",
)

EXECUTORS: Mapping[str, ExecutorDefinition] = {
    e.name: e for e in (in_process_executor, multiprocess_executor, dask_executor)
}

multi_or_in_process_executor = ExecutorDefinition(
    "multi_or_in_process_executor",
    config_schema=Field(
        Selector(
            {
                "multiprocess": Field(multiprocess_executor.config_type, is_required=False),
                "in_process": Field(in_process_executor.config_type, is_required=False),
            }
        ),
        default_value={"multiprocess": {}},
    ),
    executor_creation_fn=_choose_engine,
    description="Runs each step in its own process ({multiprocess: {...}}, the default) "
    "or every step in the launching process ({in_process: {...}}), as run config chooses.",
)
