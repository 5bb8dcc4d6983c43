"""A warm process per code location that starts runs by forking.

Starting an interpreter, importing headwater and the user's code costs a few hundred
milliseconds per run. The daemon instead keeps one *template* process per code location,
``python -m headwater.daemon.template POINTER_JSON``, which imports both once and then,
for each run id written to its stdin, forks a child that starts that run (see
:mod:`headwater.daemon.worker`) and writes the child's pid to its stdout.

The template stays single-threaded and opens no database connection, so forking it is
safe: each run's process opens its own. A run's process starts its own session and writes
its output to its log file: it keeps going when the daemon or the template stops. The
template ignores SIGCHLD, so the kernel reaps finished runs.
"""

from __future__ import annotations

import json
import os
import signal
import sys

__all__ = ["main"]


def _start_run(run_id: str, log_path: str) -> None:
    """In the forked child: detach, send output to the run's log, start the run, exit."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the run waits for its own children
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    code = 1
    try:
        from headwater.daemon.worker import start_queued_run
        from headwater.storage import Instance

        with Instance.get() as instance:
            code = 0 if start_queued_run(instance, run_id) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    """Import the code, then fork a run's process for each ``RUN_ID<TAB>LOG_PATH`` line."""
    from headwater.location.code import CodePointer, import_code

    pointer = CodePointer.from_dict(json.loads(sys.argv[1]))
    import_code(pointer)  # warm: every run's process starts with the code imported
    import headwater.daemon.worker
    import headwater.execution.launch  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        run_id, _, log_path = line.rstrip("\n").partition("\t")
        if not run_id:
            continue
        pid = os.fork()
        if pid == 0:
            _start_run(run_id, log_path)
        out.write(f"{pid}\n")
        out.flush()


if __name__ == "__main__":
    main()
