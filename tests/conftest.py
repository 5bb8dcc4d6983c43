"""Suite-wide set-up: the tests never see the developer's instance settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

# A developer's shell may point HEADWATER_HOME, DAGSTER_HOME or HEADWATER_POSTGRES_URL at a
# real instance; tests that open the default instance or wipe storage must never reach it.
# HEADWATER_TEST_* variables are the suite's own (e.g. the PostgreSQL URL CI provides).
for _name in list(os.environ):
    if _name == "DAGSTER_HOME" or (
        _name.startswith("HEADWATER_") and not _name.startswith("HEADWATER_TEST_")
    ):
        del os.environ[_name]


@pytest.fixture(autouse=True)
def _modules_kept() -> Iterator[None]:
    """Put back any module a test dropped from ``sys.modules``.

    Reloading a code location (the web server's "reload", ``reload_code``) drops every module
    imported from the code's folders, and in this repository those include the test helper
    modules other tests hold objects of (``executor_jobs``). A later ``reconstructable()``
    then finds their jobs in no imported module. The same module objects go back, so objects
    other tests hold still belong to an imported module; a module a test imported afresh
    under the same name is left as it is.
    """
    before = dict(sys.modules)
    yield
    for name, module in before.items():
        sys.modules.setdefault(name, module)
