"""RunConfig, with_resources, the build_*_context helpers and the warning classes."""

import warnings

from _harness import dg, scenario


def _warned(fn):
    """Call ``fn``; the public warning classes it emitted, sorted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    names = {w.category.__name__ for w in caught}
    return sorted(n for n in names if n.endswith("Warning") and hasattr(dg, n))


# RunConfig ---------------------------------------------------------------------------


@scenario
def run_config_to_config_dict_plain(obs):
    config = dg.RunConfig(ops={"a": {"config": {"x": 1}}})
    obs.record("dict", config.to_config_dict())


@scenario
def run_config_with_config_objects(obs):
    class Settings(dg.Config):
        x: int = 1
        y: str = "a"

    config = dg.RunConfig(ops={"a": Settings(y="b"), "g": {"ops": {"inner": Settings()}}})
    obs.record("dict", config.to_config_dict())


@scenario
def run_config_with_resource_objects(obs):
    class Store(dg.ConfigurableResource):
        url: str = "local"

    config = dg.RunConfig(
        resources={"store": Store(url="remote"), "raw": {"config": 1}},
        loggers={"console": {"config": {"log_level": "INFO"}}},
        execution={"config": {"in_process": {}}},
    )
    obs.record("dict", config.to_config_dict())


@scenario
def run_config_empty(obs):
    config = dg.RunConfig()
    obs.record("fields", [config.ops, config.resources, config.loggers, config.execution])
    obs.record("dict", config.to_config_dict())


@scenario
def run_config_drives_an_op_run(obs):
    class Settings(dg.Config):
        n: int

    @dg.op
    def double(config: Settings):
        return config.n * 2

    @dg.job
    def j():
        double()

    result = j.execute_in_process(run_config=dg.RunConfig(ops={"double": Settings(n=4)}))
    obs.record("output", result.output_for_node("double"))


@scenario
def run_config_drives_materialize(obs):
    class Settings(dg.Config):
        text: str

    @dg.asset
    def shout(config: Settings):
        return config.text.upper()

    result = dg.materialize([shout], run_config=dg.RunConfig(ops={"shout": Settings(text="hi")}))
    obs.record("output", result.output_for_node("shout"))


@scenario
def run_config_as_job_default_config(obs):
    class Settings(dg.Config):
        n: int

    @dg.op
    def show(config: Settings):
        return config.n

    @dg.job(config=dg.RunConfig(ops={"show": Settings(n=7)}))
    def j():
        show()

    obs.record("output", j.execute_in_process().output_for_node("show"))


@scenario
def run_config_configures_a_resource(obs):
    class Store(dg.ConfigurableResource):
        url: str

    @dg.op
    def where(store: Store):
        return store.url

    @dg.job(resource_defs={"store": Store.configure_at_launch()})
    def j():
        where()

    result = j.execute_in_process(run_config=dg.RunConfig(resources={"store": Store(url="u")}))
    obs.record("output", result.output_for_node("where"))


@scenario
def run_config_wrong_value_is_a_config_error(obs):
    class Settings(dg.Config):
        n: int

    @dg.op
    def show(config: Settings):
        return config.n

    @dg.job
    def j():
        show()

    obs.raises(
        lambda: j.execute_in_process(run_config=dg.RunConfig(ops={"show": {"config": {}}})),
        "n",
    )


# with_resources ----------------------------------------------------------------------


def _assets():
    @dg.resource(config_schema={"v": int})
    def number(context):
        return context.resource_config["v"]

    @dg.asset(required_resource_keys={"n"})
    def base(context):
        return context.resources.n

    @dg.asset
    def plus_one(base):
        return base + 1

    return number, base, plus_one


@scenario
def with_resources_binds_and_configures(obs):
    number, base, plus_one = _assets()
    bound = dg.with_resources([base, plus_one], {"n": number}, {"n": {"config": {"v": 3}}})
    obs.record("kinds", [type(b).__name__ for b in bound])
    obs.record("copies", [b is not a for a, b in zip([base, plus_one], bound, strict=True)])
    result = dg.materialize(bound)
    obs.record("outputs", [result.output_for_node("base"), result.output_for_node("plus_one")])


@scenario
def with_resources_leaves_the_originals_unbound(obs):
    number, base, _ = _assets()
    dg.with_resources([base], {"n": number}, {"n": {"config": {"v": 3}}})
    obs.raises(lambda: dg.materialize([base]), "n")


@scenario
def with_resources_missing_required_key(obs):
    _, base, _ = _assets()
    obs.raises(lambda: dg.with_resources([base], {}), "n")


@scenario
def with_resources_of_nothing(obs):
    number, _, _ = _assets()
    obs.record("length", len(dg.with_resources([], {"n": number})))


@scenario
def with_resources_conflicts_with_materialize_resources(obs):
    number, base, _ = _assets()
    bound = dg.with_resources([base], {"n": number}, {"n": {"config": {"v": 3}}})
    obs.raises(lambda: dg.materialize(bound, resources={"n": 5}), "conflicting", "n")


@scenario
def with_resources_in_definitions(obs):
    number, base, plus_one = _assets()
    bound = dg.with_resources([base, plus_one], {"n": number}, {"n": {"config": {"v": 10}}})
    defs = dg.Definitions(assets=bound)
    job = defs.get_implicit_global_asset_job_def()
    result = job.execute_in_process()
    obs.record("output", result.output_for_node("plus_one"))


@scenario
def with_resources_plain_value(obs):
    _, base, _ = _assets()
    bound = dg.with_resources([base], {"n": dg.ResourceDefinition.hardcoded_resource(9)})
    obs.record("output", dg.materialize(bound).output_for_node("base"))


@scenario
def with_resources_bound_io_manager(obs):
    _, base, _ = _assets()
    bound = dg.with_resources(
        [base], {"n": dg.ResourceDefinition.hardcoded_resource(2), "io_manager": dg.mem_io_manager}
    )
    obs.record("output", dg.materialize(bound).output_for_node("base"))


# build_*_context -----------------------------------------------------------------------


@scenario
def build_asset_context_invokes_an_asset(obs):
    @dg.asset
    def a(context: dg.AssetExecutionContext):
        return [list(context.asset_key.path), isinstance(context, dg.AssetExecutionContext)]

    obs.record("result", a(dg.build_asset_context()))


@scenario
def build_asset_context_partition_key(obs):
    @dg.asset
    def a(context):
        return context.partition_key

    obs.record("result", a(dg.build_asset_context(partition_key="2024-01-01")))


@scenario
def build_asset_context_resources(obs):
    @dg.asset(required_resource_keys={"r"})
    def a(context):
        return context.resources.r

    obs.record("result", a(dg.build_asset_context(resources={"r": "value"})))


@scenario
def build_asset_context_config(obs):
    @dg.asset(config_schema={"n": int})
    def a(context):
        return context.op_execution_context.op_config["n"]

    obs.record("result", a(dg.build_asset_context(asset_config={"n": 4})))


@scenario
def build_asset_context_is_a_context_manager(obs):
    torn = []

    @dg.resource
    def tracked(_):
        try:
            yield "r"
        finally:
            torn.append(True)

    with dg.build_asset_context(resources={"r": tracked}) as context:
        obs.record("inside", context.resources.r)
    obs.record("torn_down", torn)


@scenario
def build_asset_context_on_an_op_raises(obs):
    @dg.op
    def o(context):
        return 1

    obs.raises(lambda: o(dg.build_asset_context()))


@scenario
def build_asset_check_context_invokes_a_check(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def positive(context):
        return dg.AssetCheckResult(passed=True)

    result = positive(dg.build_asset_check_context())
    obs.record("passed", result.passed)


@scenario
def build_op_context_with_partition_key_range_and_mapping_key(obs):
    @dg.op
    def o(context):
        return 1

    context = dg.build_op_context(mapping_key="m", run_tags={"t": "1"})
    obs.record("result", o(context))


@scenario
def build_init_resource_context_config(obs):
    @dg.resource(config_schema={"v": int})
    def r(context):
        return context.resource_config["v"]

    obs.record("value", r(dg.build_init_resource_context(config={"v": 5})))


# warnings ----------------------------------------------------------------------------


@scenario
def warning_class_hierarchy(obs):
    obs.record(
        "bases",
        {
            name: [c.__name__ for c in getattr(dg, name).__mro__[1:3]]
            for name in ("BetaWarning", "PreviewWarning", "SupersessionWarning")
        },
    )
    obs.record("config_argument", issubclass(dg.ConfigArgumentWarning, SyntaxWarning))


@scenario
def beta_warning_for_multi_to_single_dimension_mapping(obs):
    obs.record("warned", _warned(dg.MultiToSingleDimensionPartitionMapping))


@scenario
def beta_warning_for_resource_version(obs):
    def define():
        @dg.resource(version="1")
        def r(_):
            return 1

    obs.record("warned", _warned(define))


@scenario
def beta_warning_for_resource_definition_version(obs):
    obs.record("warned", _warned(lambda: dg.ResourceDefinition(lambda _: 1, version="2")))


@scenario
def beta_warning_for_allow_nonexistent_upstream_partitions(obs):
    obs.record(
        "warned",
        _warned(lambda: dg.TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True)),
    )


@scenario
def no_warning_for_plain_definitions(obs):
    def define():
        @dg.op
        def a():
            return 1

        @dg.job
        def j():
            a()

        @dg.asset
        def b():
            return 1

        dg.TimeWindowPartitionMapping(start_offset=-1)

    obs.record("warned", _warned(define))


@scenario
def beta_warning_can_be_filtered_as_an_error(obs):
    def strict():
        with warnings.catch_warnings():
            warnings.simplefilter("error", dg.BetaWarning)
            dg.MultiToSingleDimensionPartitionMapping()

    obs.raises(strict, "beta")


@scenario
def config_argument_warning_for_a_config_parameter_not_named_config(obs):
    class Settings(dg.Config):
        n: int = 1

    def define():
        @dg.op
        def o(settings: Settings):
            return settings.n

    obs.record("warned", _warned(define))


@scenario
def no_config_argument_warning_for_config_parameter(obs):
    class Settings(dg.Config):
        n: int = 1

    def define():
        @dg.op
        def o(config: Settings):
            return config.n

    obs.record("warned", _warned(define))


@scenario
def beta_warning_for_job_owners(obs):
    def define():
        @dg.op
        def a():
            return 1

        @dg.job(owners=["team:data"])
        def j():
            a()

    obs.record("warned", _warned(define))


@scenario
def run_request_accepts_run_config(obs):
    class Settings(dg.Config):
        n: int = 1

    request = dg.RunRequest(run_config=dg.RunConfig(ops={"a": Settings(n=3)}))
    obs.record("run_config", request.run_config)


@scenario
def asset_resource_defs_bind_and_warn(obs):
    def define():
        @dg.asset(
            required_resource_keys={"n"},
            resource_defs={"n": dg.ResourceDefinition.hardcoded_resource(5)},
        )
        def bound(context):
            return context.resources.n

        return bound

    warned = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bound = define()
    warned = sorted({w.category.__name__ for w in caught if hasattr(dg, w.category.__name__)})
    obs.record("warned", warned)
    obs.record("output", dg.materialize([bound]).output_for_node("bound"))
    defs = dg.Definitions(assets=[bound])
    obs.record(
        "in_definitions",
        defs.get_implicit_global_asset_job_def().execute_in_process().output_for_node("bound"),
    )


@scenario
def generic_classes_take_a_type_parameter(obs):
    # Library code annotates with these (`PartitionsDefinition[str]`, `MaterializeResult[T]`).
    import typing

    generic = [
        dg.PartitionsDefinition,
        dg.MetadataValue,
        dg.MaterializeResult,
        dg.AutomationCondition,
        dg.Output,
        dg.PartitionedConfig,
    ]
    obs.record("origins", [typing.get_origin(cls[str]) is cls for cls in generic])
