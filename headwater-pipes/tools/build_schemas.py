"""Write headwater_pipes/schemas/*.json, the JSON Schemas of the Pipes wire format.

The schemas are JSON Schema draft-07 (which every common validator, fastjsonschema included,
supports) and self-contained: no file refers to another, so a client in any language can load
one file. Run after changing the protocol: ``python headwater-pipes/tools/build_schemas.py``;
a test fails while the files differ from what this script builds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent / "src" / "headwater_pipes"
sys.path.insert(0, str(PACKAGE.parent))

from headwater_pipes.protocol import (  # noqa: E402
    PIPES_ASSET_CHECK_SEVERITIES,
    PIPES_METADATA_TYPES,
    PIPES_METHODS,
    PIPES_PROTOCOL_VERSION_FIELD,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
BASE_ID = "https://headwater.dev/schemas/pipes/"
Schema = dict[str, Any]

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
OBJECT = {"type": "object"}

METADATA_VALUE: Schema = {
    "description": "A metadata entry; raw values are sent with type '__infer__'.",
    "type": "object",
    "required": ["raw_value", "type"],
    "properties": {"raw_value": {}, "type": {"enum": list(PIPES_METADATA_TYPES)}},
    "additionalProperties": False,
}
METADATA: Schema = {
    "type": ["object", "null"],
    "additionalProperties": {"$ref": "#/definitions/metadata_value"},
}
EXCEPTION: Schema = {
    "description": "A failure with its stack, cause and context (each the same shape or null).",
    "type": "object",
    "required": ["message", "stack", "name", "cause", "context"],
    "properties": {
        "message": STRING,
        "stack": {"type": "array", "items": STRING},
        "name": NULLABLE_STRING,
        "cause": {"anyOf": [{"type": "null"}, {"$ref": "#/definitions/exception"}]},
        "context": {"anyOf": [{"type": "null"}, {"$ref": "#/definitions/exception"}]},
    },
}


def _params(required: list[str], properties: Schema, description: str) -> Schema:
    # Extra keys are allowed so that a newer Dagster adding a field is not rejected.
    return {
        "description": description,
        "type": "object",
        "required": required,
        "properties": properties,
    }


PARAMS: dict[str, Schema] = {
    "opened": _params(
        ["extras"],
        {"extras": OBJECT},
        "First message: the writer's extras (facts known only once the process runs).",
    ),
    "closed": _params(
        [],
        {"exception": {"$ref": "#/definitions/exception"}},
        "Last message; carries the exception when the process failed inside the context.",
    ),
    "log": _params(
        ["message", "level"],
        {"message": STRING, "level": {**STRING, "examples": ["DEBUG", "INFO", "WARNING"]}},
        "A log record; level is the Python level name (DEBUG, INFO, WARNING, ERROR, CRITICAL).",
    ),
    "report_asset_materialization": _params(
        ["asset_key"],
        {
            "asset_key": STRING,
            "data_version": NULLABLE_STRING,
            "metadata": {"$ref": "#/definitions/metadata"},
        },
        "An asset was materialized; asset_key is '/'-separated path parts.",
    ),
    "report_asset_check": _params(
        ["asset_key", "check_name", "passed"],
        {
            "asset_key": STRING,
            "check_name": STRING,
            "passed": {"type": "boolean"},
            "severity": {"enum": list(PIPES_ASSET_CHECK_SEVERITIES)},
            "metadata": {"$ref": "#/definitions/metadata"},
        },
        "The result of an asset check.",
    ),
    "report_custom_message": _params(
        ["payload"], {"payload": {}}, "Any JSON value, returned by get_custom_messages()."
    ),
    "log_external_stream": _params(
        ["stream", "text"],
        {"stream": STRING, "text": STRING, "extras": OBJECT},
        "A chunk of a captured output stream (stdout, stderr, a worker's log).",
    ),
}
assert set(PARAMS) == set(PIPES_METHODS), "a method without a schema"

DEFINITIONS: Schema = {
    "metadata_value": METADATA_VALUE,
    "metadata": METADATA,
    "exception": EXCEPTION,
}

TRACEPARENT = {
    "description": "W3C trace context of the step: version-traceid-parentid-flags.",
    "type": "string",
    "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
}
KEY_RANGE = {
    "type": ["object", "null"],
    "required": ["start", "end"],
    "properties": {"start": STRING, "end": STRING},
}
PROVENANCE = {
    "type": ["object", "null"],
    "required": ["code_version", "input_data_versions", "is_user_provided"],
    "properties": {
        "code_version": STRING,
        "input_data_versions": {"type": "object", "additionalProperties": STRING},
        "is_user_provided": {"type": "boolean"},
    },
}
CONTEXT: Schema = {
    "$schema": DRAFT,
    "$id": BASE_ID + "context.json",
    "title": "Pipes context data",
    "description": "What the orchestrator injects: the step's assets, partitions, run and extras.",
    "type": "object",
    "required": [
        "asset_keys",
        "code_version_by_asset_key",
        "provenance_by_asset_key",
        "partition_key",
        "partition_key_range",
        "partition_time_window",
        "run_id",
        "job_name",
        "retry_number",
        "extras",
    ],
    "properties": {
        "asset_keys": {"type": ["array", "null"], "items": STRING},
        "code_version_by_asset_key": {
            "type": ["object", "null"],
            "additionalProperties": NULLABLE_STRING,
        },
        "provenance_by_asset_key": {
            "type": ["object", "null"],
            "additionalProperties": PROVENANCE,
        },
        "partition_key": NULLABLE_STRING,
        "partition_key_range": KEY_RANGE,
        "partition_time_window": KEY_RANGE,
        "run_id": STRING,
        "job_name": NULLABLE_STRING,
        "retry_number": {"type": "integer", "minimum": 0},
        "extras": {"type": "object", "properties": {"traceparent": TRACEPARENT}},
    },
}


def _params_file(method: str) -> Schema:
    return {
        "$schema": DRAFT,
        "$id": f"{BASE_ID}params/{method}.json",
        "title": f"Pipes '{method}' params",
        **PARAMS[method],
        "definitions": DEFINITIONS,
    }


def _message_file() -> Schema:
    definitions = dict(DEFINITIONS)
    branches = []
    for method in PIPES_METHODS:
        definitions[f"{method}_params"] = PARAMS[method]
        branches.append(
            {
                "if": {"properties": {"method": {"const": method}}},
                "then": {"properties": {"params": {"$ref": f"#/definitions/{method}_params"}}},
            }
        )
    return {
        "$schema": DRAFT,
        "$id": BASE_ID + "message.json",
        "title": "Pipes message",
        "description": "One line written by the external process; params depend on method.",
        "type": "object",
        "required": [PIPES_PROTOCOL_VERSION_FIELD, "method", "params"],
        "properties": {
            PIPES_PROTOCOL_VERSION_FIELD: STRING,
            "method": {"enum": list(PIPES_METHODS)},
            "params": {"type": ["object", "null"]},
        },
        "allOf": branches,
        "definitions": definitions,
    }


def build() -> dict[str, Schema]:
    """Return each schema file's relative path and content."""
    files = {"message.json": _message_file(), "context.json": CONTEXT}
    for method in PIPES_METHODS:
        files[f"params/{method}.json"] = _params_file(method)
    return files


def render(schema: Schema) -> str:
    """The exact text written to disk."""
    return json.dumps(schema, indent=2) + "\n"


def main() -> None:
    """Write every schema file."""
    root = PACKAGE / "schemas"
    for name, schema in build().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
