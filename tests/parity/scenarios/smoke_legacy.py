"""The harness against the legacy reference (Dagster 0.15.10)."""

from _harness import dg, scenario

REFERENCE = "0.15"


@scenario
def pipeline_of_two_solids(obs):
    @dg.solid
    def one():
        return 1

    @dg.solid
    def add_one(x):
        return x + 1

    @dg.pipeline
    def p():
        add_one(one())

    result = dg.execute_pipeline(p)
    obs.record("success", result.success)
    obs.record("output", result.result_for_solid("add_one").output_value())
