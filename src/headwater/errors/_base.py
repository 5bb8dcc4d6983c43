"""The root of headwater's error tree: ``HeadwaterError``."""

from __future__ import annotations

import functools
from typing import Any

__all__ = [
    "HeadwaterError",
]


class HeadwaterError(Exception):
    """Base of every error headwater raises on purpose; catch this, not Exception."""

    # The class's name in the reference's API (its alias in `compat.py`). Stored errors
    # (``ErrorInfo.cls_name``) carry it, so a run's recorded errors read as the reference's.
    reference_name = "DagsterError"


def rebuilt_by_calling(error: BaseException, *args: object, **kwargs: object) -> tuple[Any, ...]:
    """A ``__reduce__`` value for `error`: unpickling calls its class with `args` and
    `kwargs` (its constructor's parameters), then puts back its attributes (notes too) and
    its ``args``, so the copy has the same class, message and attributes.

    An error whose constructor needs more than its message needs this: by default an
    exception is rebuilt as ``cls(*error.args)``, which such a constructor refuses (or
    reads wrongly). Errors cross processes (Dask workers, multiprocessing, pytest-xdist).
    """
    # `functools.partial` passes keyword-only parameters and pickles under a public path.
    factory = functools.partial(type(error), **kwargs) if kwargs else type(error)
    return (factory, args, {**vars(error), "args": error.args})
