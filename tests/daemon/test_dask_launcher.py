"""The Dask run launcher: queued runs become tasks on an existing dask.distributed cluster."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.daemon.dask import DaskRunLauncher
from headwater.daemon.duties import RunQueueDuty
from headwater.daemon.launcher import SubprocessRunLauncher, make_launcher
from headwater.daemon.submit import QueuedRun, submit_runs
from headwater.errors import InstanceError
from headwater.execution.terminate import terminate_run
from headwater.location.code import CodePointer
from headwater.storage import Instance, RunStatus
from headwater.storage.config import RunLauncherConfig, load_instance_config

from ._processes import wait_for

distributed = pytest.importorskip("distributed")

DEFS = """
import time
import headwater as dg

@dg.op
def hello(context):
    context.log.info("hello from dask")

@dg.job
def greet():
    hello()

@dg.op
def nap():
    time.sleep(120)

@dg.job
def sleepy():
    nap()
"""


@pytest.fixture
def cluster_address() -> Iterator[str]:
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_headwater_yaml_chooses_the_launcher(tmp_path: Path) -> None:
    assert load_instance_config(tmp_path, {}).run_launcher == RunLauncherConfig()
    (tmp_path / "headwater.yaml").write_text("run_launcher:\n  dask: {address: tcp://s:8786}\n")
    config = load_instance_config(tmp_path, {}).run_launcher
    assert config == RunLauncherConfig("dask", "tcp://s:8786")
    assert isinstance(make_launcher(config, cancel_grace=1), DaskRunLauncher)
    assert isinstance(make_launcher(RunLauncherConfig(), cancel_grace=1), SubprocessRunLauncher)
    (tmp_path / "headwater.yaml").write_text("run_launcher:\n  dask: {}\n")
    with pytest.raises(InstanceError, match=r"run_launcher\.dask\.address"):
        load_instance_config(tmp_path, {})
    (tmp_path / "headwater.yaml").write_text("run_launcher: kubernetes\n")
    with pytest.raises(InstanceError, match="run_launcher"):
        load_instance_config(tmp_path, {})


def test_runs_go_to_the_cluster_and_terminate_through_it(
    tmp_path: Path, cluster_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    home = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    code = CodePointer.for_file(str(tmp_path / "defs.py"))
    launcher = DaskRunLauncher(cluster_address, cancel_grace=1.0)
    with Instance.from_config(home) as instance:
        greet, sleepy = submit_runs(
            instance, [QueuedRun("greet", code, {}, {}), QueuedRun("sleepy", code, {}, {})]
        )
        try:
            assert RunQueueDuty(instance, launcher).run_once(time.time()) == []

            def status(run_id: str) -> RunStatus:
                run = instance.get_run(run_id)
                assert run is not None
                return run.status

            wait_for(lambda: status(greet.run_id) is RunStatus.SUCCESS, "the run to succeed")
            wait_for(lambda: status(sleepy.run_id) is RunStatus.STARTED, "the long run to start")
            terminate_run(instance, sleepy.run_id)
            wait_for(lambda: status(sleepy.run_id) is RunStatus.CANCELED, "the run to cancel")
        finally:
            launcher.close()
