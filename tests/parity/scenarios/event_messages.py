"""Parity scenarios: the message of each kind of event, and the log line of its entry
(EventLogEntry.user_message / .message) as the instance returns it."""

from _harness import dg, scenario

_KINDS = (
    "ASSET_OBSERVATION",
    "ASSET_MATERIALIZATION",
    "ASSET_MATERIALIZATION_PLANNED",
    "ASSET_CHECK_EVALUATION_PLANNED",
    "ASSET_CHECK_EVALUATION",
    "STEP_EXPECTATION_RESULT",
    "HOOK_ERRORED",
    "HOOK_COMPLETED",
    "STEP_START",
)


def _lines(instance, run_id):
    """[kind, event message, entry user_message, entry message] of the chosen kinds."""
    found = []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is not None and event.event_type_value in _KINDS:
            found.append([event.event_type_value, event.message, entry.user_message, entry.message])
    return found


@scenario
def messages_of_logged_events(obs):
    @dg.op
    def logs(context):
        context.log_event(dg.AssetObservation("o"))
        context.log_event(dg.AssetObservation("o", description="seen"))
        context.log_event(dg.AssetMaterialization("m"))
        context.log_event(dg.AssetMaterialization("m", description="made"))
        context.log_event(dg.ExpectationResult(True, label="lab"))
        context.log_event(dg.ExpectationResult(False, label="lab", description="said"))
        return 1

    @dg.job
    def j():
        logs()

    instance = dg.DagsterInstance.ephemeral()
    result = j.execute_in_process(instance=instance)
    events = [e for e in result.all_events if e.event_type_value in _KINDS]
    obs.record("events", [[e.event_type_value, e.message] for e in events])
    obs.record("entries", _lines(instance, result.run_id))


@scenario
def messages_of_asset_and_check_events(obs):
    @dg.asset
    def up():
        return 1

    @dg.asset_check(asset=up)
    def positive():
        return dg.AssetCheckResult(passed=True)

    @dg.observable_source_asset
    def lake():
        return dg.DataVersion("1")

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([up, positive], instance=instance)
    obs.record("entries", _lines(instance, result.run_id))
    defs = dg.Definitions(assets=[lake], jobs=[dg.define_asset_job("observe", [lake])])
    observed = defs.get_job_def("observe").execute_in_process(instance=instance)
    obs.record("observed", _lines(instance, observed.run_id))


@scenario
def messages_of_hook_events(obs):
    @dg.success_hook
    def broken(context):
        raise ValueError("hook broke")

    @dg.success_hook
    def fine(context):
        return None

    @dg.op
    def ok():
        return 1

    @dg.job(hooks={broken, fine})
    def j():
        ok()

    instance = dg.DagsterInstance.ephemeral()
    result = j.execute_in_process(instance=instance)
    obs.record("entries", sorted(_lines(instance, result.run_id), key=str))
