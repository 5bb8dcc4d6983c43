"""``RunConfig``, ``config_from_*``, ``validate_run_config``, ``configured``, ``ConfigMapping``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, Union

import pytest
from pydantic import Field as PydanticField

import headwater as dg
from headwater.config import normalize_schema, to_json_schema
from headwater.errors import (
    ConfigMappingFunctionError,
    InvalidConfigError,
    InvalidDefinitionError,
    InvariantViolationError,
)


class Load(dg.Config):
    path: str
    limit: int = 10


class Store(dg.ConfigurableResource):
    url: str
    timeout: int = 30


def test_run_config_turns_objects_into_config_sections() -> None:
    run_config = dg.RunConfig(
        ops={"load": Load(path="p"), "graph": {"ops": {"inner": Load(path="q", limit=1)}}},
        resources={"store": Store(url=dg.EnvVar("STORE_URL"))},
    )
    assert run_config.to_config_dict() == {
        "loggers": {},
        "resources": {"store": {"config": {"url": {"env": "STORE_URL"}, "timeout": 30}}},
        "ops": {
            "load": {"config": {"path": "p", "limit": 10}},
            "graph": {"ops": {"inner": {"config": {"path": "q", "limit": 1}}}},
        },
        "execution": {},
    }
    assert run_config == dg.RunConfig(
        ops={"load": Load(path="p"), "graph": {"ops": {"inner": Load(path="q", limit=1)}}},
        resources={"store": Store(url=dg.EnvVar("STORE_URL"))},
    )


def test_a_job_runs_with_a_run_config_object() -> None:
    @dg.op
    def load(config: Load) -> str:
        return f"{config.path}:{config.limit}"

    @dg.job
    def j() -> None:
        load()

    result = j.execute_in_process(run_config=dg.RunConfig(ops={"load": Load(path="x")}))
    assert result.output_for_node("load") == "x:10"


def test_config_from_yaml_strings_merges_later_over_earlier() -> None:
    merged = dg.config_from_yaml_strings(["a: {b: 1, c: 2}", "a: {c: 3}", ""])
    assert merged == {"a": {"b": 1, "c": 3}}
    with pytest.raises(InvariantViolationError, match="YAML string 0 is not valid YAML"):
        dg.config_from_yaml_strings(["a: [1"])
    with pytest.raises(InvariantViolationError, match="must hold a mapping at the top, got list"):
        dg.config_from_yaml_strings(["- 1"])


def test_config_from_files_reads_globs_in_order(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("ops: {o: {config: {n: 1}}}\n")
    (tmp_path / "b.yaml").write_text("ops: {o: {config: {m: 2}}}\n")
    assert dg.config_from_files([str(tmp_path / "*.yaml")]) == {
        "ops": {"o": {"config": {"n": 1, "m": 2}}}
    }
    missing = str(tmp_path / "none.yaml")
    msg = f'config file "{missing}" does not exist (no file matches it)'
    with pytest.raises(InvariantViolationError, match=re.escape(msg)):
        dg.config_from_files([missing])


def test_config_from_pkg_resources_reads_package_data() -> None:
    with pytest.raises(InvariantViolationError, match=re.escape('cannot read config "nope.yaml"')):
        dg.config_from_pkg_resources([("headwater", "nope.yaml")])


def _job() -> dg.JobDefinition:
    @dg.op(config_schema={"n": int, "m": dg.Field(int, default_value=2)})
    def o(context: dg.OpExecutionContext) -> Any:
        return context.op_config

    @dg.job
    def j() -> None:
        o()

    return j


def test_validate_run_config_returns_the_processed_config() -> None:
    processed = dg.validate_run_config(_job(), {"ops": {"o": {"config": {"n": 1}}}})
    assert processed["ops"]["o"]["config"] == {"n": 1, "m": 2}
    msg = "1 problem(s) in run config for job 'j':\n  ops.o.config.n: expected int"
    with pytest.raises(InvalidConfigError, match=re.escape(msg)) as caught:
        dg.validate_run_config(_job(), {"ops": {"o": {"config": {"n": "x"}}}})
    assert len(caught.value.errors) == 1


def test_configured_op_fixes_its_config_and_needs_a_name() -> None:
    @dg.op(config_schema={"n": int})
    def o(context: dg.OpExecutionContext) -> int:
        return int(context.op_config["n"])

    five = dg.configured(o, name="five")({"n": 5})
    doubled = o.configured(
        lambda c: {"n": c["half"] * 2}, name="doubled", config_schema={"half": int}
    )

    @dg.job
    def j() -> None:
        five()
        doubled()

    result = j.execute_in_process(run_config={"ops": {"doubled": {"config": {"half": 4}}}})
    assert (result.output_for_node("five"), result.output_for_node("doubled")) == (5, 8)
    with pytest.raises(InvalidDefinitionError, match=r"\.configured\(\.\.\.\) needs name="):
        o.configured({"n": 1}, name="")


def test_a_failing_config_mapping_names_what_it_configures() -> None:
    @dg.op(config_schema={"n": int})
    def o(context: dg.OpExecutionContext) -> None:
        pass

    def broken(config: Any) -> Any:
        raise KeyError("nope")

    bad = o.configured(broken, name="bad", config_schema={"x": int})

    @dg.job
    def j() -> None:
        bad()

    msg = "the config mapping function of op 'bad' raised KeyError"
    with pytest.raises(ConfigMappingFunctionError, match=re.escape(msg)):
        j.execute_in_process(run_config={"ops": {"bad": {"config": {"x": 1}}}})


def test_graph_config_mapping_configures_the_ops_inside() -> None:
    @dg.op(config_schema={"n": int})
    def o(context: dg.OpExecutionContext) -> int:
        return int(context.op_config["n"])

    @dg.graph(
        config=dg.ConfigMapping(
            config_fn=lambda c: {"o": {"config": {"n": c["m"] + 1}}}, config_schema={"m": int}
        )
    )
    def g() -> Any:
        return o()

    @dg.job
    def j() -> None:
        g()

    result = j.execute_in_process(run_config={"ops": {"g": {"config": {"m": 1}}}})
    assert result.output_for_node("g") == 2
    with pytest.raises(InvalidConfigError, match=re.escape("ops.g.config.m: expected int")):
        j.execute_in_process(run_config={"ops": {"g": {"config": {"m": "x"}}}})


class Cat(dg.Config):
    kind: Literal["cat"] = "cat"
    lives: int = 9


class Dog(dg.Config):
    kind: Literal["dog"] = "dog"
    barks: bool


class Pet(dg.Config):
    pet: Union[Cat, Dog] = PydanticField(discriminator="kind")  # noqa: UP007  # pydantic reads it


def test_discriminated_union_is_a_selector_of_its_variants() -> None:
    @dg.op
    def o(config: Pet) -> Any:
        return config.pet

    @dg.job
    def j() -> None:
        o()

    pet = j.execute_in_process(
        run_config={"ops": {"o": {"config": {"pet": {"dog": {"barks": True}}}}}}
    ).output_for_node("o")
    assert isinstance(pet, Dog) and pet.barks
    config = dg.RunConfig(ops={"o": Pet(pet=Cat(lives=3))}).to_config_dict()
    assert config["ops"]["o"]["config"] == {"pet": {"cat": {"lives": 3}}}
    msg = 'unknown choice "fish"'
    with pytest.raises(InvalidConfigError, match=re.escape(msg)):
        j.execute_in_process(run_config={"ops": {"o": {"config": {"pet": {"fish": {}}}}}})


def test_env_var_refuses_to_print_its_value() -> None:
    with pytest.raises(InvariantViolationError, match=re.escape('EnvVar("TOKEN") is read when')):
        str(dg.EnvVar("TOKEN"))
    assert dg.EnvVar("TOKEN").env_var_name == "TOKEN"


def test_json_schema_of_defaulted_and_mapped_schemas() -> None:
    assert to_json_schema(normalize_schema(dg.Field(int, default_value=9), where="t")) == {
        "type": "integer",
        "default": 9,
    }

    @dg.op(config_schema={"n": int})
    def o(context: dg.OpExecutionContext) -> None:
        pass

    copy = o.configured(lambda c: {"n": c["m"]}, name="copy", config_schema={"m": int})
    assert copy.config_type is not None
    assert to_json_schema(copy.config_type)["properties"] == {"m": {"type": "integer"}}
