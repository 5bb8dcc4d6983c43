"""AssetIn and AssetOut: what they declare, their defaults and how assets built from them type
and load their values."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest

import headwater as dg
from headwater.jobs.io import NoValue


@dg.asset
def text() -> str:
    return "not an int"


def test_asset_in_type_not_given_is_the_annotation() -> None:
    assert dg.AssetIn().dagster_type is NoValue

    @dg.asset(ins={"text": dg.AssetIn()})
    def typed(text: int) -> int:
        return 1

    result = dg.materialize([text, typed], raise_on_error=False)
    assert not result.success  # the annotation `int` is checked
    assert [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"] == [
        "typed"
    ]


def test_asset_in_type_none_is_any_whatever_the_annotation() -> None:
    @dg.asset(ins={"text": dg.AssetIn(dagster_type=None)})
    def untyped(text: int) -> str:
        return text  # type: ignore[return-value]  # the annotation is deliberately wrong

    result = dg.materialize([text, untyped])
    assert result.output_for_node("untyped") == "not an int"
    got = [e.message for e in result.all_events if e.event_type_value == "STEP_INPUT"]
    assert got == ['Got input "text" of type "Any". (Type check passed).']


def test_asset_in_refuses_key_with_key_prefix_and_stores_the_reference_forms() -> None:
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="key_prefix"):
        dg.AssetIn(key="a", key_prefix="b")
    assert dg.AssetIn(key="a/b").key == dg.AssetKey(["a", "b"])
    assert dg.AssetIn(key_prefix="p").key_prefix == ["p"]


def test_asset_out_type_not_given_is_the_annotation_and_none_is_any() -> None:
    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut(dagster_type=None)})
    def pair() -> tuple[int, int]:
        return 1, "not an int"  # type: ignore[return-value]

    result = dg.materialize([pair])
    messages = [e.message for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    assert messages == [
        'Yielded output "a" of type "Int". (Type check passed).',
        'Yielded output "b" of type "Any". (Type check passed).',
    ]

    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def wrong() -> tuple[int, int]:
        return "not an int", 2  # type: ignore[return-value]

    assert not dg.materialize([wrong], raise_on_error=False).success


def test_asset_out_freshness_policy_goes_on_the_spec_and_must_be_a_policy() -> None:
    policy = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=1))

    @dg.multi_asset(outs={"a": dg.AssetOut(freshness_policy=policy)})
    def one() -> int:
        return 1

    assert one.specs_by_key[dg.AssetKey("a")].freshness_policy == policy
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="FreshnessPolicy"):
        dg.AssetOut(freshness_policy="hourly")  # type: ignore[arg-type]


def test_asset_out_legacy_freshness_policy_warns_and_is_kept() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        legacy = dg.LegacyFreshnessPolicy(maximum_lag_minutes=5)
        out = dg.AssetOut(legacy_freshness_policy=legacy)
    assert any(
        "Parameter `legacy_freshness_policy` of initializer `AssetOut.__init__`" in str(w.message)
        for w in caught
    )

    @dg.multi_asset(outs={"a": out})
    def one() -> int:
        return 1

    assert one.specs_by_key[dg.AssetKey("a")].legacy_freshness_policy == legacy


def test_asset_out_auto_materialize_policy_becomes_its_condition() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = dg.AssetOut(auto_materialize_policy=dg.AutoMaterializePolicy.eager())
    assert out.automation_condition is not None


def test_asset_out_from_spec_carries_the_spec_and_refuses_deps() -> None:
    spec = dg.AssetSpec("made", group_name="g", metadata={"m": 1}, kinds={"py"})
    out = dg.AssetOut.from_spec(spec, io_manager_key="store", is_required=False)
    assert (out.key, out.io_manager_key, out.is_required) == (dg.AssetKey("made"), "store", False)
    made = out.to_spec("o", group_name=None)
    assert (made.group_name, dict(made.metadata), set(made.kinds)) == ("g", {"m": 1}, {"py"})
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="deps"):
        dg.AssetOut.from_spec(dg.AssetSpec("made", deps=["up"]))
