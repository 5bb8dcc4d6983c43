"""The filesystem IO manager: pickles each value under a base folder, written atomically.

Layout (the same as Dagster's, so a folder can be read by either):

* an asset: ``<base_dir>/<key part>/.../<last key part>``; partitioned:
  ``<base_dir>/<key parts...>/<partition key>`` (a multi-partition key is its dimension
  values joined by ``/``, in dimension-name order);
* an op output: ``<base_dir>/<run_id>/<step_key>/<output name>``.

A write goes to a temporary file in the target's folder and is then renamed over the
target, so a killed run leaves either the old value or the new one. There is no fsync, as in
Dagster: a power loss may lose the last values written (an fsync of the file and of its
folder cost about 10 ms per value here, twenty times the rest of a trivial asset's step).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import threading
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from headwater._warnings import SupersessionWarning
from headwater.config import Field, Noneable, StringSource
from headwater.errors import InvariantViolationError, MissingValueError
from headwater.io.context import IOContext
from headwater.io.input import InputContext
from headwater.io.manager import IOManager, IOManagerDefinition, io_manager
from headwater.io.output import OutputContext
from headwater.metadata import MetadataValue
from headwater.resources.context import InitResourceContext

__all__ = [
    "PickledObjectFilesystemIOManager",
    "default_base_dir",
    "default_fs_io_manager",
    "fs_io_manager",
]

PICKLE_PROTOCOL = 4  # readable by every Python headwater supports


def default_base_dir(instance: Any) -> str:
    """The instance's storage folder, or a new temporary folder when there is no instance.

    Args:
        instance: the run's instance (``InitResourceContext.instance``), or ``None``.
    """
    storage_directory = getattr(instance, "storage_directory", None)
    if callable(storage_directory):
        return str(storage_directory())
    # No instance (a manager built by hand in a test): values live for this process only.
    return tempfile.mkdtemp(prefix="headwater-io-")


def _escape_partition(partition: str) -> str:
    # A partition key joins as a sub-path of the asset's folder: a leading "/" or a ".."
    # segment would escape it, so both are percent-escaped (distinct keys stay distinct).
    if partition.startswith("/"):
        partition = "%2F" + partition[1:]
    return "/".join("%2E%2E" if part == ".." else part for part in partition.split("/"))


def _join(base: str, parts: Sequence[str]) -> str:
    """``str(Path(base, *parts))`` for a ``base`` pathlib already normalized, without
    building a Path (a few per stored value): parts pathlib would rewrite ("", ".", any
    with a "/") take the slow road."""
    if parts and base != ".":
        for part in parts:
            if not part or part == "." or "/" in part:
                break
        else:  # plain names: joined with "/" (a normalized base ends with one only as root)
            return f"{base}{'' if base.endswith('/') else '/'}{'/'.join(parts)}"
    return str(Path(base, *parts))


def _partition_path(partition: Any) -> str:
    by_dimension: Mapping[str, str] | None = getattr(partition, "keys_by_dimension", None)
    if by_dimension is not None:
        return "/".join(by_dimension[name] for name in sorted(by_dimension))
    return str(partition)


class PickledObjectFilesystemIOManager(IOManager):
    """Stores values as pickles in files under ``base_dir`` (the module docstring has the
    layout). Use ``FilesystemIOManager`` or ``fs_io_manager`` to bind it.

    Args:
        base_dir: the folder to store under; default: a new temporary folder.
        manager_name: how messages name this manager.

    Raises:
        MissingValueError: from ``load_input``, when no value is stored.
    """

    def __init__(
        self, base_dir: str | os.PathLike[str] | None = None, *, manager_name: str = "fs_io_manager"
    ) -> None:
        self.base_dir = os.fspath(base_dir) if base_dir is not None else default_base_dir(None)
        self.manager_name = manager_name
        self._normalized = (self.base_dir, str(Path(self.base_dir)))

    # -- paths ------------------------------------------------------------------------

    def _base_path(self, context: IOContext) -> str:
        parts = context.asset_key.path if context.has_asset_key else context.get_identifier()
        base_dir, normalized = self._normalized
        if base_dir != self.base_dir:  # reassigned since
            normalized = str(Path(self.base_dir))
            self._normalized = (self.base_dir, normalized)
        return _join(normalized, parts)

    def _file_paths(self, context: IOContext) -> dict[str | None, str]:
        base = self._base_path(context)
        if not context.has_asset_partitions:
            return {None: base}
        return {
            key: _join(base, (_escape_partition(_partition_path(key)),))
            for key in context.asset_partition_keys
        }

    def get_paths(self, context: IOContext) -> dict[str | None, Path]:
        """Where the value(s) for ``context`` live: partition key → file (``None`` key when
        the value is not partitioned)."""
        return {key: Path(path) for key, path in self._file_paths(context).items()}

    # -- storing ----------------------------------------------------------------------

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Pickle ``obj`` to its file, atomically; adds ``path`` metadata.

        Raises:
            InvariantViolationError: several partitions in one output, or ``obj`` does not
                pickle.
        """
        paths = self._file_paths(context)
        if len(paths) != 1:
            raise InvariantViolationError(
                f"{self.manager_name} cannot store {context.describe_subject()} "
                f"({context.describe_asset()}) as one value: it writes one file per "
                "partition; launch one run per partition (backfill_policy single-run is not "
                "supported by this IO manager)"
            )
        path = next(iter(paths.values()))
        if context.has_asset_partitions:
            folder = os.path.dirname(path)
            if os.path.isfile(folder):
                # The asset used to be unpartitioned: its single file stands where the
                # folder of partitions goes.
                context.log.warning(
                    f"removing {folder}: {context.describe_asset()} is now partitioned"
                )
                os.unlink(folder)
        context.log.debug(f"writing {path} using {self.manager_name}")
        self._write_atomically(context, path, obj)
        if obj is not None:
            context.add_output_metadata({"path": MetadataValue.path(path)})

    def _write_atomically(self, context: OutputContext, path: str, obj: Any) -> None:
        # The temporary name is unique per process and thread: one writer per name, so no
        # random name (mkstemp) is needed; a leftover from a killed writer is overwritten.
        # The file's name, after the folder's part of the path (kept as it is written).
        name = path.rpartition("/")[2]
        where = path[: len(path) - len(name)]
        temp = f"{where}.{name}.{os.getpid()}-{threading.get_ident()}.tmp"
        try:
            file = open(temp, "wb")  # noqa: SIM115 (closed below, after the folder exists)
        except FileNotFoundError:  # the first value in this folder
            os.makedirs(os.path.dirname(path), exist_ok=True)
            file = open(temp, "wb")  # noqa: SIM115
        try:
            with file:
                try:
                    pickle.dump(obj, file, PICKLE_PROTOCOL)
                except (pickle.PicklingError, AttributeError, TypeError, RecursionError) as exc:
                    raise InvariantViolationError(
                        f"{self.manager_name} cannot store {context.describe_subject()}: a "
                        f"{type(obj).__name__} cannot be pickled ({type(exc).__name__}: {exc}); "
                        "return a picklable value, or bind an IO manager that can store it "
                        "(mem_io_manager keeps values in memory with the in-process executor)"
                    ) from exc
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise

    # -- loading ----------------------------------------------------------------------

    def load_input(self, context: InputContext) -> Any:
        """Unpickle the value; with several partition keys, a dict key → value.

        With ``allow_missing_partitions=True`` in the input's definition metadata, missing
        partitions are left out of the dict instead of failing.

        Raises:
            MissingValueError: no file for the value (or a partition); the message names
                the asset and partition (or step output), the path and this manager.
        """
        paths = self._file_paths(context)
        if context.has_asset_partitions and len(paths) > 1:
            allow_missing = bool(context.definition_metadata.get("allow_missing_partitions"))
            values: dict[str, Any] = {}
            for key, path in paths.items():
                assert key is not None  # partitioned paths are keyed by partition
                if allow_missing and not os.path.exists(path):
                    context.log.warning(f"partition '{key}' has no file at {path}; skipped")
                    continue
                values[key] = self._read(context, path, key)
            return values
        key, path = next(iter(paths.items()))
        return self._read(context, path, key)

    def _read(self, context: InputContext, path: str, partition: str | None) -> Any:
        context.log.debug(f"loading {path} using {self.manager_name}")
        try:
            with open(path, "rb") as file:
                return pickle.load(file)
        except FileNotFoundError as exc:
            raise MissingValueError(self._missing_message(context, path, partition)) from exc

    def _missing_message(self, context: InputContext, path: str, partition: str | None) -> str:
        if context.has_asset_key:
            what = f"asset '{context.asset_key.to_user_string()}'"
            if partition is not None:
                what += f" for partition '{partition}'"
            fix = "materialize it first"
        else:
            upstream = context.upstream_output
            what = upstream.describe_subject() if upstream is not None else "the input"
            fix = "run the step that produces it first (or re-execute from it)"
        return f"{self.manager_name} could not load {what}: no file at {path}; {fix}"


_BASE_DIR = Field(
    Noneable(StringSource),
    is_required=False,
    description="Base directory for storing files; default: the instance's storage "
    "folder (<home>/storage), else a temporary folder.",
)
_DESCRIPTION = "Built-in filesystem IO manager that stores and retrieves values using pickling."


def _open_filesystem_manager(init_context: InitResourceContext) -> PickledObjectFilesystemIOManager:
    config = init_context.resource_config or {}
    base_dir = config.get("base_dir") or default_base_dir(init_context.instance)
    return PickledObjectFilesystemIOManager(base_dir)


# What materialize() and Definitions bind when the user binds no io_manager: the same
# manager, without the notice that the user-facing function is superseded.
default_fs_io_manager = IOManagerDefinition(
    _open_filesystem_manager, config_schema={"base_dir": _BASE_DIR}, description=_DESCRIPTION
)


@io_manager(config_schema={"base_dir": _BASE_DIR}, description=_DESCRIPTION)
def fs_io_manager(init_context: InitResourceContext) -> PickledObjectFilesystemIOManager:
    """Pickle values under ``base_dir`` (config), by asset key and partition or by run/step.

    Superseded (as in the reference): bind ``FilesystemIOManager(base_dir=...)`` instead;
    binding this one warns with ``SupersessionWarning`` when a run opens it.

    Example:
        ``Definitions(assets=[...], resources={"io_manager": FilesystemIOManager()})``
    """
    warnings.warn(
        "Function `fs_io_manager` is superseded and its usage is discouraged. Use "
        "FilesystemIOManager directly instead",
        SupersessionWarning,
        stacklevel=2,
    )
    return _open_filesystem_manager(init_context)
