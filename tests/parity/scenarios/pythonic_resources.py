"""Pythonic resources: ConfigurableResource under run config and outside a run, lifecycle
hooks, nested resources, EnvVar attributes, factories, ResourceParam, direct invocation."""

import os
from contextlib import contextmanager

from _harness import IMPL, dg, scenario
from pydantic import PrivateAttr

if IMPL == "dagster":  # not exported at the reference's root; real code imports it from here
    from dagster._config.pythonic_config import ConfigurableResourceFactory
else:
    ConfigurableResourceFactory = dg.ConfigurableResourceFactory


class Conn(dg.ConfigurableResource):
    url: str
    timeout: int = 30

    def describe(self) -> str:
        return f"{self.url}@{self.timeout}"


class SSH(dg.ConfigurableResource):
    host: str
    jump_host: "SSH | None" = None

    def route(self) -> list:
        hops = [self.host]
        if self.jump_host is not None:
            hops += self.jump_host.route()
        return hops


class Tracked(dg.ConfigurableResource):
    """A resource that records its lifecycle in a shared list."""

    name: str
    _log: list = PrivateAttr(default_factory=list)

    def setup_for_execution(self, context) -> None:
        LOG.append(f"setup:{self.name}")

    def teardown_after_execution(self, context) -> None:
        LOG.append(f"teardown:{self.name}")


LOG: list = []


def _run_op(resources, body, run_config=None, **kw):
    """A one-asset materialization whose asset calls ``body(**resources)``."""

    @dg.op(required_resource_keys=set(resources))
    def o(context):
        return body(context.resources)

    @dg.job(resource_defs=resources)
    def j():
        o()

    return j.execute_in_process(run_config=run_config or {}, **kw)


# --- values and run config ----------------------------------------------------------------


@scenario
def resource_param_by_annotation(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    result = dg.materialize([a], resources={"conn": Conn(url="db")})
    obs.record("value", result.output_for_node("a"))


@scenario
def run_config_replaces_set_values(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    def run(config):
        return dg.materialize(
            [a],
            resources={"conn": Conn(url="db", timeout=5)},
            run_config={"resources": {"conn": {"config": config}}},
        ).output_for_node("a")

    # Run config for a built resource replaces its set values; they are not field defaults.
    obs.record("url_given", run({"url": "z"}))
    obs.raises(lambda: run({"timeout": 1}), "url")


@scenario
def set_values_used_without_run_config(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    result = dg.materialize([a], resources={"conn": Conn(url="db", timeout=5)})
    obs.record("value", result.output_for_node("a"))


@scenario
def run_config_wrong_type_for_field(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    obs.raises(
        lambda: dg.materialize(
            [a],
            resources={"conn": Conn(url="db")},
            run_config={"resources": {"conn": {"config": {"timeout": "slow"}}}},
        ),
        "slow",
    )


@scenario
def configure_at_launch_takes_run_config(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    result = dg.materialize(
        [a],
        resources={"conn": Conn.configure_at_launch()},
        run_config={"resources": {"conn": {"config": {"url": "launch"}}}},
    )
    obs.record("value", result.output_for_node("a"))


@scenario
def configure_at_launch_missing_required(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    obs.raises(lambda: dg.materialize([a], resources={"conn": Conn.configure_at_launch()}), "url")


@scenario
def configure_at_launch_with_values(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    result = dg.materialize(
        [a],
        resources={"conn": Conn.configure_at_launch(timeout=7)},
        run_config={"resources": {"conn": {"config": {"url": "u"}}}},
    )
    obs.record("value", result.output_for_node("a"))


@scenario
def run_config_object_for_resource(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    result = dg.materialize(
        [a],
        resources={"conn": Conn.configure_at_launch()},
        run_config=dg.RunConfig(resources={"conn": Conn(url="obj", timeout=1)}),
    )
    obs.record("value", result.output_for_node("a"))


@scenario
def resource_via_required_resource_keys(obs):
    result = _run_op({"conn": Conn(url="k")}, lambda r: [type(r.conn).__name__, r.conn.url])
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_in_definitions(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.url

    defs = dg.Definitions(assets=[a], resources={"conn": Conn(url="defs")})
    result = defs.get_implicit_global_asset_job_def().execute_in_process()
    obs.record("value", result.output_for_node("a"))


@scenario
def missing_resource_for_asset(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.url

    obs.raises(lambda: dg.materialize([a]), "conn")


@scenario
def resource_construction_validates(obs):
    obs.raises(lambda: Conn(url="x", timeout="not-int"), "timeout")


@scenario
def resource_construction_missing_field(obs):
    obs.raises(Conn, "url")


@scenario
def resource_is_frozen(obs):
    c = Conn(url="x")
    obs.raises(lambda: setattr(c, "url", "y"))


@scenario
def resource_with_nested_config_and_list(obs):
    class Table(dg.Config):
        name: str
        rows: int = 0

    class Warehouse(dg.ConfigurableResource):
        tables: list[Table]
        tags: list[str] = []

    @dg.asset
    def a(wh: Warehouse):
        return [[t.name, t.rows, type(t).__name__] for t in wh.tables] + [wh.tags]

    result = dg.materialize(
        [a],
        resources={"wh": Warehouse.configure_at_launch()},
        run_config={
            "resources": {"wh": {"config": {"tables": [{"name": "t1"}, {"name": "t2", "rows": 3}]}}}
        },
    )
    obs.record("value", result.output_for_node("a"))


@scenario
def resource_optional_field_defaults_none(obs):
    class R(dg.ConfigurableResource):
        a: str | None

    @dg.asset
    def x(r: R):
        return r.a

    obs.record("value", dg.materialize([x], resources={"r": R()}).output_for_node("x"))


@scenario
def resource_method_outside_run(obs):
    obs.record("describe", Conn(url="plain").describe())


@scenario
def resource_fields_outside_run(obs):
    c = Conn(url="plain")
    obs.record("fields", [c.url, c.timeout])


# --- EnvVar attributes -----------------------------------------------------------------------


@scenario
def env_var_attribute_resolved_in_run(obs):
    os.environ["PARITY_PY_URL"] = "from-env"

    @dg.asset
    def a(conn: Conn):
        return conn.url

    result = dg.materialize([a], resources={"conn": Conn(url=dg.EnvVar("PARITY_PY_URL"))})
    obs.record("value", result.output_for_node("a"))


@scenario
def env_var_int_attribute_resolved_in_run(obs):
    os.environ["PARITY_PY_TIMEOUT"] = "9"

    @dg.asset
    def a(conn: Conn):
        return conn.timeout

    result = dg.materialize(
        [a], resources={"conn": Conn(url="u", timeout=dg.EnvVar.int("PARITY_PY_TIMEOUT"))}
    )
    obs.record("value", result.output_for_node("a"))


@scenario
def env_var_attribute_unset(obs):
    os.environ.pop("PARITY_PY_UNSET", None)

    @dg.asset
    def a(conn: Conn):
        return conn.url

    obs.raises(
        lambda: dg.materialize([a], resources={"conn": Conn(url=dg.EnvVar("PARITY_PY_UNSET"))}),
        "PARITY_PY_UNSET",
    )


@scenario
def env_var_attribute_read_at_run_time(obs):
    os.environ["PARITY_PY_LATE"] = "early"
    conn = Conn(url=dg.EnvVar("PARITY_PY_LATE"))
    os.environ["PARITY_PY_LATE"] = "late"

    @dg.asset
    def a(conn: Conn):
        return conn.url

    obs.record("value", dg.materialize([a], resources={"conn": conn}).output_for_node("a"))


# --- lifecycle hooks -----------------------------------------------------------------------


@scenario
def setup_and_teardown_order(obs):
    LOG.clear()

    @dg.asset
    def a(t: Tracked):
        LOG.append("asset")

    dg.materialize([a], resources={"t": Tracked(name="one")})
    obs.record("log", list(LOG))


@scenario
def setup_sees_config_and_context(obs):
    seen = {}

    class R(dg.ConfigurableResource):
        v: str = "d"

        def setup_for_execution(self, context) -> None:
            seen["v"] = self.v
            seen["config"] = context.resource_config
            seen["run_id_is_str"] = isinstance(context.run_id, str)
            seen["instance"] = context.instance is not None

    @dg.asset
    def a(r: R):
        return r.v

    dg.materialize(
        [a], resources={"r": R()}, run_config={"resources": {"r": {"config": {"v": "rc"}}}}
    )
    obs.record("seen", seen)


@scenario
def private_attr_set_in_setup_visible_in_op(obs):
    class R(dg.ConfigurableResource):
        base: str
        _client: str = PrivateAttr()

        def setup_for_execution(self, context) -> None:
            self._client = "client-for-" + self.base

    @dg.asset
    def a(r: R):
        return r._client

    obs.record("value", dg.materialize([a], resources={"r": R(base="b")}).output_for_node("a"))


@scenario
def private_attr_not_config(obs):
    class R(dg.ConfigurableResource):
        base: str
        _secret: str = PrivateAttr(default="hidden")

    @dg.asset
    def a(r: R):
        return r._secret

    obs.raises(
        lambda: dg.materialize(
            [a],
            resources={"r": R(base="b")},
            run_config={"resources": {"r": {"config": {"_secret": "x"}}}},
        ),
        "_secret",
    )
    obs.record("default", dg.materialize([a], resources={"r": R(base="b")}).output_for_node("a"))


@scenario
def private_attr_assignable_outside_run(obs):
    class R(dg.ConfigurableResource):
        base: str
        _state: int = PrivateAttr(default=0)

    r = R(base="b")
    r._state = 5
    obs.record("state", r._state)


@scenario
def yield_for_execution_override(obs):
    log = []

    class R(dg.ConfigurableResource):
        name: str
        _conn: str = PrivateAttr()

        @contextmanager
        def yield_for_execution(self, context):
            log.append("open")
            self._conn = "conn:" + self.name
            yield self
            log.append("close")

    @dg.asset
    def a(r: R):
        log.append("asset:" + r._conn)

    dg.materialize([a], resources={"r": R(name="n")})
    obs.record("log", log)


@scenario
def teardown_runs_when_asset_fails(obs):
    LOG.clear()

    @dg.asset
    def a(t: Tracked):
        raise ValueError("asset broke")

    result = dg.materialize([a], resources={"t": Tracked(name="x")}, raise_on_error=False)
    obs.record("success", result.success)
    obs.record("log", list(LOG))


@scenario
def setup_failure_is_resource_error(obs):
    class R(dg.ConfigurableResource):
        def setup_for_execution(self, context) -> None:
            raise ConnectionError("refused")

    @dg.asset
    def a(r: R):
        return 1

    obs.raises(lambda: dg.materialize([a], resources={"r": R()}))


@scenario
def setup_failure_events(obs):
    class R(dg.ConfigurableResource):
        def setup_for_execution(self, context) -> None:
            raise ConnectionError("refused")

    @dg.asset
    def a(r: R):
        return 1

    result = dg.materialize([a], resources={"r": R()}, raise_on_error=False)
    obs.record("success", result.success)
    obs.record(
        "resource_events",
        [
            e.event_type_value
            for e in result.all_events
            if e.event_type_value.startswith("RESOURCE")
        ],
    )


@scenario
def build_resources_runs_hooks(obs):
    LOG.clear()
    with dg.build_resources({"t": Tracked(name="b")}) as resources:
        LOG.append("inside:" + type(resources.t).__name__)
    obs.record("log", list(LOG))


@scenario
def build_resources_pythonic_with_config(obs):
    with dg.build_resources(
        {"conn": Conn.configure_at_launch()},
        resource_config={"conn": {"config": {"url": "bc"}}},
    ) as resources:
        obs.record("describe", resources.conn.describe())


@scenario
def hooks_not_called_outside_run(obs):
    LOG.clear()
    t = Tracked(name="bare")
    obs.record("name", t.name)
    obs.record("log", list(LOG))


# --- get_resource_context, with_replaced_resource_context, from_resource_context --------------


@scenario
def get_resource_context_in_setup(obs):
    seen = {}

    class R(dg.ConfigurableResource):
        v: str = "d"

        def setup_for_execution(self, context) -> None:
            seen["same_config"] = (
                self.get_resource_context().resource_config == context.resource_config
            )

    @dg.asset
    def a(r: R):
        return r.get_resource_context().resource_config

    result = dg.materialize([a], resources={"r": R()})
    obs.record("seen", seen)
    obs.record("config_in_asset", result.output_for_node("a"))


@scenario
def get_resource_context_outside_run(obs):
    obs.raises(lambda: Conn(url="x").get_resource_context())


@scenario
def with_replaced_resource_context(obs):
    r = Conn(url="x")
    ctx = dg.build_init_resource_context(config={"url": "x"})
    replaced = r.with_replaced_resource_context(ctx)
    obs.record("config", replaced.get_resource_context().resource_config)
    obs.record("same_type", type(replaced).__name__)
    obs.record("values", [replaced.url, replaced.timeout])


@scenario
def from_resource_context_in_function_resource(obs):
    @dg.resource(config_schema=Conn.to_config_schema())
    def conn_fn(init_context):
        return Conn.from_resource_context(init_context)

    result = _run_op(
        {"conn": conn_fn},
        lambda r: r.conn.describe(),
        run_config={"resources": {"conn": {"config": {"url": "frc"}}}},
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def from_resource_context_direct(obs):
    ctx = dg.build_init_resource_context(config={"url": "direct", "timeout": 2})
    obs.record("describe", Conn.from_resource_context(ctx).describe())


# --- nested resources --------------------------------------------------------------------------


@scenario
def nested_resource_value(obs):
    class Creds(dg.ConfigurableResource):
        user: str

    class Client(dg.ConfigurableResource):
        creds: Creds
        region: str = "eu"

    @dg.asset
    def a(client: Client):
        return [client.creds.user, client.region, type(client.creds).__name__]

    result = dg.materialize([a], resources={"client": Client(creds=Creds(user="u"))})
    obs.record("value", result.output_for_node("a"))


@scenario
def nested_resource_bound_at_top_level(obs):
    class Creds(dg.ConfigurableResource):
        user: str

    class Client(dg.ConfigurableResource):
        creds: Creds

    creds = Creds(user="shared")

    @dg.asset
    def a(client: Client, creds: Creds):
        return [client.creds.user, creds.user]

    result = dg.materialize([a], resources={"creds": creds, "client": Client(creds=creds)})
    obs.record("value", result.output_for_node("a"))


@scenario
def nested_resource_setup_order(obs):
    LOG.clear()

    class Outer(dg.ConfigurableResource):
        inner: Tracked
        name: str

        def setup_for_execution(self, context) -> None:
            LOG.append("setup:" + self.name)

        def teardown_after_execution(self, context) -> None:
            LOG.append("teardown:" + self.name)

    @dg.asset
    def a(outer: Outer):
        LOG.append("asset")

    dg.materialize([a], resources={"outer": Outer(inner=Tracked(name="inner"), name="outer")})
    obs.record("log", list(LOG))


@scenario
def nested_configure_at_launch(obs):
    class Creds(dg.ConfigurableResource):
        user: str

    class Client(dg.ConfigurableResource):
        creds: Creds

    @dg.asset
    def a(client: Client):
        return client.creds.user

    creds = Creds.configure_at_launch()
    result = dg.materialize(
        [a],
        resources={"creds": creds, "client": Client(creds=creds)},
        run_config={"resources": {"creds": {"config": {"user": "launched"}}}},
    )
    obs.record("value", result.output_for_node("a"))


@scenario
def nested_resource_config_not_in_outer_schema(obs):
    class Creds(dg.ConfigurableResource):
        user: str

    class Client(dg.ConfigurableResource):
        creds: Creds
        region: str = "eu"

    @dg.asset
    def a(client: Client):
        return client.creds.user

    obs.raises(
        lambda: dg.materialize(
            [a],
            resources={"client": Client(creds=Creds(user="u"))},
            run_config={"resources": {"client": {"config": {"creds": {"user": "x"}}}}},
        ),
        "creds",
    )


@scenario
def resource_dependency_function_resource(obs):
    @dg.resource
    def client_fn(_):
        return {"kind": "fn-client"}

    class Reporter(dg.ConfigurableResource):
        client: dg.ResourceDependency[dict]

        def kind(self):
            return self.client["kind"]

    @dg.asset
    def a(reporter: Reporter):
        return reporter.kind()

    result = dg.materialize([a], resources={"reporter": Reporter(client=client_fn)})
    obs.record("value", result.output_for_node("a"))


@scenario
def resource_dependency_plain_value(obs):
    class Reporter(dg.ConfigurableResource):
        client: dg.ResourceDependency[str]

    @dg.asset
    def a(reporter: Reporter):
        return reporter.client

    result = dg.materialize([a], resources={"reporter": Reporter(client="plain")})
    obs.record("value", result.output_for_node("a"))


@scenario
def self_referential_resource_field(obs):
    @dg.asset
    def a(ssh: SSH):
        return ssh.route()

    result = dg.materialize([a], resources={"ssh": SSH(host="a", jump_host=SSH(host="b"))})
    obs.record("route", result.output_for_node("a"))


@scenario
def self_referential_resource_none(obs):
    @dg.asset
    def a(ssh: SSH):
        return ssh.route()

    obs.record(
        "route", dg.materialize([a], resources={"ssh": SSH(host="solo")}).output_for_node("a")
    )


@scenario
def self_referential_resource_outside_run(obs):
    ssh = SSH(host="a", jump_host=SSH(host="b", jump_host=SSH(host="c")))
    obs.record("route", ssh.route())


# --- factories, ResourceParam, IAttachDifferentObjectToOpContext -----------------------------


@scenario
def factory_create_resource(obs):
    class Client:
        def __init__(self, url):
            self.url = url

    class ClientFactory(ConfigurableResourceFactory[Client]):
        url: str

        def create_resource(self, context) -> Client:
            return Client(self.url + "/api")

    @dg.op
    def o(client: dg.ResourceParam[Client]):
        return [type(client).__name__, client.url]

    @dg.job(resource_defs={"client": ClientFactory(url="h")})
    def j():
        o()

    obs.record("out", j.execute_in_process().output_for_node("o"))


@scenario
def factory_with_run_config(obs):
    class ClientFactory(ConfigurableResourceFactory[str]):
        url: str = "d"

        def create_resource(self, context) -> str:
            return "client:" + self.url

    result = _run_op(
        {"client": ClientFactory()},
        lambda r: r.client,
        run_config={"resources": {"client": {"config": {"url": "rc"}}}},
    )
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_param_with_plain_value(obs):
    @dg.asset
    def a(value: dg.ResourceParam[str]):
        return value.upper()

    obs.record("value", dg.materialize([a], resources={"value": "plain"}).output_for_node("a"))


@scenario
def attach_different_object(obs):
    class R(dg.ConfigurableResource, dg.IAttachDifferentObjectToOpContext):
        v: str = "x"

        def get_object_to_set_on_execution_context(self):
            return "different:" + self.v

    @dg.asset
    def a(r: R):
        return type(r).__name__

    @dg.asset(required_resource_keys={"r"})
    def b(context):
        return context.resources.r

    result = dg.materialize([a, b], resources={"r": R()})
    obs.record("param", result.output_for_node("a"))
    obs.record("context", result.output_for_node("b"))


@scenario
def get_resource_definition(obs):
    rd = Conn(url="x").get_resource_definition()
    obs.record("is_resource_definition", isinstance(rd, dg.ResourceDefinition))
    obs.record("description", rd.description)


@scenario
def resource_description_from_docstring(obs):
    obs.record("description", Tracked(name="n").get_resource_definition().description)


# --- direct invocation with resources ----------------------------------------------------------


@scenario
def asset_invoked_with_positional_resource(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    obs.record("value", a(Conn(url="pos")))


@scenario
def asset_invoked_with_context_and_positional_resource(obs):
    @dg.asset
    def a(context, conn: Conn):
        return conn.describe()

    obs.record("value", a(dg.build_op_context(), Conn(url="pos")))


@scenario
def asset_invoked_with_keyword_resource(obs):
    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    obs.record("value", a(conn=Conn(url="kw")))


@scenario
def asset_invoked_with_context_resource(obs):
    @dg.asset
    def a(context, conn: Conn):
        return conn.describe()

    obs.record("value", a(dg.build_op_context(resources={"conn": Conn(url="ctx")})))


@scenario
def asset_invoked_with_context_keyword(obs):
    @dg.asset
    def a(context, conn: Conn):
        return conn.describe()

    obs.record("value", a(context=dg.build_op_context(), conn=Conn(url="both-kw")))


@scenario
def op_invoked_with_input_resource_and_config_positionally(obs):
    class C(dg.Config):
        n: int = 1

    @dg.op
    def o(x, conn: Conn, config: C):
        return [x, conn.url, config.n]

    obs.record("all", o(1, Conn(url="a"), C(n=2)))
    obs.record("no_config", o(1, Conn(url="a")))


@scenario
def op_invoked_resource_before_input(obs):
    @dg.op
    def o(conn: Conn, x):
        return [x, conn.url]

    obs.record("out", o(Conn(url="first"), 2))


@scenario
def op_invoked_too_many_positional(obs):
    @dg.op
    def o(conn: Conn, x):
        return x

    obs.raises(lambda: o(Conn(url="a"), 1, 2))


@scenario
def asset_invoked_resource_setup_runs(obs):
    LOG.clear()

    @dg.asset
    def a(t: Tracked):
        LOG.append("asset")
        return t.name

    obs.record("value", a(Tracked(name="direct")))
    obs.record("log", list(LOG))


# --- more field types, adapters, initialization outside a run ----------------------------------


@scenario
def resource_enum_and_literal_fields(obs):
    import enum
    from typing import Literal

    class Mode(enum.Enum):
        FAST = "f"
        SAFE = "s"

    class R(dg.ConfigurableResource):
        mode: Mode = Mode.SAFE
        fmt: Literal["csv", "json"] = "csv"

    @dg.asset
    def a(r: R):
        return [r.mode.name, r.fmt]

    obs.record("default", dg.materialize([a], resources={"r": R()}).output_for_node("a"))
    given = dg.materialize(
        [a],
        resources={"r": R.configure_at_launch()},
        run_config={"resources": {"r": {"config": {"mode": "FAST", "fmt": "json"}}}},
    )
    obs.record("given", given.output_for_node("a"))


@scenario
def resource_nested_config_default(obs):
    class Retry(dg.Config):
        times: int = 3

    class R(dg.ConfigurableResource):
        retry: Retry = Retry()

    @dg.asset
    def a(r: R):
        return [r.retry.times, type(r.retry).__name__]

    obs.record("value", dg.materialize([a], resources={"r": R()}).output_for_node("a"))


@scenario
def resource_env_var_in_nested_config(obs):
    os.environ["PARITY_PY_NESTED"] = "nested-env"

    class Auth(dg.Config):
        token: str

    class R(dg.ConfigurableResource):
        auth: Auth

    @dg.asset
    def a(r: R):
        return r.auth.token

    result = dg.materialize([a], resources={"r": R(auth=Auth(token=dg.EnvVar("PARITY_PY_NESTED")))})
    obs.record("value", result.output_for_node("a"))


@scenario
def resource_model_copy_is_usable(obs):
    base = Conn(url="a")
    copy = base.model_copy(update={"timeout": 3})

    @dg.asset
    def a(conn: Conn):
        return conn.describe()

    obs.record("value", dg.materialize([a], resources={"conn": copy}).output_for_node("a"))
    obs.record("base", base.describe())


@scenario
def resource_equality(obs):
    obs.record("equal", Conn(url="a") == Conn(url="a"))
    obs.record("different", Conn(url="a") == Conn(url="b"))


@scenario
def resource_inheritance_adds_fields(obs):
    class Base(dg.ConfigurableResource):
        url: str

    class Child(Base):
        retries: int = 1

    @dg.asset
    def a(c: Child):
        return [c.url, c.retries]

    obs.record("value", dg.materialize([a], resources={"c": Child(url="u")}).output_for_node("a"))


@scenario
def process_config_and_initialize(obs):
    os.environ["PARITY_PY_PCI"] = "pci"
    r = Conn(url=dg.EnvVar("PARITY_PY_PCI"))
    value = r.process_config_and_initialize()
    obs.record("describe", value.describe())


@scenario
def process_config_and_initialize_runs_setup(obs):
    LOG.clear()
    value = Tracked(name="pci").process_config_and_initialize()
    obs.record("name", value.name)
    obs.record("log", list(LOG))


@scenario
def legacy_resource_adapter(obs):
    if IMPL == "dagster":
        from dagster._config.pythonic_config.resource import ConfigurableLegacyResourceAdapter
    else:
        ConfigurableLegacyResourceAdapter = dg.ConfigurableLegacyResourceAdapter

    @dg.resource(config_schema={"prefix": str})
    def writer(init_context):
        prefix = init_context.resource_config["prefix"]
        return lambda text: prefix + text

    class Writer(ConfigurableLegacyResourceAdapter):
        prefix: str

        @property
        def wrapped_resource(self):
            return writer

    @dg.op(required_resource_keys={"writer"})
    def o(context):
        return context.resources.writer("x")

    @dg.job(resource_defs={"writer": Writer(prefix="p:")})
    def j():
        o()

    obs.record("out", j.execute_in_process().output_for_node("o"))


@scenario
def from_resource_context_cm_tears_down(obs):
    LOG.clear()
    ctx = dg.build_init_resource_context(config={"name": "cm"})
    if hasattr(Tracked, "from_resource_context_cm"):
        with Tracked.from_resource_context_cm(ctx) as value:
            LOG.append("inside:" + value.name)
    obs.record("log", list(LOG))


@scenario
def from_resource_context_refuses_teardown(obs):
    ctx = dg.build_init_resource_context(config={"name": "x"})
    obs.raises(lambda: Tracked.from_resource_context(ctx))


@scenario
def configurable_resource_as_op_context_resource(obs):
    @dg.op(required_resource_keys={"conn"})
    def o(context):
        return context.resources.conn.describe()

    obs.record("value", o(dg.build_op_context(resources={"conn": Conn(url="ctx")})))


@scenario
def build_op_context_runs_setup_and_teardown(obs):
    LOG.clear()

    @dg.op
    def o(t: Tracked):
        LOG.append("op")

    with dg.build_op_context(resources={"t": Tracked(name="ctx")}) as context:
        o(context)
    obs.record("log", list(LOG))


@scenario
def resource_with_resource_dependency_on_pythonic(obs):
    @dg.resource(required_resource_keys={"conn"})
    def wrapper(init_context):
        return "wrapped:" + init_context.resources.conn.url

    result = _run_op({"conn": Conn(url="inner"), "w": wrapper}, lambda r: r.w)
    obs.record("out", result.output_for_node("o"))


@scenario
def resource_schema_fields(obs):
    rd = Conn(url="x").get_resource_definition()
    fields = rd.config_schema.config_type.fields
    obs.record("names", sorted(fields))
    obs.record("required", sorted(n for n, f in fields.items() if f.is_required))


# --- nested resources: sharing and counting ---------------------------------------------------


@scenario
def nested_bound_at_top_level_set_up_once(obs):
    LOG.clear()

    class Outer(dg.ConfigurableResource):
        inner: Tracked

    inner = Tracked(name="shared")

    @dg.asset
    def a(outer: Outer, t: Tracked):
        return outer.inner.name == t.name

    result = dg.materialize([a], resources={"t": inner, "outer": Outer(inner=inner)})
    obs.record("same_name", result.output_for_node("a"))
    obs.record("setups", LOG.count("setup:shared"))


@scenario
def resource_dependency_bound_at_top_level(obs):
    count = []

    @dg.resource
    def client_fn(_):
        count.append(1)
        return "client"

    class Reporter(dg.ConfigurableResource):
        client: dg.ResourceDependency[str]

    @dg.asset
    def a(reporter: Reporter):
        return reporter.client

    result = dg.materialize(
        [a], resources={"client": client_fn, "reporter": Reporter(client=client_fn)}
    )
    obs.record("value", result.output_for_node("a"))
    obs.record("inits", len(count))


@scenario
def nested_partial_not_bound(obs):
    class Creds(dg.ConfigurableResource):
        user: str

    class Client(dg.ConfigurableResource):
        creds: Creds

    @dg.asset
    def a(client: Client):
        return client.creds.user

    obs.raises(
        lambda: dg.materialize([a], resources={"client": Client(creds=Creds.configure_at_launch())})
    )


@scenario
def nested_teardown_when_asset_fails(obs):
    LOG.clear()

    class Outer(dg.ConfigurableResource):
        inner: Tracked

    @dg.asset
    def a(outer: Outer):
        raise ValueError("broke")

    dg.materialize([a], resources={"outer": Outer(inner=Tracked(name="in"))}, raise_on_error=False)
    obs.record("log", list(LOG))


@scenario
def field_description_in_schema(obs):
    import pydantic

    class R(dg.ConfigurableResource):
        url: str = pydantic.Field(description="where it lives")

    fields = R(url="x").get_resource_definition().config_schema.config_type.fields
    obs.record("description", fields["url"].description)


@scenario
def resource_param_and_required_keys_together(obs):
    @dg.resource
    def extra(_):
        return "extra"

    @dg.asset(required_resource_keys={"extra"})
    def a(context, conn: Conn):
        return [context.resources.extra, conn.url, context.resources.conn.url]

    result = dg.materialize([a], resources={"extra": extra, "conn": Conn(url="c")})
    obs.record("value", result.output_for_node("a"))


@scenario
def env_var_resource_in_definitions(obs):
    os.environ["PARITY_PY_DEFS"] = "defs-env"

    @dg.asset
    def a(conn: Conn):
        return conn.url

    defs = dg.Definitions(
        assets=[a],
        jobs=[dg.define_asset_job("j")],
        resources={"conn": Conn(url=dg.EnvVar("PARITY_PY_DEFS"))},
    )
    obs.record("value", defs.get_job_def("j").execute_in_process().output_for_node("a"))


@scenario
def env_var_attribute_outside_run(obs):
    os.environ["PARITY_PY_OUT"] = "value"
    c = Conn(url=dg.EnvVar("PARITY_PY_OUT"))
    obs.record("is_env_var", isinstance(c.url, dg.EnvVar))


@scenario
def configurable_resource_with_resource_fn_dependency_key(obs):
    class Consumer(dg.ConfigurableResource):
        conn: Conn

    @dg.asset
    def a(consumer: Consumer):
        return consumer.conn.describe()

    conn = Conn.configure_at_launch()
    result = dg.materialize(
        [a],
        resources={"conn": conn, "consumer": Consumer(conn=conn)},
        run_config={"resources": {"conn": {"config": {"url": "rc", "timeout": 2}}}},
    )
    obs.record("value", result.output_for_node("a"))


@scenario
def required_resource_keys_of_nested_definition(obs):
    class Creds(dg.ConfigurableResource):
        user: str

    class Client(dg.ConfigurableResource):
        creds: Creds

    creds = Creds.configure_at_launch()
    rd = Client(creds=creds).get_resource_definition()
    obs.record("required", sorted(rd.required_resource_keys))


@scenario
def asset_invoked_with_asset_context_and_positional_resource(obs):
    @dg.asset
    def a(context: dg.AssetExecutionContext, conn: Conn):
        return conn.describe()

    obs.record("value", a(dg.build_asset_context(), Conn(url="asset-ctx")))


@scenario
def asset_invoked_with_asset_context_resources(obs):
    @dg.asset
    def a(context: dg.AssetExecutionContext, conn: Conn):
        return [conn.describe(), context.resources.conn.url]

    obs.record("value", a(dg.build_asset_context(resources={"conn": Conn(url="in-ctx")})))


@scenario
def asset_invoked_with_positional_config(obs):
    class C(dg.Config):
        n: int = 1

    @dg.asset
    def a(config: C):
        return config.n

    obs.record("value", a(C(n=4)))


@scenario
def asset_invoked_with_positional_function_resource(obs):
    @dg.asset
    def a(client: dg.ResourceParam[str]):
        return client.upper()

    obs.record("value", a("plain-client"))


@scenario
def asset_invoked_with_both_positional_and_context_resource(obs):
    @dg.asset
    def a(context, conn: Conn):
        return conn.url

    obs.raises(lambda: a(dg.build_asset_context(resources={"conn": Conn(url="c")}), Conn(url="p")))
