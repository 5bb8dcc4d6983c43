"""The answers behind the UI's pages at scale: ``logsForRun`` as a long log's view (filter,
count, positions and both cursors) and ``assetLineage``, the whole asset graph at once."""

from __future__ import annotations

from typing import Any

from tests.webserver.conftest import run_query

WINDOW = """query($id: ID!, $f: RunLogFilter, $after: String, $before: String, $offset: Int,
    $fromEnd: Boolean, $limit: Int) {
  logsForRun(runId: $id, filter: $f, afterCursor: $after, beforeCursor: $before,
      offset: $offset, fromEnd: $fromEnd, limit: $limit) { __typename
    ... on EventConnection { count cursor startCursor hasMore
      events { ... on MessageEvent { message stepKey eventType level } } }
    ... on PythonError { message } } }"""


def _run(context: Any) -> str:
    _location, job = context.workspace.find_job("my_job")
    result = job.execute_in_process(
        run_config={"ops": {"first": {"config": {"n": 2}}}}, instance=context.instance
    )
    return str(result.run_id)


def _window(context: Any, run_id: str, **variables: Any) -> dict[str, Any]:
    answer: dict[str, Any] = run_query(context, WINDOW, id=run_id, **variables)["logsForRun"]
    return answer


def test_logs_for_run_answers_a_filtered_view_by_position_and_cursor(context: Any) -> None:
    run_id = _run(context)
    everything = _window(context, run_id)
    events = everything["events"]
    assert everything["count"] == len(events) > 6
    # From the end: the newest events, still oldest first; hasMore says older ones exist.
    tail = _window(context, run_id, fromEnd=True, limit=3)
    assert tail["events"] == events[-3:] and tail["hasMore"] is True
    middle = _window(context, run_id, offset=2, limit=3)
    assert middle["events"] == events[2:5]
    # The page before one held ends at its startCursor; the page after starts at its cursor.
    before = _window(context, run_id, before=middle["startCursor"], fromEnd=True, limit=5)
    assert before["events"] == events[:2] and before["hasMore"] is False
    after = _window(context, run_id, after=middle["cursor"], limit=2)
    assert after["events"] == events[5:7]
    # The server filters and counts.
    first = _window(context, run_id, f={"stepKeys": ["first"]})
    assert first["count"] == len(first["events"]) > 0
    assert {e["stepKey"] for e in first["events"]} == {"first"}
    logged = _window(context, run_id, f={"levels": ["INFO"], "text": "FIRST GOT"})
    assert [e["message"] for e in logged["events"]] == ["first got 2"]
    assert logged["count"] == 1
    # A level filter keeps exactly the events shown with that level (one table for both).
    for level in ("DEBUG", "INFO"):
        kept = _window(context, run_id, f={"levels": [level]})["events"]
        assert kept == [e for e in events if e["level"] == level] and kept
    starts = _window(context, run_id, f={"eventTypes": ["STEP_START"]})
    assert [e["stepKey"] for e in starts["events"]] == ["first", "second"]
    nothing = _window(context, run_id, f={"stepKeys": ["nope"]})
    assert nothing == {**nothing, "count": 0, "events": [], "startCursor": None}
    bad = _window(context, run_id, offset=-1)
    assert bad == {
        "__typename": "PythonError",
        "message": "ValueError: logsForRun: offset is -1; pass 0 or more",
    }


def test_asset_lineage_answers_the_graph_as_parallel_lists(context: Any) -> None:
    data = run_query(context, "{ assetLineage { keys groups statuses edges } }")["assetLineage"]
    assert data["keys"] == ["upstream", "downstream"]
    assert data["groups"] == ["default", "default"]
    assert data["statuses"] == ["MISSING", "MISSING"]
    assert data["edges"] == [0, 1]


_MAKER = """
import headwater as dg

@dg.asset
def raw():
    return 1

@dg.asset
def clean(raw):
    return raw

defs = dg.Definitions(assets=[raw, clean])
"""

_USER = """
import headwater as dg

@dg.asset(deps=[dg.AssetKey("clean")])
def report():
    return 1

defs = dg.Definitions(assets=[dg.AssetSpec("clean"), report])
"""


def test_asset_lineage_across_locations_draws_a_key_once_whatever_their_order(
    tmp_path: Any,
) -> None:
    from headwater.location.code import CodePointer
    from headwater.storage import Instance
    from headwater.webserver import ServerContext, Workspace

    (tmp_path / "maker.py").write_text(_MAKER)
    (tmp_path / "user.py").write_text(_USER)
    pointers = {
        name: (name, CodePointer(python_file=str(tmp_path / name)))
        for name in ("maker.py", "user.py")
    }
    instance = Instance.from_config(tmp_path / "home")
    answers = []
    try:
        for order in (["maker.py", "user.py"], ["user.py", "maker.py"]):
            workspace = Workspace.of([pointers[name] for name in order])
            context = ServerContext(instance=instance, workspace=workspace)
            data = run_query(context, "{ assetLineage { keys groups statuses edges } }")
            answers.append(data["assetLineage"])
    finally:
        instance.dispose()
    first, second = answers
    assert first == second  # the locations' order changes nothing
    keys = first["keys"]
    assert sorted(keys) == ["clean", "raw", "report"]  # clean once, though declared twice
    flat = first["edges"]
    edges = {(keys[a], keys[b]) for a, b in zip(flat[::2], flat[1::2], strict=True)}
    assert edges == {("raw", "clean"), ("clean", "report")}
    # The materializing definition is drawn: never materialized, so MISSING (a spec
    # alone would be FRESH, as what cannot be materialized is never stale).
    assert first["statuses"][keys.index("clean")] == "MISSING"
    assert keys.index("raw") < keys.index("clean") < keys.index("report")
