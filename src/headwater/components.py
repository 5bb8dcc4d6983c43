"""``headwater.components``: the part of the reference's ``dagster.components`` that fits
headwater's concepts, loading a defs folder of plain Python modules.

The YAML component system (``Component``, ``ComponentLoadContext``, ``defs.yaml``, ...)
is not part of headwater: those names import, and using one raises an error saying so.
"""

from __future__ import annotations

import sys
from typing import Any

from headwater._unsupported import placeholder
from headwater.location.modules import load_defs, load_from_defs_folder

__all__ = ["components", "load_defs", "load_from_defs_folder"]

# ``dg.components.load_defs`` works after ``import headwater as dg``: the root resolves
# ``components`` lazily from this module, which names itself.
components = sys.modules[__name__]


def __getattr__(name: str) -> Any:
    # The YAML component names import (as placeholders that raise when used), so that
    # ported modules load; one table of such names: headwater._unsupported.
    found = placeholder(name)
    if found is None:
        raise AttributeError(f"module 'headwater.components' has no attribute {name!r}")
    return found
