"""Context and params loaders."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from headwater_pipes import (
    PipesCliArgsParamsLoader,
    PipesDbfsContextLoader,
    PipesDefaultContextLoader,
    PipesError,
    PipesMappingParamsLoader,
    encode_env_var,
)
from hwp_helpers import make_context_data


def test_default_loader_reads_a_file_or_inline_data(tmp_path: Path) -> None:
    data = make_context_data()
    (tmp_path / "ctx.json").write_text(json.dumps(data))
    with PipesDefaultContextLoader().load_context({"path": str(tmp_path / "ctx.json")}) as loaded:
        assert loaded == data
    with PipesDefaultContextLoader().load_context({"data": data}) as loaded:
        assert loaded == data


def test_default_loader_names_the_keys_it_expects() -> None:
    msg = (
        "PipesDefaultContextLoader expects params with key 'path' or 'data', got keys "
        "['bucket', 'key']; pass a matching context_loader to open_pipes()"
    )
    with (
        pytest.raises(PipesError, match=re.escape(msg)),
        PipesDefaultContextLoader().load_context({"bucket": "b", "key": "k"}),
    ):
        pass


def test_default_loader_says_which_file_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    msg = (
        f"PipesDefaultContextLoader cannot read the context file {str(missing)!r}: "
        "No such file or directory"
    )
    with (
        pytest.raises(PipesError, match=re.escape(msg)),
        PipesDefaultContextLoader().load_context({"path": str(missing)}),
    ):
        pass


def test_default_loader_checks_param_types() -> None:
    msg = (
        "PipesDefaultContextLoader expects param 'path' of type str from the orchestrator, got "
        "int 3; the orchestrator's context injector or message reader does not match this "
        "loader or writer"
    )
    with (
        pytest.raises(PipesError, match=re.escape(msg)),
        PipesDefaultContextLoader().load_context({"path": 3}),
    ):
        pass


def test_dbfs_loader_reads_under_the_mount_root(tmp_path: Path) -> None:
    (tmp_path / "tmp" / "pipes").mkdir(parents=True)
    (tmp_path / "tmp" / "pipes" / "context.json").write_text(json.dumps({"run_id": "r"}))
    loader = PipesDbfsContextLoader()
    loader.mount_root = str(tmp_path)
    with loader.load_context({"path": "/tmp/pipes/context.json"}) as loaded:
        assert dict(loaded) == {"run_id": "r"}


def test_mapping_params_loader() -> None:
    loader = PipesMappingParamsLoader(
        {
            "DAGSTER_PIPES_CONTEXT": encode_env_var({"path": "/c"}),
            "DAGSTER_PIPES_MESSAGES": encode_env_var({"stdio": "stderr"}),
        }
    )
    assert loader.is_dagster_pipes_process()
    assert loader.load_context_params() == {"path": "/c"}
    assert loader.load_messages_params() == {"stdio": "stderr"}
    assert not PipesMappingParamsLoader({}).is_dagster_pipes_process()


def test_missing_messages_params_are_named() -> None:
    loader = PipesMappingParamsLoader({"DAGSTER_PIPES_CONTEXT": encode_env_var({"path": "/c"})})
    msg = (
        "DAGSTER_PIPES_MESSAGES is not set, though this process was launched with Pipes "
        "context; the orchestrator must pass both the context and the messages params"
    )
    with pytest.raises(PipesError, match=re.escape(msg)):
        loader.load_messages_params()


def test_params_must_decode_to_an_object() -> None:
    loader = PipesMappingParamsLoader({"DAGSTER_PIPES_CONTEXT": encode_env_var([1])})
    with pytest.raises(
        PipesError, match=re.escape("DAGSTER_PIPES_CONTEXT must decode to a JSON object, got list")
    ):
        loader.load_context_params()


def test_cli_args_loader_reads_both_flag_forms_and_ignores_other_args(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = [
        "script.py",
        "--rows",
        "5",
        "--dagster-pipes-context",
        encode_env_var({"data": {}}),
        f"--dagster-pipes-messages={encode_env_var({'path': '/m'})}",
    ]
    monkeypatch.setattr(sys, "argv", argv)
    loader = PipesCliArgsParamsLoader()
    assert loader.is_dagster_pipes_process()
    assert loader.load_context_params() == {"data": {}}
    assert loader.load_messages_params() == {"path": "/m"}
    monkeypatch.setattr(sys, "argv", ["script.py"])
    assert not loader.is_dagster_pipes_process()
