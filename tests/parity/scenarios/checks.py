"""Parity: asset checks, check results, severity and blocking, multi_asset_check."""

from _harness import dg, scenario

_NOISE = [
    "ENGINE_EVENT",
    "LOGS_CAPTURED",
    "RESOURCE_INIT_STARTED",
    "RESOURCE_INIT_SUCCESS",
    "PIPELINE_START",
    "PIPELINE_SUCCESS",
    "PIPELINE_FAILURE",
    "RUN_START",
    "RUN_SUCCESS",
    "RUN_FAILURE",
    "STEP_OUTPUT",
    "HANDLED_OUTPUT",
    "LOADED_INPUT",
    "STEP_INPUT",
]


def _steps(result):  # type: ignore[no-untyped-def]
    return [
        [e.event_type_value, e.step_key]
        for e in result.all_events
        if e.step_key and e.event_type_value not in _NOISE
    ]


@scenario
def check_result_metadata_is_normalized(obs):
    r = dg.AssetCheckResult(passed=True, metadata={"n": 0})
    obs.record("n", r.metadata["n"].value)
    obs.kind("kind", r.metadata["n"])


@scenario
def check_result_metadata_text_and_float(obs):
    r = dg.AssetCheckResult(passed=False, metadata={"s": "x", "f": 1.5, "b": True})
    obs.metadata("md", r.metadata)


@scenario
def check_result_metadata_value_kept(obs):
    r = dg.AssetCheckResult(passed=True, metadata={"u": dg.MetadataValue.url("http://x")})
    obs.metadata("md", r.metadata)


@scenario
def check_result_defaults(obs):
    r = dg.AssetCheckResult(passed=True)
    obs.record("passed", r.passed)
    obs.record("severity", r.severity.value)
    obs.record("asset_key", r.asset_key and list(r.asset_key.path))
    obs.record("check_name", r.check_name)
    obs.record("description", r.description)


@scenario
def check_severity_values(obs):
    obs.record("values", [s.value for s in dg.AssetCheckSeverity])


@scenario
def materialization_metadata_normalized(obs):
    m = dg.AssetMaterialization("a", metadata={"n": 0})
    obs.kind("kind", m.metadata["n"])


@scenario
def observation_metadata_normalized(obs):
    m = dg.AssetObservation("a", metadata={"n": "t"})
    obs.kind("kind", m.metadata["n"])


@scenario
def output_metadata_normalized(obs):
    o = dg.Output(1, metadata={"n": 0})
    obs.kind("kind", o.metadata["n"])
    obs.record("value", o.metadata["n"].value)


@scenario
def failure_metadata_normalized(obs):
    f = dg.Failure("x", metadata={"n": 0})
    obs.kind("kind", f.metadata["n"])


@scenario
def materialize_result_metadata_stays_raw(obs):
    m = dg.MaterializeResult(metadata={"n": 0})
    obs.record("n", m.metadata["n"])


@scenario
def asset_check_passes(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def positive(a):
        return dg.AssetCheckResult(passed=a > 0, metadata={"value": a})

    r = dg.materialize([a, positive])
    obs.record("success", r.success)
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def asset_check_fails_not_blocking(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def negative(a):
        return dg.AssetCheckResult(passed=a < 0)

    @dg.asset(deps=[a])
    def b():
        return 2

    r = dg.materialize([a, b, negative])
    obs.record("success", r.success)
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def asset_check_blocking_failure(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a, blocking=True)
    def negative(a):
        return dg.AssetCheckResult(passed=False)

    @dg.asset(deps=[a])
    def b():
        return 2

    r = dg.materialize([a, b, negative], raise_on_error=False)
    obs.record("success", r.success)
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def asset_check_blocking_failure_raises(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a, blocking=True)
    def negative(a):
        return dg.AssetCheckResult(passed=False)

    @dg.asset(deps=[a])
    def b():
        return 2

    obs.raises(lambda: dg.materialize([a, b, negative]), "blocking asset check failed")


@scenario
def asset_check_blocking_warn_does_not_block(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a, blocking=True)
    def soft(a):
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)

    @dg.asset(deps=[a])
    def b():
        return 2

    r = dg.materialize([a, b, soft], raise_on_error=False)
    obs.record("success", r.success)
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def asset_check_without_asset_param(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def exists():
        return dg.AssetCheckResult(passed=True)

    r = dg.materialize([a, exists])
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def asset_check_on_string_key(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset="a")
    def c():
        return dg.AssetCheckResult(passed=True)

    r = dg.materialize([a, c])
    obs.check_evaluations(r)


@scenario
def asset_check_description_from_docstring(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def c():
        """Checks a."""
        return dg.AssetCheckResult(passed=True)

    spec = next(iter(c.check_specs))
    obs.record("description", spec.description)
    obs.record("name", spec.name)
    obs.record("asset", list(spec.asset_key.path))


@scenario
def asset_check_name_override(obs):
    @dg.asset_check(asset="a", name="custom")
    def c():
        return dg.AssetCheckResult(passed=True)

    obs.record("names", [s.name for s in c.check_specs])


@scenario
def asset_check_returns_bool_is_error(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def c():
        return True

    obs.raises(lambda: dg.materialize([a, c]))


@scenario
def asset_check_result_with_description(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def c():
        return dg.AssetCheckResult(passed=True, description="looks fine")

    r = dg.materialize([a, c])
    obs.record("descriptions", [e.description for e in r.get_asset_check_evaluations()])


@scenario
def asset_check_raises_fails_step(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def c():
        raise ValueError("boom in check")

    r = dg.materialize([a, c], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("steps", _steps(r))


@scenario
def asset_check_unknown_asset_rejected(obs):
    @dg.asset_check(asset="missing")
    def c():
        return dg.AssetCheckResult(passed=True)

    @dg.asset
    def a():
        return 1

    obs.raises(lambda: dg.Definitions(assets=[a], asset_checks=[c]).resolve_asset_graph())


@scenario
def inline_check_specs_pass(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("ok", asset="a")])
    def a():
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=True)])

    r = dg.materialize([a])
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def inline_check_blocking_fails_asset_step(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("ok", asset="a", blocking=True)])
    def a():
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=False)])

    @dg.asset(deps=[a])
    def b():
        return 1

    r = dg.materialize([a, b], raise_on_error=False)
    obs.record("success", r.success)
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def inline_check_missing_result(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("ok", asset="a")])
    def a():
        return 1

    r = dg.materialize([a], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("steps", _steps(r))


@scenario
def inline_check_undeclared_result(obs):
    @dg.asset
    def a():
        return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=True)])

    obs.raises(lambda: dg.materialize([a]))


@scenario
def inline_two_checks_need_names(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("x", asset="a"), dg.AssetCheckSpec("y", asset="a")])
    def a():
        return dg.MaterializeResult(
            check_results=[
                dg.AssetCheckResult(check_name="x", passed=True),
                dg.AssetCheckResult(
                    check_name="y", passed=False, severity=dg.AssetCheckSeverity.WARN
                ),
            ]
        )

    r = dg.materialize([a])
    obs.check_evaluations(r)


@scenario
def inline_check_yielded(obs):
    @dg.asset(check_specs=[dg.AssetCheckSpec("x", asset="a")])
    def a():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True, metadata={"rows": 3})

    r = dg.materialize([a])
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def multi_asset_check_basic(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("ca", asset=a), dg.AssetCheckSpec("cb", asset="b")]
    )
    def checks():
        yield dg.AssetCheckResult(passed=True, asset_key="a", check_name="ca", metadata={"n": 1})
        yield dg.AssetCheckResult(passed=False, asset_key="b", check_name="cb")

    r = dg.materialize([a, b, checks])
    obs.record("success", r.success)
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def multi_asset_check_blocking(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("ca", asset=a), dg.AssetCheckSpec("cb", asset="b", blocking=True)]
    )
    def checks():
        yield dg.AssetCheckResult(passed=True, asset_key="a", check_name="ca")
        yield dg.AssetCheckResult(passed=False, asset_key="b", check_name="cb")

    @dg.asset(deps=[b])
    def c():
        return 3

    r = dg.materialize([a, b, c, checks], raise_on_error=False)
    obs.record("success", r.success)
    obs.check_evaluations(r)
    obs.record("steps", _steps(r))


@scenario
def multi_asset_check_definition(obs):
    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("ca", asset="a"), dg.AssetCheckSpec("cb", asset="b")],
        name="my_checks",
    )
    def checks():
        return []

    obs.kind("kind", checks)
    obs.record(
        "keys",
        sorted([[list(k.asset_key.path), k.name] for k in checks.check_keys]),
    )
    obs.record("node", checks.node_def.name)
    obs.record("spec_names", sorted(s.name for s in checks.check_specs))


@scenario
def multi_asset_check_in_definitions(obs):
    @dg.asset
    def a():
        return 1

    @dg.multi_asset_check(specs=[dg.AssetCheckSpec("ca", asset=a)])
    def checks():
        return [dg.AssetCheckResult(passed=True, asset_key="a", check_name="ca")]

    defs = dg.Definitions(assets=[a], asset_checks=[checks])
    r = defs.get_implicit_global_asset_job_def().execute_in_process()
    obs.record("success", r.success)
    obs.check_evaluations(r)


@scenario
def multi_asset_check_missing_result(obs):
    @dg.asset
    def a():
        return 1

    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("c1", asset=a), dg.AssetCheckSpec("c2", asset=a)]
    )
    def checks():
        yield dg.AssetCheckResult(passed=True, asset_key="a", check_name="c1")

    r = dg.materialize([a, checks], raise_on_error=False)
    obs.record("success", r.success)
    obs.record("steps", _steps(r))


@scenario
def multi_asset_check_with_context(obs):
    seen = []

    @dg.asset
    def a():
        return 1

    @dg.multi_asset_check(specs=[dg.AssetCheckSpec("ca", asset=a)])
    def checks(context):
        seen.append(sorted(k.name for k in context.selected_asset_check_keys))
        return dg.AssetCheckResult(passed=True, asset_key="a", check_name="ca")

    dg.materialize([a, checks])
    obs.record("seen", seen)


@scenario
def check_spec_fields(obs):
    s = dg.AssetCheckSpec("c", asset="a/b", description="d", blocking=True, metadata={"n": 1})
    obs.record("name", s.name)
    obs.record("asset_key", list(s.asset_key.path))
    obs.record("description", s.description)
    obs.record("blocking", s.blocking)
    obs.record("key", [list(s.key.asset_key.path), s.key.name])


@scenario
def check_key_fields(obs):
    k = dg.AssetCheckKey(dg.AssetKey("a"), "c")
    obs.record("asset_key", list(k.asset_key.path))
    obs.record("name", k.name)
    obs.record("eq", k == dg.AssetCheckKey(dg.AssetKey(["a"]), "c"))


@scenario
def check_evaluation_fields(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a, blocking=True)
    def c():
        return dg.AssetCheckResult(passed=True, metadata={"x": 1})

    r = dg.materialize([a, c])
    (ev,) = r.get_asset_check_evaluations()
    obs.kind("kind", ev)
    obs.record("fields", [list(ev.asset_key.path), ev.check_name, ev.passed, ev.blocking])
    obs.record("check_key", [list(ev.asset_check_key.asset_key.path), ev.asset_check_key.name])


@scenario
def check_selected_only_when_asset_selected(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    @dg.asset_check(asset=a)
    def ca():
        return dg.AssetCheckResult(passed=True)

    r = dg.materialize([a, b, ca], selection=["b"])
    obs.record("evals", len(r.get_asset_check_evaluations()))


@scenario
def direct_invocation_of_check(obs):
    @dg.asset_check(asset="a")
    def c(a):
        return dg.AssetCheckResult(passed=a == 1)

    r = c(1)
    obs.record("passed", r.passed)


@scenario
def asset_check_with_resource(obs):
    class Limit(dg.ConfigurableResource):
        n: int

    @dg.asset
    def a():
        return 5

    @dg.asset_check(asset=a)
    def under(a, limit: Limit):
        return dg.AssetCheckResult(passed=a < limit.n)

    r = dg.materialize([a, under], resources={"limit": Limit(n=10)})
    obs.check_evaluations(r)


@scenario
def asset_check_duplicate_names_rejected(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a, name="same")
    def c1():
        return dg.AssetCheckResult(passed=True)

    @dg.asset_check(asset=a, name="same")
    def c2():
        return dg.AssetCheckResult(passed=True)

    obs.raises(lambda: dg.materialize([a, c1, c2]))


@scenario
def asset_check_job_selection(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def ca():
        return dg.AssetCheckResult(passed=True)

    job = dg.define_asset_job("j", selection=dg.AssetSelection.assets(a))
    defs = dg.Definitions(assets=[a], asset_checks=[ca], jobs=[job])
    r = defs.get_job_def("j").execute_in_process()
    obs.check_evaluations(r)


@scenario
def asset_check_failed_severity_warn_event(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def c():
        return dg.AssetCheckResult(
            passed=False, severity=dg.AssetCheckSeverity.WARN, metadata={"why": "x"}
        )

    r = dg.materialize([a, c])
    obs.record("success", r.success)
    obs.check_evaluations(r)


@scenario
def asset_check_blocking_failure_downstream_of_other_asset_runs(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def other():
        return 2

    @dg.asset_check(asset=a, blocking=True)
    def gate():
        return dg.AssetCheckResult(passed=False)

    @dg.asset(deps=[other])
    def independent():
        return 3

    r = dg.materialize([a, other, independent, gate], raise_on_error=False)
    obs.record(
        "started", sorted(e.step_key for e in r.all_events if e.event_type_value == "STEP_START")
    )


@scenario
def asset_check_metadata_in_evaluation(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def c():
        return dg.AssetCheckResult(
            passed=True, metadata={"rows": 10, "ratio": 0.5, "label": "ok", "flag": False}
        )

    obs.check_evaluations(dg.materialize([a, c]))


@scenario
def asset_check_with_config(obs):
    @dg.asset
    def a():
        return 5

    @dg.asset_check(asset=a, config_schema={"limit": int})
    def c(context, a):
        return dg.AssetCheckResult(passed=a < context.op_config["limit"])

    r = dg.materialize([a, c], run_config={"ops": {"a_c": {"config": {"limit": 3}}}})
    obs.check_evaluations(r)


@scenario
def inline_check_spec_for_other_asset_rejected(obs):
    obs.raises(lambda: dg.asset(check_specs=[dg.AssetCheckSpec("x", asset="elsewhere")])(lambda: 1))


@scenario
def asset_check_severity_warn_blocking_spec(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a, blocking=True)
    def c():
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)

    @dg.asset(deps=[a])
    def b():
        return 2

    r = dg.materialize([a, b, c])
    obs.record("success", r.success)
    obs.record("started", [e.step_key for e in r.all_events if e.event_type_value == "STEP_START"])


def _started_steps(result):  # type: ignore[no-untyped-def]
    return [e.step_key for e in result.all_events if e.event_type_value == "STEP_START"]


@scenario
def asset_check_additional_ins_receive_values(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    @dg.asset_check(asset=a, additional_ins={"bee": dg.AssetIn("b")})
    def sums(a, bee):
        return dg.AssetCheckResult(passed=a + bee == 3, metadata={"total": a + bee})

    spec = next(iter(sums.check_specs))
    obs.record("additional_deps", [d.asset_key.to_user_string() for d in spec.additional_deps])
    obs.record("keys_by_input_name", sums.keys_by_input_name)
    r = dg.materialize([a, b, sums])
    obs.record("started", _started_steps(r))
    obs.check_evaluations(r)


@scenario
def asset_check_additional_deps_order(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def zz_late():
        return 2

    @dg.asset_check(asset=a, additional_deps=[zz_late])
    def after_both():
        return dg.AssetCheckResult(passed=True)

    spec = next(iter(after_both.check_specs))
    obs.record("additional_deps", [d.asset_key.to_user_string() for d in spec.additional_deps])
    r = dg.materialize([a, zz_late, after_both])
    obs.record("started", _started_steps(r))
    obs.check_evaluations(r)


@scenario
def asset_check_resource_defs_compute_kind_pool(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(
        asset=a,
        resource_defs={"limit": dg.ResourceDefinition.hardcoded_resource(10)},
        compute_kind="python",
        pool="p1",
        automation_condition=dg.AutomationCondition.eager(),
    )
    def under_limit(context, a):
        return dg.AssetCheckResult(passed=a < context.resources.limit)

    spec = next(iter(under_limit.check_specs))
    obs.record("pool", under_limit.node_def.pool)
    obs.record("tags", dict(under_limit.node_def.tags))
    obs.record("resources", sorted(under_limit.resource_defs))
    obs.record("has_condition", spec.automation_condition is not None)
    obs.check_evaluations(dg.materialize([a, under_limit]))


@scenario
def asset_check_partitioned(obs):
    pd = dg.StaticPartitionsDefinition(["x", "y"])

    @dg.asset(partitions_def=pd)
    def pa(context):
        return context.partition_key

    @dg.asset_check(asset=pa, partitions_def=pd)
    def pchk(context, pa):
        return dg.AssetCheckResult(passed=pa == context.partition_key)

    r = dg.materialize([pa, pchk], partition_key="y")
    obs.record(
        "evaluations",
        [[e.check_name, e.passed, e.partition] for e in r.get_asset_check_evaluations()],
    )


@scenario
def asset_check_spec_new_parameters(obs):
    spec = dg.AssetCheckSpec(
        "s",
        asset="a",
        additional_deps=["b", dg.AssetKey(["c", "d"])],
        automation_condition=dg.AutomationCondition.eager(),
        partitions_def=dg.StaticPartitionsDefinition(["1"]),
    )
    obs.record("deps", [d.asset_key.to_user_string() for d in spec.additional_deps])
    obs.record("has_condition", spec.automation_condition is not None)
    obs.record("partitions", list(spec.partitions_def.get_partition_keys()))
    obs.raises(lambda: dg.AssetCheckSpec("s", asset="a", additional_deps=["a"]))


@scenario
def asset_check_unknown_parameter(obs):
    def build():
        @dg.asset_check(asset="a", bogus=1)
        def c():
            return dg.AssetCheckResult(passed=True)

    obs.raises(build, "bogus")


@scenario
def multi_asset_check_resource_defs(obs):
    @dg.asset
    def a():
        return 1

    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("one", asset="a")],
        resource_defs={"limit": dg.ResourceDefinition.hardcoded_resource(5)},
        compute_kind="sql",
    )
    def checks(context):
        yield dg.AssetCheckResult(
            asset_key="a", check_name="one", passed=context.resources.limit == 5
        )

    obs.record("tags", dict(checks.node_def.tags))
    obs.check_evaluations(dg.materialize([a, checks]))
