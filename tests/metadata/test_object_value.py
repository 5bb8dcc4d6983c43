"""ObjectMetadataValue: the class name is the value and is what is stored."""

from __future__ import annotations

import headwater as dg
from headwater.metadata import metadata_from_wire, metadata_to_wire
from headwater.metadata.object_value import ObjectMetadataValue


class Schema:
    pass


def test_an_object_gives_its_class_name_and_keeps_the_instance() -> None:
    held = Schema()
    value = ObjectMetadataValue(held)
    assert (value.value, value.class_name, value.instance) == ("Schema", "Schema", held)
    assert isinstance(value, dg.MetadataValue)


def test_a_class_name_with_an_instance_keeps_both() -> None:
    value = ObjectMetadataValue("Schema", instance=Schema)
    assert (value.class_name, value.instance) == ("Schema", Schema)
    assert ObjectMetadataValue("Schema") == ObjectMetadataValue("Schema")
    assert ObjectMetadataValue("Schema", instance=1) != ObjectMetadataValue("Schema", instance=2)


def test_only_the_class_name_is_written_and_read_back() -> None:
    wire = metadata_to_wire({"schema": ObjectMetadataValue(Schema())})
    assert wire == {"schema": {"raw_value": "Schema", "type": "object"}}
    assert metadata_from_wire(wire) == {"schema": ObjectMetadataValue("Schema")}


def test_definition_metadata_hands_the_live_object_to_the_io_manager() -> None:
    seen: list[object] = []

    class Recording(dg.IOManager):
        def handle_output(self, context: dg.OutputContext, obj: object) -> None:
            seen.append(context.definition_metadata["schema"].instance)

        def load_input(self, context: dg.InputContext) -> object:
            raise NotImplementedError

    @dg.asset(metadata={"schema": ObjectMetadataValue("Schema", instance=Schema)})
    def table() -> int:
        return 1

    assert dg.materialize([table], resources={"io_manager": Recording()}).success
    assert seen == [Schema]
