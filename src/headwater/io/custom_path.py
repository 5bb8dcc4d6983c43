"""An IO manager that pickles each output to the path its definition names.

The path comes from the output's definition metadata (``Out(metadata={"path": ...})``),
relative to the manager's ``base_dir``; an input reads the path of the output it loads.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

from headwater.asset_key import AssetKey
from headwater.assets.results import AssetMaterialization
from headwater.config import Field, StringSource
from headwater.errors import InvariantViolationError, MissingValueError
from headwater.io.filesystem import PICKLE_PROTOCOL
from headwater.io.input import InputContext
from headwater.io.manager import IOManager, io_manager
from headwater.io.output import OutputContext
from headwater.metadata import MetadataValue
from headwater.resources.context import InitResourceContext

__all__ = ["CustomPathPickledObjectFilesystemIOManager", "custom_path_fs_io_manager"]


def _path_of(metadata: Any, where: str) -> str:
    path = (metadata or {}).get("path")
    path = getattr(path, "value", path)  # a MetadataValue, or the plain string
    if not isinstance(path, str):
        raise InvariantViolationError(
            f"custom_path_fs_io_manager: {where} has no 'path' in its definition metadata "
            f"(got {path!r}); declare it: Out(metadata={{'path': 'folder/file.pkl'}})"
        )
    return path


class CustomPathPickledObjectFilesystemIOManager(IOManager):
    """Pickles each output to ``<base_dir>/<its metadata "path">``.

    Args:
        base_dir: the folder the outputs' paths are relative to.
    """

    def __init__(self, base_dir: str | None = None) -> None:
        self.base_dir = base_dir or ""

    def _file(self, path: str) -> str:
        return os.path.join(self.base_dir, path)

    def handle_output(self, context: OutputContext, obj: object) -> None:
        """Pickle ``obj`` to the output's path, and record a materialization naming the file
        (keyed ``[job, step, output]``)."""
        where = f"output '{context.name}' of step '{context.step_key}'"
        target = self._file(_path_of(context.definition_metadata, where))
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        context.log.debug(f"Writing file at: {target}")
        with open(target, "wb") as handle:
            pickle.dump(obj, handle, PICKLE_PROTOCOL)
        context.log_event(
            AssetMaterialization(
                asset_key=AssetKey([str(context.job_name), str(context.step_key), context.name]),
                metadata={"path": MetadataValue.path(os.path.abspath(target))},
            )
        )

    def load_input(self, context: InputContext) -> object:
        """Unpickle the value from the path of the output this input reads.

        Raises:
            MissingValueError: nothing was stored at that path.
        """
        upstream = context.upstream_output
        where = f"the output input '{context.name}' reads"
        target = self._file(_path_of(upstream.definition_metadata if upstream else None, where))
        context.log.debug(f"Loading file from: {target}")
        if not os.path.exists(target):
            raise MissingValueError(
                f"custom_path_fs_io_manager could not load input '{context.name}': no file at "
                f"{target}; run the step that writes it first"
            )
        with open(target, "rb") as handle:
            return pickle.load(handle)


@io_manager(config_schema={"base_dir": Field(StringSource, is_required=True)})
def custom_path_fs_io_manager(
    init_context: InitResourceContext,
) -> CustomPathPickledObjectFilesystemIOManager:
    """Pickle each output to the file its ``Out(metadata={"path": ...})`` names, under
    ``base_dir`` (config, required).

    Example:
        ``@job(resource_defs={"io_manager": custom_path_fs_io_manager.configured(
        {"base_dir": "/data"})})``
    """
    return CustomPathPickledObjectFilesystemIOManager(init_context.resource_config["base_dir"])
