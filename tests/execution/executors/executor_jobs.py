"""Jobs the executor tests run in other processes (imported there again by name).

Each op and resource appends a JSON line to a file in the folder given as the
``recorder`` resource's config, so that a test can see what happened in which process.
"""

from __future__ import annotations

import ctypes
import json
import os
import time
from pathlib import Path
from typing import Any

import headwater as dg
from headwater.execution.executors import multiprocess_executor
from headwater.execution.executors.scopes import with_resource_scope


def note(folder: str, **fields: Any) -> None:
    """Append one record (with this process's pid and the time) to ``folder``'s log."""
    line = json.dumps({"pid": os.getpid(), "t": time.time(), **fields})
    with open(Path(folder) / f"{os.getpid()}.jsonl", "a") as file:
        file.write(line + "\n")


def read_notes(folder: str | Path) -> list[dict[str, Any]]:
    """Every record written under ``folder``, in time order."""
    records: list[dict[str, Any]] = []
    for path in Path(folder).glob("*.jsonl"):
        records.extend(json.loads(line) for line in path.read_text().splitlines())
    return sorted(records, key=lambda r: r["t"])


@dg.resource(config_schema={"dir": str})
def recorder(context: Any) -> Any:
    folder = context.resource_config["dir"]
    note(folder, event="init", resource="recorder")
    try:
        yield folder
    finally:
        note(folder, event="teardown", resource="recorder")


@dg.resource(config_schema={"dir": str})
def pool_client(context: Any) -> Any:
    folder = context.resource_config["dir"]
    note(folder, event="init", resource="pool_client")
    try:
        yield folder
    finally:
        note(folder, event="teardown", resource="pool_client")


@dg.op(required_resource_keys={"recorder"})
def first(context: Any) -> int:
    note(context.resources.recorder, event="op", op="first")
    return 1


@dg.op(required_resource_keys={"recorder"})
def second(context: Any, x: int) -> int:
    note(context.resources.recorder, event="op", op="second")
    return x + 1


@dg.op(required_resource_keys={"recorder"})
def third(context: Any, x: int) -> int:
    note(context.resources.recorder, event="op", op="third")
    return x + 2


@dg.op
def untouched() -> str:
    return "no resources"


@dg.job(resource_defs={"recorder": recorder}, executor_def=multiprocess_executor)
def counting_job() -> None:
    one = first()
    second(one)
    third(one)
    untouched()


@dg.op(required_resource_keys={"recorder", "pool_client"})
def scoped_a(context: Any) -> int:
    return 1


@dg.op(required_resource_keys={"recorder", "pool_client"})
def scoped_b(context: Any, x: int) -> int:
    return x + 1


@dg.job(
    resource_defs={"recorder": recorder, "pool_client": with_resource_scope(pool_client, "worker")},
    executor_def=multiprocess_executor,
)
def scoped_job() -> None:
    scoped_b(scoped_a())


@dg.job(
    resource_defs={"recorder": recorder, "pool_client": with_resource_scope(pool_client, "run")},
    executor_def=multiprocess_executor,
)
def run_scoped_job() -> None:
    scoped_b(scoped_a())
    scoped_a.alias("scoped_c")()


@dg.op
def segfault() -> int:
    ctypes.string_at(0)  # reads address 0: SIGSEGV
    return 0


@dg.op
def hard_exit() -> int:
    os._exit(3)


@dg.op
def after_segfault(x: int) -> int:
    return x


@dg.op
def steady() -> int:
    return 7


@dg.op
def after_steady(x: int) -> int:
    return x * 6


@dg.job(executor_def=multiprocess_executor)
def crash_job() -> None:
    after_segfault(segfault())
    hard_exit()
    after_steady(steady())


LAST_WORDS = "written before the crash"


@dg.op
def log_then_exit(context: Any) -> None:
    context.log.info(LAST_WORDS)
    # Die only once the log is in the instance, which a step's events reach while it runs
    # (a step process cannot be told when its batch is written: it polls, with a deadline).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if any(e.message == LAST_WORDS for e in context.instance.run_events(context.run_id)):
            break
        time.sleep(0.01)
    os._exit(4)


@dg.job(executor_def=multiprocess_executor)
def last_words_job() -> None:
    log_then_exit()


WARNING_WORDS = "disk almost full, giving up"


@dg.op
def warn_then_exit(context: Any) -> None:
    context.log.warning(WARNING_WORDS)
    os._exit(5)  # at once: no batch, no step end


@dg.job(executor_def=multiprocess_executor)
def warning_then_death_job() -> None:
    warn_then_exit()


@dg.op(
    required_resource_keys={"recorder"},
    retry_policy=dg.RetryPolicy(max_retries=3, delay=0.2, backoff=dg.Backoff.EXPONENTIAL),
)
def flaky(context: Any) -> int:
    note(context.resources.recorder, event="attempt", retry_number=context.retry_number)
    if context.retry_number < 2:
        raise ValueError(f"not yet (attempt {context.retry_number})")
    return int(context.retry_number)


@dg.op(required_resource_keys={"recorder"})
def asks_for_retry(context: Any) -> int:
    note(context.resources.recorder, event="requested", retry_number=context.retry_number)
    if context.retry_number < 1:
        raise dg.RetryRequested(max_retries=2, seconds_to_wait=0.1)
    return int(context.retry_number)


@dg.job(resource_defs={"recorder": recorder}, executor_def=multiprocess_executor)
def retry_job() -> None:
    flaky()
    asks_for_retry()


@dg.op(required_resource_keys={"recorder"}, config_schema={"seconds": float})
def sleepy(context: Any) -> int:
    note(context.resources.recorder, event="sleep_start", step=context.step_key)
    time.sleep(context.op_config["seconds"])
    note(context.resources.recorder, event="sleep_end", step=context.step_key)
    return 1


@dg.op(required_resource_keys={"recorder"})
def after_sleep(context: Any, x: int) -> int:
    return x


@dg.job(resource_defs={"recorder": recorder}, executor_def=multiprocess_executor)
def slow_job() -> None:
    after_sleep(sleepy())


@dg.op(required_resource_keys={"recorder"})
def produce(context: Any) -> int:
    note(context.resources.recorder, event="op", op="produce")
    return 20


@dg.op(required_resource_keys={"recorder"})
def may_fail(context: Any, x: int) -> int:
    note(context.resources.recorder, event="op", op="may_fail")
    if not (Path(context.resources.recorder) / "allow").exists():
        raise RuntimeError("the 'allow' marker is missing")
    return x + 1


@dg.op(required_resource_keys={"recorder"})
def consume(context: Any, x: int) -> int:
    note(context.resources.recorder, event="op", op="consume")
    return x * 2


@dg.job(resource_defs={"recorder": recorder}, executor_def=multiprocess_executor)
def reexec_job() -> None:
    consume(may_fail(produce()))


def _timed(name: str, tags: dict[str, str] | None = None, pool: str | None = None) -> Any:
    @dg.op(name=name, required_resource_keys={"recorder"}, tags=tags, pool=pool)
    def timed(context: Any) -> int:
        note(context.resources.recorder, event="start", op=context.step_key)
        time.sleep(0.3)
        note(context.resources.recorder, event="end", op=context.step_key)
        return 1

    return timed


_WIDE = [_timed(f"w{i}", tags={"kind": "db" if i % 2 else "api"}) for i in range(6)]
_POOLED = [_timed(f"p{i}", pool="warehouse") for i in range(3)]


@dg.job(resource_defs={"recorder": recorder}, executor_def=multiprocess_executor)
def wide_job() -> None:
    for op_def in _WIDE:
        op_def()


@dg.job(resource_defs={"recorder": recorder}, executor_def=multiprocess_executor)
def pooled_job() -> None:
    for op_def in _POOLED:
        op_def()


def max_parallel(records: list[dict[str, Any]], ops: set[str] | None = None) -> int:
    """The most steps that were between their ``start`` and ``end`` records at once."""
    moments = []
    for record in records:
        if record.get("event") in ("start", "end") and (ops is None or record["op"] in ops):
            moments.append((record["t"], 1 if record["event"] == "start" else -1))
    running = peak = 0
    for _, delta in sorted(moments, key=lambda m: (m[0], m[1])):
        running += delta
        peak = max(peak, running)
    return peak


@dg.op(config_schema={"dir": str})
def held(context: Any) -> int:
    """Writes its pid, waits for a ``release`` file, then writes ``output``: a step that
    outlived its run would write ``output`` once the test releases it."""
    folder = Path(context.op_config["dir"])
    (folder / "pid.tmp").write_text(str(os.getpid()))
    (folder / "pid.tmp").rename(folder / "pid")
    deadline = time.monotonic() + 60
    while not (folder / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    (folder / "output").write_text("written after release")
    return 1


@dg.job(executor_def=multiprocess_executor)
def held_job() -> None:
    held()


@dg.op
def pid_of_step() -> int:
    return os.getpid()


@dg.op
def pid_after(x: int) -> list[int]:
    return [x, os.getpid()]


@dg.job(executor_def=multiprocess_executor)
def pids_job() -> None:
    pid_after(pid_of_step())
    pid_of_step.alias("second_root")()


_STEPS_SEEN: list[str] = []  # module state: a fresh process per step starts it empty


@dg.op
def remember_a() -> int:
    _STEPS_SEEN.append("a")
    return len(_STEPS_SEEN)


@dg.op
def remember_b(x: int) -> list[int]:
    _STEPS_SEEN.append("b")
    return [x, len(_STEPS_SEEN)]


@dg.job(executor_def=multiprocess_executor)
def module_state_job() -> None:
    remember_b(remember_a())


@dg.asset
def upstream_asset() -> int:
    return 1


@dg.asset
def downstream_asset(upstream_asset: int) -> int:
    return upstream_asset + 1


def asset_pair_job() -> dg.JobDefinition:
    """An asset job over two assets (loaded again by name in other processes)."""
    defs = dg.Definitions(
        assets=[upstream_asset, downstream_asset],
        jobs=[dg.define_asset_job("asset_pair", [upstream_asset, downstream_asset])],
    )
    return defs.resolve_job_def("asset_pair")
