"""Dagster names outside headwater's concepts: placeholders that raise when used."""

from __future__ import annotations

import pytest

import headwater
from headwater import UnsupportedFeatureError
from headwater._unsupported import placeholder


def test_placeholder_is_one_class_per_name_and_not_a_public_export() -> None:
    assert placeholder("Component") is headwater.Component
    assert placeholder("NotADagsterName") is None
    assert "Component" not in headwater.__all__
    assert "Component" not in vars(headwater)


def test_error_names_the_feature_and_what_to_do() -> None:
    with pytest.raises(UnsupportedFeatureError) as caught:
        headwater.StepLauncher()
    error = caught.value
    assert error.name == "StepLauncher"
    assert error.feature == "Dagster's step launchers (superseded there by Pipes)"
    assert str(error) == (
        "`StepLauncher` is part of Dagster's step launchers (superseded there by Pipes), which "
        "headwater does not support: the name imports so that code loads, but it cannot be "
        "used; run external work through Pipes (PipesSubprocessClient, open_pipes_session)"
    )
    assert isinstance(error, NotImplementedError)


def test_isinstance_against_a_placeholder_is_false() -> None:
    assert not isinstance(object(), headwater.Component)
