"""What one run's steps produced: values kept in memory, what IO managers stored, the
mapping keys of dynamic outputs and the data versions of materialized assets.

Outputs are named by ``(step key, output name)`` handles. The fields are read freely;
they are written only through the methods here, so that what "produced" means (a value
kept, a manager's record, a resolved dynamic output) is decided in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["Handle", "RunOutputs"]

# (step key, output name)
Handle = tuple[str, str]


class RunOutputs:
    """The outputs of one run's steps (in the process that runs them, or orchestrates)."""

    __slots__ = ("data_versions", "io_outputs", "kept", "mapping_keys", "metadata", "produced")

    def __init__(self) -> None:
        # Handle → the value kept in memory (a dynamic output's: mapping key → value).
        self.kept: dict[Handle, Any] = {}
        # Handles produced, with or without a value kept in memory here.
        self.produced: set[Handle] = set()
        # Dynamic output's handle → the mapping keys it yielded, in order.
        self.mapping_keys: dict[Handle, list[str]] = {}
        # Handle → (IO manager key, its OutputContext) for outputs a manager stored (a
        # dynamic output's: (manager key, {mapping key: OutputContext})).
        self.io_outputs: dict[Handle, tuple[str, Any]] = {}
        # Handle → its metadata, kept only for steps with hooks (their context shows it).
        self.metadata: dict[Handle, Mapping[str, Any]] = {}
        # Asset key (user string) → the data version this run gave it.
        self.data_versions: dict[str, str] = {}

    def keep(self, handle: Handle, value: Any) -> None:
        """The step produced ``value`` for ``handle``, kept in memory for its dependents."""
        self.kept[handle] = value
        self.produced.add(handle)

    def mark_produced(self, handle: Handle) -> None:
        """The step produced ``handle`` without a value kept here (an asset result that
        its IO manager holds, an observation, an output of an earlier run)."""
        self.produced.add(handle)

    def mark_all_produced(self, handles: Iterable[Handle]) -> None:
        """:meth:`mark_produced` for each of ``handles``."""
        self.produced.update(handles)

    def start_dynamic(self, handle: Handle, keys: Iterable[str]) -> None:
        """A dynamic output yielded values under ``keys``, in order; each is then kept with
        :meth:`keep_piece`."""
        self.mapping_keys[handle] = list(keys)
        self.produced.add(handle)
        self.kept.setdefault(handle, {})

    def keep_piece(self, handle: Handle, mapping_key: str, value: Any) -> None:
        """One value of a dynamic output, kept in memory for the copies mapped over it."""
        self.kept[handle][mapping_key] = value

    def resolve(self, handle: Handle, keys: Iterable[str]) -> list[str]:
        """A dynamic output resolved to ``keys`` (kept elsewhere, or none): produced."""
        found = self.mapping_keys[handle] = list(keys)
        self.produced.add(handle)
        return found

    def stored(self, handle: Handle, manager_key: str, context: Any) -> None:
        """IO manager ``manager_key`` stored ``handle`` (``context``: its OutputContext; a
        dynamic output's: mapping key → OutputContext)."""
        self.io_outputs[handle] = (manager_key, context)

    def stored_piece(
        self, handle: Handle, manager_key: str, mapping_key: str, context: Any
    ) -> None:
        """IO manager ``manager_key`` stored one value (``mapping_key``) of a dynamic output."""
        self.io_outputs.setdefault(handle, (manager_key, {}))[1][mapping_key] = context

    def keep_metadata(self, handle: Handle, metadata: Mapping[str, Any]) -> None:
        """The metadata ``handle`` was output with (a hook's context shows it)."""
        self.metadata[handle] = metadata

    def versioned(self, asset: str, version: str) -> None:
        """This run gave asset ``asset`` (its user string) data version ``version``."""
        self.data_versions[asset] = version
