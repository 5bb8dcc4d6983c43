from __future__ import annotations

import re
from typing import Any

import pytest

from headwater.errors import InvalidConfigError, MissingValueError
from headwater.io import (
    FilesystemIOManager,
    InMemoryIOManager,
    InputContext,
    IOManager,
    IOManagerDefinition,
    OutputContext,
    build_input_context,
    build_output_context,
    describe_io_failure,
    fs_io_manager,
    io_manager,
    is_io_manager,
    is_io_manager_definition,
    mem_io_manager,
)
from headwater.resources import ResourceDefinition, build_resources, coerce_resource, resource


class Recorder(IOManager):
    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.stored: dict[str, Any] = {}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.stored[self.prefix + context.name] = obj

    def load_input(self, context: InputContext) -> Any:
        return self.stored[self.prefix + context.name]


def test_io_manager_is_abstract() -> None:
    class Half(IOManager):
        def handle_output(self, context: OutputContext, obj: Any) -> None: ...

    with pytest.raises(TypeError, match="load_input"):
        Half()  # type: ignore[abstract]


def test_bare_decorator_makes_definition_with_docstring() -> None:
    @io_manager
    def recorder(_: Any) -> Recorder:
        """Keeps values in a dict."""
        return Recorder()

    assert isinstance(recorder, IOManagerDefinition)
    assert recorder.description == "Keeps values in a dict."
    with build_resources({"io_manager": recorder}) as resources:
        assert isinstance(resources.io_manager, Recorder)


def test_decorator_with_config_and_required_resources() -> None:
    @resource
    def prefix_source(_: Any) -> str:
        return "env-"

    @io_manager(
        config_schema={"prefix": str},
        description="prefixed",
        required_resource_keys={"prefix_source"},
        version="1",
        output_config_schema={"x": int},
        input_config_schema={"y": int},
    )
    def prefixed(init_context: Any) -> Recorder:
        source = init_context.resources.prefix_source
        return Recorder(source + init_context.resource_config["prefix"])

    assert prefixed.required_resource_keys == {"prefix_source"}
    assert prefixed.version == "1"
    assert prefixed.output_config_schema == {"x": int}
    assert prefixed.input_config_schema == {"y": int}
    config = {"io_manager": {"config": {"prefix": "p-"}}}
    with build_resources(
        {"io_manager": prefixed, "prefix_source": prefix_source}, resource_config=config
    ) as resources:
        assert resources.io_manager.prefix == "env-p-"


def test_config_problems_are_reported_with_paths() -> None:
    @io_manager(config_schema={"prefix": str})
    def prefixed(init_context: Any) -> Recorder:
        return Recorder(init_context.resource_config["prefix"])

    config = {"io_manager": {"config": {"prefix": 3}}}
    with (
        pytest.raises(InvalidConfigError, match=r"resources\.io_manager\.config\.prefix"),
        build_resources({"io_manager": prefixed}, resource_config=config),
    ):
        pass


def test_configured_stays_an_io_manager_definition() -> None:
    configured = fs_io_manager.configured({"base_dir": "/tmp/somewhere"})
    assert isinstance(configured, IOManagerDefinition)
    assert configured.description == fs_io_manager.description
    with build_resources({"io_manager": configured}) as resources:
        assert resources.io_manager.base_dir == "/tmp/somewhere"


def test_hardcoded_io_manager_is_always_the_value() -> None:
    manager = InMemoryIOManager()
    definition = IOManagerDefinition.hardcoded_io_manager(manager, "shared")
    assert definition.description == "shared"
    with build_resources({"io_manager": definition}) as resources:
        assert resources.io_manager is manager


def test_is_io_manager_recognises_every_form() -> None:
    @resource
    def not_io(_: Any) -> int:
        return 1

    assert is_io_manager(InMemoryIOManager())
    assert is_io_manager(InMemoryIOManager)
    assert is_io_manager(mem_io_manager)
    assert is_io_manager(FilesystemIOManager())
    assert is_io_manager(FilesystemIOManager)
    assert is_io_manager(coerce_resource(FilesystemIOManager()))
    assert is_io_manager(coerce_resource(InMemoryIOManager()))
    assert not is_io_manager(not_io)
    assert not is_io_manager(ResourceDefinition.hardcoded_resource(3))
    assert not is_io_manager("io_manager")
    assert is_io_manager_definition(coerce_resource(FilesystemIOManager(base_dir="/x")))
    assert not is_io_manager_definition(not_io)


def test_failure_message_for_an_asset_input_names_manager_asset_and_partition() -> None:
    class Op:
        name = "summary"

    context = build_input_context(
        name="orders", op_def=Op(), asset_key="orders", partition_key="2024-01-01"
    )
    error = MissingValueError("no file")
    msg = describe_io_failure(
        context, manager_key="io_manager", manager=InMemoryIOManager(), error=error
    )
    assert msg == (
        "IO manager 'io_manager' (InMemoryIOManager) failed to load input 'orders' of step "
        "'summary' (asset 'orders', partition '2024-01-01'): MissingValueError: no file"
    )


def test_failure_message_for_an_op_output() -> None:
    context = build_output_context(step_key="clean", name="result", run_id="r1")
    msg = describe_io_failure(
        context, manager_key="warehouse", manager=Recorder(), error=OSError("disk full")
    )
    assert msg == (
        "IO manager 'warehouse' (Recorder) failed to store output 'result' of step 'clean': "
        "OSError: disk full"
    )


def test_manager_raising_on_load_keeps_its_exception_for_the_executor() -> None:
    class Broken(IOManager):
        def handle_output(self, context: OutputContext, obj: Any) -> None: ...

        def load_input(self, context: InputContext) -> Any:
            raise ConnectionError("warehouse unreachable")

    context = build_input_context(name="orders", asset_key=["sales", "orders"])
    with pytest.raises(ConnectionError) as info:
        Broken().load_input(context)
    msg = describe_io_failure(context, manager_key="io_manager", manager=Broken(), error=info.value)
    assert msg == (
        "IO manager 'io_manager' (Broken) failed to load input 'orders' (asset 'sales/orders'): "
        "ConnectionError: warehouse unreachable"
    )
    assert re.search("sales/orders", msg)
