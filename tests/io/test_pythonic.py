from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from headwater.errors import InvalidConfigError, MissingValueError
from headwater.io import (
    ConfigurableIOManager,
    ConfigurableIOManagerFactory,
    FilesystemIOManager,
    InMemoryIOManager,
    InputContext,
    OutputContext,
    PickledObjectFilesystemIOManager,
    build_input_context,
    build_output_context,
)
from headwater.resources import InitResourceContext, build_resources
from headwater.storage import Instance


class JsonIOManager(ConfigurableIOManager):
    root: str
    indent: int = 0

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        path = Path(self.root, *context.get_asset_identifier())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj, indent=self.indent or None))

    def load_input(self, context: InputContext) -> Any:
        return json.loads(Path(self.root, *context.get_asset_identifier()).read_text())


def test_configurable_io_manager_is_the_manager(tmp_path: Path) -> None:
    with build_resources({"io_manager": JsonIOManager(root=str(tmp_path))}) as resources:
        manager = resources.io_manager
        assert isinstance(manager, JsonIOManager)
        manager.handle_output(build_output_context(asset_key="a"), {"x": 1})
        assert manager.load_input(build_input_context(asset_key="a")) == {"x": 1}
    assert (tmp_path / "a").read_text() == '{"x": 1}'


def test_run_config_replaces_the_constructed_fields(tmp_path: Path) -> None:
    # As the reference: run config for a constructed resource is its whole config, so the
    # fields given to the constructor are not kept underneath it.
    with build_resources(
        {"io_manager": JsonIOManager(root=str(tmp_path))},
        resource_config={"io_manager": {"config": {"root": str(tmp_path / "b"), "indent": 2}}},
    ) as resources:
        assert resources.io_manager.indent == 2
        assert resources.io_manager.root == str(tmp_path / "b")
    partial = {"io_manager": {"config": {"indent": 2}}}
    manager = {"io_manager": JsonIOManager(root=str(tmp_path))}
    with (
        pytest.raises(InvalidConfigError, match='missing required field "root"'),
        build_resources(manager, resource_config=partial),
    ):
        pass


def test_configurable_io_manager_must_implement_both_methods() -> None:
    class Half(ConfigurableIOManager):
        def handle_output(self, context: OutputContext, obj: Any) -> None: ...

    with pytest.raises(TypeError, match="load_input"):
        Half()  # type: ignore[abstract]


def test_factory_builds_its_manager() -> None:
    class MemoryFactory(ConfigurableIOManagerFactory[InMemoryIOManager]):
        preload: int = 0

        def create_io_manager(self, context: InitResourceContext) -> InMemoryIOManager:
            manager = InMemoryIOManager()
            manager.values[("seed",)] = self.preload
            return manager

    with build_resources({"io_manager": MemoryFactory(preload=7)}) as resources:
        assert resources.io_manager.values == {("seed",): 7}


def test_factory_without_create_io_manager_says_so() -> None:
    class Empty(ConfigurableIOManagerFactory[InMemoryIOManager]):
        pass

    with (
        pytest.raises(Exception, match="Empty must implement create_io_manager"),
        build_resources({"io_manager": Empty()}),
    ):
        pass


def test_filesystem_io_manager_base_dir(tmp_path: Path) -> None:
    with build_resources({"io_manager": FilesystemIOManager(base_dir=str(tmp_path))}) as res:
        assert isinstance(res.io_manager, PickledObjectFilesystemIOManager)
        assert res.io_manager.base_dir == str(tmp_path)
    with (
        Instance.local_temp(tmp_path / "home") as instance,
        build_resources({"io_manager": FilesystemIOManager()}, instance=instance) as res,
    ):
        assert res.io_manager.base_dir == str(tmp_path / "home" / "storage")


def test_filesystem_io_manager_names_itself_in_errors(tmp_path: Path) -> None:
    manager = FilesystemIOManager(base_dir=str(tmp_path))
    with (
        build_resources({"io_manager": manager}) as res,
        pytest.raises(MissingValueError, match=r"^FilesystemIOManager could not load asset 'x'"),
    ):
        res.io_manager.load_input(build_input_context(asset_key="x"))


def test_importing_headwater_io_imports_neither_pydantic_nor_sqlalchemy() -> None:
    code = (
        "import sys, headwater.io, headwater.metadata; "
        "print([m for m in ('pydantic', 'sqlalchemy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
