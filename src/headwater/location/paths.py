"""Paths of files that ship beside the code that names them."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["file_relative_path"]


def file_relative_path(dunderfile: str, relative_path: str) -> str:
    """The absolute path of ``relative_path`` taken from the folder of ``dunderfile``.

    Pass ``__file__`` as ``dunderfile`` so that a config file or SQL script next to the
    module is found whatever the current directory. The result is resolved, and a symlinked
    ``dunderfile`` counts from the folder of the file it points to.
    """
    if not isinstance(dunderfile, str):
        raise TypeError(f"dunderfile must be a str, got {type(dunderfile).__name__}")
    if not isinstance(relative_path, str):
        raise TypeError(f"relative_path must be a str, got {type(relative_path).__name__}")
    # ``file/..`` rather than ``.parent``: resolving follows a symlinked file first.
    return os.fspath(Path(dunderfile, os.pardir, relative_path).resolve())
