"""The cereal jobs as module-level values, for the CLI:

    headwater job list -f examples/cereal/jobs.py
    headwater job execute -f examples/cereal/jobs.py -j cereal_prod \
        -c examples/cereal/run_config.yaml

`cereal_prod` writes to the SQLite file named by CEREAL_DB (default: headwater-cereal.db in
the system's temporary folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .pipeline import build_prod_job, cereal_test

DB_PATH = os.environ.get("CEREAL_DB") or str(Path(tempfile.gettempdir()) / "headwater-cereal.db")

cereal_prod = build_prod_job(DB_PATH)

__all__ = ["cereal_prod", "cereal_test"]
