"""Property tests: random schemas, values drawn from them, and mutations of those values.

Validation must never crash, must accept every value generated from a schema, and must
reject a mutated value with a problem whose path points at the mutation.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any as TAny

from hypothesis import HealthCheck, given, settings, strategies as st

from headwater.config import (
    Any,
    Array,
    Bool,
    BoolSource,
    ConfigType,
    Enum,
    EnumValue,
    Field,
    Float,
    Int,
    IntSource,
    Noneable,
    Selector,
    Shape,
    String,
    StringSource,
    process_config,
)
from headwater.config.types import ScalarType, SourceType

ENVIRON = {"HW_INT": "42", "HW_STR": "text", "HW_BOOL": "true"}
NAMES = ["alpha", "beta", "gamma", "delta", "epsilon"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLOR = Enum("Color", [EnumValue("RED"), EnumValue("GREEN"), EnumValue("BLUE")])
LEAVES: list[ConfigType] = [
    Int,
    String,
    Float,
    Bool,
    IntSource,
    StringSource,
    BoolSource,
    Any,
    COLOR,
]


def values_for(node: ConfigType) -> st.SearchStrategy[TAny]:  # noqa: PLR0911
    """Values valid for `node` (env references resolve against ENVIRON)."""
    if node is Int:
        return st.integers()
    if node is String:
        return st.text(max_size=5)
    if node is Float:
        return st.floats(allow_nan=False) | st.integers()
    if node is Bool:
        return st.booleans()
    if isinstance(node, SourceType):
        env = {"int": "HW_INT", "str": "HW_STR", "bool": "HW_BOOL"}[node.type_name]
        return values_for(node.scalar) | st.just({"env": env})
    if node is Any:
        return st.none() | st.integers() | st.text(max_size=3)
    if isinstance(node, Enum):
        return st.sampled_from(node.config_values)
    if isinstance(node, Array):
        return st.lists(values_for(node.inner_type), max_size=3)
    if isinstance(node, Noneable):
        return st.none() | values_for(node.inner_type)
    if isinstance(node, Selector):
        return st.one_of(
            *[
                values_for(f.config_type).map(lambda v, n=n: {n: v})  # type: ignore[misc]
                for n, f in node.fields.items()
            ]
        )
    assert isinstance(node, Shape)
    required = {n: values_for(f.config_type) for n, f in node.fields.items() if f.is_required}
    optional = {n: values_for(f.config_type) for n, f in node.fields.items() if not f.is_required}
    return st.fixed_dictionaries(required, optional=optional)


def field_for(child: ConfigType) -> st.SearchStrategy[Field | ConfigType]:
    plain: st.SearchStrategy[Field | ConfigType] = st.just(child)
    # Defaults come from direct values only: an env default would be resolved too, fine, but
    # keeping them direct makes the "removed required key" mutation unambiguous.
    direct = child.scalar if isinstance(child, SourceType) else child
    with_default = values_for(direct).map(lambda d: Field(child, default_value=d))
    return plain | with_default


def extend(children: st.SearchStrategy[ConfigType]) -> st.SearchStrategy[ConfigType]:
    fields = st.dictionaries(st.sampled_from(NAMES), children.flatmap(field_for), max_size=4)
    return st.one_of(
        children.map(Array),
        children.map(Noneable),
        fields.map(Shape),
        st.dictionaries(st.sampled_from(NAMES), children, min_size=1, max_size=3).map(Selector),
    )


schemas = st.recursive(st.sampled_from(LEAVES), extend, max_leaves=10)


@dataclass
class Spot:
    """A place in a value: its path, the container holding it and the key in there."""

    path: str
    node: ConfigType
    holder: TAny
    key: TAny


def spots(node: ConfigType, value: TAny, path: str, holder: TAny, key: TAny) -> Iterator[Spot]:
    yield Spot(path, node, holder, key)
    if isinstance(node, Noneable):
        if value is not None:
            yield from spots(node.inner_type, value, path, holder, key)
    elif isinstance(node, Array):
        for i, item in enumerate(value):
            yield from spots(node.inner_type, item, f"{path}[{i}]", value, i)
    elif isinstance(node, (Shape, Selector)):
        for name, item in value.items():
            child = f"{path}.{name}" if path else name
            yield from spots(node.fields[name].config_type, item, child, value, name)


def all_spots(node: ConfigType, value: TAny) -> tuple[dict[str, TAny], list[Spot]]:
    box = {"root": copy.deepcopy(value)}
    return box, list(spots(node, box["root"], "", box, "root"))


@SETTINGS
@given(data=st.data(), schema=schemas)
def test_values_generated_from_a_schema_are_accepted(
    data: st.DataObject, schema: ConfigType
) -> None:
    value = data.draw(values_for(schema))
    result = process_config(schema, value, environ=ENVIRON)
    assert result.problems == ()


@SETTINGS
@given(data=st.data(), schema=schemas)
def test_wrong_type_at_a_leaf_is_reported_at_its_path(
    data: st.DataObject, schema: ConfigType
) -> None:
    value = data.draw(values_for(schema))
    box, found = all_spots(schema, value)
    leaves = [s for s in found if isinstance(s.node, (ScalarType, SourceType, Enum))]
    if not leaves:
        return
    spot = data.draw(st.sampled_from(leaves))
    spot.holder[spot.key] = 3 + 4j  # a complex number is valid for no leaf type
    result = process_config(schema, box["root"], path="", environ=ENVIRON)
    assert spot.path in [p.path for p in result.problems if p.code == "wrong_type"]


@SETTINGS
@given(data=st.data(), schema=schemas)
def test_extra_key_is_reported_at_its_shape(data: st.DataObject, schema: ConfigType) -> None:
    value = data.draw(values_for(schema))
    box, found = all_spots(schema, value)
    shapes = [s for s in found if isinstance(s.node, Shape) and isinstance(s.holder[s.key], dict)]
    if not shapes:
        return
    spot = data.draw(st.sampled_from(shapes))
    spot.holder[spot.key]["zz_extra"] = 1
    result = process_config(schema, box["root"], path="run", environ=ENVIRON)
    where = f"run.{spot.path}" if spot.path[:1].isalpha() else f"run{spot.path}"
    assert (where, "unknown_field") in [(p.path, p.code) for p in result.problems]


@SETTINGS
@given(data=st.data(), schema=schemas)
def test_removed_required_key_is_reported_at_its_shape(
    data: st.DataObject, schema: ConfigType
) -> None:
    value = data.draw(values_for(schema))
    box, found = all_spots(schema, value)
    removable = [
        (s, name)
        for s in found
        if isinstance(s.node, Shape) and isinstance(s.holder[s.key], dict)
        for name, f in s.node.fields.items()
        if f.is_required
    ]
    if not removable:
        return
    spot, name = data.draw(st.sampled_from(removable))
    del spot.holder[spot.key][name]
    result = process_config(schema, box["root"], environ=ENVIRON)
    missing = [(p.path, p.message) for p in result.problems if p.code == "missing_field"]
    # A removed field is reported at its shape, or, when it is itself a shape with required
    # fields, by those fields at its own path (or deeper).
    removed = f"{spot.path}.{name}" if spot.path else name
    assert any(
        (path == spot.path and f'"{name}"' in message)
        or path == removed
        or path.startswith((removed + ".", removed + "["))
        for path, message in missing
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@SETTINGS
@given(schema=schemas, value=json_values)
def test_validation_never_crashes_on_arbitrary_values(schema: ConfigType, value: TAny) -> None:
    result = process_config(schema, value, path="x", environ={})
    assert all(p.path.startswith("x") for p in result.problems)
