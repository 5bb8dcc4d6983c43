"""The one table of Dagster module paths the alias provides, and where their names come from.

Each path maps to the headwater modules searched for a name, in order; ``root=True`` then
falls back to headwater's root namespace (every public name and Dagster spelling). A path
not listed here (nor a parent of a listed one) is a Dagster internal headwater does not
provide, and importing it raises an ImportError that says so.

The private paths are those public Dagster projects import most: measured over the test
suites and sources of fetched projects (see docs/alias.md).
"""

from __future__ import annotations

from headwater._dataclass import dataclass

__all__ = ["PATHS", "PathEntry"]


@dataclass(frozen=True, slots=True)
class PathEntry:
    """Where the names of one aliased module come from."""

    sources: tuple[str, ...] = ()
    root: bool = True


_CHECK = "headwater.alias._check"
_UTILS = "headwater.alias._utils"
_WARN = "headwater.alias._annotations"
_METADATA = "headwater.metadata.normalize"
_OBJECT = "headwater.metadata.object_value"

_ROOT = PathEntry()

PATHS: dict[str, PathEntry] = {
    "dagster": _ROOT,
    "dagster.version": PathEntry(root=False),
    # headwater.components (loading a defs folder) comes with the assets work; a source
    # module a build does not have is skipped.
    "dagster.components": PathEntry(("headwater.components",)),
    # dagster._utils and friends: small real implementations
    "dagster._check": PathEntry((_CHECK,), root=False),
    "dagster._annotations": PathEntry((_WARN,), root=False),
    "dagster._utils": PathEntry((_UTILS,)),
    "dagster._utils.backoff": PathEntry((_UTILS,), root=False),
    "dagster._utils.merger": PathEntry((_UTILS,), root=False),
    "dagster._utils.error": PathEntry((_UTILS,), root=False),
    "dagster._utils.warnings": PathEntry((_WARN,)),
    "dagster._utils.log": _ROOT,
    "dagster._time": PathEntry((_UTILS,), root=False),
    "dagster._core.libraries": PathEntry((_UTILS,), root=False),
    "dagster._core.test_utils": PathEntry((_UTILS,)),
    # dagster._core: the public names, at the paths real code imports them from
    "dagster._core.errors": _ROOT,
    "dagster._core.events": _ROOT,
    "dagster._core.instance": _ROOT,
    "dagster._core.definitions": _ROOT,
    "dagster._core.definitions.asset_key": _ROOT,
    "dagster._core.definitions.asset_checks": _ROOT,
    "dagster._core.definitions.asset_checks.asset_check_result": _ROOT,
    "dagster._core.definitions.assets": _ROOT,
    "dagster._core.definitions.data_version": PathEntry((_UTILS,)),
    "dagster._core.definitions.decorators": _ROOT,
    "dagster._core.definitions.definitions_class": _ROOT,
    "dagster._core.definitions.events": _ROOT,
    "dagster._core.definitions.input": _ROOT,
    "dagster._core.definitions.output": _ROOT,
    "dagster._core.definitions.job_definition": _ROOT,
    "dagster._core.definitions.op_definition": _ROOT,
    "dagster._core.definitions.resource_definition": _ROOT,
    "dagster._core.definitions.run_request": _ROOT,
    "dagster._core.definitions.sensor_definition": _ROOT,
    "dagster._core.definitions.schedule_definition": _ROOT,
    "dagster._core.definitions.result": _ROOT,
    "dagster._core.definitions.metadata": PathEntry((_METADATA, _OBJECT, _UTILS)),
    "dagster._core.definitions.metadata.metadata_value": PathEntry((_OBJECT,)),
    "dagster._core.definitions.metadata.table": _ROOT,
    "dagster._core.execution": _ROOT,
    "dagster._core.execution.context": _ROOT,
    "dagster._core.execution.context.compute": _ROOT,
    "dagster._core.execution.context.init": _ROOT,
    "dagster._core.execution.context.input": _ROOT,
    "dagster._core.execution.context.output": _ROOT,
    "dagster._core.execution.context.invocation": _ROOT,
    "dagster._core.execution.execute_in_process_result": _ROOT,
    "dagster._core.execution.with_resources": _ROOT,
    "dagster._core.storage": _ROOT,
    "dagster._core.storage.dagster_run": _ROOT,
    "dagster._core.storage.io_manager": _ROOT,
    "dagster._core.storage.input_manager": _ROOT,
    "dagster._core.storage.fs_io_manager": _ROOT,
    "dagster._core.storage.mem_io_manager": _ROOT,
    "dagster._core.storage.upath_io_manager": _ROOT,
    "dagster._core.pipes": _ROOT,
    "dagster._core.pipes.client": _ROOT,
    "dagster._core.pipes.context": _ROOT,
    "dagster._core.pipes.utils": _ROOT,
    "dagster._core.pipes.subprocess": _ROOT,
    "dagster._core.types": _ROOT,
    "dagster._core.types.dagster_type": _ROOT,
    "dagster._config": _ROOT,
    "dagster._config.field_utils": _ROOT,
    "dagster._config.config_type": _ROOT,
    "dagster._config.config_schema": PathEntry((_UTILS,)),
    "dagster._config.pythonic_config": _ROOT,
    # dagster_shared: the helpers Dagster moved there, under their new paths
    "dagster_shared": PathEntry(root=False),
    "dagster_shared.check": PathEntry((_CHECK,), root=False),
    "dagster_shared.libraries": PathEntry((_UTILS,), root=False),
    "dagster_shared.error": _ROOT,
    "dagster_shared.utils": PathEntry(root=False),
    "dagster_shared.utils.warnings": PathEntry((_WARN,)),
    # dagster_pipes: headwater's external-side library (only where no real one is installed)
    "dagster_pipes": PathEntry(("headwater_pipes",), root=False),
}
