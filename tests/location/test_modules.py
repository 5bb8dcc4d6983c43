"""Loading definitions from modules, packages and a project's defs folder; @repository."""

from __future__ import annotations

import re
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import headwater as dg
from headwater.errors import CodeLoadError, InvariantViolationError, UnsupportedFeatureError


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in set(sys.modules) - before:
        if name.split(".")[0] == "shop":  # the test project's modules only
            del sys.modules[name]


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def keys(defs: dg.Definitions) -> list[str]:
    return sorted(k.to_user_string() for k in defs.resolve_all_asset_keys())


@dg.asset
def first() -> int:
    return 1


@dg.asset
def second() -> int:
    return 2


def test_assets_found_in_several_modules_count_once() -> None:
    one = types.ModuleType("one")
    one.first = first  # type: ignore[attr-defined]
    two = types.ModuleType("two")
    two.second, two.first_again = second, first  # type: ignore[attr-defined]
    found = dg.load_assets_from_modules([one, two], group_name="g", key_prefix="p")
    assert sorted(k.to_user_string() for a in found for k in a.keys) == ["p/first", "p/second"]
    assert {g for a in found for g in a.group_names_by_key.values()} == {"g"}


PROJECT = {
    "pyproject.toml": """
        [tool.dg.project]
        root_module = "shop"
    """,
    "shop/__init__.py": "",
    "shop/defs/__init__.py": "",
    "shop/defs/raw.py": """
        import headwater as dg

        @dg.asset
        def orders():
            return [1, 2]
    """,
    "shop/defs/marts/__init__.py": "",
    "shop/defs/marts/totals.py": """
        import headwater as dg

        @dg.asset
        def total(orders):
            return sum(orders)

        total_job = dg.define_asset_job("total_job", selection=[total])
    """,
}


def test_defs_folder_collects_every_module_below_it(on_path: Path) -> None:
    write(on_path, PROJECT)
    defs = dg.load_from_defs_folder(path_within_project=on_path / "shop")
    assert keys(defs) == ["orders", "total"]
    assert defs.get_job_def("total_job").name == "total_job"
    result = defs.get_implicit_global_asset_job_def().execute_in_process()
    assert result.output_for_node("total") == 3


def test_components_load_defs_reads_a_defs_package(on_path: Path) -> None:
    write(on_path, PROJECT)
    import importlib

    defs = dg.components.load_defs(importlib.import_module("shop.defs"))
    assert keys(defs) == ["orders", "total"]


def test_a_folder_with_definitions_py_is_read_through_it_only(on_path: Path) -> None:
    write(
        on_path,
        {
            **PROJECT,
            "shop/defs/marts/definitions.py": """
                import headwater as dg

                @dg.asset
                def only_this():
                    return 0

                defs = dg.Definitions(assets=[only_this])
            """,
        },
    )
    defs = dg.load_from_defs_folder(path_within_project=on_path)
    assert keys(defs) == ["only_this", "orders"]


def test_a_project_without_config_says_where_it_looked(tmp_path: Path) -> None:
    msg = f"Could not find config file (pyproject.toml/dg.toml) in {tmp_path.resolve()}"
    with pytest.raises(CodeLoadError, match=re.escape(msg)):
        dg.load_from_defs_folder(path_within_project=tmp_path)


def test_yaml_components_import_but_refuse_use() -> None:
    with pytest.raises(UnsupportedFeatureError, match="YAML components"):
        dg.components.Component()


def test_repository_names_its_jobs_and_assets() -> None:
    @dg.op
    def one() -> int:
        return 1

    @dg.job
    def j() -> None:
        one()

    @dg.repository
    def repo() -> list[object]:
        return [first, j]

    assert repo.name == "repo"
    assert sorted(repo.job_names) == ["__ASSET_JOB", "j"]
    assert repo.get_job("j").execute_in_process().success
    assert sorted(k.to_user_string() for k in repo.assets_defs_by_key) == ["first"]
    msg = "Could not find job 'nope' in repository 'repo'"
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        repo.get_job("nope")


def test_definitions_as_a_repository() -> None:
    repo = dg.Definitions(assets=[first]).get_repository_def()
    assert repo.name == "__repository__"
    assert repo.has_implicit_global_asset_job_def()
