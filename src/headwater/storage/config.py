"""``headwater.yaml``: where an instance keeps its runs and for how long.

Read only by :meth:`Instance.get` and friends, never by ``import headwater``. Every problem
raises one :class:`InstanceError` whose single line names the file, the key and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from headwater._dataclass import dataclass
from headwater.errors import InstanceError

__all__ = [
    "CONFIG_FILENAME",
    "InstanceConfig",
    "PostgresConfig",
    "RunLauncherConfig",
    "RunQueueConfig",
    "TagConcurrencyLimit",
    "SqliteConfig",
    "load_instance_config",
    "resolve_home",
]

CONFIG_FILENAME = "headwater.yaml"
_TOP_KEYS = ("storage", "retention", "run_queue", "python_logs", "run_launcher")
_PYTHON_LOGS_KEYS = ("python_log_level",)
_LAUNCHER_KINDS = ("subprocess", "dask")
_STORAGE_KEYS = ("sqlite", "postgres")
_SQLITE_KEYS = ("base_dir",)
_POSTGRES_KEYS = ("postgres_url", "postgres_db")
_PG_DB_KEYS = ("username", "password", "hostname", "port", "db_name", "params")
_RETENTION_KEYS = ("days",)
_QUEUE_KEYS = ("max_concurrent_runs", "tag_concurrency_limits")
_LIMIT_KEYS = ("key", "value", "limit")
_DEFAULT_MAX_RUNS = 10


@dataclass(frozen=True, slots=True)
class SqliteConfig:
    """SQLite storage: one database file, ``headwater.db``, in ``base_dir``."""

    base_dir: Path


@dataclass(frozen=True, slots=True)
class PostgresConfig:
    """PostgreSQL storage at ``url`` (may hold a password: never print it as is)."""

    url: str


@dataclass(frozen=True, slots=True)
class TagConcurrencyLimit:
    """At most ``limit`` runs carrying tag ``key`` (with ``value``, when given) at once.

    Attributes:
        key: the tag.
        value: only runs whose tag has this value count; ``None``: any value.
        limit: how many such runs may be in progress.
        per_unique_value: the limit applies to each value separately
            (``value: {applyLimitPerUniqueValue: true}``).
    """

    key: str
    value: str | None
    limit: int
    per_unique_value: bool = False


@dataclass(frozen=True, slots=True)
class RunQueueConfig:
    """How the daemon dequeues runs (``run_queue:`` in ``headwater.yaml``).

    Attributes:
        max_concurrent_runs: runs in progress at once (launched and not finished).
        tag_concurrency_limits: limits on runs carrying given tags.
    """

    max_concurrent_runs: int = 10
    tag_concurrency_limits: tuple[TagConcurrencyLimit, ...] = ()


@dataclass(frozen=True, slots=True)
class RunLauncherConfig:
    """Where the daemon starts queued runs (``run_launcher:`` in ``headwater.yaml``).

    Attributes:
        kind: ``subprocess`` (a process per run on the daemon's machine, the default) or
            ``dask`` (a task per run on an existing ``dask.distributed`` cluster).
        address: the Dask scheduler's address (``tcp://host:8786``).
    """

    kind: str = "subprocess"
    address: str | None = None


@dataclass(frozen=True, slots=True)
class InstanceConfig:
    """An instance's settings, from its home folder, ``headwater.yaml`` and the environment.

    Attributes:
        home: the instance's home folder.
        storage: where runs and events live.
        retention_days: verbose events of runs finished longer ago are dropped by vacuum;
            ``None`` keeps everything.
        python_log_level: ``python_logs.python_log_level``: the level of the console
            logger runs use when run config selects none (``default_system_loggers``).
    """

    home: Path
    storage: SqliteConfig | PostgresConfig
    retention_days: float | None = None
    run_queue: RunQueueConfig = RunQueueConfig()
    python_log_level: str | None = None
    run_launcher: RunLauncherConfig = RunLauncherConfig()


def resolve_home(environ: Mapping[str, str]) -> Path:
    """The home folder named by ``HEADWATER_HOME`` (or, for ported projects, ``DAGSTER_HOME``).

    Raises:
        InstanceError: neither variable is set.
    """
    for name in ("HEADWATER_HOME", "DAGSTER_HOME"):
        value = environ.get(name, "").strip()
        if value:
            return Path(value).expanduser().absolute()
    raise InstanceError(
        "no instance home folder: set HEADWATER_HOME to a folder where headwater may keep "
        "runs (DAGSTER_HOME is honoured too), or use Instance.ephemeral()/local_temp()"
    )


def load_instance_config(
    home: Path, environ: Mapping[str, str], *, is_default_home: bool = False
) -> InstanceConfig:
    """Read ``home/headwater.yaml`` (optional); ``HEADWATER_POSTGRES_URL`` fills in only
    the default instance.

    An explicit instance (a home named by a variable or an argument, ``local_temp``, a
    ``storage:`` section in the file) always keeps its own storage: a variable left set in
    a shell must never send a test's or a scratch instance's writes (or a ``wipe()``) to a
    real database. The variable selects PostgreSQL only when ``is_default_home`` (the
    CLI's ``~/.headwater``, used when no home is named) and the file configures no storage.

    Raises:
        InstanceError: the file cannot be read, is not valid YAML, or has unknown or
            ill-typed keys; ``{env: VAR}`` names an unset variable.
    """
    path = home / CONFIG_FILENAME
    raw = _read_yaml(path)
    reader = _Reader(path, environ)
    reader.check_keys(raw, _TOP_KEYS, "")
    storage = _storage(reader, raw.get("storage"), home)
    override = environ.get("HEADWATER_POSTGRES_URL", "").strip()
    if override and is_default_home and raw.get("storage") is None:
        storage = PostgresConfig(override)
    return InstanceConfig(
        home,
        storage,
        _retention_days(reader, raw.get("retention")),
        _run_queue(reader, raw.get("run_queue")),
        _python_log_level(reader, raw.get("python_logs")),
        _run_launcher(reader, raw.get("run_launcher")),
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        # No settings yet; a home that cannot exist is reported where it is created.
        return {}
    except OSError as exc:
        raise InstanceError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InstanceError(f"cannot read {path}: not UTF-8 text ({exc.reason})") from None
    import yaml  # only a home with a headwater.yaml pays for the parser

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "syntax error"
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise InstanceError(f"{path} is not valid YAML: {where}{problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InstanceError(f"{path}: expected a mapping at the top, got {type(data).__name__}")
    return data


class _Reader:
    """Type checks with the file's path in every message."""

    def __init__(self, path: Path, environ: Mapping[str, str]) -> None:
        self.path = path
        self.environ = environ

    def fail(self, key: str, message: str) -> InstanceError:
        return InstanceError(f"{self.path}: {key}: {message}")

    def check_keys(self, value: object, allowed: tuple[str, ...], key: str) -> dict[str, Any]:
        where = key or "top level"
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        for name in value:
            if name not in allowed:
                import difflib  # deferred: suggestions are for unknown settings

                hint = difflib.get_close_matches(str(name), allowed, n=1)
                fix = f"did you mean {hint[0]!r}?" if hint else f"expected one of: {allowed}"
                raise self.fail(where, f"unknown key {name!r}; {fix}")
        return value

    def string(self, value: object, key: str) -> str:
        """A string, or ``{env: VAR}`` resolved now (secrets stay out of the file)."""
        if isinstance(value, dict) and set(value) == {"env"}:
            name = str(value["env"])
            resolved = self.environ.get(name)
            if resolved is None:
                raise self.fail(key, f"environment variable {name} is not set")
            return resolved
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
        raise self.fail(key, f"expected a string or {{env: VAR}}, got {type(value).__name__}")


def _storage(reader: _Reader, value: object, home: Path) -> SqliteConfig | PostgresConfig:
    default = SqliteConfig(home / "storage")
    if value is None:
        return default
    section = reader.check_keys(value, _STORAGE_KEYS, "storage")
    if len(section) != 1:
        raise reader.fail("storage", "expected exactly one of 'sqlite' or 'postgres'")
    if "sqlite" in section:
        sqlite = reader.check_keys(section["sqlite"] or {}, _SQLITE_KEYS, "storage.sqlite")
        if "base_dir" not in sqlite:
            return default
        base = Path(reader.string(sqlite["base_dir"], "storage.sqlite.base_dir")).expanduser()
        return SqliteConfig(base if base.is_absolute() else home / base)
    pg = reader.check_keys(section["postgres"], _POSTGRES_KEYS, "storage.postgres")
    if len(pg) != 1:
        raise reader.fail("storage.postgres", "expected exactly one of postgres_url, postgres_db")
    if "postgres_url" in pg:
        return PostgresConfig(reader.string(pg["postgres_url"], "storage.postgres.postgres_url"))
    return PostgresConfig(_url_from_parts(reader, pg["postgres_db"]))


def _url_from_parts(reader: _Reader, value: object) -> str:
    # Imported here: SQLAlchemy's URL quotes passwords correctly, and this branch is the
    # PostgreSQL one, which loads SQLAlchemy right after anyway.
    import sqlalchemy as sa

    key = "storage.postgres.postgres_db"
    parts = reader.check_keys(value, _PG_DB_KEYS, key)
    for required in ("username", "hostname", "db_name"):
        if required not in parts:
            raise reader.fail(key, f"missing {required!r}")
    text = {k: reader.string(v, f"{key}.{k}") for k, v in parts.items() if k != "params"}
    params = reader.check_keys(parts.get("params") or {}, tuple(parts.get("params") or ()), key)
    url = sa.URL.create(
        "postgresql",
        username=text["username"],
        password=text.get("password"),
        host=text["hostname"],
        port=int(text.get("port", "5432")),
        database=text["db_name"],
        query={str(k): str(v) for k, v in params.items()},
    )
    return url.render_as_string(hide_password=False)


def _python_log_level(reader: _Reader, value: object) -> str | None:
    if value is None:
        return None
    section = reader.check_keys(value, _PYTHON_LOGS_KEYS, "python_logs")
    level = section.get("python_log_level")
    if level is None:
        return None
    names = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
    if not isinstance(level, str) or level.upper() not in names:
        raise reader.fail(
            "python_logs.python_log_level", f"expected one of {', '.join(names)}, got {level!r}"
        )
    return level.upper()


def _retention_days(reader: _Reader, value: object) -> float | None:
    if value is None:
        return None
    section = reader.check_keys(value, _RETENTION_KEYS, "retention")
    days = section.get("days")
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, (int, float)) or days <= 0:
        raise reader.fail("retention.days", f"expected a positive number of days, got {days!r}")
    return float(days)


def _run_queue(reader: _Reader, value: object) -> RunQueueConfig:
    if value is None:
        return RunQueueConfig()
    section = reader.check_keys(value, _QUEUE_KEYS, "run_queue")
    most = section.get("max_concurrent_runs", _DEFAULT_MAX_RUNS)
    if isinstance(most, bool) or not isinstance(most, int) or most < 0:
        raise reader.fail(
            "run_queue.max_concurrent_runs", f"expected a whole number >= 0, got {most!r}"
        )
    raw_limits = section.get("tag_concurrency_limits") or []
    if not isinstance(raw_limits, list):
        raise reader.fail("run_queue.tag_concurrency_limits", "expected a list of limits")
    limits = [_tag_limit(reader, item, i) for i, item in enumerate(raw_limits)]
    return RunQueueConfig(most, tuple(limits))


def _run_launcher(reader: _Reader, value: object) -> RunLauncherConfig:
    """``run_launcher: subprocess``, ``{subprocess: {}}`` or ``{dask: {address: ...}}``."""
    if value is None:
        return RunLauncherConfig()
    if isinstance(value, str):
        value = {value: {}}
    section = reader.check_keys(value, _LAUNCHER_KINDS, "run_launcher")
    if len(section) != 1:
        raise reader.fail("run_launcher", "name one launcher: subprocess or dask")
    [(kind, options)] = section.items()
    if kind == "subprocess":
        reader.check_keys(options or {}, (), "run_launcher.subprocess")
        return RunLauncherConfig()
    options = reader.check_keys(options or {}, ("address",), "run_launcher.dask")
    if "address" not in options:
        raise reader.fail(
            "run_launcher.dask.address",
            "the Dask scheduler's address is required, e.g. address: tcp://scheduler:8786",
        )
    return RunLauncherConfig("dask", reader.string(options["address"], "run_launcher.dask.address"))


def _tag_limit(reader: _Reader, value: object, index: int) -> TagConcurrencyLimit:
    key = f"run_queue.tag_concurrency_limits[{index}]"
    item = reader.check_keys(value, _LIMIT_KEYS, key)
    if "key" not in item or "limit" not in item:
        raise reader.fail(key, "needs 'key' and 'limit' (and optionally 'value')")
    limit = item["limit"]
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise reader.fail(f"{key}.limit", f"expected a whole number >= 0, got {limit!r}")
    raw = item.get("value")
    if isinstance(raw, dict):
        reader.check_keys(raw, ("applyLimitPerUniqueValue",), f"{key}.value")
        per_value = raw.get("applyLimitPerUniqueValue") is True
        return TagConcurrencyLimit(str(item["key"]), None, limit, per_value)
    value_text = None if raw is None else reader.string(raw, f"{key}.value")
    return TagConcurrencyLimit(str(item["key"]), value_text, limit)
