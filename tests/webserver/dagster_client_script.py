# mypy: ignore-errors
"""Run by the reference interpreter: the published GraphQL client against headwater.

Usage: python dagster_client_script.py PORT. Prints one JSON object of what it saw.
"""

import json
import sys
import time

from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError
from dagster_graphql.client import client_queries
from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

port = int(sys.argv[1])

# Every query the client sends validates against the schema it reads by introspection.

strict = Client(
    transport=RequestsHTTPTransport(url=f"http://127.0.0.1:{port}/graphql"),
    fetch_schema_from_transport=True,
)
with strict as session:
    checked = []
    for name in sorted(vars(client_queries)):
        text = getattr(client_queries, name)
        if name.isupper() and isinstance(text, str):
            session.client.validate(gql(text))
            checked.append(name)
client = DagsterGraphQLClient("127.0.0.1", port_number=port)
seen = {"validated": checked}

config = {"ops": {"first": {"config": {"n": 1}}}}
run_id = client.submit_job_execution(
    "my_job", run_config=config, tags={"team": "data"}, op_selection=["first"]
)
deadline = time.monotonic() + 90
status = client.get_run_status(run_id)
while status.value not in ("SUCCESS", "FAILURE", "CANCELED") and time.monotonic() < deadline:
    time.sleep(0.2)
    status = client.get_run_status(run_id)
seen["selected_run"] = [run_id, status.value]

try:
    client.submit_job_execution("my_job", run_config={"ops": {"first": {"config": {"n": "x"}}}})
except DagsterGraphQLClientError as exc:
    seen["invalid_config"] = [exc.args[0], exc.args[1]]

try:
    client.submit_job_execution("no_such_job", run_config={})
except DagsterGraphQLClientError as exc:
    seen["unknown_job"] = list(exc.args)


def wait_all(run_ids, status):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and any(
        client.get_run_status(r).value != status for r in run_ids
    ):
        time.sleep(0.2)
    return [client.get_run_status(r).value for r in run_ids]


# Three runs that sleep, terminated once started: one alone, two together.
sleepers = [client.submit_job_execution("sleepy", run_config={}) for _ in range(3)]
wait_all(sleepers, "STARTED")
client.terminate_run(sleepers[0])
seen["terminated"] = wait_all(sleepers[:1], "CANCELED")[0]
queued = sleepers[1:]
client.terminate_runs(queued)
seen["terminate_runs"] = wait_all(queued, "CANCELED")
try:
    client.terminate_runs([queued[0], "no-such-run"])
except DagsterGraphQLClientError as exc:
    seen["terminate_runs_error"] = list(exc.args)

try:
    client.get_run_status("no-such-run")
except DagsterGraphQLClientError as exc:
    seen["status_unknown"] = list(exc.args)

info = client.reload_repository_location("defs.py")
seen["reload"] = [info.status.value, info.failure_type, info.message]
info = client.reload_repository_location("nowhere")
seen["reload_unknown"] = [info.status.value, info.failure_type, info.message]
info = client.shutdown_repository_location("defs.py")
seen["shutdown"] = [info.status.value, info.message]
print(json.dumps(seen))
