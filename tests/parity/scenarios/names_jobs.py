"""Names of the jobs area that Dagster exports: paths, run tags and error classes."""

import os
import tempfile

from _harness import dg, scenario


@scenario
def file_relative_path_joins_to_the_file_folder(obs):
    obs.record("sibling", dg.file_relative_path("/a/b/c.py", "d.yaml"))
    obs.record("nested", dg.file_relative_path("/a/b/c.py", "sub/d.sql"))


@scenario
def file_relative_path_resolves_dot_dot(obs):
    obs.record("up", dg.file_relative_path("/a/b/c.py", "../x/y.txt"))
    obs.record("dot", dg.file_relative_path("/a/b/c.py", "./y.txt"))


@scenario
def file_relative_path_of_an_absolute_path_is_that_path(obs):
    obs.record("abs", dg.file_relative_path("/a/b/c.py", "/etc/z.yaml"))


@scenario
def file_relative_path_of_a_relative_dunderfile_is_absolute(obs):
    with tempfile.TemporaryDirectory() as tmp:
        real = os.path.realpath(tmp)
        before = os.getcwd()
        os.chdir(real)
        try:
            got = dg.file_relative_path("pkg/mod.py", "conf.yaml")
        finally:
            os.chdir(before)
        obs.record("relative_to_cwd", os.path.relpath(got, real))
        obs.record("absolute", os.path.isabs(got))


@scenario
def file_relative_path_follows_a_symlinked_file(obs):
    with tempfile.TemporaryDirectory() as tmp:
        real = os.path.realpath(tmp)
        os.makedirs(os.path.join(real, "src"))
        os.makedirs(os.path.join(real, "links"))
        target = os.path.join(real, "src", "mod.py")
        open(target, "w").close()
        link = os.path.join(real, "links", "mod.py")
        os.symlink(target, link)
        got = dg.file_relative_path(link, "conf.yaml")
        obs.record("relative_to_tmp", os.path.relpath(got, real))


@scenario
def max_runtime_seconds_tag_value(obs):
    obs.record("tag", dg.MAX_RUNTIME_SECONDS_TAG)


@scenario
def max_runtime_seconds_tag_is_kept_on_the_run(obs):
    @dg.op
    def one():
        return 1

    @dg.job(tags={dg.MAX_RUNTIME_SECONDS_TAG: "60"})
    def j():
        one()

    r = j.execute_in_process()
    obs.record("success", r.success)
    obs.record("tag", r.dagster_run.tags.get(dg.MAX_RUNTIME_SECONDS_TAG))


@scenario
def event_log_invalid_for_run_message_and_run_id(obs):
    err = dg.DagsterEventLogInvalidForRun(run_id="abc")
    obs.record("message", str(err))
    obs.record("run_id", err.run_id)
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))

    def boom():
        raise dg.DagsterEventLogInvalidForRun("r1")

    obs.raises(boom, "Event logs invalid for run id r1")


@scenario
def execution_step_not_found_keeps_step_keys(obs):
    err = dg.DagsterExecutionStepNotFoundError("no step nope", step_keys=["nope", "other"])
    obs.record("message", str(err))
    obs.record("step_keys", err.step_keys)
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))


@scenario
def subprocess_error_keeps_its_error_infos(obs):
    err = dg.DagsterSubprocessError("children failed", subprocess_error_infos=[])
    obs.record("message", str(err))
    obs.record("infos", err.subprocess_error_infos)
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))


@scenario
def unmet_executor_requirements_is_a_dagster_error(obs):
    err = dg.DagsterUnmetExecutorRequirementsError("needs a persistent instance")
    obs.record("message", str(err))
    obs.record("is_dagster_error", isinstance(err, dg.DagsterError))
    obs.record("not_user_code", isinstance(err, dg.DagsterUserCodeExecutionError))
