"""RunConfig: Config and ConfigurableResource objects written as run config."""

from __future__ import annotations

import headwater as dg


class Settings(dg.Config):
    n: int = 1
    label: str = "x"


class Store(dg.ConfigurableResource):
    url: str = "local"


def test_config_objects_become_config_dicts_with_every_field() -> None:
    config = dg.RunConfig(
        ops={"a": Settings(n=2), "g": {"ops": {"b": Settings()}}},
        resources={"store": Store(url="u"), "raw": {"config": 3}},
    )
    assert config.to_config_dict() == {
        "loggers": {},
        "resources": {"store": {"config": {"url": "u"}}, "raw": {"config": 3}},
        "ops": {
            "a": {"config": {"n": 2, "label": "x"}},
            "g": {"ops": {"b": {"config": {"n": 1, "label": "x"}}}},
        },
        "execution": {},
    }


def test_run_config_is_accepted_where_a_dict_is() -> None:
    @dg.op
    def show(config: Settings) -> int:
        return config.n

    @dg.job(config=dg.RunConfig(ops={"show": Settings(n=5)}))
    def j() -> None:
        show()

    assert j.execute_in_process().output_for_node("show") == 5
    run_config = dg.RunConfig(ops={"show": Settings(n=6)})
    assert j.execute_in_process(run_config=run_config).output_for_node("show") == 6
