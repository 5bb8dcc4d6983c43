"""The private helpers behave as the reference's: each scenario runs under Dagster 1.13 and
under headwater through the alias, and what it prints must be the same.

The parity harness (tests/parity) runs scenarios against ``dg``; these need ``import
dagster`` itself and Dagster's private paths, so they run here, each side in its own
interpreter. Skipped where the reference environment is absent.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from typing import Any

import pytest
from tests.alias.conftest import run_python
from tests.alias.test_paths import REFERENCE

import headwater

# name -> code that sets `out` to a JSON-able value; it runs with `import dagster` done.
SCENARIOS: dict[str, str] = {
    "backoff_retries_then_raises_the_last_error": """
        from dagster._utils.backoff import backoff
        calls = []
        def down():
            calls.append(1)
            raise ConnectionError(f"attempt {len(calls)}")
        def zero():
            while True:
                yield 0
        try:
            backoff(down, retry_on=(ConnectionError,), max_retries=2, delay_generator=zero())
        except ConnectionError as exc:
            out = [len(calls), str(exc)]
    """,
    "backoff_returns_the_first_success": """
        from dagster._utils.backoff import backoff
        calls = []
        def flaky(a, b=0):
            calls.append(1)
            if len(calls) < 2:
                raise OSError("once")
            return a + b
        def zero():
            while True:
                yield 0
        out = [backoff(flaky, (OSError,), args=[1], kwargs={"b": 2}, delay_generator=zero()),
               len(calls)]
    """,
    "backoff_delays_double_from_a_tenth": """
        from dagster._utils.backoff import exponential_delay_generator
        gen = exponential_delay_generator()
        out = [next(gen) for _ in range(4)]
    """,
    "check_messages": """
        import dagster._check as check
        out = []
        for call in (
            lambda: check.inst_param("x", "n", int),
            lambda: check.str_param(3, "s"),
            lambda: check.invariant(False, "must hold"),
            lambda: check.invariant(0),
            lambda: check.failed("stop"),
            lambda: check.not_none(None, "needed"),
            lambda: check.int_param(True, "n"),
        ):
            try:
                call()
                out.append(None)
            except check.CheckError as exc:
                out.append(str(exc))
    """,
    "check_defaults_and_passthrough": """
        import dagster._check as check
        out = [check.opt_str_param(None, "s", "d"), check.opt_list_param(None, "l"),
               check.opt_dict_param(None, "d"), check.opt_int_param(None, "i"),
               check.inst_param(3, "n", (int, float)), check.opt_nullable_dict_param(None, "d"),
               check.bool_param(True, "b"), check.numeric_param(2.5, "x")]
    """,
    "file_relative_path_and_merge_dicts": """
        from dagster._utils import file_relative_path
        from dagster._utils.merger import merge_dicts
        out = [file_relative_path("/a/b/c.py", "d.csv"), merge_dicts({"a": 1}, {"a": 2, "b": 3})]
    """,
    "library_registry_records_a_library": """
        from dagster._core.libraries import DagsterLibraryRegistry
        DagsterLibraryRegistry.register("dagster-example", "0.1.0", is_dagster_package=False)
        out = DagsterLibraryRegistry.get()["dagster-example"]
    """,
    "warning_texts_and_disabling": """
        import warnings
        from dagster._utils.warnings import (
            beta_warning, deprecation_warning, disable_dagster_warnings, preview_warning,
            supersession_warning,
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            beta_warning("thing")
            preview_warning("thing")
            supersession_warning("thing", "Use other.")
            deprecation_warning("thing", "2.0", "Use other.")
            with disable_dagster_warnings():
                deprecation_warning("silenced", "2.0")
                beta_warning("silenced")
        out = [str(w.message) for w in caught]
    """,
    "warning_categories": """
        import warnings
        from dagster._utils.warnings import beta_warning, preview_warning, supersession_warning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            beta_warning("thing")
            preview_warning("thing")
            supersession_warning("thing")
        out = [type(w.message) is getattr(dagster, type(w.message).__name__, None)
               for w in caught] + [type(w.message).__name__ for w in caught]
    """,
    "normalize_renamed_param": """
        from dagster._utils.warnings import normalize_renamed_param
        from dagster._check import CheckError
        out = [normalize_renamed_param(None, "new", 1, "old"),
               normalize_renamed_param(2, "new", None, "old")]
        try:
            normalize_renamed_param(1, "new", 2, "old")
        except CheckError as exc:
            out.append(str(exc))
    """,
    "annotations_return_the_object": """
        from dagster._annotations import beta, deprecated, preview, public
        @public
        def f():
            return 1
        @beta
        class C:
            pass
        @deprecated(breaking_version="2.0")
        def g():
            return 2
        @preview
        def h():
            return 3
        out = [f(), C.__name__, h.__name__]
    """,
    "test_utils_environ": """
        import os
        from dagster._core.test_utils import environ
        os.environ.pop("HW_ALIAS_SCENARIO", None)
        with environ({"HW_ALIAS_SCENARIO": "1"}):
            inside = os.environ.get("HW_ALIAS_SCENARIO")
        out = [inside, os.environ.get("HW_ALIAS_SCENARIO")]
    """,
    "data_version_tags": """
        from dagster._core.definitions.data_version import CODE_VERSION_TAG, DATA_VERSION_TAG
        out = [DATA_VERSION_TAG, CODE_VERSION_TAG]
    """,
    "errors_paths_are_the_public_classes": """
        from dagster._core.errors import (
            DagsterError, DagsterInvalidDefinitionError, DagsterInvariantViolationError,
        )
        out = [issubclass(DagsterInvariantViolationError, dagster.DagsterError),
               DagsterInvalidDefinitionError is dagster.DagsterInvalidDefinitionError,
               DagsterError is dagster.DagsterError]
    """,
    "object_metadata_value": """
        from dagster._core.definitions.metadata.metadata_value import ObjectMetadataValue
        class Schema:
            pass
        held = ObjectMetadataValue(Schema())
        named = ObjectMetadataValue("Schema", instance=Schema)
        out = [held.value, held.class_name, type(held.instance).__name__, named.instance is Schema,
               isinstance(held, dagster.MetadataValue)]
    """,
    "current_time_is_utc": """
        from dagster._time import get_current_datetime, get_current_timestamp
        now = get_current_datetime()
        out = [str(now.tzinfo), abs(now.timestamp() - get_current_timestamp()) < 5]
    """,
    "a_missing_internal_raises_module_not_found": """
        try:
            import dagster._core.no_such_module_xyz
        except ImportError as exc:
            out = type(exc).__name__
    """,
    "version_is_one_thirteen": """
        from dagster.version import __version__
        out = [__version__.startswith("1.13."), dagster.__version__ == __version__]
    """,
}

_RUNNER = """
import json, traceback
import dagster
results = {}
for name, code in SCENARIOS.items():
    scope = {"dagster": dagster}
    try:
        exec(code, scope)
        results[name] = {"out": scope.get("out")}
    except Exception as exc:
        results[name] = {"raised": type(exc).__name__, "message": str(exc)}
print(json.dumps(results))
"""


def _program() -> str:
    scenarios = {name: textwrap.dedent(code) for name, code in SCENARIOS.items()}
    return f"SCENARIOS = {scenarios!r}\n{_RUNNER}"


@pytest.fixture(scope="module")
def observed() -> dict[str, Any]:
    if REFERENCE is None:
        pytest.skip("the reference Dagster 1.13 environment is absent")
    program = _program()
    reference = subprocess.run(
        [str(REFERENCE), "-W", "ignore", "-c", program],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert reference.returncode == 0, reference.stderr
    ours = run_python("", args=["-W", "ignore", "-m", "headwater.alias", "-c", program])
    assert ours.returncode == 0, ours.stderr
    return {
        "reference": json.loads(reference.stdout.strip().splitlines()[-1]),
        "headwater": json.loads(ours.stdout.strip().splitlines()[-1]),
    }


# Scenarios that need root names other work adds; they run once headwater has them.
_NEEDS = {"warning_categories": ("BetaWarning", "PreviewWarning", "SupersessionWarning")}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_matches_the_reference(observed: dict[str, Any], name: str) -> None:
    missing = [n for n in _NEEDS.get(name, ()) if n not in headwater.__all__]
    if missing:
        pytest.skip(f"headwater does not export {', '.join(missing)} yet")
    assert observed["headwater"][name] == observed["reference"][name]
