"""Suite-wide set-up: the tests never see the developer's instance settings."""

from __future__ import annotations

import os

# A developer's shell may point HEADWATER_HOME, DAGSTER_HOME or HEADWATER_POSTGRES_URL at a
# real instance; tests that open the default instance or wipe storage must never reach it.
# HEADWATER_TEST_* variables are the suite's own (e.g. the PostgreSQL URL CI provides).
for _name in list(os.environ):
    if _name == "DAGSTER_HOME" or (
        _name.startswith("HEADWATER_") and not _name.startswith("HEADWATER_TEST_")
    ):
        del os.environ[_name]
