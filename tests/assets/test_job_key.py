"""AssetJobKey: a job's key among asset and check keys."""

from __future__ import annotations

import pytest

from headwater import AssetJobKey
from headwater.errors import InvalidInvocationError


def test_user_and_db_strings_round_trip() -> None:
    key = AssetJobKey("nightly")
    assert key.to_user_string() == "nightly"
    assert AssetJobKey.from_user_string("nightly") == key
    assert key.to_db_string() == '{"job_name": "nightly"}'
    assert AssetJobKey.from_db_string(key.to_db_string()) == key


@pytest.mark.parametrize("stored", ['["a", "b"]', '{"name": "x"}', "not json", '{"job_name": 3}'])
def test_other_stored_keys_are_not_job_keys(stored: str) -> None:
    assert AssetJobKey.from_db_string(stored) is None


def test_keys_compare_hash_and_sort_by_name() -> None:
    assert {AssetJobKey("a"), AssetJobKey(job_name="a")} == {AssetJobKey("a")}
    assert sorted([AssetJobKey("b"), AssetJobKey("a")]) == [AssetJobKey("a"), AssetJobKey("b")]


def test_a_name_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidInvocationError, match=r"got 3 \(int\)"):
        AssetJobKey(3)  # type: ignore[arg-type]
