from __future__ import annotations

import re

import pytest

from headwater.assets import AssetKey
from headwater.automation import RunRequest, SensorResult, SkipReason
from headwater.errors import InvariantViolationError


def test_run_request_defaults_and_coercions() -> None:
    request = RunRequest(run_key="a", tags={"n": 1}, asset_selection=["x", ["y", "z"]])
    assert request.run_config == {}
    assert request.tags == {"n": "1"}
    assert request.asset_selection == (AssetKey("x"), AssetKey(["y", "z"]))
    assert RunRequest() == RunRequest(run_config=None, tags=None)


def test_run_request_copies_add_tags_under_its_own() -> None:
    request = RunRequest(run_key="a", tags={"team": "data"})
    tagged = request.with_tags({"team": "other", "source": "s"})
    assert tagged.tags == {"source": "s", "team": "data"}
    assert request.with_replaced_attrs(job_name="j").job_name == "j"


def test_sensor_result_takes_requests_or_a_skip_reason() -> None:
    assert SensorResult(skip_reason="nothing new").skip_reason == SkipReason("nothing new")
    assert SensorResult([RunRequest("a")], cursor="5").run_requests == (RunRequest("a"),)
    msg = (
        "SensorResult got 1 run request(s) and a skip reason ('x'); "
        "give run_requests or skip_reason, not both"
    )
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        SensorResult(run_requests=[RunRequest("a")], skip_reason="x")
