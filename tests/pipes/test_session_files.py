"""Where a session puts its temporary files: the default pair shares one folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import headwater as dg
from headwater.pipes import (
    PipesSession,
    PipesTempFileContextInjector,
    PipesTempFileMessageReader,
    open_pipes_session,
)

# Opens Pipes, logs once and reports the one asset.
_PROCESS = (
    "from headwater_pipes import open_pipes\n"
    "with open_pipes() as pipes:\n"
    "    pipes.log.info('hi')\n"
    "    pipes.report_asset_materialization(metadata={'n': 1})\n"
)


def _session_paths(
    instance: dg.Instance,
    injector: PipesTempFileContextInjector,
    leftover: bool = False,
    remove_folder: bool = False,
) -> tuple[Path, Path]:
    seen: list[PipesSession] = []

    @dg.asset
    def one(context: dg.AssetExecutionContext):
        with open_pipes_session(context, injector, PipesTempFileMessageReader()) as session:
            seen.append(session)
            env = {**os.environ, **session.get_bootstrap_env_vars()}
            subprocess.run([sys.executable, "-c", _PROCESS], env=env, check=True)
            context_path = Path(session.context_injector_params["path"])
            assert context_path.exists()
            if leftover:  # something a process left beside the two files
                (context_path.parent / "left-behind").write_text("x")
            if remove_folder:  # a process that cleaned up after itself, folder and all
                shutil.rmtree(context_path.parent)
        return session.get_results()

    assert dg.materialize([one], instance=instance).success
    [session] = seen
    assert session.message_handler.received_closed_message  # the process reached us
    return (
        Path(session.context_injector_params["path"]),
        Path(session.message_reader_params["path"]),
    )


def test_the_default_injector_and_reader_share_one_folder_removed_at_the_end(instance) -> None:
    context_path, messages_path = _session_paths(instance, PipesTempFileContextInjector())
    assert context_path.parent == messages_path.parent
    assert context_path.parent.name.startswith("headwater-pipes-")
    assert (context_path.name, messages_path.name) == ("context", "messages")
    assert not context_path.parent.exists()


def test_the_shared_folder_is_removed_with_what_a_process_left_in_it(instance) -> None:
    context_path, _ = _session_paths(instance, PipesTempFileContextInjector(), leftover=True)
    assert not context_path.parent.exists()


def test_a_shared_folder_already_removed_is_no_error(instance) -> None:
    context_path, _ = _session_paths(instance, PipesTempFileContextInjector(), remove_folder=True)
    assert not context_path.parent.exists()


def test_a_subclass_keeps_its_own_folder(instance) -> None:
    class Mine(PipesTempFileContextInjector):
        pass

    context_path, messages_path = _session_paths(instance, Mine())
    assert context_path.parent != messages_path.parent
    assert not context_path.parent.exists()
    assert not messages_path.parent.exists()
