"""Reports through S3 chunks (PipesS3MessageWriter) to a moto server given in the env."""

import os

import boto3  # type: ignore[import-untyped]  # no stubs installed
from headwater_pipes import PipesS3MessageWriter, open_pipes

client = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name="us-east-1")
with open_pipes(message_writer=PipesS3MessageWriter(client, interval=0.05)) as pipes:
    for i in range(250):
        pipes.log.info(f"line {i}")
    pipes.report_asset_materialization(metadata={"lines": 250})
    pipes.report_custom_message("via s3")
