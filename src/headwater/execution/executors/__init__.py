"""Executors: how a job's steps run, in process, a process per step, or on Dask.

The built-in definitions are values (``headwater.jobs.builtin_executors``, re-exported
here); this package resolves any executor definition to one that names its launcher
(``launcher.py``), and the launchers live beside it (``in_process.py``,
``out_of_process.py`` with ``forking.py`` and ``multiprocess.py``, ``dask.py``), imported
only when a run uses them, so ``import headwater`` never loads Dask.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.config import process_config
from headwater.config.schema import Shape as ShapeType
from headwater.config.types import Any as AnyConfig
from headwater.errors import ConfigProblem, InvalidConfigError, InvalidDefinitionError
from headwater.jobs.builtin_executors import (
    EXECUTORS,
    dask_executor,
    in_process_executor,
    multi_or_in_process_executor,
    multiprocess_executor,
)
from headwater.jobs.executor import (
    EngineChoice,
    Executor,
    ExecutorDefinition,
    InitExecutorContext,
)

__all__ = [
    "EXECUTORS",
    "dask_executor",
    "in_process_executor",
    "multi_or_in_process_executor",
    "multiprocess_executor",
    "resolve_engine",
    "resolve_executor",
    "split_execution",
]

# The launcher of an executor whose creation function returns its own ``Executor``; the
# resolved config holds that object under "executor".
CUSTOM_LAUNCHER = "headwater.execution.executors.custom.LAUNCHER"


def split_execution(run_config: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    """``run_config`` without its ``execution`` section, and that section.

    Out-of-process executors validate ``execution`` themselves (it may use the legacy
    selector form), so the rest is validated against the job's schema without it.
    """
    rest = {k: v for k, v in run_config.items() if k != "execution"}
    return rest, run_config.get("execution")


def resolve_executor(
    default: ExecutorDefinition | None,
    execution: Any,
    *,
    job: Any = None,
    instance: Any = None,
) -> tuple[ExecutorDefinition, dict[str, Any]]:
    """The executor a run uses and its processed config.

    ``execution`` may be ``{config: {...}}`` (for the job's executor),
    ``{multiprocess: {config: {...}}}`` (the legacy selector form, naming any executor),
    or, for a job that names no executor, ``{config: {multiprocess: {...}}}`` as the
    reference's default executor takes it. ``job`` (the run's ``ReconstructableJob``) and
    ``instance`` are what a creation function's ``InitExecutorContext`` holds.

    A creation function returning its own ``Executor`` (not a built-in one) resolves to the
    custom launcher, with that object as the config's ``executor``.

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
            raise InvalidConfigError.for_problems([problem], config_value=execution)
    return _to_engine(executor, raw, path, _Init(job, instance))


class _Init:
    """What the run offers a creation function's context."""

    def __init__(self, job: Any, instance: Any) -> None:
        self.job, self.instance = job, instance


def resolve_engine(choice: EngineChoice, *, path: str) -> tuple[ExecutorDefinition, dict[str, Any]]:
    """The built-in definition ``choice`` names and its processed config.

    Raises:
        InvalidDefinitionError: no built-in engine of that name.
        InvalidConfigError: the config does not fit the engine's schema.
    """
    if choice.engine not in EXECUTORS:
        raise InvalidDefinitionError(_unsupported_choice(choice.engine, choice))
    engine = EXECUTORS[choice.engine]
    config = dict(choice.config)
    if isinstance(engine.config_type, ShapeType):  # a custom executor's own keys are its own
        config = {k: v for k, v in config.items() if k in engine.config_type.fields}
    return _to_engine(engine, config, path, _Init(None, None))


def _to_engine(
    executor: ExecutorDefinition, raw: Any, path: str, init: _Init
) -> tuple[ExecutorDefinition, dict[str, Any]]:
    """Follow ``configured`` copies and creation functions down to a definition that names
    its launcher."""
    config_type = executor.config_type or AnyConfig
    if not raw and executor.default_config is not None:
        raw = executor.default_config
    processed = process_config(config_type, raw, path=path).value_or_raise(
        subject=f"execution config of the {executor.name} executor"
    )
    if executor.configured_from is not None and executor.config_mapping is not None:
        mapped = executor.config_mapping(processed)
        return _to_engine(executor.configured_from, mapped, path, init)
    if executor.launcher is not None:
        return executor, dict(processed or {})
    if executor.executor_creation_fn is None:
        raise InvalidDefinitionError(
            f"executor '{executor.name}' names no launcher and has no creation function, so "
            f"nothing can run its steps; the built-in executors are {_KNOWN}. Use one of "
            "them, define it with @executor returning one of theirs (for example "
            "multiprocess_executor.executor_creation_fn(init_context)), or set its "
            "launcher (see docs/executors.md)"
        )
    choice = executor.executor_creation_fn(
        InitExecutorContext(
            job=init.job,
            executor_def=executor,
            executor_config=processed or {},
            instance=init.instance,
        )
    )
    if isinstance(choice, EngineChoice) and choice.engine in EXECUTORS:
        return resolve_engine(choice, path=path)
    if isinstance(choice, Executor) and not isinstance(choice, EngineChoice):
        custom = ExecutorDefinition(executor.name, description=executor.description)
        custom.launcher = CUSTOM_LAUNCHER
        return custom, {"executor": choice}
    raise InvalidDefinitionError(_unsupported_choice(executor.name, choice))


_KNOWN = (
    ", ".join(e.name for e in (in_process_executor, multiprocess_executor, dask_executor))
    + f" and {multi_or_in_process_executor.name}"
)


def _unsupported_choice(name: str, choice: Any) -> str:
    advice = (
        "return a built-in executor's from the creation function (for example "
        "multiprocess_executor.executor_creation_fn(init_context)), an instance of an "
        "Executor subclass, or set the definition's launcher (see docs/executors.md)"
    )
    return (
        f"executor '{name}' must return a built-in executor's executor ({_KNOWN}) from its "
        f"creation function, got {choice!r}; {advice}"
    )
