"""``headwater.cli.output``: level names shown for events."""

from __future__ import annotations

import logging
import sys

import pytest

from headwater.cli.output import _level_name


@pytest.mark.parametrize("level", [0, 10, 15, 20, 30, 40, 50, 99])
def test_level_names_without_logging_loaded_are_loggings(
    level: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A run that loads no logging names levels from its own table: the same names.
    expected = logging.getLevelName(level)
    monkeypatch.delitem(sys.modules, "logging")
    assert _level_name(level) == expected
