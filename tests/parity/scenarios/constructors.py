"""The call forms of classes whose reference signature is opaque (``*args, **kwargs``).

The reference builds its metadata values and errors on named tuples and ``*args`` /
``**kwargs`` constructors, so their signatures cannot be compared; headwater names the same
parameters. These scenarios pin that every call form the reference accepts works the same.
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
