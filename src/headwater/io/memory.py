"""The in-memory IO manager: values kept in a dict for the life of the manager."""

from __future__ import annotations

from typing import Any

from headwater.errors import MissingValueError
from headwater.io.context import IOContext
from headwater.io.input import InputContext
from headwater.io.manager import IOManager, io_manager
from headwater.io.output import OutputContext
from headwater.resources.context import InitResourceContext

__all__ = ["InMemoryIOManager", "mem_io_manager"]


class InMemoryIOManager(IOManager):
    """Keeps values in ``self.values``, keyed by identifier, for as long as it lives.

    An asset's identifier is its key's parts plus the partition key; an op output's is
    ``(run_id, step_key, output name)``. Values do not survive the process, so it only
    works with the in-process executor.

    Example:
        ``materialize([orders], resources={"io_manager": InMemoryIOManager()})``
    """

    def __init__(self) -> None:
        self.values: dict[tuple[str, ...], Any] = {}

    def _keys(self, context: IOContext) -> dict[str | None, tuple[str, ...]]:
        if not context.has_asset_key:
            return {None: tuple(context.get_identifier())}
        base = context.asset_key.path
        if not context.has_asset_partitions:
            return {None: base}
        return {key: (*base, key) for key in context.asset_partition_keys}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Keep ``obj`` under the output's identifier (one entry per partition key)."""
        for identifier in self._keys(context).values():
            self.values[identifier] = obj

    def load_input(self, context: InputContext) -> Any:
        """The kept value; with several partition keys, a dict key → value.

        Raises:
            MissingValueError: nothing kept under the identifier; names the asset and
                partition (or step output).
        """
        keys = self._keys(context)
        if context.has_asset_partitions and len(keys) > 1:
            return {key: self._get(context, ident, key) for key, ident in keys.items()}
        key, identifier = next(iter(keys.items()))
        return self._get(context, identifier, key)

    def _get(
        self, context: InputContext, identifier: tuple[str, ...], partition: str | None
    ) -> Any:
        try:
            return self.values[identifier]
        except KeyError:
            pass
        if context.has_asset_key:
            what = f"asset '{context.asset_key.to_user_string()}'"
            if partition is not None:
                what += f" for partition '{partition}'"
        else:
            upstream = context.upstream_output
            what = upstream.describe_subject() if upstream is not None else "the input"
        raise MissingValueError(
            f"mem_io_manager could not load {what}: nothing stored under {list(identifier)}; "
            "it keeps values only while the run's process lives, so produce the value in the "
            "same run (or bind fs_io_manager to keep values between runs)"
        )


@io_manager(description="Built-in IO manager that stores and retrieves values in memory.")
def mem_io_manager(init_context: InitResourceContext) -> InMemoryIOManager:
    """A fresh ``InMemoryIOManager`` for each run."""
    return InMemoryIOManager()
