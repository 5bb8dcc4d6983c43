"""``Definitions``: everything a code location offers, with resources bound once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from headwater.asset_key import AssetKey
from headwater.assets.binding import check_asset_resources
from headwater.assets.definition import AssetsDefinition
from headwater.assets.graph import AssetGraph, split_assets_and_checks
from headwater.assets.job import (
    IMPLICIT_ASSET_JOB_NAME,
    UnresolvedAssetJobDefinition,
    build_asset_job,
)
from headwater.errors import (
    InvalidDefinitionError,
    InvariantViolationError,
    UnsupportedFeatureError,
)
from headwater.jobs.executor import Executor, ExecutorDefinition
from headwater.jobs.job import JobDefinition
from headwater.location.loader import AssetValueLoader
from headwater.location.repo import RepositoryDefinition
from headwater.location.repo_data import DefinitionsData
from headwater.resources import ResourceDefinition, coerce_resources

__all__ = ["Definitions"]

_OWNER = "Definitions"


def _names(items: Iterable[Any]) -> list[str]:
    return sorted(str(getattr(i, "name", i)) for i in items)


class Definitions:
    """The assets, checks, jobs, schedules, sensors and resources of a code location.

    Resources given here are bound once for every asset, job, schedule and sensor. What
    is wrong is reported when the object is built (duplicate or unknown asset keys,
    dependency cycles) or when its jobs are first resolved (``get_job_def``,
    ``validate_loadable``, loading by the CLI): resources an asset or op needs but nobody
    provides. So Definitions holding only assets, or only resources, can be merged.

    Args:
        assets: ``@asset``/``@multi_asset`` definitions and ``AssetSpec``s (external).
        asset_checks: ``@asset_check`` definitions.
        jobs: jobs, including ``define_asset_job`` ones (resolved against the assets).
        schedules: schedule definitions.
        sensors: sensor definitions.
        resources: resource key → resource, bound for everything above.
        executor: the default executor of every job that names none.
        loggers: logger definitions for every job that defines none.
        metadata: free-form facts about the code location.

    Example:
        ``defs = Definitions(assets=[orders], resources={"db": Database(url=EnvVar("DB"))})``
    """

    def __init__(
        self,
        assets: Iterable[Any] | None = None,
        schedules: Iterable[Any] | None = None,
        sensors: Iterable[Any] | None = None,
        jobs: Iterable[Any] | None = None,
        resources: Mapping[str, Any] | None = None,
        executor: Any = None,
        loggers: Mapping[str, Any] | None = None,
        asset_checks: Iterable[Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        component_tree: Any = None,
    ) -> None:
        if component_tree is not None:
            # The reference's YAML components build this; headwater has no components.
            raise UnsupportedFeatureError(
                "Definitions(component_tree=...)",
                "Dagster's YAML components system",
                "pass the definitions themselves (assets=, jobs=, ...)",
            )
        self.assets = list(assets or [])
        self.asset_checks = list(asset_checks or [])
        self.schedules = list(schedules or [])
        self.sensors = list(sensors or [])
        self.jobs = list(jobs or [])
        self.resources = dict(resources or {})
        # An `Executor` object stands for a definition that always returns it.
        is_object = isinstance(executor, Executor)
        self.executor = ExecutorDefinition.hardcoded_executor(executor) if is_object else executor
        self.loggers = dict(loggers or {})
        self.metadata = dict(metadata or {})
        self.resource_defs: dict[str, ResourceDefinition] = coerce_resources(self.resources)
        self._asset_graph: AssetGraph | None = None
        self._resolved_jobs: dict[str, JobDefinition] | None = None

    @property
    def asset_graph(self) -> AssetGraph:
        """The graph of every asset, built (and checked) on first use, as the reference's:
        a Definitions whose assets read an input no asset defines can still be made, and
        its assets looked up; resolving the graph raises."""
        if self._asset_graph is None:
            with gc_paused():
                self._asset_graph = AssetGraph(
                    *split_assets_and_checks([*self.assets, *self.asset_checks])
                )
        return self._asset_graph

    @property
    def _jobs(self) -> dict[str, JobDefinition]:
        # Resolved on first use, not in __init__: a Definitions holding only assets or only
        # resources is a valid part of a Definitions.merge(...), as in the reference.
        if self._resolved_jobs is None:
            with gc_paused():
                self._check_asset_resources()
                self._resolved_jobs = self._resolve_jobs()
        return self._resolved_jobs

    # building -----------------------------------------------------------------------

    def _check_asset_resources(self) -> None:
        check_asset_resources(
            self.asset_graph,
            self.resource_defs,
            owner=_OWNER,
            fix=lambda _: "add it to Definitions(resources={...})",
        )

    def _asset_resources(self) -> dict[str, ResourceDefinition]:
        resources: dict[str, ResourceDefinition] = dict(self.resource_defs)
        if "io_manager" not in resources:
            # Deferred: op-only locations never need the IO layer.
            from headwater.io.filesystem import default_fs_io_manager

            resources["io_manager"] = default_fs_io_manager
        return resources

    def _resolve_jobs(self) -> dict[str, JobDefinition]:
        jobs: dict[str, JobDefinition] = {}
        for item in self.jobs:
            job_def = self._resolve_job(item)
            if job_def.name in jobs:
                raise InvalidDefinitionError(
                    f"Definitions has two jobs named '{job_def.name}'; job names must be unique"
                )
            jobs[job_def.name] = job_def
        # Jobs that schedules and sensors target count too, unless listed already.
        for item in [*_target_jobs(self.schedules), *_target_jobs(self.sensors)]:
            if item.name not in jobs:
                jobs[item.name] = self._resolve_job(item)
        executable = self.asset_graph.executable_keys
        if executable and IMPLICIT_ASSET_JOB_NAME not in jobs and len(self._partition_defs()) <= 1:
            jobs[IMPLICIT_ASSET_JOB_NAME] = build_asset_job(
                IMPLICIT_ASSET_JOB_NAME,
                self.asset_graph,
                executable,
                resource_defs=self._asset_resources(),
                executor_def=self.executor,
            )
        if self.loggers:  # the location's loggers go to the jobs that define none
            for name, job_def in jobs.items():
                if not job_def.loggers:
                    jobs[name] = job_def.with_logger_defs(self.loggers)
        return jobs

    def _partition_defs(self) -> list[Any]:
        found = {
            id(d.partitions_def): d.partitions_def
            for d in self.asset_graph.def_by_key.values()
            if d.partitions_def is not None and d.is_executable
        }
        return list(found.values())

    def _resolve_job(self, item: Any) -> JobDefinition:
        if isinstance(item, UnresolvedAssetJobDefinition):
            return item.resolve(self.asset_graph, self._asset_resources(), self.executor)
        if isinstance(item, JobDefinition):
            job_def = item
            if self.resource_defs:
                # The job's own resources win over the location's.
                job_def = item.with_resources({**self.resource_defs, **item.resource_defs})
            if self.executor is not None and not job_def.has_specified_executor:
                job_def = job_def.with_executor_def(self.executor)
            job_def.check_resources()  # every op's resources are provided, by someone
            return job_def
        raise InvalidDefinitionError(
            f"{item!r} is not a job; Definitions(jobs=...) takes @job, GraphDefinition.to_job "
            "and define_asset_job definitions"
        )

    # reading ------------------------------------------------------------------------

    def get_job_def(self, name: str) -> JobDefinition:
        """The job named ``name``.

        Raises:
            InvariantViolationError: no such job; the message lists the jobs there are.
        """
        job_def = self._jobs.get(name)
        if job_def is None:
            raise InvariantViolationError(
                f"no job named '{name}' in these Definitions; jobs are "
                f"{sorted(n for n in self._jobs if n != IMPLICIT_ASSET_JOB_NAME) or 'none'}"
            )
        return job_def

    def resolve_job_def(self, name: str) -> JobDefinition:
        """The same as :meth:`get_job_def` (the reference's newer spelling)."""
        return self.get_job_def(name)

    def has_job(self, name: str) -> bool:
        """Whether a job named ``name`` exists."""
        return name in self._jobs

    def get_all_job_defs(self) -> list[JobDefinition]:
        """Every job, the implicit asset job included."""
        return list(self._jobs.values())

    @property
    def job_names(self) -> list[str]:
        """Names of the user's jobs (the implicit asset job left out)."""
        return [n for n in self._jobs if n != IMPLICIT_ASSET_JOB_NAME]

    def get_implicit_global_asset_job_def(self) -> JobDefinition:
        """The job over every executable asset.

        Raises:
            InvalidDefinitionError: there are no assets, or their partitions differ.
        """
        job_def = self._jobs.get(IMPLICIT_ASSET_JOB_NAME)
        if job_def is None:
            raise InvalidDefinitionError(
                "these Definitions have no single job over every asset: there are no "
                "executable assets, or they use different partitions definitions "
                "(define one job per partitions definition with define_asset_job)"
            )
        return job_def

    def resolve_implicit_global_asset_job_def(self) -> JobDefinition:
        """The same as :meth:`get_implicit_global_asset_job_def`."""
        return self.get_implicit_global_asset_job_def()

    def get_schedule_def(self, name: str) -> Any:
        """The schedule named ``name``."""
        return _named(self.schedules, name, "schedule")

    def get_sensor_def(self, name: str) -> Any:
        """The sensor named ``name`` (``default_automation_condition_sensor`` included)."""
        if any(s.name == name for s in self.sensors):
            return _named(self.sensors, name, "sensor")
        return _named(self.all_sensor_defs(), name, "sensor")

    def all_sensor_defs(self) -> list[Any]:
        """The sensors given, and the default automation condition sensor when some assets
        with a condition are targeted by no automation condition sensor."""
        from headwater.automation.condition_sensor import default_condition_sensor

        sensors = list(self.sensors)
        if not self.assets:
            return sensors
        default = default_condition_sensor(self.asset_graph, sensors)
        return sensors if default is None else [*sensors, default]

    def get_assets_def(self, key: Any) -> AssetsDefinition:
        """The definition producing ``key`` (an ``AssetKey``, ``"a/b"`` or list)."""
        asset_key = AssetKey.from_coercible(key)
        for given in self.assets:  # as given, without building the graph (the reference's)
            if (
                isinstance(given, AssetsDefinition)
                and not given.is_external
                and asset_key in given.keys
            ):
                return given
        definition = self.asset_graph.def_by_key.get(asset_key)
        if definition is None:
            raise InvariantViolationError(
                f"no asset '{asset_key.to_user_string()}' in these Definitions"
            )
        return definition

    def resolve_asset_graph(self) -> AssetGraph:
        """The graph of every asset."""
        return self.asset_graph

    # The reference's ``resolve_*`` spellings: definitions here are resolved on first use.
    resolve_assets_def = get_assets_def
    resolve_schedule_def = get_schedule_def
    resolve_sensor_def = get_sensor_def
    resolve_all_job_defs = get_all_job_defs

    def resolve_all_asset_keys(self) -> list[AssetKey]:
        """Every asset key (external ones included)."""
        return sorted(self.asset_graph.def_by_key, key=lambda k: k.path)

    def resolve_all_asset_specs(self) -> list[Any]:
        """The spec of every asset (external ones included)."""
        return [d.spec_for_key(k) for k, d in self.asset_graph.def_by_key.items()]

    def get_asset_checks_def(self, key: Any) -> Any:
        """The definition evaluating the check ``key`` (an ``AssetCheckKey``)."""
        for check in self.asset_graph.check_defs:
            if key in check.check_keys:
                return check
        raise InvariantViolationError(f"no asset check {key!r} in these Definitions")

    def has_implicit_global_asset_job_def(self) -> bool:
        """Whether there is one job over every executable asset."""
        return IMPLICIT_ASSET_JOB_NAME in self._jobs

    def get_repository_def(self) -> RepositoryDefinition:
        """These definitions as a ``RepositoryDefinition`` (named ``__repository__``)."""
        return RepositoryDefinition("__repository__", repository_data=DefinitionsData(self))

    def get_asset_value_loader(self, instance: Any = None) -> AssetValueLoader:
        """A context manager that loads stored asset values through their IO managers,
        with the resources bound here.

        Args:
            instance: the instance handed to the IO managers.
        """
        return AssetValueLoader.for_definitions(self, instance)

    def load_asset_value(
        self,
        asset_key: Any,
        *,
        python_type: type | None = None,
        instance: Any = None,
        partition_key: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> object:
        """Load the stored value of one asset (opens and closes its IO manager).

        Args:
            asset_key: the asset.
            python_type: the type to load it as (``context.dagster_type.typing_type``).
            instance: the instance handed to the IO manager.
            partition_key: the partition to load.
            metadata: metadata the manager reads as the input's.
        """
        with self.get_asset_value_loader(instance) as loader:
            return loader.load_asset_value(
                asset_key,
                python_type=python_type,
                partition_key=partition_key,
                input_definition_metadata=metadata,
            )

    # combining ----------------------------------------------------------------------

    @staticmethod
    def merge(*defs: Definitions) -> Definitions:
        """One ``Definitions`` holding everything in ``defs``.

        Raises:
            InvariantViolationError: two of them bind different resources to one key.
        """
        resources: dict[str, Any] = {}
        for item in defs:
            for key, value in item.resources.items():
                if key in resources and resources[key] is not value:
                    raise InvariantViolationError(
                        f"Definitions.merge: resource '{key}' is bound differently in two of "
                        "the merged Definitions; bind it once"
                    )
                resources[key] = value
        executors = {id(d.executor): d.executor for d in defs if d.executor is not None}
        if len(executors) > 1:
            raise InvalidDefinitionError(
                "Definitions.merge: the Definitions name different executors"
            )
        return Definitions(
            assets=[a for d in defs for a in d.assets],
            asset_checks=[c for d in defs for c in d.asset_checks],
            schedules=[s for d in defs for s in d.schedules],
            sensors=[s for d in defs for s in d.sensors],
            jobs=[j for d in defs for j in d.jobs],
            resources=resources,
            executor=next(iter(executors.values()), None),
            loggers={k: v for d in defs for k, v in d.loggers.items()},
        )

    @staticmethod
    def validate_loadable(defs: Definitions) -> None:
        """Check that ``defs`` is complete: every job builds, every schema is valid.

        Raises:
            InvalidDefinitionError: the first problem found.
        """
        for job_def in defs.get_all_job_defs():
            job_def.check_resources()
            _ = job_def.run_config_schema

    def __repr__(self) -> str:
        return (
            f"<Definitions assets={len(self.asset_graph.def_by_key)} jobs={self.job_names} "
            f"schedules={_names(self.schedules)} sensors={_names(self.sensors)}>"
        )


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large location.

    The build allocates hundreds of thousands of long-lived objects and no garbage
    cycles: the collector would only rescan them again and again (40% of the time for
    10,000 assets). Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _target_jobs(items: Sequence[Any]) -> list[Any]:
    # Read the targets mapping, not `.job`/`.jobs`: those raise, as in the reference, when a
    # sensor or schedule targets a job by name only.
    found = []
    for item in items:
        targets = getattr(item, "targets", None)
        for value in getattr(targets, "jobs", {}).values():
            if isinstance(value, JobDefinition | UnresolvedAssetJobDefinition):
                found.append(value)
    return found


def _named(items: Sequence[Any], name: str, kind: str) -> Any:
    for item in items:
        if getattr(item, "name", None) == name:
            return item
    raise InvalidDefinitionError(
        f"no {kind} named '{name}' in these Definitions; {kind}s are {_names(items) or 'none'}"
    )
