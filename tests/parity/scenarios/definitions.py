"""Parity: Definitions, repository, loading definitions from modules and defs folders."""

import sys
import textwrap
import types
from pathlib import Path

from _harness import IMPL, dg, scenario

_IMPORT = "import dagster as dg" if IMPL == "dagster" else "import headwater as dg"


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).replace("IMPORT_DG", _IMPORT))


def _keys(keys) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(k.to_user_string() for k in keys)


def _module(name: str, **values) -> types.ModuleType:  # type: ignore[no-untyped-def]
    module = types.ModuleType(name)
    for k, v in values.items():
        setattr(module, k, v)
    return module


@scenario
def definitions_get_job_def(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    defs = dg.Definitions(jobs=[j])
    obs.record("name", defs.get_job_def("j").name)
    obs.record("out", defs.get_job_def("j").execute_in_process().output_for_node("one"))


@scenario
def definitions_get_job_def_unknown(obs):
    defs = dg.Definitions()
    obs.raises(lambda: defs.get_job_def("nope"))


@scenario
def definitions_resolve_job_def(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    obs.record("name", dg.Definitions(jobs=[j]).resolve_job_def("j").name)


@scenario
def definitions_asset_job_resolved(obs):
    @dg.asset
    def a():
        return 1

    job = dg.define_asset_job("aj", selection=[a])
    defs = dg.Definitions(assets=[a], jobs=[job])
    resolved = defs.get_job_def("aj")
    obs.kind("kind", resolved)
    obs.record("name", resolved.name)


@scenario
def definitions_implicit_job(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b(a):
        return a + 1

    defs = dg.Definitions(assets=[a, b])
    job = defs.get_implicit_global_asset_job_def()
    obs.record("name", job.name)
    obs.record("b", job.execute_in_process().output_for_node("b"))


@scenario
def definitions_has_implicit_job(obs):
    @dg.asset
    def a():
        return 1

    obs.record("with", dg.Definitions(assets=[a]).has_implicit_global_asset_job_def())


@scenario
def definitions_resolve_all_job_defs(obs):
    @dg.asset
    def a():
        return 1

    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    defs = dg.Definitions(assets=[a], jobs=[j])
    obs.record("names", sorted(jd.name for jd in defs.resolve_all_job_defs()))


@scenario
def definitions_resolve_all_asset_keys(obs):
    @dg.asset(deps=["ext"])
    def a():
        return 1

    defs = dg.Definitions(assets=[a, dg.AssetSpec("spec_only")])
    obs.record("keys", _keys(defs.resolve_all_asset_keys()))


@scenario
def definitions_resolve_all_asset_specs(obs):
    @dg.asset(group_name="g")
    def a():
        return 1

    defs = dg.Definitions(assets=[a])
    specs = defs.resolve_all_asset_specs()
    obs.record("specs", sorted([s.key.to_user_string(), s.group_name] for s in specs))


@scenario
def definitions_get_assets_def(obs):
    @dg.asset
    def a():
        return 1

    defs = dg.Definitions(assets=[a])
    obs.record("key", defs.get_assets_def("a").key.to_user_string())
    obs.record("resolved", defs.resolve_assets_def(dg.AssetKey("a")).key.to_user_string())


@scenario
def definitions_get_assets_def_missing(obs):
    obs.raises(lambda: dg.Definitions().get_assets_def("zzz"))


@scenario
def definitions_get_schedule_and_sensor(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    sched = dg.ScheduleDefinition(name="s", job=j, cron_schedule="0 * * * *")

    @dg.sensor(job=j)
    def sens(context):
        return None

    defs = dg.Definitions(jobs=[j], schedules=[sched], sensors=[sens])
    obs.record("schedule", defs.get_schedule_def("s").name)
    obs.record("sensor", defs.get_sensor_def("sens").name)
    obs.record(
        "resolved", [defs.resolve_schedule_def("s").name, defs.resolve_sensor_def("sens").name]
    )


@scenario
def definitions_merge(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    merged = dg.Definitions.merge(dg.Definitions(assets=[a]), dg.Definitions(assets=[b]))
    obs.record("keys", _keys(merged.resolve_asset_graph().get_all_asset_keys()))


@scenario
def definitions_merge_resources(obs):
    @dg.asset(required_resource_keys={"x"})
    def a(context):
        return context.resources.x

    merged = dg.Definitions.merge(dg.Definitions(assets=[a]), dg.Definitions(resources={"x": 5}))
    obs.record(
        "a", merged.get_implicit_global_asset_job_def().execute_in_process().output_for_node("a")
    )


@scenario
def definitions_merge_conflicting_resources(obs):
    d1 = dg.Definitions(resources={"x": dg.ResourceDefinition.hardcoded_resource(1)})
    d2 = dg.Definitions(resources={"x": dg.ResourceDefinition.hardcoded_resource(2)})
    obs.raises(lambda: dg.Definitions.merge(d1, d2))


@scenario
def definitions_duplicate_asset_keys(obs):
    @dg.asset(name="same")
    def a1():
        return 1

    @dg.asset(name="same")
    def a2():
        return 2

    obs.raises(lambda: dg.Definitions(assets=[a1, a2]).resolve_asset_graph())


@scenario
def definitions_asset_resource_missing(obs):
    @dg.asset(required_resource_keys={"db"})
    def a(context):
        return 1

    obs.raises(lambda: dg.Definitions.validate_loadable(dg.Definitions(assets=[a])))


@scenario
def definitions_validate_loadable_ok(obs):
    @dg.asset
    def a():
        return 1

    dg.Definitions.validate_loadable(dg.Definitions(assets=[a]))
    obs.record("ok", True)


@scenario
def definitions_get_asset_value_loader(obs):
    @dg.asset
    def a():
        return [1, 2, 3]

    instance = dg.DagsterInstance.ephemeral()
    defs = dg.Definitions(assets=[a], resources={"io_manager": dg.mem_io_manager})
    mem = dg.InMemoryIOManager()

    class Keep(dg.IOManager):
        def handle_output(self, context, obj):
            mem.values[("a",)] = obj

        def load_input(self, context):
            return mem.values[tuple(context.asset_key.path)]

    defs = dg.Definitions(assets=[a], resources={"io_manager": Keep()})
    defs.get_implicit_global_asset_job_def().execute_in_process(instance=instance)
    with defs.get_asset_value_loader(instance=instance) as loader:
        obs.record("value", loader.load_asset_value("a"))


@scenario
def definitions_load_asset_value(obs):
    @dg.asset
    def a():
        return {"x": 1}

    store = {}

    class Keep(dg.IOManager):
        def handle_output(self, context, obj):
            store[tuple(context.asset_key.path)] = obj

        def load_input(self, context):
            return store[tuple(context.asset_key.path)]

    defs = dg.Definitions(assets=[a], resources={"io_manager": Keep()})
    defs.get_implicit_global_asset_job_def().execute_in_process()
    obs.record("value", defs.load_asset_value("a"))


@scenario
def definitions_get_repository_def(obs):
    @dg.asset
    def a():
        return 1

    repo = dg.Definitions(assets=[a]).get_repository_def()
    obs.kind("kind", repo)
    obs.record("name", repo.name)
    obs.record("keys", _keys(repo.assets_defs_by_key))


@scenario
def definitions_decorator(obs):
    @dg.definitions
    def defs():
        @dg.asset
        def a():
            return 1

        return dg.Definitions(assets=[a])

    obs.record("keys", _keys(defs().resolve_asset_graph().get_all_asset_keys()))


@scenario
def repository_decorator_list(obs):
    @dg.asset
    def a():
        return 1

    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    @dg.repository
    def repo():
        return [a, j]

    obs.kind("kind", repo)
    obs.record("name", repo.name)
    obs.record("job_names", sorted(repo.job_names))
    obs.record("has_j", repo.has_job("j"))
    obs.record("get_j", repo.get_job("j").name)
    obs.record("keys", _keys(repo.assets_defs_by_key))
    obs.record("all_jobs", sorted(jd.name for jd in repo.get_all_jobs()))


@scenario
def repository_decorator_named(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    @dg.repository(name="custom", description="d")
    def repo():
        return [j]

    obs.record("name", repo.name)
    obs.record("description", repo.description)


@scenario
def repository_unknown_job(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    @dg.repository
    def repo():
        return [j]

    obs.raises(lambda: repo.get_job("nope"))


@scenario
def repository_with_schedule(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    sched = dg.ScheduleDefinition(name="hourly", job=j, cron_schedule="0 * * * *")

    @dg.repository
    def repo():
        return [j, sched]

    obs.record("has", repo.has_schedule_def("hourly"))
    obs.record("names", [s.name for s in repo.schedule_defs])


@scenario
def repository_graph_becomes_job(obs):
    @dg.op
    def one():
        return 1

    @dg.graph
    def g():
        one()

    @dg.repository
    def repo():
        return [g]

    obs.record("has", repo.has_job("g"))


@scenario
def repository_dict_form(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def j():
        one()

    @dg.repository
    def repo():
        return {"jobs": {"j": j}}

    obs.record("names", repo.job_names)


@scenario
def load_assets_from_modules_basic(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 2

    m1 = _module("parity_defs_m1", a=a)
    m2 = _module("parity_defs_m2", b=b, a_again=a)
    assets = dg.load_assets_from_modules([m1, m2])
    obs.record("n", len(assets))
    obs.record("keys", sorted(k.to_user_string() for x in assets for k in x.keys))


@scenario
def load_assets_from_modules_group_name(obs):
    @dg.asset
    def a():
        return 1

    assets = dg.load_assets_from_modules([_module("parity_defs_m3", a=a)], group_name="grp")
    obs.record("groups", [g for x in assets for g in x.group_names_by_key.values()])


@scenario
def load_assets_from_modules_key_prefix(obs):
    @dg.asset
    def a():
        return 1

    assets = dg.load_assets_from_modules([_module("parity_defs_m4", a=a)], key_prefix="pre")
    obs.record("keys", sorted(k.to_user_string() for x in assets for k in x.keys))


@scenario
def load_asset_checks_from_modules_basic(obs):
    @dg.asset_check(asset="a")
    def c():
        return dg.AssetCheckResult(passed=True)

    checks = dg.load_asset_checks_from_modules([_module("parity_defs_m5", c=c, other=1)])
    obs.record("n", len(checks))


@scenario
def load_assets_from_package_module(obs):
    root = Path(obs.tmp)
    _write(
        root,
        {
            "pkg_lafpm/__init__.py": "",
            "pkg_lafpm/one.py": """
                IMPORT_DG

                @dg.asset
                def first():
                    return 1
            """,
            "pkg_lafpm/sub/__init__.py": "",
            "pkg_lafpm/sub/two.py": """
                IMPORT_DG

                @dg.asset
                def second():
                    return 2
            """,
        },
    )
    sys.path.insert(0, str(root))
    import importlib

    pkg = importlib.import_module("pkg_lafpm")
    assets = dg.load_assets_from_package_module(pkg)
    obs.record("keys", sorted(k.to_user_string() for x in assets for k in x.keys))


def _project(root: Path, name: str) -> None:
    _write(
        root,
        {
            "pyproject.toml": f"""
                [project]
                name = "{name}"

                [tool.dg]
                directory_type = "project"

                [tool.dg.project]
                root_module = "{name}"
            """,
            f"{name}/__init__.py": "",
            f"{name}/definitions.py": """
                from pathlib import Path
                IMPORT_DG

                @dg.definitions
                def defs():
                    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
            """,
            f"{name}/defs/__init__.py": "",
            f"{name}/defs/raw.py": """
                IMPORT_DG

                @dg.asset
                def raw_orders():
                    return [1, 2, 3]
            """,
            f"{name}/defs/marts/__init__.py": "",
            f"{name}/defs/marts/totals.py": """
                IMPORT_DG

                @dg.asset
                def total(raw_orders):
                    return sum(raw_orders)

                @dg.asset_check(asset=total)
                def positive(total):
                    return dg.AssetCheckResult(passed=total > 0)

                total_job = dg.define_asset_job("total_job", selection=[total])
            """,
        },
    )
    sys.path.insert(0, str(root))


@scenario
def load_from_defs_folder_collects_modules(obs):
    root = Path(obs.tmp)
    _project(root, "proj_lfdf_a")
    defs = dg.load_from_defs_folder(path_within_project=root)
    obs.record("keys", _keys(defs.resolve_asset_graph().get_all_asset_keys()))
    obs.record("job", defs.get_job_def("total_job").name)


@scenario
def load_from_defs_folder_runs(obs):
    root = Path(obs.tmp)
    _project(root, "proj_lfdf_b")
    defs = dg.load_from_defs_folder(path_within_project=root)
    r = defs.get_implicit_global_asset_job_def().execute_in_process()
    obs.record("success", r.success)
    obs.record("total", r.output_for_node("total"))
    obs.record("checks", [[e.check_name, e.passed] for e in r.get_asset_check_evaluations()])


@scenario
def load_from_defs_folder_project_root_param(obs):
    root = Path(obs.tmp)
    _project(root, "proj_lfdf_c")
    defs = dg.load_from_defs_folder(project_root=root)
    obs.record("keys", _keys(defs.resolve_asset_graph().get_all_asset_keys()))


@scenario
def load_from_defs_folder_no_config(obs):
    root = Path(obs.tmp) / "empty"
    root.mkdir()
    obs.raises(
        lambda: dg.load_from_defs_folder(path_within_project=root), "Could not find config file"
    )


@scenario
def load_from_defs_folder_definitions_object_in_module(obs):
    root = Path(obs.tmp)
    _write(
        root,
        {
            "pyproject.toml": """
                [tool.dg.project]
                root_module = "proj_lfdf_d"
            """,
            "proj_lfdf_d/__init__.py": "",
            "proj_lfdf_d/defs/__init__.py": "",
            "proj_lfdf_d/defs/stuff.py": """
                IMPORT_DG

                @dg.asset
                def thing():
                    return 1

                @dg.op
                def one():
                    return 1

                @dg.job
                def plain_job():
                    one()
            """,
        },
    )
    sys.path.insert(0, str(root))
    defs = dg.load_from_defs_folder(path_within_project=root)
    obs.record("keys", _keys(defs.resolve_asset_graph().get_all_asset_keys()))
    obs.record("job", defs.get_job_def("plain_job").name)


@scenario
def components_load_defs(obs):
    root = Path(obs.tmp)
    _project(root, "proj_cld")
    import importlib

    module = importlib.import_module("proj_cld.defs")
    defs = dg.components.load_defs(module)
    obs.record("keys", _keys(defs.resolve_asset_graph().get_all_asset_keys()))


@scenario
def load_from_defs_folder_signature(obs):
    obs.signature("sig", dg.load_from_defs_folder)


@scenario
def definitions_with_executor(obs):
    @dg.asset
    def a():
        return 1

    defs = dg.Definitions(assets=[a], executor=dg.in_process_executor)
    obs.record("success", defs.get_implicit_global_asset_job_def().execute_in_process().success)


@scenario
def definitions_jobs_with_resources_bound(obs):
    @dg.op(required_resource_keys={"n"})
    def use(context):
        return context.resources.n

    @dg.job
    def j():
        use()

    defs = dg.Definitions(jobs=[j], resources={"n": 7})
    obs.record("out", defs.get_job_def("j").execute_in_process().output_for_node("use"))


@scenario
def definitions_get_asset_checks_def(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset_check(asset=a)
    def c():
        return dg.AssetCheckResult(passed=True)

    defs = dg.Definitions(assets=[a], asset_checks=[c])
    got = defs.get_asset_checks_def(dg.AssetCheckKey(dg.AssetKey("a"), "c"))
    obs.record("names", sorted(s.name for s in got.check_specs))


@scenario
def definitions_resolve_their_asset_graph_lazily(obs):
    # The Dagster Testing course looks an asset up and calls it, though its input is not
    # defined: only resolving the graph fails.
    @dg.asset
    def squared(number: int):
        return number * number

    defs = dg.Definitions(assets=[squared])
    obs.record("called", defs.get_assets_def("squared")(5))
    obs.raises(defs.resolve_asset_graph, "number")
    obs.raises(lambda: dg.Definitions.validate_loadable(defs), "number", key="validate")


@scenario
def definitions_with_a_duplicate_key_fail_when_resolved(obs):
    @dg.asset(name="a")
    def first():
        return 1

    @dg.asset(name="a")
    def second():
        return 2

    defs = dg.Definitions(assets=[first, second])
    obs.record("constructed", True)
    obs.raises(defs.resolve_asset_graph, "a")


@scenario
def definitions_duplicate_job_names(obs):
    @dg.op
    def one():
        return 1

    @dg.job(name="same")
    def j1():
        one()

    @dg.job(name="same")
    def j2():
        one()

    obs.raises(lambda: dg.Definitions(jobs=[j1, j2]).get_job_def("same"))


@scenario
def definitions_asset_job_and_implicit_job(obs):
    @dg.asset
    def a():
        return 1

    job = dg.define_asset_job("only_a", selection=[a])
    defs = dg.Definitions(assets=[a], jobs=[job])
    obs.record("names", sorted(j.name for j in defs.resolve_all_job_defs()))


@scenario
def definitions_with_source_asset(obs):
    src = dg.SourceAsset("src_table")

    @dg.asset(deps=[src])
    def a():
        return 1

    defs = dg.Definitions(assets=[src, a])
    graph = defs.resolve_asset_graph()
    obs.record("all", _keys(graph.get_all_asset_keys()))
    obs.record("materializable", _keys(graph.materializable_asset_keys))


@scenario
def definitions_merge_three(obs):
    @dg.asset
    def a():
        return 1

    @dg.asset
    def b():
        return 1

    @dg.asset
    def c():
        return 1

    merged = dg.Definitions.merge(
        dg.Definitions(assets=[a]), dg.Definitions(assets=[b]), dg.Definitions(assets=[c])
    )
    obs.record("keys", _keys(merged.resolve_all_asset_keys()))


@scenario
def load_defs_at_the_top_level(obs):
    root = Path(obs.tmp)
    _project(root, "proj_ld_top")
    import importlib

    import_path = f"{dg.__name__}.components"
    obs.record("same_function", dg.load_defs is importlib.import_module(import_path).load_defs)
    defs = dg.load_defs(importlib.import_module("proj_ld_top.defs"), project_root=root)
    obs.record("keys", _keys(defs.resolve_asset_graph().get_all_asset_keys()))
    obs.record("job", defs.get_job_def("total_job").name)


def _repo_job(name="j"):
    @dg.op(required_resource_keys={"r"})
    def needs(context):
        return context.resources.r

    @dg.job(name=name)
    def j():
        needs()

    return j


@scenario
def repository_definition_from_repository_data(obs):
    @dg.op
    def one():
        return 1

    @dg.job
    def hand():
        one()

    @dg.schedule(cron_schedule="@daily", job=hand)
    def nightly(_context):
        return {}

    class Data(dg.RepositoryData):
        def get_all_jobs(self):
            return [hand]

        def get_all_schedules(self):
            return [nightly]

        def get_top_level_resources(self):
            return {}

        def get_env_vars_by_top_level_resource(self):
            return {}

    repo = dg.RepositoryDefinition("handmade", repository_data=Data(), description="by hand")
    obs.record("name", repo.name)
    obs.record("jobs", repo.job_names)
    obs.record("has_job", repo.has_job("hand"))
    obs.record("schedules", [s.name for s in repo.schedule_defs])
    obs.record("load_data", repo.repository_load_data)
    obs.record("run", repo.get_job("hand").execute_in_process().success)
    obs.raises(lambda: repo.get_job("nope"), key="missing_job")


@scenario
def repository_data_defaults(obs):
    class Data(dg.RepositoryData):
        def get_all_jobs(self):
            return [_repo_job()]

        def get_top_level_resources(self):
            return {}

        def get_env_vars_by_top_level_resource(self):
            return {}

    data = Data()
    obs.record("job_names", data.get_job_names())
    obs.record("has_job", [data.has_job("j"), data.has_job("k")])
    obs.record("schedules", [list(data.get_all_schedules()), data.get_schedule_names()])
    obs.record("sensors", [list(data.get_all_sensors()), data.has_sensor("s")])
    obs.record("assets", dict(data.get_assets_defs_by_key()))
    obs.record("checks", dict(data.get_asset_checks_defs_by_key()))
    obs.raises(lambda: data.get_schedule("s"), key="missing_schedule")
    obs.raises(lambda: data.get_job("k"), key="missing_job")

    class Partial(dg.RepositoryData):
        def get_all_jobs(self):
            return []

    obs.raises(Partial, "abstract", key="partial")


@scenario
def create_repository_using_definitions_args_binds_resources(obs):
    @dg.asset
    def a():
        return 1

    repo = dg.create_repository_using_definitions_args(
        "named", assets=[a], jobs=[_repo_job()], resources={"r": 7}
    )
    obs.kind("kind", repo)
    obs.record("name", repo.name)
    obs.record("jobs", sorted(repo.job_names))
    obs.record("output", repo.get_job("j").execute_in_process().output_for_node("needs"))


@scenario
def bind_resources_to_jobs_is_a_list_of_jobs(obs):
    job = _repo_job()
    bound = dg.BindResourcesToJobs([job])
    obs.record("is_list", isinstance(bound, list))
    obs.record("len", len(bound))
    defs = dg.Definitions(jobs=bound, resources={"r": 3})
    obs.record("output", defs.get_job_def("j").execute_in_process().output_for_node("needs"))


@scenario
def repository_definition_takes_repository_data(obs):
    obs.signature("signature", dg.RepositoryDefinition)
    obs.raises(lambda: dg.RepositoryDefinition("r", repository_data=None), key="no_data")
