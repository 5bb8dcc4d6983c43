"""The launcher seam: each executor definition names what runs its steps."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as dg
from headwater.errors import (
    InvalidDefinitionError,
    UnmetExecutorRequirementsError,
)
from headwater.execution.executors.launcher import load_launcher
from headwater.execution.launch import execute_job
from headwater.storage import Instance


@dg.op
def one() -> int:
    return 1


@dg.op
def add_one(x: int) -> int:
    return x + 1


def _chain() -> None:
    add_one(one())


mine = dg.ExecutorDefinition("mine")
nameless_job = dg.job(executor_def=mine, name="nameless_job")(_chain)


@dg.executor(name="delegating")
def delegating(init_context: dg.InitExecutorContext) -> Any:
    class Delegating:  # the Executor shape, but not an Executor subclass
        def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[Any]:
            yield from ()

    return Delegating()


delegating_job = dg.job(executor_def=delegating, name="delegating_job")(_chain)

own = dg.ExecutorDefinition("own", config_schema={"label": str})
own.launcher = "recording_launcher.LAUNCHER"
own_job = dg.job(executor_def=own, name="own_job")(_chain)

labelled = own.configured({"label": "fixed"}, name="labelled")
labelled_job = dg.job(executor_def=labelled, name="labelled_job")(_chain)

broken = dg.ExecutorDefinition("broken")
broken.launcher = "no_such_module_here.LAUNCHER"
broken_job = dg.job(executor_def=broken, name="broken_job")(_chain)

elsewhere = dg.ExecutorDefinition("elsewhere")
elsewhere.launcher = "recording_launcher.ELSEWHERE"
elsewhere_job = dg.job(executor_def=elsewhere, name="elsewhere_job")(_chain)

_RECORDING = """
from headwater.execution.executors.in_process import LAUNCHER as IN_PROCESS

SEEN = []


class Recording:
    runs_in_process = True

    def launch(self, request):
        SEEN.append((request.state.job_name, dict(request.config)))
        IN_PROCESS.launch(request)


class Elsewhere(Recording):
    runs_in_process = False


LAUNCHER = Recording()
ELSEWHERE = Elsewhere()
"""


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    with Instance.local_temp(tmp_path / "home") as inst:
        yield inst


@pytest.fixture
def recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    (tmp_path / "recording_launcher.py").write_text(textwrap.dedent(_RECORDING))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "recording_launcher", raising=False)
    import recording_launcher  # type: ignore[import-not-found]  # written above

    return recording_launcher


@pytest.mark.parametrize(
    ("definition", "in_process"),
    [
        (dg.in_process_executor, True),
        (dg.multiprocess_executor, False),
        (dg.multiprocess_executor.configured({"max_concurrent": 2}), False),
    ],
)
def test_builtin_executors_name_their_launchers(
    definition: dg.ExecutorDefinition, in_process: bool
) -> None:
    assert definition.launcher is not None
    launcher = load_launcher(definition.launcher, executor_name=definition.name)
    assert launcher.runs_in_process is in_process


def test_dask_executor_names_its_launcher() -> None:
    pytest.importorskip("distributed")
    from headwater.execution.executors import dask_executor

    assert dask_executor.launcher is not None
    launcher = load_launcher(dask_executor.launcher, executor_name="dask")
    assert launcher.runs_in_process is False


def test_defining_a_job_imports_no_launcher() -> None:
    code = """
        import sys
        import headwater as dg

        @dg.op
        def a():
            return 1

        @dg.job(executor_def=dg.multiprocess_executor.configured({"max_concurrent": 2}))
        def j():
            a()

        prefix = "headwater.execution.executors."
        loaded = [m for m in sys.modules if m.startswith(prefix) or m.split(".")[0] == "dask"]
        print(sorted(m for m in loaded if not m.endswith((".executors",))))
    """
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_executor_without_launcher_or_creation_function_is_refused(instance: Instance) -> None:
    message = (
        "executor 'mine' names no launcher and has no creation function, so nothing can run "
        "its steps; the built-in executors are in_process, multiprocess, dask and "
        "multi_or_in_process_executor. Use one of them, define it with @executor returning "
        "one of theirs (for example multiprocess_executor.executor_creation_fn(init_context)), "
        "or set its launcher (see docs/executors.md)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        execute_job(nameless_job, instance)
    assert instance.get_runs() == []  # refused before a run was recorded


def test_executor_returning_what_is_no_executor_is_refused(instance: Instance) -> None:
    message = (
        "executor 'delegating' must return a built-in executor's executor (in_process, "
        "multiprocess, dask and multi_or_in_process_executor) from its creation function, got "
    )
    advice = "an instance of an Executor subclass, or set the definition's launcher"
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)) as raised:
        execute_job(delegating_job, instance)
    assert advice in str(raised.value)


def test_user_executor_runs_on_the_launcher_it_names(instance: Instance, recording: Any) -> None:
    config = {"execution": {"config": {"label": "x"}}}
    result = execute_job(own_job, instance, run_config=config)
    assert result.success
    assert result.output_for_node("add_one") == 2
    assert recording.SEEN == [("own_job", {"label": "x"})]


def test_configured_copy_keeps_the_launcher(instance: Instance, recording: Any) -> None:
    assert labelled.launcher == own.launcher
    assert execute_job(labelled_job, instance).success
    assert recording.SEEN == [("labelled_job", {"label": "fixed"})]


def test_out_of_process_launcher_needs_a_persistent_instance(recording: Any) -> None:
    message = (
        "the elsewhere executor runs steps in other processes, which must reach the same "
        "instance; use a persistent one"
    )
    with pytest.raises(UnmetExecutorRequirementsError, match=re.escape(message)):
        execute_job(elsewhere_job, Instance.ephemeral())
    assert recording.SEEN == []


def test_launcher_that_does_not_import_is_refused(instance: Instance) -> None:
    message = (
        "executor 'broken' names launcher 'no_such_module_here.LAUNCHER', but module "
        "'no_such_module_here' could not be imported: No module named 'no_such_module_here'"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        execute_job(broken_job, instance)


def test_launcher_path_without_a_launch_method_is_refused() -> None:
    message = "executor 'x' names launcher 'os.sep', but module 'os' has no 'sep' with a launch"
    with pytest.raises(InvalidDefinitionError, match=re.escape(message)):
        load_launcher("os.sep", executor_name="x")
