"""PipesContext.log: a Logger whose records go to the orchestrator as ``log`` messages.

Its own module, imported when a process first uses ``context.log`` (see `_lazylog`):
logging (with the re, enum and traceback it loads) costs a process about six times what
opening Pipes does, and a process that never logs does not pay it (issue 10).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from headwater_pipes.context import PipesContext

__all__ = ["PipesLogHandler", "PipesLogger"]

# The exact types of the usual %-arguments, none of them a Mapping (see _log).
_NOT_MAPPINGS = frozenset({int, str, float})
# logging's level → name table, which getLevelName reads and addLevelName writes.
_level_names: dict[int, str] = logging._levelToName


class PipesLogHandler(logging.Handler):
    """Sends each record to the orchestrator as a ``log`` message with its level name."""

    def __init__(self, context: PipesContext) -> None:
        super().__init__()
        self._context = context

    def emit(self, record: logging.LogRecord) -> None:
        # Not caught: logging after close() raises, like every other write.
        self._context._write_log(record.getMessage(), record.levelname)


class PipesLogger(logging.Logger):
    """A free-standing Logger (no parent: records reach only the orchestrator)."""

    def __init__(self, context: PipesContext) -> None:
        super().__init__("headwater_pipes")
        self._context = context
        self._pipes_handler = PipesLogHandler(context)
        self.addHandler(self._pipes_handler)

    def _log(
        self,
        level: int,
        msg: object,
        args: Any,
        exc_info: Any = None,
        extra: Any = None,
        stack_info: bool = False,
        stacklevel: int = 1,
    ) -> None:
        # Building a LogRecord (the caller's frame, file name, clock, thread and process) is
        # most of a log call's cost, and the orchestrator receives only the message and the
        # level. So while our handler is the only one that would see the record, and nothing
        # asks for more than the message, send it without a record (issue 10). Anything else
        # (a user's handler or filter, exc_info, extra, a format error) takes logging's path.
        handler = self._pipes_handler
        if (
            exc_info
            or extra is not None
            or stack_info
            or self.disabled
            or self.filters
            or handler.filters
            or level < handler.level
            or len(self.handlers) != 1
            or self.handlers[0] is not handler
        ):
            super()._log(level, msg, args, exc_info, extra, stack_info, stacklevel + 1)
            return
        values = args
        if (
            args
            and len(args) == 1
            # As LogRecord does: log.info("%(n)s", {"n": 1}). A number or a string, the
            # usual argument, is no Mapping: the ABC's isinstance (~2.5K instructions, most
            # of a fast call's own cost) is asked only about other types.
            and type(args[0]) not in _NOT_MAPPINGS
            and isinstance(args[0], Mapping)
            and args[0]
        ):
            values = args[0]
        try:
            message = str(msg) % values if values else str(msg)
        except (TypeError, ValueError, KeyError):
            # logging's path raises the same error from our handler (see its emit).
            super()._log(level, msg, args, exc_info, extra, stack_info, stacklevel + 1)
            return
        # logging.getLevelName's own table first (a name added by addLevelName is in it);
        # the function, for what it answers otherwise.
        name = _level_names.get(level) or logging.getLevelName(level)
        self._context._write_log(message, name)
