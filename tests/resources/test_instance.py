"""The ephemeral instance of contexts built outside a run (``resources/_instance.py``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest

from headwater.errors import InvariantViolationError
from headwater.resources import (
    InitResourceContext,
    build_init_resource_context,
    build_resources,
    resource,
)
from headwater.storage import Instance


def _recording(seen: list[Any]) -> Any:
    @resource
    def recorder(context: InitResourceContext) -> str:
        seen.append(context.instance)
        return "r"

    return recorder


def test_a_built_context_has_one_ephemeral_instance() -> None:
    context = build_init_resource_context()
    assert isinstance(context.instance, Instance)
    assert context.instance.is_ephemeral
    assert context.instance is context.instance
    assert context.dagster_run is None
    assert context.run_id is None


def test_a_given_instance_is_kept() -> None:
    instance = Instance.ephemeral()
    assert build_init_resource_context(instance=instance).instance is instance
    seen: list[Any] = []
    with build_resources({"r": _recording(seen)}, instance=instance):
        pass
    assert seen == [instance]


def test_the_resources_given_a_context_and_direct_calls_share_its_instance() -> None:
    seen: list[Any] = []
    with build_init_resource_context(resources={"a": _recording(seen)}) as context:
        _recording(seen)(context)
        assert seen == [context.instance, context.instance]


def test_a_resource_called_without_a_context_gets_an_ephemeral_instance() -> None:
    seen: list[Any] = []
    _recording(seen)(None)
    assert isinstance(seen[0], Instance) and seen[0].is_ephemeral


def test_build_resources_shares_one_ephemeral_instance_and_disposes_it() -> None:
    seen: list[Any] = []
    with build_resources({"a": _recording(seen), "b": _recording(seen)}):
        assert seen[0] is seen[1] and seen[0].is_ephemeral
        folder = seen[0].storage_directory()
        assert os.path.isdir(folder)
    assert not os.path.exists(folder)


def test_leaving_the_context_disposes_the_instance_it_made() -> None:
    with build_init_resource_context() as context:
        folder = context.instance.storage_directory()
        assert os.path.isdir(folder)
    assert not os.path.exists(folder)


def test_a_disposed_instance_names_the_block_that_disposed_it() -> None:
    with build_init_resource_context() as context:
        instance = context.instance
        assert instance.get_runs() == []
    message = "^" + re.escape(
        "this ephemeral instance was disposed when the `with build_init_resource_context(...)` "
        "block exited; use it inside that block, or pass instance=DagsterInstance.ephemeral()"
    )
    with pytest.raises(InvariantViolationError, match=message):
        instance.get_runs()
    with pytest.raises(InvariantViolationError, match=message):
        instance.storage_directory()  # its folder is gone with it
    assert instance.is_ephemeral
    instance.dispose()  # disposing again is harmless


def test_an_instance_first_read_after_its_block_is_disposed_already() -> None:
    with build_init_resource_context() as context:
        pass
    with pytest.raises(InvariantViolationError, match="disposed when the `with build_init"):
        context.instance.get_runs()
    seen: list[Any] = []
    with build_resources({"r": _recording(seen)}):
        pass
    with pytest.raises(InvariantViolationError, match=r"`with build_resources\(\.\.\.\)` block"):
        seen[0].get_runs()


def test_the_instance_and_the_storage_package_load_only_when_read() -> None:
    # Building contexts (and opening resources that never read the instance) must not pay
    # for importing the storage package.
    code = (
        "import sys, headwater as dg\n"
        "@dg.resource\n"
        "def quiet(context):\n"
        "    return 1\n"
        "ctx = dg.build_init_resource_context(resources={'q': quiet})\n"
        "quiet(None)\n"
        "with dg.build_resources({'q': quiet}):\n"
        "    pass\n"
        "assert 'headwater.storage' not in sys.modules, 'loaded before any read'\n"
        "assert ctx.instance.is_ephemeral\n"
        "assert 'headwater.storage' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
