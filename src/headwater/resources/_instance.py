"""The ephemeral instance a context built outside a run exposes, made when first read.

The reference gives ``build_init_resource_context()``, ``build_resources(...)`` and a
resource called directly an ephemeral instance when none is given. Building one loads the
storage package (tens of milliseconds) while most resources never read it, so the context
holds an ``EphemeralInstance`` cell instead: the first read of ``context.instance`` makes the
instance, and every context sharing the cell (copies from ``replace``, the contexts of the
resources a builder opens) sees that same one, as they all see the reference's one instance.
"""

from __future__ import annotations

from typing import Any

from headwater._lazy import ephemeral_instance

__all__ = ["EphemeralInstance", "resolve_instance"]


class EphemeralInstance:
    """An in-memory instance, made on first ``get()`` and disposed by ``dispose()``.

    Args:
        block: what disposes it, for the error a later use raises (``"the `with
            build_resources(...)` block"``).
    """

    __slots__ = ("_block", "_disposed", "_instance")

    def __init__(self, block: str = "the block that made it") -> None:
        self._block = block
        self._disposed = False
        self._instance: Any = None

    def get(self) -> Any:
        """The instance, made now if this is the first read (disposed already, when the
        first read comes after ``dispose()``: the reference's instance is made up front)."""
        if self._instance is None:
            self._instance = ephemeral_instance()
            if self._disposed:
                self._instance.retire(self._block)
        return self._instance

    def dispose(self) -> None:
        """Release the instance (and its temporary storage folder), if it was made; any
        later use of its storage raises, naming the block."""
        self._disposed = True
        if self._instance is not None:
            self._instance.retire(self._block)


def resolve_instance(instance: Any) -> Any:
    """``instance`` as user code sees it: a cell's instance (made now), else itself."""
    return instance.get() if type(instance) is EphemeralInstance else instance
