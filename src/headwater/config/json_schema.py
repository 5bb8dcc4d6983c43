"""JSON Schema for config schemas (placeholder until written)."""

from __future__ import annotations

from typing import Any

from headwater.config.types import ConfigType

__all__ = ["to_json_schema"]


def to_json_schema(config_type: ConfigType) -> dict[str, Any]:
    """Not yet written."""
    raise NotImplementedError
