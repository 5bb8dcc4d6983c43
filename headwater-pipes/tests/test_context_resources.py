"""PipesContext enters the loader's and the writer's context managers and exits them as
nested `with` blocks (an ExitStack) would, whatever fails where."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from headwater_pipes import (
    PipesContextLoader,
    PipesDefaultContextLoader,
    PipesDefaultMessageWriter,
    PipesFileMessageWriterChannel,
    PipesMessageWriter,
    PipesMessageWriterChannel,
    open_pipes,
)
from hwp_helpers import make_context_data, params_loader


class Channel(PipesMessageWriterChannel):
    def __init__(self, fail_on: str | None) -> None:
        self.methods: list[str] = []
        self._fail_on = fail_on

    def write_message(self, message: Any) -> None:
        if message["method"] == self._fail_on:
            raise OSError(f"cannot write {self._fail_on}")
        self.methods.append(message["method"])


class Writer(PipesMessageWriter[Channel]):
    def __init__(
        self, events: list[str], fail_on: str | None = None, fail_exit: bool = False
    ) -> None:
        self.events = events
        self.channel = Channel(fail_on)
        self._fail_exit = fail_exit

    @contextmanager
    def open(self, params: Any) -> Iterator[Channel]:
        self.events.append("writer enter")
        try:
            yield self.channel
        finally:
            self.events.append("writer exit")
            if self._fail_exit:
                raise RuntimeError("writer exit failed")


class Loader(PipesContextLoader):
    def __init__(self, events: list[str], suppress: bool = False) -> None:
        self.events = events
        self._suppress = suppress

    @contextmanager
    def load_context(self, params: Any) -> Iterator[Any]:
        self.events.append("loader enter")
        try:
            yield params["data"]
        except BaseException as exc:
            self.events.append(f"loader saw {type(exc).__name__}")
            if not self._suppress:
                raise
        else:
            self.events.append("loader exit")


def _open(loader: PipesContextLoader, writer: PipesMessageWriter[Any], tmp: Path) -> Any:
    return open_pipes(
        params_loader=params_loader(make_context_data(), {"path": str(tmp / "m")}),
        context_loader=loader,
        message_writer=writer,
    )


def test_exits_run_last_entered_first(tmp_path: Path) -> None:
    events: list[str] = []
    writer = Writer(events)
    _open(Loader(events), writer, tmp_path).close()
    assert events == ["loader enter", "writer enter", "writer exit", "loader exit"]
    assert writer.channel.methods == ["opened", "closed"]


def test_a_failing_exit_is_raised_after_the_others_ran_and_see_it(tmp_path: Path) -> None:
    events: list[str] = []
    context = _open(Loader(events), Writer(events, fail_exit=True), tmp_path)
    with pytest.raises(RuntimeError, match="writer exit failed"):
        context.close()
    assert events[-2:] == ["writer exit", "loader saw RuntimeError"]
    assert context.is_closed


def test_an_exit_may_suppress_the_error_of_an_exit_before_it(tmp_path: Path) -> None:
    events: list[str] = []
    context = _open(Loader(events, suppress=True), Writer(events, fail_exit=True), tmp_path)
    context.close()
    assert events[-1] == "loader saw RuntimeError"


def test_a_failure_while_opening_exits_what_was_entered(tmp_path: Path) -> None:
    events: list[str] = []
    with pytest.raises(OSError, match="cannot write opened"):
        _open(Loader(events), Writer(events, fail_on="opened"), tmp_path)
    assert events == ["loader enter", "writer enter", "writer exit", "loader exit"]


def test_an_exit_failing_while_opening_fails_is_raised_as_exitstack_raises_it(
    tmp_path: Path,
) -> None:
    events: list[str] = []
    with pytest.raises(RuntimeError, match="writer exit failed") as raised:
        _open(Loader(events), Writer(events, fail_on="opened", fail_exit=True), tmp_path)
    assert events[-1] == "loader saw RuntimeError"
    # ExitStack.close() called from an `except` unchains what that handles; so do we.
    assert raised.value.__context__ is None


def test_a_loader_that_is_no_context_manager_is_named(tmp_path: Path) -> None:
    class Plain(PipesContextLoader):
        def load_context(self, params: Any) -> Any:
            return params["data"]

    with pytest.raises(TypeError, match="object does not support the context manager protocol"):
        _open(Plain(), Writer([]), tmp_path)


def test_built_in_managers_act_on_entry_and_exit(tmp_path: Path) -> None:
    # Errors come from the `with`, not the call, as with @contextmanager; the file channel
    # is closed on exit, error or not.
    manager = PipesDefaultContextLoader().load_context({})
    with pytest.raises(Exception, match="expects params with key 'path' or 'data'"), manager:
        pass
    opening = PipesDefaultMessageWriter().open({"path": str(tmp_path / "m")})
    with pytest.raises(ValueError, match="inside"), opening as channel:
        assert isinstance(channel, PipesFileMessageWriterChannel)
        channel.write_message({"__dagster_pipes_version": "0.1", "method": "log", "params": {}})
        assert channel._file is not None
        raise ValueError("inside")
    assert isinstance(channel, PipesFileMessageWriterChannel)
    assert channel._file is None
    assert (tmp_path / "m").read_text().count("\n") == 1
