"""``@op``: what an op function's signature and the decorator's arguments declare."""

from __future__ import annotations

import re
from typing import Any

import pytest

import headwater as dg
from headwater.config.types import ConfigType
from headwater.errors import InvalidDefinitionError, InvalidInvocationError


def test_op_takes_its_name_and_description_from_the_function() -> None:
    @dg.op
    def load_orders() -> int:
        """Load today's orders."""
        return 1

    assert isinstance(load_orders, dg.OpDefinition)
    assert load_orders.name == "load_orders"
    assert load_orders.description == "Load today's orders."
    assert load_orders.output_names == ["result"]
    assert load_orders.input_names == []


def test_op_arguments_override_name_description_tags_and_version() -> None:
    @dg.op(name="renamed", description="explicit", tags={"team": "data"}, code_version="7")
    def fn() -> None:
        """Docstring loses to description=."""

    assert fn.name == "renamed"
    assert fn.description == "explicit"
    assert fn.tags == {"team": "data"}
    assert fn.version == "7"
    assert fn.code_version == "7"


@pytest.mark.parametrize("first", ["context", "_context", "context_", "_", "ctx"])
def test_conventional_first_parameter_names_are_the_context(first: str) -> None:
    namespace: dict[str, Any] = {}
    exec(f"def fn({first}, x): return x", namespace)
    op_def = dg.op(namespace["fn"])
    assert op_def.signature.has_context
    assert op_def.input_names == ["x"]


def test_first_parameter_annotated_as_context_is_the_context_whatever_its_name() -> None:
    @dg.op
    def fn(c: dg.OpExecutionContext, x: int) -> int:
        return x

    assert fn.signature.has_context
    assert fn.input_names == ["x"]


def test_parameters_without_context_are_inputs_with_their_defaults() -> None:
    @dg.op
    def add(a: int, b: int = 2) -> int:
        return a + b

    assert not add.signature.has_context
    assert add.input_names == ["a", "b"]
    assert not add.input_defs["a"].has_default
    assert add.input_defs["a"].dagster_type is int
    assert add.input_defs["b"].default_value == 2


def test_declared_in_keeps_its_facts_and_gains_the_parameter_default() -> None:
    @dg.op(ins={"b": dg.In(int, description="the addend")})
    def add(a: int, b: int = 5) -> int:
        return a + b

    assert add.input_defs["b"].description == "the addend"
    assert add.input_defs["b"].default_value == 5


def test_nothing_input_needs_no_parameter() -> None:
    @dg.op(ins={"start": dg.In(dg.Nothing)})
    def after() -> str:
        return "done"

    assert after.input_names == ["start"]
    assert after.input_defs["start"].is_nothing


def test_declared_input_without_parameter_is_an_error_naming_op_and_input() -> None:
    msg = (
        "op 'fn' declares input 'missing' in ins= but its function has no parameter "
        "'missing'; add the parameter or declare it In(Nothing)"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.op(ins={"missing": dg.In(int)})
        def fn() -> None: ...


def test_star_args_are_rejected_with_the_reason() -> None:
    msg = (
        "op 'fn' takes *rest; op functions need named parameters (or **kwargs) so that "
        "headwater can pass inputs, config and resources by name"
    )
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.op
        def fn(*rest: Any) -> None: ...


def test_invalid_op_name_is_rejected() -> None:
    msg = "node name 'has space' is not valid: use letters, digits and underscores only"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):
        dg.op(name="has space")(lambda: None)


def test_config_schema_is_normalized_to_a_config_type() -> None:
    @dg.op(config_schema={"n": int})
    def fn(context: Any) -> None: ...

    assert isinstance(fn.config_schema, ConfigType)
    assert fn.config_class is None


def test_op_without_config_has_no_schema() -> None:
    @dg.op
    def fn() -> None: ...

    assert fn.config_schema is None


class Batch(dg.Config):
    size: int = 10


def test_config_parameter_becomes_the_op_schema_and_is_not_an_input() -> None:
    @dg.op
    def fn(context: Any, config: Batch, rows: list[int]) -> None: ...

    assert fn.config_class is Batch
    assert fn.signature.config_param == "config"
    assert isinstance(fn.config_schema, ConfigType)
    assert fn.input_names == ["rows"]


def test_config_parameter_and_config_schema_together_are_an_error() -> None:
    msg = "op 'fn' has both config_schema= and a Config parameter 'config'; use one of them"
    with pytest.raises(InvalidDefinitionError, match=re.escape(msg)):

        @dg.op(config_schema={"n": int})
        def fn(config: Batch) -> None: ...


class Warehouse(dg.ConfigurableResource):
    url: str = "sqlite://"


def test_required_resource_keys_and_resource_parameters_both_count() -> None:
    @dg.op(required_resource_keys={"cache"})
    def fn(context: Any, warehouse: Warehouse, rows: list[int]) -> None: ...

    assert fn.required_resource_keys == frozenset({"cache", "warehouse"})
    assert fn.signature.resource_params == {"warehouse": "warehouse"}
    assert fn.input_names == ["rows"]


def test_resource_param_annotation_marks_a_resource() -> None:
    @dg.op
    def fn(db: dg.ResourceParam[str]) -> None: ...

    assert fn.required_resource_keys == frozenset({"db"})
    assert fn.input_names == []


def test_single_out_is_the_result_output_and_a_dict_names_several() -> None:
    @dg.op(out=dg.Out(int, description="count"))
    def one() -> int:
        return 1

    @dg.op(out={"left": dg.Out(), "right": dg.Out(is_required=False)})
    def two() -> tuple[int, int]:
        return 1, 2

    assert one.output_names == ["result"]
    assert one.output_defs["result"].description == "count"
    assert two.output_names == ["left", "right"]
    assert not two.output_defs["right"].is_required


def test_generator_ops_are_recognised() -> None:
    @dg.op
    def gen() -> Any:
        yield dg.Output(1)

    assert gen.is_generator


def test_a_wrapped_generator_is_recognised_and_a_plain_function_is_not() -> None:
    import functools

    def produce(context: Any, n: int) -> Any:
        yield dg.Output(n)

    wrapped = dg.op(name="wrapped")(functools.partial(produce))
    assert wrapped.is_generator  # inspect's unwrapping, for what is not a plain function

    @dg.op
    def plain() -> int:
        return 1

    assert not plain.is_generator


def test_retry_policy_and_pool_are_kept() -> None:
    policy = dg.RetryPolicy(max_retries=2)

    @dg.op(retry_policy=policy, pool="db")
    def fn() -> None: ...

    assert fn.retry_policy is policy
    assert fn.pool == "db"


def test_alias_outside_a_graph_body_runs_the_op() -> None:
    @dg.op
    def add_one(x: int) -> int:
        return x + 1

    pending = add_one.alias("other").tag({"team": "data"})
    assert isinstance(pending, dg.PendingNodeInvocation)
    assert (pending.given_alias, pending.tags, pending.node_def) == (
        "other",
        {"team": "data"},
        add_one,
    )
    assert pending(4) == 5


def test_pending_op_cannot_become_a_job() -> None:
    @dg.op
    def fn() -> None: ...

    with pytest.raises(InvalidInvocationError, match="to_job needs a graph"):
        fn.alias("other").to_job()


def test_alias_name_must_be_valid() -> None:
    @dg.op
    def fn() -> None: ...

    with pytest.raises(InvalidDefinitionError, match=re.escape("node name 'a-b' is not valid")):
        fn.alias("a-b")


def test_in_out_and_output_describe_themselves() -> None:
    assert repr(dg.In(int)) == "In(<class 'int'>)"
    assert repr(dg.Out(dg.Nothing)) == "Out(Nothing)"
    output = dg.Output(3, "n", metadata={"rows": 3})
    assert (output.value, output.output_name) == (3, "n")
    assert output.metadata == {"rows": dg.MetadataValue.int(3)}
    assert repr(output) == "Output(3, 'n')"

    @dg.op
    def named() -> None: ...

    assert repr(named) == "<OpDefinition 'named'>"
