"""The code location: a ``Definitions`` object and what loads values and code from it."""

from __future__ import annotations

from headwater.location.decorator import definitions
from headwater.location.definitions import Definitions

__all__ = ["Definitions", "definitions"]
