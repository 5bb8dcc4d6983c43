"""Uses every headwater_pipes feature the orchestrator receives; writes what it saw to stdout."""

import json
import logging
import sys

from headwater_pipes import (
    PipesCliArgsParamsLoader,
    PipesDefaultMessageWriter,
    PipesEnvVarParamsLoader,
    open_pipes,
)

loader = (
    PipesCliArgsParamsLoader()
    if "--dagster-pipes-context" in sys.argv
    else PipesEnvVarParamsLoader()
)
with open_pipes(params_loader=loader, message_writer=PipesDefaultMessageWriter()) as pipes:
    pipes.log.debug("a debug line")
    pipes.log.info("an info line")
    pipes.log.warning("a warning line")
    pipes.log.error("an error line")
    pipes.log.log(logging.CRITICAL, "a critical line")
    for key in pipes.asset_keys:
        pipes.report_asset_materialization(
            asset_key=key,
            metadata={
                "rows": 42,
                "ratio": 0.5,
                "ok": True,
                "note": {"raw_value": "# hi", "type": "md"},
                "where": {"raw_value": "https://example.org", "type": "url"},
                "blob": {"raw_value": {"a": [1, 2]}, "type": "json"},
            },
            data_version=f"v-{key}",
        )
        pipes.report_asset_check(
            check_name="positive",
            passed=False,
            severity="WARN",
            metadata={"bad_rows": 3},
            asset_key=key,
        )
    pipes.report_custom_message({"seen": "custom", "n": 1})
    pipes.report_custom_message([1, 2, 3])
    print(
        json.dumps(
            {
                "extras": dict(pipes.extras),
                "run_id": pipes.run_id,
                "job_name": pipes.job_name,
                "retry_number": pipes.retry_number,
                "asset_keys": list(pipes.asset_keys),
                "partition_key": pipes.partition_key if pipes.is_partition_step else None,
                "code_version_by_asset_key": dict(pipes.code_version_by_asset_key),
                "traceparent": pipes.traceparent,
            }
        ),
        flush=True,
    )
