"""No environment variable's value leaves the server: a query built from the schema itself
reaches every root field (and every field below it, a few levels deep) over definitions and
a run whose resources read a secret from the environment, and the secret's value appears
nowhere in the answers, while its variable's name does."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SECRET = "s3cr3t-value-1b7e"
DEFS = """
import headwater as dg

class Warehouse(dg.ConfigurableResource):
    user: str
    password: str

@dg.asset
def table(warehouse: Warehouse):
    return 1

@dg.op
def query(context, warehouse: Warehouse):
    context.log.info("connected as " + warehouse.user)
    return 1

@dg.job(partitions_def=dg.StaticPartitionsDefinition(["2024-01-01"]))
def nightly_load():
    query()

@dg.schedule(cron_schedule="0 0 * * *", job=nightly_load)
def every_night(_context):
    return {}

defs = dg.Definitions(
    assets=[table],
    jobs=[nightly_load],
    schedules=[every_night],
    resources={"warehouse": Warehouse(user="me", password=dg.EnvVar("WAREHOUSE_SECRET"))},
)
"""
REPO = {"repositoryLocationName": "defs.py", "repositoryName": "__repository__"}
MAX_DEPTH = 7
# Fields left out of the scan, with why. A job's partition keys are a non-null field that
# errors for an unpartitioned job (as in Dagster's schema), which would null every root
# field whose answer reaches a job; partitions are scanned through the asset nodes.
SKIPPED = {("Pipeline", "partitionKeysOrError"), ("Job", "partitionKeysOrError")}


@pytest.fixture
def secret_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import importlib.util

    from headwater.location.code import CodePointer
    from headwater.storage import Instance
    from headwater.webserver import ServerContext, Workspace
    from headwater.webserver.limits import QueryLimits

    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    (tmp_path / "defs.py").write_text(DEFS)
    instance = Instance.from_config(tmp_path / "home")
    spec = importlib.util.spec_from_file_location("secret_defs", tmp_path / "defs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    job = module.defs.get_job_def("nightly_load")
    run_config = {
        "resources": {
            "warehouse": {"config": {"user": "me", "password": {"env": "WAREHOUSE_SECRET"}}}
        }
    }
    result = job.execute_in_process(
        instance=instance, run_config=run_config, partition_key="2024-01-01"
    )
    assert result.success
    pointer = CodePointer(python_file=str(tmp_path / "defs.py"))
    context = ServerContext(
        instance=instance,
        workspace=Workspace.of([("defs.py", pointer)]),
        limits=QueryLimits(max_depth=100, max_complexity=10**9),
    )
    yield dataclasses.replace(context), result.run_id
    instance.dispose()


def _arguments(run_id: str) -> dict[str, Any]:
    """A value for each argument name the root fields take (some optional ones too)."""
    job = {**REPO, "pipelineName": "nightly_load"}
    return {
        "runId": run_id,
        "runIds": [run_id],
        "assetKey": {"path": ["table"]},
        "assetKeys": [{"path": ["table"]}],
        "repositorySelector": REPO,
        "scheduleSelector": {**REPO, "scheduleName": "every_night"},
        "sensorSelector": {**REPO, "sensorName": "none"},
        "resourceSelector": {**REPO, "resourceName": "warehouse"},
        "pipeline": job,
        "selector": job,
        "params": job,
        "runConfigData": {
            "resources": {
                "warehouse": {"config": {"user": "me", "password": {"env": "WAREHOUSE_SECRET"}}}
            }
        },
        "loadMaterializations": True,
        "daemonType": "scheduler",
        "partitionName": "2024-01-01",
    }


class _Variables:
    """The variables a generated query declares: one per argument name and type."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.declared: dict[str, tuple[str, Any]] = {}

    def use(self, name: str, type_text: str) -> str:
        key = f"{name}_{len({t for n, (t, _) in self.declared.items() if n.startswith(name)})}"
        for existing, (declared_type, _) in self.declared.items():
            if existing.rsplit("_", 1)[0] == name and declared_type == type_text:
                return f"${existing}"
        self.declared[key] = (type_text, self.values[name])
        return f"${key}"

    def header(self) -> str:
        return ", ".join(f"${k}: {t}" for k, (t, _) in self.declared.items())


def _selection(graphql_type: Any, values: _Variables, path: tuple[str, ...]) -> str:
    """Every field of ``graphql_type`` whose arguments we can give, ``MAX_DEPTH`` deep."""
    from graphql import (
        GraphQLInterfaceType,
        GraphQLObjectType,
        GraphQLUnionType,
        get_named_type,
        is_leaf_type,
        is_required_argument,
    )

    named = get_named_type(graphql_type)
    if is_leaf_type(named):
        return ""
    if len(path) >= MAX_DEPTH or named.name in path:
        return "{ __typename }"
    inner = (*path, named.name)
    parts = ["__typename"]
    if isinstance(named, (GraphQLUnionType, GraphQLInterfaceType)):
        from headwater.webserver.schema import get_schema

        for possible in get_schema().get_possible_types(named):
            parts.append(f"... on {possible.name} {_selection(possible, values, inner)}")
        return "{ " + " ".join(parts) + " }"
    assert isinstance(named, GraphQLObjectType)
    for name, field in named.fields.items():
        if (named.name, name) in SKIPPED:
            continue
        given = {}
        for arg_name, arg in field.args.items():
            if arg_name in values.values:
                given[arg_name] = values.use(arg_name, str(arg.type))
            elif is_required_argument(arg):
                break
        else:
            args = "(" + ", ".join(f"{k}: {v}" for k, v in given.items()) + ")" if given else ""
            parts.append(f"{name}{args} {_selection(field.type, values, inner)}")
    return "{ " + " ".join(parts) + " }"


def test_no_resolver_answers_an_environment_variables_value(secret_context: Any) -> None:
    from headwater.webserver import run_operation
    from headwater.webserver.schema import get_schema

    context, run_id = secret_context
    schema = get_schema()
    assert schema.query_type is not None
    answers, unanswered = [], []
    for name, field in schema.query_type.fields.items():
        # One operation per root field: a failing field cannot hide the others' answers.
        holder = type(schema.query_type)("Root", {name: field})
        variables = _Variables(_arguments(run_id))
        selection = _selection(holder, variables, ())
        header = f"({variables.header()})" if variables.declared else ""
        query = f"query Everything{header} {selection}"
        values = {k: v for k, (_, v) in variables.declared.items()}
        status, body = run_operation(context, query, values, None)
        assert status == 200, (name, body)
        answers.append(json.dumps(body))
        # Errors deep inside (an argument left out, a job without partitions) are fine;
        # a root field with no answer at all would leave its part of the schema unscanned.
        if (body.get("data") or {}).get(name) is None:
            unanswered.append((name, body.get("errors")))
    text = "\n".join(answers)
    assert SECRET not in text
    # The scan reached what it was meant to: the run, its events, the resource's config.
    assert "WAREHOUSE_SECRET" in text and run_id in text and "connected as me" in text
    assert not unanswered, unanswered
