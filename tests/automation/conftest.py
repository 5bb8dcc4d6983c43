"""Shared pieces for the automation tests: a job with config, and a counted resource."""

from __future__ import annotations

from typing import Any

import pytest

from headwater.jobs import job, op
from headwater.resources.pythonic import ConfigurableResource


@op(config_schema={"day": int})
def load(context: Any) -> None:
    """An op whose config the run requests must satisfy."""


@job
def daily_job() -> None:
    load()


@op
def report() -> None:
    """An op without config."""


@job
def report_job() -> None:
    report()


class Lifecycle:
    """Counts setups and teardowns, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []


LIFECYCLE = Lifecycle()


class CountedClient(ConfigurableResource):
    """A resource that records when it is set up and torn down."""

    name: str = "client"

    def setup_for_execution(self, context: Any) -> None:
        LIFECYCLE.events.append(f"setup {self.name}")

    def teardown_after_execution(self, context: Any) -> None:
        LIFECYCLE.events.append(f"teardown {self.name}")

    def fetch(self) -> list[str]:
        return [f"{self.name}-1", f"{self.name}-2"]


@pytest.fixture
def lifecycle() -> Lifecycle:
    LIFECYCLE.events.clear()
    return LIFECYCLE


def day_config(day: object) -> dict[str, Any]:
    return {"ops": {"load": {"config": {"day": day}}}}
