"""``UPathIOManager``: a base class for IO managers that keep one file per output or
partition under a base path, and only say how to write and read one file.

Paths are ``pathlib.Path`` objects, or ``upath.UPath`` ones when a caller passes one
(universal-pathlib is not a dependency: any path object with the ``Path`` API works).
"""

from __future__ import annotations

from abc import abstractmethod
from pathlib import Path
from typing import Any

from headwater.io.input import InputContext
from headwater.io.manager import IOManager
from headwater.io.output import OutputContext
from headwater.metadata import MetadataValue

__all__ = ["UPathIOManager"]


class UPathIOManager(IOManager):
    """Stores each output in a file under ``base_path``: ``<asset key parts>[/<partition>]``
    (op outputs: ``<run id>/<step>/<output>``), plus ``extension``.

    Subclass it and implement :meth:`dump_to_path` and :meth:`load_from_path`. A
    partitioned input reading several partitions receives a dict partition key → value.

    Args:
        base_path: the folder (or ``UPath``) everything goes under (default: ``"."``).

    Example:
        ``class JsonIOManager(UPathIOManager):
            extension = ".json"
            def dump_to_path(self, context, obj, path): path.write_text(json.dumps(obj))
            def load_from_path(self, context, path): return json.loads(path.read_text())``
    """

    extension: str | None = None

    def __init__(self, base_path: Any = None) -> None:
        self._base_path = base_path if base_path is not None else Path(".")

    @abstractmethod
    def dump_to_path(self, context: OutputContext, obj: Any, path: Any) -> None:
        """Write ``obj`` to the file at ``path``."""

    @abstractmethod
    def load_from_path(self, context: InputContext, path: Any) -> Any:
        """Read the value stored in the file at ``path``."""

    def get_metadata(self, context: OutputContext, obj: Any) -> dict[str, Any]:
        """Metadata recorded with each output (override to add some); none by default."""
        return {}

    def path_exists(self, path: Any) -> bool:
        """Whether something is stored at ``path``."""
        return bool(path.exists())

    def unlink(self, path: Any) -> None:
        """Remove what is stored at ``path``."""
        path.unlink()

    def make_directory(self, path: Any) -> None:
        """Create the folder ``path`` (and its parents)."""
        path.mkdir(parents=True, exist_ok=True)

    def get_asset_relative_path(self, context: InputContext | OutputContext) -> Any:
        """Where an asset's value goes, relative to the base path: its key parts."""
        return Path(*context.asset_key.path)

    def get_op_output_relative_path(self, context: InputContext | OutputContext) -> Any:
        """Where an op output goes, relative to the base path: run id, step, output."""
        return Path(*context.get_identifier())

    def get_path_for_partition(
        self, context: InputContext | OutputContext, path: Any, partition: str
    ) -> Any:
        """The file of one partition (``partition`` is the key, dimensions joined by "/")."""
        return path / partition.lstrip("/")

    def _path_without_extension(self, context: InputContext | OutputContext) -> Any:
        relative = (
            self.get_asset_relative_path(context)
            if context.has_asset_key
            else self.get_op_output_relative_path(context)
        )
        parts = [p for p in Path(str(relative)).parts if p not in ("/", "\\")]
        return self._base_path.joinpath(*parts)

    def _with_extension(self, path: Any) -> Any:
        return path.with_suffix(path.suffix + self.extension) if self.extension else path

    def _get_path(self, context: InputContext | OutputContext) -> Any:
        return self._with_extension(self._path_without_extension(context))

    def _paths_for_partitions(self, context: InputContext | OutputContext) -> dict[str, Any]:
        base = self._path_without_extension(context)
        paths = {}
        for key in context.asset_partition_keys:
            by_dimension = getattr(key, "keys_by_dimension", None)
            formatted = (
                "/".join(v for _, v in sorted(by_dimension.items())) if by_dimension else key
            )
            paths[key] = self._with_extension(self.get_path_for_partition(context, base, formatted))
        return paths

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Write ``obj`` with :meth:`dump_to_path`; record its path as ``path`` metadata."""
        if context.has_asset_partitions:
            paths = self._paths_for_partitions(context)
            if len(paths) != 1:
                raise ValueError(
                    f"{type(self).__name__} stores one file per partition and cannot store "
                    f"one value for {len(paths)} partitions; launch one run per partition"
                )
            path = next(iter(paths.values()))
            if path.parent.exists() and path.parent.is_file():  # was unpartitioned before
                path.parent.unlink()
        else:
            path = self._get_path(context)
        self.make_directory(path.parent)
        self.dump_to_path(context=context, obj=obj, path=path)
        metadata: dict[str, Any] = (
            {"path": MetadataValue.path(str(path))} if obj is not None else {}
        )
        metadata.update(self.get_metadata(context=context, obj=obj))
        if metadata:
            context.add_output_metadata(metadata)

    def load_input(self, context: InputContext) -> Any:
        """Read the value (a dict partition key → value when several partitions are read)."""
        if not context.has_asset_key or not context.has_asset_partitions:
            return self.load_from_path(context=context, path=self._get_path(context))
        keys = list(context.asset_partition_keys)
        if not keys:
            return None
        paths = self._paths_for_partitions(context)
        if len(keys) == 1:
            return self.load_from_path(context=context, path=paths[keys[0]])
        allow_missing = bool(context.definition_metadata.get("allow_missing_partitions"))
        values = {}
        for key, path in paths.items():
            if allow_missing and not self.path_exists(path):
                continue
            values[key] = self.load_from_path(context=context, path=path)
        return values
