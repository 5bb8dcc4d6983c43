"""The harness itself: one scenario of each kind of observation."""

from _harness import dg, scenario


@scenario
def two_op_job_output(obs):
    @dg.op
    def one():
        return 1

    @dg.op
    def add_one(x):
        return x + 1

    @dg.job
    def j():
        add_one(one())

    result = j.execute_in_process()
    obs.record("success", result.success)
    obs.record("output", result.output_for_node("add_one"))


@scenario
def bad_run_config_error_class(obs):
    @dg.op(config_schema={"n": int})
    def needs_n(context):
        return context.op_config["n"]

    @dg.job
    def j():
        needs_n()

    obs.raises(
        lambda: j.execute_in_process(run_config={"ops": {"needs_n": {"config": {"n": "x"}}}}),
        "needs_n",
    )


@scenario
def asset_value_returned(obs):
    @dg.asset
    def a():
        return 3

    return dg.materialize_to_memory([a]).asset_value("a")
