"""``instance_for_test``: a persistent instance in a temporary folder, for tests."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from headwater.storage.config import CONFIG_FILENAME
from headwater.storage.instance import Instance

__all__ = ["instance_for_test"]


@contextmanager
def instance_for_test(
    overrides: Mapping[str, Any] | None = None,
    set_dagster_home: bool = True,
    temp_dir: str | None = None,
    synchronous_run_coordinator: bool = False,
    synchronous_run_launcher: bool = False,
) -> Iterator[Instance]:
    """A SQLite instance in a temporary folder, disposed (and the folder removed) on exit.

    Args:
        overrides: instance settings, as in ``headwater.yaml``; ``python_logs`` is used,
            other sections are accepted and ignored.
        set_dagster_home: point ``DAGSTER_HOME`` at the folder while the block runs, so
            code calling ``DagsterInstance.get()`` finds this instance.
        temp_dir: use this folder instead of a new one (it is left in place).
        synchronous_run_coordinator: accepted for Dagster's signature; changes nothing.
            Dagster's test instance can queue and launch runs in the background, and this
            makes that synchronous; headwater's instance launches no runs (runs execute
            where they are started), so it is already synchronous.
        synchronous_run_launcher: likewise accepted and changes nothing, for the same
            reason.

    Example:
        ``with instance_for_test() as instance: job.execute_in_process(instance=instance)``
    """
    del synchronous_run_coordinator, synchronous_run_launcher  # see Args
    with tempfile.TemporaryDirectory(prefix="hw-test-") as made:
        home = temp_dir or made
        previous = os.environ.get("DAGSTER_HOME")
        if set_dagster_home:
            os.environ["DAGSTER_HOME"] = home
        python_logs = (overrides or {}).get("python_logs")
        if python_logs is not None:
            import yaml  # only a test instance with settings pays for the writer

            (Path(home) / CONFIG_FILENAME).write_text(yaml.safe_dump({"python_logs": python_logs}))
        instance = Instance.from_config(home)
        try:
            yield instance
        finally:
            instance.dispose()
            if set_dagster_home:
                if previous is None:
                    os.environ.pop("DAGSTER_HOME", None)
                else:
                    os.environ["DAGSTER_HOME"] = previous
