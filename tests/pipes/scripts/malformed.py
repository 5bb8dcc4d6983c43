"""Writes a few malformed lines into the message stream between good messages."""

import json
import os
import sys

from headwater_pipes import decode_env_var, open_pipes

path = decode_env_var(os.environ["DAGSTER_PIPES_MESSAGES"])["path"]
with open_pipes() as pipes:
    pipes.log.info("before")
    with open(path, "a") as stream:
        stream.write("this is not json\n")
        stream.write(
            json.dumps(
                {
                    "__dagster_pipes_version": "0.1",
                    "method": "log",
                    "params": {"message": 5, "level": "INFO"},
                }
            )
            + "\n"
        )
        stream.write(
            json.dumps({"__dagster_pipes_version": "0.1", "method": "teleport", "params": {}})
            + "\n"
        )
    pipes.log.info("after")
    pipes.report_asset_materialization(metadata={"rows": 1})
sys.exit(0)
