"""``headwater scaffold defs headwater.resources PATH``."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import headwater as dg

Invoke = Callable[..., Result]


def test_scaffold_writes_an_importable_resource_module(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "defs" / "warehouse.py"
    result = invoke("scaffold", "defs", "headwater.resources", str(path))
    assert result.exit_code == 0
    assert result.stdout == f"wrote {path}; edit it, then bind its resources to your jobs\n"
    spec = importlib.util.spec_from_file_location("scaffolded_warehouse", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    resource = module.resources["warehouse"]
    assert isinstance(resource, module.WarehouseResource)

    def use(warehouse) -> str:
        return str(warehouse.describe())

    # Set by hand: this module's postponed annotations cannot name a class made at run time.
    use.__annotations__ = {"warehouse": module.WarehouseResource, "return": str}
    use_op = dg.op(use)

    @dg.job(resource_defs=module.resources)
    def uses_it() -> None:
        use_op()

    monkeypatch.setenv("WAREHOUSE_API_TOKEN", "t")
    outcome = uses_it.execute_in_process()
    assert outcome.output_for_node("use") == "https://example.com/api (timeout 10.0s)"


def test_scaffold_refuses_to_overwrite(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "resources.py"
    path.write_text("keep me\n")
    result = invoke("scaffold", "defs", "headwater.resources", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path} already exists; not overwriting it (choose another path or move it)\n"
    )
    assert path.read_text() == "keep me\n"


def test_scaffold_unknown_kind(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("scaffold", "defs", "headwater.sensors", str(tmp_path / "s.py"))
    assert (
        result.stderr
        == "Error: cannot scaffold 'headwater.sensors'; available: headwater.resources\n"
    )
