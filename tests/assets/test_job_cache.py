"""materialize reuses the job it built last only for the very same inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import headwater.assets._job_cache as job_cache
import headwater.assets.job as asset_job
from headwater import (
    AssetExecutionContext,
    ConfigurableResource,
    asset,
    materialize,
    materialize_to_memory,
)


class Greeting(ConfigurableResource):
    word: str


@asset
def upstream() -> int:
    return 1


@asset
def downstream(upstream: int) -> int:
    return upstream + 1


@asset
def greeted(context: AssetExecutionContext, greeting: Greeting) -> str:
    return greeting.word


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The job names compiled from assets, in order (from an empty cache)."""
    monkeypatch.setattr(job_cache, "_last", [])
    made: list[str] = []
    real = asset_job.build_asset_job

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        made.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(asset_job, "build_asset_job", counting)
    return made


def test_the_same_assets_compile_once(
    builds: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # values are stored under the working folder
    assets = [upstream, downstream]
    first = materialize(assets)
    second = materialize(assets)
    assert len(builds) == 1
    assert first.run_id != second.run_id
    assert second.output_for_node("downstream") == 2


def test_other_definitions_selection_or_resources_compile_again(
    builds: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    materialize([upstream, downstream])
    materialize([upstream])
    materialize([upstream, downstream], selection="upstream")
    hello = materialize([greeted], resources={"greeting": Greeting(word="hi")})
    bye = materialize([greeted], resources={"greeting": Greeting(word="bye")})
    kept = materialize_to_memory([upstream])
    assert len(builds) == 6
    assert hello.output_for_node("greeted") == "hi"
    assert bye.output_for_node("greeted") == "bye"
    assert kept.output_for_node("upstream") == 1


def test_a_missing_resource_is_reported_on_every_call(builds: list[str]) -> None:
    for _ in range(2):
        with pytest.raises(Exception, match="greeting"):
            materialize([greeted])


def test_a_selection_list_changed_between_calls_is_read_again(
    builds: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    selection = ["upstream"]
    first = materialize([upstream, downstream], selection=selection)
    selection.append("downstream")
    second = materialize([upstream, downstream], selection=selection)
    assert [m.asset_key.path[-1] for m in first.get_asset_materialization_events()] == ["upstream"]
    assert second.output_for_node("downstream") == 2
