"""Asking for a run: what materialize says of a missing resource, and partitions given by
keyword or by the run's tags."""

from _harness import dg, scenario


@scenario
def materialize_without_a_resource_names_the_asset(obs):
    @dg.asset(required_resource_keys={"db"})
    def needs_db(context):
        return 1

    obs.raises(lambda: dg.materialize([needs_db]), "'needs_db'", "'db'")


@scenario
def materialize_checks_resources_of_unselected_assets(obs):
    @dg.asset(required_resource_keys={"db"})
    def needs_db(context):
        return 1

    @dg.asset
    def other():
        return 2

    obs.raises(lambda: dg.materialize([needs_db, other], selection=[other]), "'needs_db'", "'db'")


@scenario
def materialize_without_an_io_manager_key(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    obs.raises(lambda: dg.materialize([stored]), "'warehouse'")


@scenario
def partition_tag_gives_the_partition(obs):
    colors = dg.StaticPartitionsDefinition(["red", "blue"])

    @dg.asset(partitions_def=colors)
    def paint(context):
        return context.partition_key

    job = dg.Definitions(
        assets=[paint],
        jobs=[dg.define_asset_job("paint_job", selection=[paint], partitions_def=colors)],
    ).get_job_def("paint_job")
    result = job.execute_in_process(tags={"dagster/partition": "blue"})
    obs.record("success", result.success)
    obs.record("partition_key", result.dagster_run.tags.get("dagster/partition"))
    obs.record("value", result.output_for_node("paint"))


@scenario
def partition_tag_on_an_unpartitioned_job_is_ignored(obs):
    @dg.op
    def plain():
        return 1

    @dg.job
    def plain_job():
        plain()

    obs.record("success", plain_job.execute_in_process(tags={"dagster/partition": "blue"}).success)


@scenario
def materialize_to_memory_keeps_every_io_manager_key_in_memory(obs):
    @dg.asset(io_manager_key="warehouse")
    def stored():
        return 1

    result = dg.materialize_to_memory([stored])
    obs.record("success", result.success)
    obs.record("value", result.output_for_node("stored"))
