"""AssetKey: parts, the user string and JSON forms, coercion, prefixes, ordering."""

from __future__ import annotations

import copy
import pickle
import re

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError


def test_key_from_one_string_is_one_part() -> None:
    assert dg.AssetKey("orders").path == ("orders",)


def test_key_from_list_keeps_every_part() -> None:
    key = dg.AssetKey(["warehouse", "orders"])
    assert key.path == ("warehouse", "orders")
    assert key.to_user_string() == "warehouse/orders"
    assert str(key) == "warehouse/orders"
    assert repr(key) == "AssetKey(['warehouse', 'orders'])"


def test_user_string_round_trips() -> None:
    key = dg.AssetKey.from_user_string("warehouse/orders")
    assert key == dg.AssetKey(["warehouse", "orders"])
    assert dg.AssetKey.from_user_string(key.to_user_string()) == key


def test_json_string_form_round_trips() -> None:
    key = dg.AssetKey(["warehouse", "orders"])
    assert key.to_string() == '["warehouse", "orders"]'
    assert dg.AssetKey.from_string(key.to_string()) == key


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("orders", ("orders",)),
        ("raw/orders", ("raw", "orders")),
        (["raw", "orders"], ("raw", "orders")),
        (("raw", "orders"), ("raw", "orders")),
        (dg.AssetKey(["raw", "orders"]), ("raw", "orders")),
    ],
)
def test_from_coercible_accepts_keys_strings_and_lists(
    value: object, path: tuple[str, ...]
) -> None:
    assert dg.AssetKey.from_coercible(value).path == path  # type: ignore[arg-type]


def test_python_identifier_joins_parts_and_replaces_dashes() -> None:
    assert dg.AssetKey(["raw-data", "orders"]).to_python_identifier() == "raw_data__orders"
    assert dg.AssetKey("orders").to_python_identifier("check") == "orders_check"


def test_prefix_parent_and_has_prefix() -> None:
    key = dg.AssetKey("orders").with_prefix(["warehouse", "raw"])
    assert key.path == ("warehouse", "raw", "orders")
    assert dg.AssetKey("orders").with_prefix("raw") == dg.AssetKey(["raw", "orders"])
    assert key.has_prefix(["warehouse"])
    assert not key.has_prefix(["raw"])
    assert key.parent == dg.AssetKey(["warehouse", "raw"])
    assert dg.AssetKey("orders").parent is None


def test_keys_are_hashable_equal_by_path_and_sortable() -> None:
    a1, a2, b = dg.AssetKey(["a"]), dg.AssetKey("a"), dg.AssetKey("b")
    assert a1 == a2 and hash(a1) == hash(a2)
    assert {a1, a2, b} == {a1, b}
    assert sorted([b, a1]) == [a1, b]
    assert a1 != "a"


def test_key_is_immutable() -> None:
    key = dg.AssetKey("a")
    with pytest.raises(AttributeError, match="AssetKey is immutable"):
        key.path = ("b",)


def test_key_survives_pickle_and_copy() -> None:
    # Values stored by fs_io_manager and events sent between processes hold keys.
    key = dg.AssetKey(["sales", "orders"])
    event = dg.AssetMaterialization(key, metadata={"rows": 3})
    assert pickle.loads(pickle.dumps(key)) == key
    assert hash(pickle.loads(pickle.dumps(key))) == hash(key)
    assert pickle.loads(pickle.dumps(event)) == event
    assert copy.deepcopy(key) == key


def test_empty_key_is_rejected() -> None:
    with pytest.raises(InvalidDefinitionError, match="an AssetKey needs at least one part"):
        dg.AssetKey([])


@pytest.mark.parametrize("part", ["params:rate", "with space", "semi;colon", "x.y", ""])
def test_any_text_is_a_part_as_in_the_reference(part: str) -> None:
    assert dg.AssetKey(["raw", part]).path == ("raw", part)


def test_a_name_made_from_such_a_key_is_still_checked() -> None:
    with pytest.raises(
        InvalidDefinitionError,
        match=re.escape("node name 'raw__params:rate' is not valid: use letters, digits"),
    ):

        @dg.asset(key=["raw", "params:rate"])
        def rate() -> int:
            return 1


def test_non_string_part_is_rejected() -> None:
    msg = "asset key part 3 of ['a', 3] is not valid: a part is a str"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.AssetKey(["a", 3])  # type: ignore[list-item]
