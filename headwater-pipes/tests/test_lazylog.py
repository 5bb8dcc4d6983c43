"""`context.log` before first use (_lazylog): whatever touches it first, it is then the
PipesLogger it stood for, the same object, with nothing in between and nothing lost.

(That taking it loads no logging is tested in a fresh process: test_imports.)
"""

from __future__ import annotations

import copy
import logging
import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from headwater_pipes._lazylog import _BeforeFirstUse, lazy_logger, unbuilt_logger
from headwater_pipes._log import PipesLogger
from headwater_pipes.context import PipesContext
from hwp_helpers import make_context_data, open_file_session, read_messages


def logged(path: Path) -> list[tuple[str, str]]:
    return [
        (m["params"]["message"], m["params"]["level"])
        for m in read_messages(path)
        if m["method"] == "log" and m["params"] is not None
    ]


def is_built(log: logging.Logger) -> bool:
    return type(log).__bases__ == (PipesLogger,)


def is_unbuilt(log: logging.Logger) -> bool:
    return type(log).__bases__ == (_BeforeFirstUse,)


def touch_isinstance(log: Any) -> None:
    assert isinstance(log, logging.Logger)
    assert isinstance(log, PipesLogger)


def touch_set_attribute(log: Any) -> None:
    log.propagate = False


def touch_delete_attribute(log: Any) -> None:
    log.extra_attribute = 1
    del log.extra_attribute


def touch_copy(log: Any) -> None:
    # As any logger not registered with logging.getLogger: it refuses to be copied.
    with pytest.raises(pickle.PicklingError):
        copy.copy(log)


def touch_pickle(log: Any) -> None:
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(log)


FIRST_TOUCHES: dict[str, Callable[[Any], object]] = {
    "log call": lambda log: log.info("first"),
    "method": lambda log: log.setLevel(logging.INFO),
    "attribute read": lambda log: log.handlers,
    "attribute write": touch_set_attribute,
    "attribute delete": touch_delete_attribute,
    "isinstance": touch_isinstance,
    "repr": repr,
    "str": str,
    "vars": vars,
    "dir": dir,
    "copy": touch_copy,
    "pickle": touch_pickle,
}


@pytest.mark.parametrize("touch", FIRST_TOUCHES.values(), ids=FIRST_TOUCHES.keys())
def test_any_first_touch_makes_it_the_logger_it_stood_for(
    tmp_path: Path, touch: Callable[[Any], object]
) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    log = unbuilt_logger(context)
    assert is_unbuilt(log)
    touch(log)
    assert is_built(log)
    touch_isinstance(log)
    assert type(log).__mro__[1:] == PipesLogger.__mro__
    assert repr(log).startswith("<PipesLogger headwater_pipes (")  # as a built one's
    assert [type(h).__name__ for h in log.handlers] == ["PipesLogHandler"]
    with context:
        log.warning("after %s", "use")
    assert logged(path)[-1] == ("after use", "WARNING")


def test_what_is_set_before_first_use_is_kept(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    log = unbuilt_logger(context)
    log.level = logging.WARNING  # an attribute write, not a method: still not lost
    with context:
        log.info("below the level")
        log.warning("kept")
    assert logged(path) == [("kept", "WARNING")]


def test_a_users_handler_and_exc_info_work_as_on_any_logger(tmp_path: Path) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    context, path = open_file_session(tmp_path, make_context_data())
    log = unbuilt_logger(context)
    log.addHandler(Keep())
    with context:
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed")
    assert logged(path) == [("failed", "ERROR")]
    assert [(r.getMessage(), r.exc_info is not None) for r in records] == [("failed", True)]


def test_using_one_logger_leaves_another_unbuilt(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    earlier = open_file_session(tmp_path / "a", make_context_data())[0]
    first = unbuilt_logger(earlier)
    earlier.close()
    context, path = open_file_session(tmp_path / "b", make_context_data())
    other = unbuilt_logger(context)
    assert first.handlers
    assert is_built(first) and is_unbuilt(other)
    other.info("y")
    assert is_built(other) and type(other) is not type(first)
    context.close()
    assert logged(path) == [("y", "INFO")]


def test_threads_touching_it_at_once_build_it_once(tmp_path: Path) -> None:
    context, path = open_file_session(tmp_path, make_context_data())
    log = unbuilt_logger(context)
    start = threading.Barrier(8)
    handlers: list[object] = []

    def work(n: int) -> None:
        start.wait()
        log.info("thread %d", n)
        handlers.extend(log.handlers)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    context.close()
    assert len(set(map(id, handlers))) == 1  # one PipesLogHandler: built once
    assert sorted(logged(path)) == sorted((f"thread {n}", "INFO") for n in range(8))


def test_once_logging_is_loaded_the_context_hands_out_a_built_logger(tmp_path: Path) -> None:
    # This process has imported _log: there is nothing left to save.
    context: PipesContext = open_file_session(tmp_path, make_context_data())[0]
    assert type(context.log) is PipesLogger
    assert type(lazy_logger(context)) is PipesLogger
    assert context.log is context.log
