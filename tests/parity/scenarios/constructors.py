"""The call forms of classes whose reference signature is opaque (``*args, **kwargs``).

The reference builds its metadata values and errors on named tuples and ``*args`` /
``**kwargs`` constructors, so their signatures cannot be compared; headwater names the same
parameters. These scenarios pin that every call form the reference accepts works the same.
The errors built from their parts (``DagsterInvalidConfigDefinitionError``,
``DagsterUnknownResourceError``) are here too: what each part becomes, in the attributes and
the message, and that the errors the framework raises carry them.
"""

import sys

from _harness import dg, scenario

_METADATA = {
    "int_positional": lambda: dg.IntMetadataValue(5).value,
    "int_keyword": lambda: dg.IntMetadataValue(value=5).value,
    "float": lambda: dg.FloatMetadataValue(1.5).value,
    "bool": lambda: dg.BoolMetadataValue(True).value,
    "text_keyword": lambda: dg.TextMetadataValue(text="t").value,
    "url": lambda: dg.UrlMetadataValue("http://x").value,
    "markdown_keyword": lambda: dg.MarkdownMetadataValue(md_str="# x").value,
    "timestamp": lambda: dg.TimestampMetadataValue(1.0).value,
    "null": lambda: dg.NullMetadataValue().value,
    "run_keyword": lambda: dg.DagsterRunMetadataValue(run_id="r").value,
    "asset_keyword": lambda: list(
        dg.DagsterAssetMetadataValue(asset_key=dg.AssetKey("a")).value.path
    ),
    "table_record": lambda: dict(dg.TableRecord({"a": 1}).data),
    "table_schema": lambda: [
        c.name
        for c in dg.TableSchemaMetadataValue(
            schema=dg.TableSchema(columns=[dg.TableColumn("a")])
        ).value.columns
    ],
}

for _name, _call in _METADATA.items():

    def _scenario(obs, call=_call):
        obs.record("value", call())

    scenario(_scenario, name=f"metadata_{_name}")


def _exc_info():
    try:
        raise ValueError("inner")
    except ValueError:
        return sys.exc_info()


_ERRORS = {
    "user_code": lambda info: dg.DagsterUserCodeExecutionError(
        "m", user_exception=info[1], original_exc_info=info
    ),
    "step_execution": lambda info: dg.DagsterExecutionStepExecutionError(
        "m",
        user_exception=info[1],
        original_exc_info=info,
        step_key="s",
        op_name="o",
        op_def_name="o",
    ),
    "resource_function": lambda info: dg.DagsterResourceFunctionError(
        "m", user_exception=info[1], original_exc_info=info
    ),
    "type_check": lambda info: dg.DagsterTypeCheckError(
        "m", user_exception=info[1], original_exc_info=info
    ),
    "config_mapping": lambda info: dg.DagsterConfigMappingFunctionError(
        "m", user_exception=info[1], original_exc_info=info
    ),
    "step_output_not_found": lambda info: dg.DagsterStepOutputNotFoundError(
        "m", step_key="s", output_name="o"
    ),
    "unknown_partition": lambda info: dg.DagsterUnknownPartitionError("m"),
    "run_not_found": lambda info: dg.DagsterRunNotFoundError("m", invalid_run_id="r1"),
}

for _name, _make in _ERRORS.items():

    def _error_scenario(obs, make=_make):
        error = make(_exc_info())
        obs.record("message", str(error))
        obs.record("user_exception", type(getattr(error, "user_exception", None)).__name__)
        obs.record("invalid_run_id", getattr(error, "invalid_run_id", None))
        obs.raises(lambda: (_ for _ in ()).throw(error), "m")

    scenario(_error_scenario, name=f"error_{_name}")


# DagsterInvalidConfigDefinitionError(original_root, current_value, stack, reason=None)


def _config_definition_error(obs, error, root, current, stack, fragments):
    obs.record("original_root_is_given", error.original_root is root)
    obs.record("current_value_is_given", error.current_value is current)
    obs.record("stack", error.stack)
    obs.raises(lambda: (_ for _ in ()).throw(error), *fragments)


@scenario
def config_definition_error_parts(obs):
    root = {"a": {"b": set}}
    error = dg.DagsterInvalidConfigDefinitionError(root, set, ["a", "b"], reason="no sets")
    # The path's spelling is headwater's own (a.b, as run config paths; the reference's
    # is :a:b): its field names are what both name.
    fragments = (repr(root), repr(set), "no sets", "cannot be resolved")
    _config_definition_error(obs, error, root, set, ["a", "b"], fragments)
    obs.record("args", len(error.args))


@scenario
def config_definition_error_positional_reason(obs):
    error = dg.DagsterInvalidConfigDefinitionError(1, 2, ["x"], "too small")
    _config_definition_error(obs, error, 1, 2, ["x"], ("1", "2", "x", "too small"))


@scenario
def config_definition_error_without_stack_or_reason(obs):
    error = dg.DagsterInvalidConfigDefinitionError(3, 4, [])
    _config_definition_error(obs, error, 3, 4, [], ("3", "4", "cannot be resolved", "Reason"))


@scenario
def config_definition_error_refuses_keywords(obs):
    obs.raises(lambda: dg.DagsterInvalidConfigDefinitionError(1, 2, [], extra=True), "keyword")


@scenario
def config_definition_error_needs_its_parts(obs):
    obs.raises(
        lambda: dg.DagsterInvalidConfigDefinitionError("a message"), "current_value", "stack"
    )


@scenario
def op_config_schema_error_carries_its_parts(obs):
    schema = {"a": {"b": set}}
    try:

        @dg.op(config_schema=schema)
        def load():
            pass

    except dg.DagsterInvalidConfigDefinitionError as error:
        fragments = (repr(schema), repr(set), "cannot be resolved")
        _config_definition_error(obs, error, schema, set, ["a", "b"], fragments)


@scenario
def resource_config_schema_error_carries_its_parts(obs):
    schema = {"a": 3}
    try:

        @dg.resource(config_schema=schema)
        def db(_):
            pass

    except dg.DagsterInvalidConfigDefinitionError as error:
        _config_definition_error(obs, error, schema, 3, ["a"], (repr(schema), "3"))


@scenario
def list_schema_error_carries_its_parts(obs):
    schema = {"a": [int, str]}
    try:
        dg.Field(schema)
    except dg.DagsterInvalidConfigDefinitionError as error:
        _config_definition_error(obs, error, schema, schema["a"], ["a"], (repr(schema["a"]),))


@scenario
def shape_schema_error_names_the_full_path(obs):
    try:
        dg.Shape({"a": {"b": {"c": object}}})
    except dg.DagsterInvalidConfigDefinitionError as error:
        obs.record("stack", error.stack)
        obs.record("current_value_is_object", error.current_value is object)
        obs.record("original_root", sorted(error.original_root))


# DagsterUnknownResourceError(resource_name, *args)


@scenario
def unknown_resource_error_parts(obs):
    error = dg.DagsterUnknownResourceError("db")
    obs.record("resource_name", error.resource_name)
    obs.record("args", len(error.args))
    obs.record("is_attribute_error", isinstance(error, AttributeError))
    obs.raises(lambda: (_ for _ in ()).throw(error), "db", "resource")


@scenario
def unknown_resource_error_keeps_further_arguments(obs):
    error = dg.DagsterUnknownResourceError("db", "extra", 3)
    obs.record("resource_name", error.resource_name)
    obs.record("further", list(error.args[1:]))


@scenario
def unknown_resource_error_keyword_name(obs):
    obs.record("resource_name", dg.DagsterUnknownResourceError(resource_name="db").resource_name)
    obs.raises(dg.DagsterUnknownResourceError, "resource_name")


@scenario
def unknown_resource_read_names_the_key(obs):
    with dg.build_resources({"a": 1}) as resources:
        try:
            resources.other
        except dg.DagsterUnknownResourceError as error:
            obs.record("resource_name", error.resource_name)
    context = dg.build_op_context(resources={"a": 1})
    try:
        context.resources.nope
    except dg.DagsterUnknownResourceError as error:
        obs.record("op_context_resource_name", error.resource_name)
    obs.record("hasattr", hasattr(context.resources, "nope"))
