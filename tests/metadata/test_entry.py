from __future__ import annotations

import pytest

from headwater.errors import InvalidInvocationError, InvalidMetadataError
from headwater.metadata import IntMetadataValue, NullMetadataValue, TextMetadataValue
from headwater.metadata.entry import MetadataEntry

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_an_entry_normalizes_its_value_and_is_a_named_tuple() -> None:
    entry = MetadataEntry("rows", value=3)
    assert entry.value == entry.entry_data == IntMetadataValue(3)
    assert tuple(entry) == ("rows", None, IntMetadataValue(3))
    assert entry == MetadataEntry("rows", entry_data=3)
    assert MetadataEntry("x", "d", value="s")._asdict() == {
        "label": "x",
        "description": "d",
        "entry_data": TextMetadataValue("s"),
    }
    assert MetadataEntry("x").value == NullMetadataValue()


def test_construction_warns_that_entries_are_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="Class `MetadataEntry` is deprecated"):
        MetadataEntry("x", value=1)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: MetadataEntry("x", value=1, entry_data=2), InvalidInvocationError, "not both"),
        (
            lambda: MetadataEntry(1, value=1),  # type: ignore[arg-type]
            InvalidInvocationError,
            "label must be a str",
        ),
        (lambda: MetadataEntry("x", value=object()), InvalidMetadataError, "metadata 'x'"),
    ],
)
def test_bad_entries_are_explained(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make()  # type: ignore[operator]
