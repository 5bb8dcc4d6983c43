"""headwater-pipes: report from an external process to a headwater or Dagster run."""

from __future__ import annotations
