"""The small implementations behind the private paths, tested in process (no alias needed)."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator

import pytest

import headwater
from headwater.alias import _annotations as marks, _check as check, _utils as utils
from headwater.alias._finder import _MISSING, _resolve
from headwater.alias._table import PathEntry


def _no_delays() -> Iterator[float]:
    while True:
        yield 0.0


def test_backoff_retries_the_listed_errors_then_returns() -> None:
    calls: list[int] = []

    def flaky(x: int) -> int:
        calls.append(x)
        if len(calls) < 3:
            raise ConnectionError("down")
        return x * 2

    result = utils.backoff(
        flaky, retry_on=(ConnectionError,), args=[21], delay_generator=_no_delays()
    )
    assert (result, calls) == (42, [21, 21, 21])


def test_backoff_raises_the_last_error_after_max_retries() -> None:
    calls: list[None] = []

    def down() -> None:
        calls.append(None)
        raise ConnectionError(f"attempt {len(calls)}")

    with pytest.raises(ConnectionError, match="attempt 3"):
        utils.backoff(
            down, retry_on=(ConnectionError,), max_retries=2, delay_generator=_no_delays()
        )


def test_backoff_lets_other_errors_through_at_once() -> None:
    calls: list[None] = []

    def broken() -> None:
        calls.append(None)
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        utils.backoff(broken, retry_on=(ConnectionError,), delay_generator=_no_delays())
    assert len(calls) == 1


def test_exponential_delays_double() -> None:
    delays = utils.exponential_delay_generator()
    assert [next(delays) for _ in range(4)] == [0.1, 0.2, 0.4, 0.8]


def test_environ_sets_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_ALIAS_A", "before")
    monkeypatch.delenv("HW_ALIAS_B", raising=False)
    with utils.environ({"HW_ALIAS_A": None, "HW_ALIAS_B": "set"}):
        assert ("HW_ALIAS_A" in os.environ, os.environ["HW_ALIAS_B"]) == (False, "set")
    assert (os.environ["HW_ALIAS_A"], "HW_ALIAS_B" in os.environ) == ("before", False)


def test_file_relative_path_and_merges() -> None:
    assert utils.file_relative_path("/a/b/c.py", "d/e.csv") == "/a/b/d/e.csv"
    assert utils.merge_dicts({"a": 1}, {"a": 2, "b": 3}) == {"a": 2, "b": 3}
    assert utils.deep_merge_dicts({"a": {"x": 1, "y": 1}}, {"a": {"y": 2}}) == {
        "a": {"x": 1, "y": 2}
    }


def test_library_registry_records_versions() -> None:
    utils.DagsterLibraryRegistry.register("dagster-example", "0.1.0")
    assert utils.DagsterLibraryRegistry.get()["dagster-example"] == "0.1.0"


def test_check_helpers_return_the_value_or_raise_check_error() -> None:
    assert check.inst_param(3, "n", int) == 3
    assert check.opt_str_param(None, "s", default="d") == "d"
    assert check.opt_list_param(None, "xs") == []
    assert check.opt_dict_param(None, "m") == {}
    assert check.not_none(0) == 0
    with pytest.raises(
        check.ParameterCheckError,
        match=re.escape("Param \"n\" is not a int. Got 'x' which is type <class 'str'>."),
    ):
        check.int_param("x", "n")
    with pytest.raises(check.CheckError, match=r"^Invariant failed\. Description: nope$"):
        check.invariant(False, "nope")
    with pytest.raises(check.CheckError, match=r"^Failure condition: stop$"):
        check.failed("stop")
    with pytest.raises(check.ParameterCheckError):
        check.bool_param(1, "flag")
    assert check.int_param(True, "n") is True  # a bool is an int, as in the reference


def test_annotations_mark_and_return_the_object() -> None:
    @marks.public
    def f() -> int:
        return 1

    @marks.beta(emit_runtime_warning=False)
    class C:
        pass

    assert (marks.is_public(f), marks.is_beta(C), f()) == (True, True, 1)


def test_warning_helpers_warn_unless_disabled() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        marks.deprecation_warning("old_thing", "2.0")
        with marks.disable_dagster_warnings():
            marks.deprecation_warning("silenced", "2.0")
    assert [str(w.message) for w in caught] == [
        "old_thing is deprecated and will be removed in 2.0."
    ]


def test_a_source_module_this_build_lacks_is_skipped() -> None:
    entry = PathEntry(("headwater.no_such_module_for_alias_tests",))
    assert _resolve(entry, "asset") is headwater.asset
    assert _resolve(PathEntry(root=False), "asset") is _MISSING
    assert _resolve(entry, "_private") is _MISSING
