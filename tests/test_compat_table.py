"""docs/compat.md: every top-level name of the reference, and what headwater makes of it.

The reference's names come from ``tests/compat/reference_names.json`` (written by
``scripts/snapshot_reference_names.py`` under the reference interpreter), so this test needs
no Dagster. Each name is *supported* (headwater exports it with the reference's parameters),
*partial* (exported, with what is missing said), *outside headwater* (a placeholder that
imports and raises ``UnsupportedFeatureError``) or *not supported* (a gap).

Regenerate the page after changing the surface:

    PYTHONPATH=src:headwater-pipes/src .venv/bin/python tests/test_compat_table.py --write
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import headwater_pipes
import pytest

import headwater
from headwater._unsupported import FEATURES, Unsupported, placeholder
from headwater.errors import UnsupportedFeatureError

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "compat" / "reference_names.json"
DOC = ROOT / "docs" / "compat.md"
DIFFERENCES = ROOT / "tests" / "parity" / "differences.py"
REGENERATE = (
    "PYTHONPATH=src:headwater-pipes/src .venv/bin/python tests/test_compat_table.py --write"
)

# Concept areas, in the page's order: (area, prefixes of the reference's defining module).
# The first area whose prefix matches a name's module takes it; AREA_OF overrides.
AREAS: list[tuple[str, tuple[str, ...]]] = [
    ("Config", ("dagster._config",)),
    (
        "Resources",
        (
            "dagster._core.definitions.resource",
            "dagster._core.execution.build_resources",
            "dagster._config.pythonic_config.resource",
            "dagster._config.pythonic_config.attach_other_object_to_context",
        ),
    ),
    (
        "IO managers",
        (
            "dagster._core.storage.io_manager",
            "dagster._core.storage.fs_io_manager",
            "dagster._core.storage.mem_io_manager",
            "dagster._core.storage.input_manager",
            "dagster._core.storage.upath_io_manager",
            "dagster._config.pythonic_config.io_manager",
            "dagster._core.storage.asset_value_loader",
            "dagster._core.storage.migrate",
        ),
    ),
    (
        "Ops, graphs and jobs",
        (
            "dagster._core.definitions.op_definition",
            "dagster._core.definitions.graph_definition",
            "dagster._core.definitions.job_definition",
            "dagster._core.definitions.input",
            "dagster._core.definitions.output",
            "dagster._core.definitions.dependency",
            "dagster._core.definitions.composition",
            "dagster._core.definitions.policy",
            "dagster._core.definitions.config",
            "dagster._core.definitions.configurable",
            "dagster._core.definitions.decorators",
            "dagster._core.definitions.reconstruct",
        ),
    ),
    (
        "Executors",
        (
            "dagster._core.definitions.executor_definition",
            "dagster._core.executor",
            "dagster._core.definitions.step_launcher",
            "dagster._core.execution.plan",
        ),
    ),
    ("Loggers", ("dagster._core.definitions.logger_definition", "dagster._loggers")),
    ("Hooks", ("dagster._core.definitions.hook_definition",)),
    (
        "Execution and results",
        (
            "dagster._core.execution",
            "dagster._core.definitions.events",
            "dagster._core.definitions.run_config",
            "dagster._core.definitions.result",
        ),
    ),
    (
        "Events and the instance",
        (
            "dagster._core.events",
            "dagster._core.event_api",
            "dagster._core.instance",
            "dagster._core.storage",
            "dagster._core.launcher",
            "dagster._core.run_coordinator",
            "dagster._core.types.pagination",
        ),
    ),
    ("Asset checks", ("dagster._core.definitions.asset_checks",)),
    ("Partitions", ("dagster._core.definitions.partitions", "dagster._core.definitions.dynamic")),
    (
        "Schedules, sensors and automation",
        (
            "dagster._core.definitions.schedule_definition",
            "dagster._core.definitions.sensor_definition",
            "dagster._core.definitions.run_request",
            "dagster._core.definitions.run_status_sensor_definition",
            "dagster._core.definitions.asset_sensor_definition",
            "dagster._core.definitions.multi_asset_sensor_definition",
            "dagster._core.definitions.declarative_automation",
            "dagster._core.definitions.auto_materialize",
            "dagster._core.definitions.automation_condition_sensor_definition",
            "dagster._utils.alert",
        ),
    ),
    (
        "Definitions and code loading",
        (
            "dagster._core.definitions.definitions_class",
            "dagster._core.definitions.repository_definition",
            "dagster._core.definitions.module_loaders",
            "dagster._core.definitions.selector",
            "dagster.components.core.load_defs",
            "dagster.components.definitions",
        ),
    ),
    ("Metadata", ("dagster._core.definitions.metadata",)),
    ("Types", ("dagster._core.types", "dagster._utils.dagster_type", "dagster._builtins")),
    ("Assets", ("dagster._core.definitions",)),
    ("Errors", ("dagster._core.errors", "dagster_shared.error")),
    ("Warnings", ("dagster_shared.utils.warnings",)),
    ("YAML components", ("dagster.components",)),
    ("Pipes (orchestration side)", ("dagster._core.pipes",)),
    ("Utilities", ("dagster._utils", "dagster_shared")),
]

AREA_OF: dict[str, str] = {
    "asset_check": "Asset checks",
    "multi_asset_check": "Asset checks",
    "asset_sensor": "Schedules, sensors and automation",
    "multi_asset_sensor": "Schedules, sensors and automation",
    "schedule": "Schedules, sensors and automation",
    "sensor": "Schedules, sensors and automation",
    "repository": "Definitions and code loading",
    "asset": "Assets",
    "multi_asset": "Assets",
    "graph_asset": "Assets",
    "graph_multi_asset": "Assets",
    "observable_source_asset": "Assets",
    "multi_observable_source_asset": "Assets",
    "success_hook": "Hooks",
    "failure_hook": "Hooks",
    "HookExecutionResult": "Hooks",
    "HookContext": "Hooks",
    "build_hook_context": "Hooks",
    "InitLoggerContext": "Loggers",
    "DagsterLogManager": "Loggers",
    "get_dagster_logger": "Loggers",
    "InitResourceContext": "Resources",
    "build_init_resource_context": "Resources",
    "InputContext": "IO managers",
    "OutputContext": "IO managers",
    "build_input_context": "IO managers",
    "build_output_context": "IO managers",
    "with_resources": "Resources",
    "PipesExecutionResult": "Pipes (orchestration side)",
    "AssetCheckExecutionContext": "Asset checks",
    "build_asset_check_context": "Asset checks",
    "TypeCheck": "Types",
    "TypeCheckContext": "Types",
    "DagsterTypeLoaderContext": "Types",
    "Any": "Types",
    "Nothing": "Types",
    "Int": "Config",
    "Float": "Config",
    "String": "Config",
    "Bool": "Config",
    "DagsterError": "Errors",
    "MAX_RUNTIME_SECONDS_TAG": "Execution and results",
    "AssetOrCheckKey": "Assets",
    "SensorReturnTypesUnion": "Schedules, sensors and automation",
    "AddDynamicPartitionsRequest": "Partitions",
    "DeleteDynamicPartitionsRequest": "Partitions",
    "load_defs": "Definitions and code loading",
    "load_from_defs_folder": "Definitions and code loading",
    "definitions": "Definitions and code loading",
}

# Supported names with something missing: name -> what is missing (kept short).
PARTIAL: dict[str, str] = {}

# Supported names that behave differently on purpose: name -> how, and why.
NOTES: dict[str, str] = {
    "with_resources": "the copies carry no default `io_manager` (`materialize` and "
    "`Definitions` supply one): in the reference a default carried by the copies takes "
    "precedence over an `io_manager` given later to `materialize` or `Definitions`, "
    "silently ignoring the one the user gave",
    "default_loggers": "a run whose config selects no logger prints nothing (the reference "
    "prints every event at DEBUG to the console): the instance records every event, and "
    "headwater keeps the console quiet unless run config `loggers:` asks for output",
}

# Classes the framework builds and hands to user code (contexts, results, records): users
# never call their constructors, so their constructor parameters are not compared.
FRAMEWORK_BUILT = frozenset(
    {
        "AssetCheckExecutionContext",
        "AutomationContext",
        "AssetExecutionContext",
        "DagsterEvent",
        "DagsterInstance",
        "DagsterLogManager",
        "DagsterRun",
        "DagsterTypeLoaderContext",
        "EventLogEntry",
        "EventLogRecord",
        "ExecuteInProcessResult",
        "HookContext",
        "InitExecutorContext",
        "InitResourceContext",
        "InputContext",
        "JobExecutionResult",
        "MultiAssetSensorEvaluationContext",
        "OpExecutionContext",
        "OutputContext",
        "RunFailureSensorContext",
        "RunRecord",
        "RunStatusSensorContext",
        "ScheduleEvaluationContext",
        "SensorEvaluationContext",
        "StepExecutionContext",
    }
)

_SIMPLE = (type(None), bool, int, float, str)


def _default(value: Any) -> str | None:
    if value is inspect.Parameter.empty:
        return None
    if isinstance(value, _SIMPLE):
        return repr(value)
    if isinstance(value, tuple | list | frozenset | set | dict) and not value:
        return repr(value)
    return "<object>"


def _signature(value: Any) -> list[list[str | None]] | None:
    try:
        sig = inspect.signature(value)
    except (TypeError, ValueError):
        return None
    return [[p.name, p.kind.name, _default(p.default)] for p in sig.parameters.values()]


def _signature_gaps(reference: list[list[str | None]] | None, ours: Any) -> str:
    """What headwater's parameters lack or add compared with the reference's."""
    if reference is None or not callable(ours):
        return ""
    # `(*args, **kwargs)`: the reference's record and named-tuple classes hide their
    # parameters, so there is nothing to compare (their call forms are in parity scenarios).
    if [p[1] for p in reference] == ["VAR_POSITIONAL", "VAR_KEYWORD"]:
        return ""
    mine = _signature(ours)
    if mine is None:
        return ""
    # `self` and private parameters (`_subset_selection_data`) are not the public contract.
    ref = {p[0]: p for p in reference if p[0] and not p[0].startswith("_") and p[0] != "self"}
    got = {p[0]: p for p in mine if p[0] and not p[0].startswith("_") and p[0] != "self"}
    parts = []
    missing = [n for n in ref if n not in got]
    if missing:
        parts.append("parameters " + ", ".join(f"`{n}`" for n in missing) + " missing")
    extra = [n for n in got if n not in ref]
    if extra:
        parts.append("extra parameters " + ", ".join(f"`{n}`" for n in extra))
    kinds = [n for n in ref if n in got and ref[n][1] != got[n][1]]
    if kinds:
        parts.append("kind of " + ", ".join(f"`{n}`" for n in kinds) + " differs")
    defaults = [
        n
        for n in ref
        if n in got
        and ref[n][2] != got[n][2]
        and "<object>" not in (ref[n][2], got[n][2])
        and not (ref[n][2] == "None" and got[n][2] in ("()", "{}", "frozenset()"))
    ]
    if defaults:
        parts.append("default of " + ", ".join(f"`{n}`" for n in defaults) + " differs")
    return "; ".join(parts)


def _reference_parameters(entry: dict[str, Any]) -> list[list[str | None]] | None:
    """The reference's parameters: what it really accepts where its signature is opaque.

    A record, a decorated class or an error reading keywords out of ``**kwargs`` shows
    ``inspect.signature`` as ``(*args, **kwargs)``; the snapshot then also holds ``accepts``
    (the record's fields, or the keywords its ``__init__`` chain reads), compared instead.
    """
    accepts: list[list[str | None]] | None = entry.get("accepts")
    return accepts if accepts is not None else entry.get("signature")


def _area(name: str, entry: dict[str, Any]) -> str:
    if name in AREA_OF:
        return AREA_OF[name]
    if placeholder(name) is not None:
        for feature, (_, names) in FEATURES.items():
            if name in names:
                return f"Outside headwater: {feature}"
    module = entry.get("module") or ""
    for area, prefixes in AREAS:
        if module.startswith(prefixes):
            return area
    return "Other"


def _status(namespace: Any, name: str, entry: dict[str, Any]) -> tuple[str, str]:
    try:
        value = getattr(namespace, name)
    except AttributeError:
        return "not supported", ""
    if isinstance(value, type) and issubclass(value, Unsupported):
        return "outside headwater", "imports; raises `UnsupportedFeatureError` when used"
    if isinstance(value, type) and "unsupported_feature" in vars(value):  # headwater_pipes'
        return "outside headwater", "imports; raises `PipesUnsupportedError` when used"
    # A package that is also callable (``headwater.resources``) stands for a function.
    if isinstance(value, ModuleType) and entry["kind"] != "module" and not callable(value):
        return "not supported", f"`headwater.{name}` is a headwater package, not this name"
    compared = None if name in FRAMEWORK_BUILT else _reference_parameters(entry)
    gaps = [g for g in (PARTIAL.get(name, ""), _signature_gaps(compared, value)) if g]
    note = NOTES.get(name, "")
    if gaps:
        return "partial", "; ".join([*gaps, note] if note else gaps)
    return "supported", note


def _deliberate() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("_parity_differences", DIFFERENCES)
    if spec is None or spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(getattr(module, "DELIBERATE", {}))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """The whole page, from the snapshot and headwater's surface as it is now."""
    snapshot = json.loads(SNAPSHOT.read_text())
    namespaces = {"dagster": headwater, "dagster_pipes": headwater_pipes}
    rows: dict[str, list[tuple[str, str, str, str]]] = {}
    totals: dict[str, int] = {}
    for ns_name, names in snapshot["namespaces"].items():
        target = namespaces[ns_name]
        for name, entry in sorted(names.items()):
            area = "Pipes (external side: dagster_pipes)" if ns_name == "dagster_pipes" else None
            status, note = _status(target, name, entry)
            rows.setdefault(area or _area(name, entry), []).append(
                (f"{ns_name}.{name}", entry["kind"], status, note)
            )
            totals[status] = totals.get(status, 0) + 1
    refs = snapshot["reference"]
    lines = [
        "# Compatibility with Dagster",
        "",
        "<!-- Generated by tests/test_compat_table.py; do not edit by hand. -->",
        "",
        f"Every top-level name of `dagster` {refs['dagster']} and `dagster_pipes` "
        f"{refs['dagster_pipes']}, and what headwater makes of it (`import headwater as dg`; "
        "`dagster_pipes` names are looked up in `headwater_pipes`).",
        "",
        "- **supported**: exported, with the reference's parameters (contexts and records "
        "that only the framework builds are not compared);",
        "- **partial**: exported; the note says what is missing or differs (parameters are "
        "compared with `inspect.signature`);",
        "- **outside headwater**: a feature headwater does not have; the name imports, and "
        "using it raises `UnsupportedFeatureError` naming the feature;",
        "- **not supported**: not there yet.",
        "",
        "| status | names |",
        "| --- | --- |",
    ]
    for status in ("supported", "partial", "outside headwater", "not supported"):
        lines.append(f"| {status} | {totals.get(status, 0)} |")
    lines += [
        "",
        "## The Dagster alias",
        "",
        "Code that says `import dagster` runs unchanged on headwater through an opt-in alias "
        "(`python -m headwater.alias -m pytest ...`, or `headwater.compat.install_alias()`): "
        "`dagster`, `dagster_pipes`, `dagster_shared` and the private module paths real code "
        "imports most (`dagster._core.errors`, `dagster._utils.backoff`, ...) resolve to "
        "headwater. How it is switched on, which private paths it provides, and public "
        "projects' test suites run through it against the reference: [alias.md](alias.md).",
    ]
    order = [a for a, _ in AREAS]
    for area in sorted(rows, key=lambda a: (a.startswith("Outside"), _rank(order, a), a)):
        entries = rows[area]
        supported = sum(1 for e in entries if e[2] == "supported")
        lines += [
            "",
            f"## {area} ({supported}/{len(entries)} supported)",
            "",
            "| name | kind | status | notes |",
            "| --- | --- | --- | --- |",
        ]
        lines += [f"| `{n}` | {k} | {s} | {_cell(note)} |" for n, k, s, note in entries]
    deliberate = _deliberate()
    lines += [
        "",
        "## Deliberate differences",
        "",
        "Where headwater behaves differently from the reference on purpose (a clearer error, "
        "a defect of the reference). Parity scenarios in this list are compared as expected "
        "to differ (`tests/parity/differences.py`).",
        "",
    ]
    if deliberate:
        lines += ["| scenario | why |", "| --- | --- |"]
        lines += [f"| `{k}` | {_cell(v)} |" for k, v in sorted(deliberate.items())]
    else:
        lines.append("None yet.")
    return "\n".join(lines) + "\n"


def _rank(order: list[str], area: str) -> int:
    return order.index(area) if area in order else len(order)


def test_compat_md_is_current() -> None:
    assert DOC.exists(), f"docs/compat.md is missing; run: {REGENERATE}"
    assert DOC.read_text() == render(), f"docs/compat.md is stale; run: {REGENERATE}"


def test_snapshot_covers_both_namespaces() -> None:
    snapshot = json.loads(SNAPSHOT.read_text())
    assert set(snapshot["namespaces"]) == {"dagster", "dagster_pipes"}
    assert len(snapshot["namespaces"]["dagster"]) > 400


def _outside_names() -> list[str]:
    return sorted(n for _, (_, names) in FEATURES.items() for n in names)


def test_opaque_reference_signatures_are_resolved() -> None:
    """Records and kwargs-reading errors are compared on what they accept, not `*args`."""
    names = json.loads(SNAPSHOT.read_text())["namespaces"]["dagster"]
    assert names["IntMetadataValue"]["signature"] == [
        ["args", "VAR_POSITIONAL", None],
        ["kwargs", "VAR_KEYWORD", None],
    ]
    assert _reference_parameters(names["IntMetadataValue"]) == [
        ["value", "POSITIONAL_OR_KEYWORD", None]
    ]
    step_error = _reference_parameters(names["DagsterExecutionStepExecutionError"]) or []
    assert [p[0] for p in step_error] == [
        "args",
        "step_key",
        "op_name",
        "op_def_name",
        "user_exception",
        "original_exc_info",
    ]
    assert _reference_parameters(names["FilePathMapping"]) == []


def test_outside_names_are_reference_names_headwater_does_not_export() -> None:
    reference = json.loads(SNAPSHOT.read_text())["namespaces"]["dagster"]
    listed = _outside_names()
    assert len(listed) == len(set(listed)), "a name is listed under two features"
    assert set(listed) <= set(reference)
    assert not set(listed) & set(headwater.__all__)


@pytest.mark.parametrize("name", _outside_names())
def test_outside_name_imports_and_raises_naming_its_feature(name: str) -> None:
    stand_in = getattr(headwater, name)
    assert stand_in is getattr(headwater, name)  # one object: `is` and `isinstance` work
    assert name not in dir(headwater)
    uses: list[Callable[[], Any]] = [
        stand_in,
        lambda: stand_in.anything,
        lambda: type("Sub", (stand_in,), {}),
    ]
    for use in uses:
        with pytest.raises(UnsupportedFeatureError, match=f"`{name}` is part of") as caught:
            use()
        assert caught.value.feature in FEATURES


def test_from_import_of_an_outside_name_works() -> None:
    namespace: dict[str, Any] = {}
    exec("from headwater import Component, serialize_value", namespace)
    assert namespace["Component"].__name__ == "Component"
    with pytest.raises(UnsupportedFeatureError, match="YAML components system"):
        namespace["Component"]()


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        DOC.write_text(render())
        print(f"wrote {DOC}")
    else:
        print(render(), end="")
