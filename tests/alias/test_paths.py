"""The private Dagster paths real code imports resolve to headwater's objects.

Each pair below was measured in public projects (docs/alias.md).
Under the alias each must be the named headwater object; under the reference (when its
environment is present) the same import must work, so the table invents no path.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from tests.alias.conftest import REPO, run_json, run_python

from headwater.alias._table import PATHS

ROOT = "headwater"
UTILS = "headwater.alias._utils"
WARN = "headwater.alias._annotations"

# (path, name, module holding the object headwater provides)
PAIRS: list[tuple[str, str, str]] = [
    ("dagster._core.errors", "DagsterInvariantViolationError", ROOT),
    ("dagster._core.errors", "DagsterError", ROOT),
    ("dagster._core.errors", "DagsterInvalidDefinitionError", ROOT),
    ("dagster._core.errors", "DagsterPipesExecutionError", ROOT),
    ("dagster._core.errors", "DagsterExecutionStepExecutionError", ROOT),
    ("dagster._core.definitions.metadata", "MetadataValue", ROOT),
    ("dagster._core.definitions.metadata", "normalize_metadata", "headwater.metadata.normalize"),
    ("dagster._core.definitions.metadata.metadata_value", "MetadataValue", ROOT),
    ("dagster._core.definitions.events", "AssetMaterialization", ROOT),
    ("dagster._core.definitions.events", "Output", ROOT),
    ("dagster._core.definitions.result", "MaterializeResult", ROOT),
    ("dagster._core.definitions.data_version", "DATA_VERSION_TAG", UTILS),
    ("dagster._core.definitions.data_version", "CODE_VERSION_TAG", UTILS),
    ("dagster._core.pipes.client", "PipesClient", ROOT),
    ("dagster._core.pipes.client", "PipesClientCompletedInvocation", ROOT),
    ("dagster._core.pipes.client", "PipesContextInjector", ROOT),
    ("dagster._core.pipes.client", "PipesMessageReader", ROOT),
    ("dagster._core.pipes.utils", "PipesEnvContextInjector", ROOT),
    ("dagster._core.pipes.utils", "PipesTempFileContextInjector", ROOT),
    ("dagster._core.pipes.utils", "PipesFileMessageReader", ROOT),
    ("dagster._core.pipes.utils", "open_pipes_session", ROOT),
    ("dagster._core.pipes.context", "PipesMessageHandler", ROOT),
    ("dagster._core.pipes.context", "PipesSession", ROOT),
    ("dagster._core.pipes.subprocess", "PipesSubprocessClient", ROOT),
    ("dagster._core.events", "DagsterEvent", ROOT),
    ("dagster._core.events", "DagsterEventType", ROOT),
    ("dagster._core.instance", "DagsterInstance", ROOT),
    ("dagster._core.storage.dagster_run", "DagsterRun", ROOT),
    ("dagster._core.storage.dagster_run", "DagsterRunStatus", ROOT),
    ("dagster._core.execution.context.init", "build_init_resource_context", ROOT),
    ("dagster._config.field_utils", "Shape", ROOT),
    ("dagster._utils", "file_relative_path", UTILS),
    ("dagster._utils.backoff", "backoff", UTILS),
    ("dagster._utils.merger", "merge_dicts", UTILS),
    ("dagster._utils.warnings", "disable_dagster_warnings", WARN),
    ("dagster._utils.warnings", "beta_warning", WARN),
    ("dagster._annotations", "public", WARN),
    ("dagster._annotations", "beta", WARN),
    ("dagster._annotations", "preview", WARN),
    ("dagster._annotations", "deprecated", WARN),
    ("dagster._core.libraries", "DagsterLibraryRegistry", UTILS),
    ("dagster._core.test_utils", "environ", UTILS),
    ("dagster._time", "get_current_datetime", UTILS),
    ("dagster_shared.libraries", "DagsterLibraryRegistry", UTILS),
    ("dagster_shared.utils.warnings", "disable_dagster_warnings", WARN),
    ("dagster_shared.error", "DagsterError", ROOT),
]


def _reference_python() -> Path | None:
    """The reference Dagster 1.13 interpreter: in this checkout's .ref, or the main one's."""
    common = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--path-format=absolute", "--git-common-dir"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    roots = [REPO, *([Path(common).parent] if common else [])]
    for root in roots:
        python = root / ".ref" / "dagster-1.13" / "bin" / "python"
        if python.exists():
            return python
    return None


def test_each_measured_private_name_is_the_headwater_object() -> None:
    result = run_json(
        f"""
        import importlib, json
        from headwater.alias import install_alias
        install_alias()
        same = {{}}
        for path, name, holder in {PAIRS!r}:
            aliased = getattr(importlib.import_module(path), name)
            same[f"{{path}}.{{name}}"] = aliased is getattr(importlib.import_module(holder), name)
        print(json.dumps(same))
        """
    )
    assert result == {f"{path}.{name}": True for path, name, _ in PAIRS}


def test_check_modules_are_headwaters_implementation() -> None:
    result = run_json(
        """
        import json
        from headwater.alias import install_alias
        install_alias()
        import dagster._check as check
        from dagster_shared import check as shared_check
        from headwater.alias import _check
        print(json.dumps([check.inst_param is _check.inst_param,
                          shared_check.CheckError is _check.CheckError]))
        """
    )
    assert result == [True, True]


@pytest.mark.parametrize(
    ("statement", "missing"),
    [
        ("import dagster._core.execution.plan.plan", "dagster._core.execution.plan"),
        ("from dagster._serdes import whitelist_for_serdes", "dagster._serdes"),
        ("import dagster._grpc.types", "dagster._grpc"),
    ],
)
def test_other_private_paths_name_themselves_as_not_provided(statement: str, missing: str) -> None:
    done = run_python(
        f"""
        from headwater.alias import install_alias
        install_alias()
        try:
            {statement}
        except ModuleNotFoundError as exc:
            print(exc.name)
            print(exc)
        """
    )
    name, message = done.stdout.splitlines()
    assert name == missing
    assert message == (
        f"{missing!r} is a Dagster internal that headwater does not provide; the Dagster alias "
        "maps only the public API and the private paths listed in docs/alias.md. Import the "
        "public name from 'dagster' instead."
    )


def test_a_name_headwater_lacks_fails_at_its_import() -> None:
    done = run_python(
        """
        from headwater.alias import install_alias
        install_alias()
        import dagster._core.errors as errors
        try:
            errors.NoSuchError
        except AttributeError as exc:
            print(exc)
        """
    )
    assert done.stdout.strip() == (
        "module 'dagster._core.errors' has no attribute 'NoSuchError': headwater does not "
        "provide it under the Dagster alias (see docs/alias.md)"
    )


def test_dagster_pipes_is_the_real_one_where_installed_else_headwater_pipes() -> None:
    result = run_json(
        """
        import importlib.util, json
        import headwater.alias as alias
        real = importlib.util.find_spec("dagster_pipes") is not None
        alias.install_alias()
        import dagster_pipes
        first = dagster_pipes.__name__ == "dagster_pipes" and not isinstance(
            dagster_pipes, alias.AliasModule)
        alias.uninstall_alias()
        # Where none is installed, the alias provides headwater_pipes under the name.
        alias._real_location = lambda name: None
        import sys
        sys.modules.pop("dagster_pipes", None)
        alias.install_alias()
        import dagster_pipes, headwater_pipes
        second = dagster_pipes.open_dagster_pipes is headwater_pipes.open_dagster_pipes
        print(json.dumps([real, first, second]))
        """
    )
    assert result[1:] == [result[0], True]


REFERENCE = _reference_python()


@pytest.mark.skipif(REFERENCE is None, reason="the reference Dagster 1.13 environment is absent")
def test_every_aliased_path_and_measured_name_exists_in_the_reference() -> None:
    assert REFERENCE is not None
    paths = sorted(p for p in PATHS if not p.startswith("dagster_pipes"))
    code = textwrap.dedent(
        f"""
        import importlib, json
        missing = []
        for path in {paths!r}:
            try:
                importlib.import_module(path)
            except ImportError:
                missing.append(path)
        for path, name in {[(p, n) for p, n, _ in PAIRS]!r}:
            if not hasattr(importlib.import_module(path), name):
                missing.append(f"{{path}}.{{name}}")
        print(json.dumps(missing))
        """
    )
    done = subprocess.run(
        [str(REFERENCE), "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
