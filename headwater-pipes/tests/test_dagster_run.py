"""A script using headwater_pipes reports to a real Dagster run (Dagster's own orchestrator side).

Runs under the reference Dagster 1.13 environment (the `dagster_python` fixture: the interpreter
named by PARITY_REF_113, by default .ref/dagster-1.13/bin/python under the repository root, as
for the parity suite). Skipped when it is absent, except in CI, where it must be present.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import headwater_pipes

SRC = Path(headwater_pipes.__file__).parent.parent

EXTERNAL = """
from headwater_pipes import open_pipes

with open_pipes() as context:
    context.log.info(f"run {context.run_id} for {context.asset_key}")
    context.report_asset_materialization(
        metadata={"rows": 42, "source": {"raw_value": "https://example.com", "type": "url"}},
        data_version="v7",
    )
    context.report_asset_check("positive", passed=True, metadata={"min": 1})
    context.report_custom_message({"traceparent": context.get_extra("traceparent")})
"""

ORCHESTRATOR = """
import json, shutil, sys
import dagster as dg

@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="orders")])
def orders(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):
    invocation = pipes.run(
        command=[sys.executable, sys.argv[1]], context=context,
        extras={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
    )
    results = list(invocation.get_results())
    print(json.dumps({"custom": invocation.get_custom_messages()}), file=sys.stderr)
    yield from results

result = dg.materialize(
    [orders], resources={"pipes": dg.PipesSubprocessClient(env={"PYTHONPATH": sys.argv[2]})}
)
mat = result.get_asset_materialization_events()[0].materialization
check = result.get_asset_check_evaluations()[0]
print(json.dumps({
    "success": result.success,
    "metadata": {k: repr(v) for k, v in mat.metadata.items()},
    "tags": dict(mat.tags or {}),
    "check": [check.check_name, check.passed, {k: repr(v) for k, v in check.metadata.items()}],
}))
"""


def test_headwater_pipes_script_materializes_a_dagster_asset(
    tmp_path: Path, dagster_python: Path
) -> None:
    (tmp_path / "external.py").write_text(EXTERNAL)
    (tmp_path / "orchestrator.py").write_text(ORCHESTRATOR)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAGSTER_")}
    env["DAGSTER_HOME"] = str(tmp_path)
    out = subprocess.run(
        [str(dagster_python), "orchestrator.py", "external.py", str(SRC)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["success"] is True
    assert report["metadata"]["rows"] == "IntMetadataValue(value=42)"
    assert report["metadata"]["source"] == "UrlMetadataValue(url='https://example.com')"
    assert report["tags"].get("dagster/data_version") == "v7"
    assert report["check"][:2] == ["positive", True]
    assert report["check"][2]["min"] == "IntMetadataValue(value=1)"
    assert (
        '"custom": [{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}]'
        in out.stderr
    )
