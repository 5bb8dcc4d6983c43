"""with_resources: assets that carry their resources into jobs and materialize."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


@dg.resource(config_schema={"v": int})
def number(context: dg.InitResourceContext) -> int:
    return int(context.resource_config["v"])


@dg.asset(required_resource_keys={"n"})
def base(context: Any) -> int:
    return int(context.resources.n)


def test_bound_copies_run_with_their_configured_resources() -> None:
    (bound,) = dg.with_resources([base], {"n": number}, {"n": {"config": {"v": 3}}})
    assert bound is not base
    assert base.resource_defs == {}
    assert dg.materialize([bound]).output_for_node("base") == 3


def test_missing_required_resource_fails_at_binding() -> None:
    with pytest.raises(InvalidDefinitionError, match="resource with key 'n' required by op 'base'"):
        dg.with_resources([base], {})


def test_an_io_manager_key_not_given_fails_at_binding() -> None:
    @dg.asset(io_manager_key="my_io")
    def stored() -> int:
        return 1

    with pytest.raises(
        InvalidDefinitionError,
        match=r"io manager with key 'my_io' required by output 'result' of op 'stored' was not "
        r"provided; pass it to with_resources \(given: \['n'\]\)",
    ):
        dg.with_resources([stored], {"n": number})
    # The default key needs nothing: materialize brings its own IO manager.
    (plain,) = dg.with_resources([base], {"n": number}, {"n": {"config": {"v": 1}}})
    assert "io_manager" not in plain.resource_defs


def test_an_input_manager_key_not_given_fails_at_binding() -> None:
    @dg.asset(ins={"up": dg.AssetIn("base", input_manager_key="im")})
    def down(up: int) -> int:
        return up

    with pytest.raises(
        InvalidDefinitionError,
        match="input manager with key 'im' required by input 'up' of op 'down' was not provided",
    ):
        dg.with_resources([down], {})


def test_other_values_pass_through() -> None:
    marker = object()
    assert dg.with_resources([marker], {"n": number}) == [marker]


def test_conflicting_resource_at_materialize_names_asset_and_key() -> None:
    bound = dg.with_resources([base], {"n": number}, {"n": {"config": {"v": 3}}})
    msg = 'AssetsDefinition with key ["base"] has conflicting resource definitions'
    with pytest.raises(InvalidInvocationError, match=re.escape(msg)):
        dg.materialize(bound, resources={"n": 4})


def test_definitions_accept_bound_assets_without_their_resources() -> None:
    bound = dg.with_resources([base], {"n": dg.ResourceDefinition.hardcoded_resource(7)})
    job = dg.Definitions(assets=bound).get_implicit_global_asset_job_def()
    assert job.execute_in_process().output_for_node("base") == 7


def test_an_asset_input_manager_is_a_resource_the_caller_must_provide() -> None:
    @dg.asset
    def upstream() -> int:
        return 1

    @dg.asset(ins={"upstream": dg.AssetIn(input_manager_key="loader")})
    def via_loader(upstream: int) -> int:
        return upstream

    # The reference's words, then who should have provided it and how.
    msg = (
        "input manager with key 'loader' required by input 'upstream' of op 'via_loader' was "
        "not provided: Definitions does not provide it; add it to Definitions(resources={...}) "
        "(available: none)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.Definitions(assets=[upstream, via_loader]).get_implicit_global_asset_job_def()
    with pytest.raises(InvalidDefinitionError, match=re.escape("materialize(..., resources=")):
        dg.materialize([upstream, via_loader])
