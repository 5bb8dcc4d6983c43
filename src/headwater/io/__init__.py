"""IO managers: how step outputs are stored and loaded as downstream inputs.

Light on purpose: ``import headwater.io`` does not import pydantic. ``ConfigurableIOManager``,
``ConfigurableIOManagerFactory`` and ``FilesystemIOManager`` live in ``headwater.io.pythonic``
and load on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.io.custom_path import custom_path_fs_io_manager
from headwater.io.filesystem import PickledObjectFilesystemIOManager, fs_io_manager
from headwater.io.input import InputContext, build_input_context
from headwater.io.input_manager import InputManager, InputManagerDefinition, input_manager
from headwater.io.manager import (
    IOManager,
    IOManagerDefinition,
    describe_io_failure,
    io_manager,
    is_io_manager,
    is_io_manager_definition,
)
from headwater.io.memory import InMemoryIOManager, mem_io_manager
from headwater.io.output import EPHEMERAL_RUN_ID, OutputContext, build_output_context
from headwater.io.upath import UPathIOManager

if TYPE_CHECKING:
    from headwater.io.pythonic import (
        ConfigurableIOManager,
        ConfigurableIOManagerFactory,
        ConfigurableLegacyIOManagerAdapter,
        FilesystemIOManager,
    )

__all__ = [
    "UPathIOManager",
    "InputManager",
    "InputManagerDefinition",
    "input_manager",
    "IOManager",
    "IOManagerDefinition",
    "io_manager",
    "ConfigurableIOManager",
    "ConfigurableIOManagerFactory",
    "ConfigurableLegacyIOManagerAdapter",
    "custom_path_fs_io_manager",
    "OutputContext",
    "EPHEMERAL_RUN_ID",
    "InputContext",
    "build_output_context",
    "build_input_context",
    "fs_io_manager",
    "FilesystemIOManager",
    "PickledObjectFilesystemIOManager",
    "mem_io_manager",
    "InMemoryIOManager",
    "is_io_manager",
    "is_io_manager_definition",
    "describe_io_failure",
]

_PYTHONIC = frozenset(
    {
        "ConfigurableIOManager",
        "ConfigurableIOManagerFactory",
        "ConfigurableLegacyIOManagerAdapter",
        "FilesystemIOManager",
    }
)


def __getattr__(name: str) -> Any:
    # pydantic loads only when a pydantic-based IO manager is asked for.
    if name in _PYTHONIC:
        from headwater.io import pythonic

        return getattr(pythonic, name)
    raise AttributeError(f"module 'headwater.io' has no attribute '{name}'")
