"""``RepositoryDefinition``: a named ``Definitions``, as ``@repository`` and
``Definitions.get_repository_def()`` give it; its methods answer as the reference's do
(``get_job``, ``job_names``, ``assets_defs_by_key``, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.assets.job import IMPLICIT_ASSET_JOB_NAME as IMPLICIT_ASSET_JOB
from headwater.errors import InvalidDefinitionError, InvariantViolationError
from headwater.location.repo_data import RepositoryData

if TYPE_CHECKING:
    from headwater.assets import AssetChecksDefinition, AssetsDefinition

__all__ = ["RepositoryDefinition"]


class RepositoryDefinition:
    """A named set of definitions (what ``@repository`` and ``Definitions`` produce).

    Args:
        name: the repository's name.
        repository_data: its contents (a ``RepositoryData`` subclass of your own, or what
            ``Definitions`` and ``@repository`` make).
        description: shown in tools.
        metadata: arbitrary metadata about the repository.
        repository_load_data: kept for the reference's signature; headwater has no cached
            asset data to restore.

    Attributes:
        definitions: the contents as one ``Definitions``.

    Raises:
        InvalidDefinitionError: ``repository_data`` is not a ``RepositoryData``.
    """

    def __init__(
        self,
        name: str,
        *,
        repository_data: RepositoryData,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        repository_load_data: Any = None,
    ) -> None:
        if not isinstance(repository_data, RepositoryData):
            raise InvalidDefinitionError(
                f"RepositoryDefinition {name!r}: repository_data must be a RepositoryData, "
                f"got {type(repository_data).__name__}; subclass RepositoryData, or use "
                "Definitions(...).get_repository_def()"
            )
        self.name = name
        self._repository_data = repository_data
        self.definitions = repository_data.to_definitions()
        self.description = description
        self.metadata = dict(metadata or {})
        self.repository_load_data = repository_load_data

    @property
    def job_names(self) -> list[str]:
        """Every job's name (the implicit asset job last, when there are assets)."""
        names = list(self.definitions.job_names)
        if self.has_implicit_global_asset_job_def():
            names.append(IMPLICIT_ASSET_JOB)
        return names

    def has_job(self, name: str) -> bool:
        """Whether the repository has a job called ``name``."""
        return name in self.job_names

    def get_job(self, name: str) -> Any:
        """The job called ``name``.

        Raises:
            InvariantViolationError: no such job (the message lists the jobs).
        """
        if name == IMPLICIT_ASSET_JOB and self.has_implicit_global_asset_job_def():
            return self.get_implicit_global_asset_job_def()
        if not self.definitions.has_job(name):
            raise InvariantViolationError(
                f"Could not find job '{name}' in repository '{self.name}'; its jobs are "
                f"{self.job_names}"
            )
        return self.definitions.get_job_def(name)

    def get_all_jobs(self) -> list[Any]:
        """Every job, sorted by name."""
        return [self.get_job(n) for n in sorted(self.job_names)]

    def has_implicit_global_asset_job_def(self) -> bool:
        """Whether there are assets to run (and so an implicit asset job)."""
        return bool(self.definitions.asset_graph.executable_keys)

    def get_implicit_global_asset_job_def(self) -> Any:
        """The job that materializes every asset."""
        return self.definitions.get_implicit_global_asset_job_def()

    @property
    def assets_defs_by_key(self) -> dict[Any, AssetsDefinition]:
        """Every asset definition (external ones included), by key."""
        return dict(self.definitions.asset_graph.def_by_key)

    @property
    def asset_checks_defs_by_key(self) -> dict[Any, AssetChecksDefinition]:
        """Every asset check definition, by check key."""
        return {
            spec.key: check
            for check in self.definitions.asset_graph.check_defs
            for spec in check.check_specs
        }

    @property
    def asset_graph(self) -> Any:
        """The graph of the repository's assets."""
        return self.definitions.asset_graph

    @property
    def schedule_defs(self) -> list[Any]:
        """Every schedule."""
        return list(self.definitions.schedules)

    @property
    def sensor_defs(self) -> list[Any]:
        """Every sensor by name, with ``default_automation_condition_sensor`` when assets
        with an automation condition are left to it."""
        return sorted(self.definitions.all_sensor_defs(), key=lambda s: str(s.name))

    def has_schedule_def(self, name: str) -> bool:
        """Whether there is a schedule called ``name``."""
        return any(s.name == name for s in self.definitions.schedules)

    def has_sensor_def(self, name: str) -> bool:
        """Whether there is a sensor called ``name``."""
        if any(s.name == name for s in self.definitions.sensors):
            return True
        return any(s.name == name for s in self.definitions.all_sensor_defs())

    def get_schedule_def(self, name: str) -> Any:
        """The schedule called ``name``."""
        return self.definitions.get_schedule_def(name)

    def get_sensor_def(self, name: str) -> Any:
        """The sensor called ``name``."""
        return self.definitions.get_sensor_def(name)

    def get_top_level_resources(self) -> dict[str, Any]:
        """The resources bound at the top level."""
        return dict(self.definitions.resources)

    def get_asset_value_loader(self, instance: Any = None) -> Any:
        """A loader of stored asset values (see ``Definitions.get_asset_value_loader``)."""
        return self.definitions.get_asset_value_loader(instance)

    def load_asset_value(
        self,
        asset_key: Any,
        *,
        python_type: type | None = None,
        instance: Any = None,
        partition_key: str | None = None,
        metadata: dict[str, Any] | None = None,
        resource_config: Any = None,
    ) -> object:
        """Load the stored value of one asset (see ``Definitions.load_asset_value``);
        ``resource_config``: resource key → config for the managers opened."""
        with self.get_asset_value_loader(instance) as loader:
            return loader.load_asset_value(
                asset_key,
                python_type=python_type,
                partition_key=partition_key,
                input_definition_metadata=metadata,
                resource_config=resource_config,
            )

    def __repr__(self) -> str:
        return f"<RepositoryDefinition {self.name!r}>"
