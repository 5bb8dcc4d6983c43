"""`PipesContext.log` before its first use: the logger, with logging not yet imported.

Importing logging (with the re, enum, traceback, threading and string it loads) costs an
external process more than the rest of opening Pipes does. A script that takes
``log = context.log`` and never logs through it should not pay for it (issue 10); yet the
object it holds must be a real `PipesLogger` (a `logging.Logger`), and no log call may go
through a forwarding layer (their speed is measured too).

So, until `_log` has been imported, `context.log` is an instance of a class of its own, made
for it, whose only base is `_BeforeFirstUse`. The first attribute read or write on it
(``log.info``, ``log.handlers``, ``log.setLevel``, ``vars(log)``, copy and pickle), ``repr``
and ``isinstance(log, logging.Logger)`` (which asks the object for ``__class__``) import
`_log`, build a `PipesLogger`, move its state into the object and make the class's base
`PipesLogger` instead. From then on the object is a PipesLogger like any other: same
attributes, same methods, nothing in between, and CPython's attribute caches work on it as
on a logger built directly (a changed ``__class__`` would keep its attributes in a plain dict,
which cost a log call ~8% more instructions).
"""

from __future__ import annotations

import _thread
import sys

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging

    from headwater_pipes.context import PipesContext

__all__ = ["lazy_logger", "unbuilt_logger"]

_LOG_MODULE = "headwater_pipes._log"

# Two threads may touch a fresh logger at once: one of them builds it. (Not the context's
# lock: a handler that logs from inside a message write holds that one.)
_become_lock = _thread.allocate_lock()


def lazy_logger(context: PipesContext) -> logging.Logger:
    """The logger `context.log` returns: a `PipesLogger`, built when first used."""
    loaded = sys.modules.get(_LOG_MODULE)
    if loaded is not None:  # logging is there already: nothing to save
        logger: logging.Logger = loaded.PipesLogger(context)
        return logger
    return unbuilt_logger(context)


def unbuilt_logger(context: PipesContext) -> logging.Logger:
    """A `PipesLogger` for `context` that is built on first use (see the module's docstring)."""
    # A class per logger: making one logger real must leave the others' hooks in place.
    kind = type("PipesLogger", (_BeforeFirstUse,), {"__module__": __name__})
    # A PipesLogger in everything but its base, until first use makes it one.
    shell: logging.Logger = object.__new__(kind)
    object.__setattr__(shell, "_context", context)
    return shell


def _become_logger(shell: object) -> None:
    with _become_lock:
        kind = type(shell)
        if kind.__bases__ != (_BeforeFirstUse,):  # another thread made it meanwhile
            return
        from headwater_pipes._log import PipesLogger

        made = PipesLogger(object.__getattribute__(shell, "_context"))
        # Its state first, then the base: a thread that sees the new base (it does not take
        # the lock) sees the whole state. PipesLogger's __init__ registers the logger nowhere
        # (not with logging's manager), so the state is all there is to move.
        for name, value in vars(made).items():
            object.__setattr__(shell, name, value)
        kind.__bases__ = (PipesLogger,)


class _BeforeFirstUse:
    """The base of `context.log`'s class until first use; see the module's docstring."""

    # Attribute access covers calls, isinstance (``__class__``), vars(), dir(), copy and
    # pickle (``__reduce_ex__``); repr() and str() look up ``__repr__`` on the type. Writes
    # must not land before the logger's own __init__ state, so they go through it too.
    def __getattribute__(self, name: str) -> object:
        _become_logger(self)
        if name == "__class__":
            # isinstance(log, logging.Logger) asks this when type(log) was no Logger, and
            # wants a class other than type(log): the PipesLogger type(log) now derives from.
            return type(self).__bases__[0]
        return getattr(self, name)

    def __setattr__(self, name: str, value: object) -> None:
        _become_logger(self)
        setattr(self, name, value)

    def __delattr__(self, name: str) -> None:
        _become_logger(self)
        delattr(self, name)

    def __repr__(self) -> str:
        _become_logger(self)
        return repr(self)
