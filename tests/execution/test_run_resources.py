"""A run's resources are worked out once: their dependency closure, and their config."""

from __future__ import annotations

import enum
from collections import Counter
from typing import Any

import pytest
from pydantic import field_validator

import headwater as dg
from headwater.resources import lifecycle


@pytest.fixture
def closures(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts how often a resource dependency closure is computed."""
    counts: Counter[str] = Counter()
    compute = lifecycle._init_order

    def counting(*args: Any, **kwargs: Any) -> list[str]:
        counts["closure"] += 1
        return compute(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "_init_order", counting)
    return counts


def _job_with_dependent_resources() -> dg.JobDefinition:
    @dg.resource
    def base() -> str:
        return "base"

    @dg.resource(required_resource_keys={"base"})
    def middle(context: dg.InitResourceContext) -> str:
        return context.resources.base + "+middle"

    @dg.resource(required_resource_keys={"middle"})
    def top(context: dg.InitResourceContext) -> str:
        return context.resources.middle + "+top"

    @dg.op(required_resource_keys={"top"})
    def use(context: dg.OpExecutionContext) -> str:
        return str(context.resources.top)

    @dg.job(resource_defs={"base": base, "middle": middle, "top": top})
    def job() -> None:
        use()

    return job


def test_a_run_computes_its_resource_closure_once(closures: Counter[str]) -> None:
    job = _job_with_dependent_resources()
    closures.clear()  # building the job checks its resources: not part of a run

    first = job.execute_in_process()

    assert first.output_for_node("use") == "base+middle+top"
    assert closures["closure"] == 1
    closures.clear()
    # The same job again: the closure of its plan is known already.
    assert job.execute_in_process().success
    assert closures["closure"] <= 1


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Limits(dg.Config):
    rows: int = 10


class Store(dg.ConfigurableResource):
    path: str
    color: Color = Color.RED
    limits: Limits = Limits()


class Client(dg.ConfigurableResource):
    store: Store
    retries: int = 1


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts pydantic validations of ``Store`` and ``Client`` objects, by class."""
    counts: Counter[str] = Counter()

    class Counting:
        def __init__(self, name: str, inner: Any) -> None:
            self.name, self.inner = name, inner

        def validate_python(self, *args: Any, **kwargs: Any) -> Any:
            counts[self.name] += 1
            return self.inner.validate_python(*args, **kwargs)

        def __getattr__(self, attr: str) -> Any:
            return getattr(self.inner, attr)

    for cls in (Store, Client):
        monkeypatch.setattr(
            cls, "__pydantic_validator__", Counting(cls.__name__, cls.__pydantic_validator__)
        )
    return counts


def test_a_configurable_resource_s_config_is_validated_once_per_run(
    validations: Counter[str],
) -> None:
    seen: dict[str, Any] = {}

    @dg.op
    def use(client: Client) -> None:
        seen["client"] = client

    store = Store(path="/data")
    job = dg.JobDefinition(
        graph_def=dg.GraphDefinition(name="uses_client", node_defs=[use]),
        resource_defs={"store": store, "client": Client(store=store)},
    )
    validations.clear()  # building the objects above is the user's own validation

    result = job.execute_in_process(
        run_config={
            "resources": {
                "store": {"config": {"path": "/elsewhere", "color": "BLUE", "limits": {"rows": 5}}},
                "client": {"config": {"retries": 3}},
            }
        }
    )

    assert result.success
    # The run config was validated against the resources' schemas; the objects the run
    # builds from it are not validated a second time.
    assert validations == Counter()
    client = seen["client"]
    assert client.retries == 3
    assert client.store.path == "/elsewhere"
    assert client.store.color is Color.BLUE
    assert client.store.limits == Limits(rows=5)
    assert isinstance(client.store.limits, Limits)


_CALLS: list[str] = []


class Trimmed(dg.ConfigurableResource):
    name: str

    @field_validator("name")
    @classmethod
    def strip(cls, value: str) -> str:
        _CALLS.append(value)
        return value.strip()


def test_a_resource_with_its_own_validator_still_runs_it_once_per_run() -> None:
    seen: dict[str, str] = {}

    @dg.op
    def use(trimmed: Trimmed) -> None:
        seen["name"] = trimmed.name

    @dg.job(resource_defs={"trimmed": Trimmed(name="x")})
    def job() -> None:
        use()

    _CALLS.clear()
    assert job.execute_in_process(
        run_config={"resources": {"trimmed": {"config": {"name": "  padded  "}}}}
    ).success
    assert seen["name"] == "padded"
    assert _CALLS == ["  padded  "]
