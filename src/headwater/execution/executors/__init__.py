"""Executors: how a job's steps run. In process is the default; a warm process pool and
Dask run each step in another process.

The definitions here are values (a name and a config schema); the code that runs steps
for each lives beside them (``multiprocess.py``, ``dask.py``) and is imported only when a
run uses it, so ``import headwater`` never loads Dask.
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
    process_config,
)
from headwater.config.schema import Shape as ShapeType
from headwater.config.types import Any as AnyConfig
from headwater.errors import ConfigProblem, InvalidConfigError, InvalidDefinitionError
from headwater.jobs.executor import EngineChoice, ExecutorDefinition, InitExecutorContext

__all__ = [
    "EXECUTORS",
    "dask_executor",
    "in_process_executor",
    "multi_or_in_process_executor",
    "multiprocess_executor",
    "resolve_executor",
    "split_execution",
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


def _choose_engine(context: InitExecutorContext) -> EngineChoice:
    # The config is a selector: {multiprocess: {...}} or {in_process: {...}}.
    ((engine, config),) = dict(context.executor_config).items()
    return EngineChoice(engine, dict(config or {}))


in_process_executor = ExecutorDefinition(
    "in_process",
    executor_creation_fn=_engine("in_process"),
    config_schema={"retries": _retries(), "marker_to_close": Field(String, is_required=False)},
    description="Runs every step in the launching process, one at a time, in plan order; "
    "resources are initialized once per run.",
)

multiprocess_executor = ExecutorDefinition(
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
)

dask_executor = ExecutorDefinition(
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
            Int, default_value=1, description="Threads (concurrent steps) per LocalCluster worker."
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


def split_execution(run_config: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    """``run_config`` without its ``execution`` section, and that section.

    Out-of-process executors validate ``execution`` themselves (it may use the legacy
    selector form), so the rest is validated against the job's schema without it.
    """
    rest = {k: v for k, v in run_config.items() if k != "execution"}
    return rest, run_config.get("execution")


def resolve_executor(
    default: ExecutorDefinition | None, execution: Any
) -> tuple[ExecutorDefinition, dict[str, Any]]:
    """The executor a run uses and its processed config.

    ``execution`` may be ``{config: {...}}`` (for the job's executor),
    ``{multiprocess: {config: {...}}}`` (the legacy selector form, naming any executor),
    or, for a job that names no executor, ``{config: {multiprocess: {...}}}`` as the
    reference's default executor takes it.

    Raises:
        InvalidConfigError: unknown executor or invalid executor config, with its path.
    """
    executor = default or in_process_executor
    raw: Any = {}
    path = "execution.config"
    if isinstance(execution, Mapping) and execution:
        (name, value), *rest = execution.items()
        if name == "config" and not rest:
            raw = value or {}
            if default is None and isinstance(raw, Mapping) and len(raw) == 1:
                (inner, inner_value), *_ = raw.items()
                if inner in EXECUTORS:
                    executor, raw, path = EXECUTORS[inner], inner_value or {}, f"{path}.{inner}"
        elif name in EXECUTORS and not rest:
            executor = EXECUTORS[name]
            raw = (value or {}).get("config") or {} if isinstance(value, Mapping) else {}
            path = f"execution.{name}.config"
        else:
            choices = ", ".join(sorted(EXECUTORS))
            problem = ConfigProblem(
                "execution",
                f"expected {{config: {{...}}}} or one executor name ({choices}), "
                f"got {sorted(execution)}",
                "selector_choice",
            )
            raise InvalidConfigError([problem])
    return _to_engine(executor, raw, path)


def _to_engine(
    executor: ExecutorDefinition, raw: Any, path: str
) -> tuple[ExecutorDefinition, dict[str, Any]]:
    """Follow ``configured`` copies and creation functions down to a built-in engine."""
    config_type = executor.config_type or AnyConfig
    if not raw and executor.default_config is not None:
        raw = executor.default_config
    processed = process_config(config_type, raw, path=path).value_or_raise(
        subject=f"execution config of the {executor.name} executor"
    )
    if executor.configured_from is not None and executor.config_mapping is not None:
        return _to_engine(executor.configured_from, executor.config_mapping(processed), path)
    if EXECUTORS.get(executor.name) is executor:
        return executor, dict(processed or {})
    choice = None
    if executor.executor_creation_fn is not None:
        choice = executor.executor_creation_fn(
            InitExecutorContext(executor_config=processed or {}, executor_def=executor)
        )
    if not isinstance(choice, EngineChoice) or choice.engine not in EXECUTORS:
        raise InvalidDefinitionError(
            f"executor '{executor.name}' must return the executor of a built-in one from its "
            "creation function (for example multiprocess_executor.executor_creation_fn"
            f"(init_context)); headwater runs steps with {sorted(EXECUTORS)}, got {choice!r}"
        )
    engine = EXECUTORS[choice.engine]
    config = dict(choice.config)
    if isinstance(engine.config_type, ShapeType):  # a custom executor's own keys are its own
        config = {k: v for k, v in config.items() if k in engine.config_type.fields}
    return _to_engine(engine, config, path)
