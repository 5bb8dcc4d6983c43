"""What stands in for the storage of an ephemeral instance after its block disposed it."""

from __future__ import annotations

from typing import NoReturn

from headwater.errors import InvariantViolationError

__all__ = ["DisposedStorage"]


class DisposedStorage:
    """Any use raises: the values the instance held went with it.

    The reference's ephemeral instance drops its in-memory database when disposed, so a
    later read fails (with a raw database error); this says what happened and what to do.
    """

    __slots__ = ("_block",)

    def __init__(self, block: str) -> None:
        self._block = block

    def refuse(self) -> NoReturn:
        """Raise the error every use of the disposed instance raises.

        Raises:
            InvariantViolationError: naming the block that disposed the instance.
        """
        raise InvariantViolationError(
            f"this ephemeral instance was disposed when {self._block} exited; use it inside "
            "that block, or pass instance=DagsterInstance.ephemeral() to keep an instance "
            "as long as you need it"
        )

    def close(self) -> None:
        """Already closed: disposing twice is harmless."""

    def __getattr__(self, name: str) -> NoReturn:
        self.refuse()
