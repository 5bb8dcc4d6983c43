"""Code locations and their repositories: listing, reloading, shutting down."""

from __future__ import annotations

from typing import Any

from headwater.webserver.schema.modes import is_pipeline
from headwater.webserver.schema.registry import field, sdl, typed
from headwater.webserver.workspace import REPOSITORY_NAME, CodeLocation

__all__ = ["job_value", "location_value", "repository_value"]

sdl("""
interface SolidContainer { name: String! description: String }
interface IPipelineSnapshot { name: String! description: String }
type Pipeline implements SolidContainer & IPipelineSnapshot {
  id: ID!
  name: String!
  description: String
  isJob: Boolean!
  isAssetJob: Boolean!
  tags: [PipelineTag!]!
  solidNames: [String!]!
}
type Job implements SolidContainer & IPipelineSnapshot {
  id: ID!
  name: String!
  description: String
  isJob: Boolean!
  isAssetJob: Boolean!
  tags: [PipelineTag!]!
  solidNames: [String!]!
}

type Repository {
  id: ID!
  name: String!
  location: RepositoryLocation!
  pipelines: [Pipeline!]!
  jobs: [Job!]!
}
type RepositoryConnection { nodes: [Repository!]! }
type RepositoryNotFoundError implements Error {
  message: String! repositoryName: String! repositoryLocationName: String!
}
union RepositoriesOrError = RepositoryConnection | RepositoryNotFoundError | PythonError

type RepositoryLocation {
  id: ID!
  name: String!
  isReloadSupported: Boolean!
  environmentPath: String
  repositories: [Repository!]!
  serverId: String
}
union RepositoryLocationOrLoadError = RepositoryLocation | PythonError
enum RepositoryLocationLoadStatus { LOADING LOADED }
type WorkspaceLocationEntry {
  id: ID!
  name: String!
  locationOrLoadError: RepositoryLocationOrLoadError
  loadStatus: RepositoryLocationLoadStatus!
  updatedTimestamp: Float!
}
type Workspace { id: String! locationEntries: [WorkspaceLocationEntry!]! }
union WorkspaceOrError = Workspace | PythonError

type ReloadNotSupported implements Error { message: String! }
type RepositoryLocationNotFound implements Error { message: String! }
union ReloadRepositoryLocationMutationResult =
  WorkspaceLocationEntry | ReloadNotSupported | RepositoryLocationNotFound
  | UnauthorizedError | PythonError
type ShutdownRepositoryLocationSuccess { repositoryLocationName: String! }
union ShutdownRepositoryLocationMutationResult =
  ShutdownRepositoryLocationSuccess | RepositoryLocationNotFound | UnauthorizedError | PythonError
union ReloadWorkspaceMutationResult = Workspace | UnauthorizedError | PythonError

extend type Query {
  repositoriesOrError(repositorySelector: RepositorySelector): RepositoriesOrError!
  workspaceOrError: WorkspaceOrError!
}
extend type Mutation {
  reloadRepositoryLocation(repositoryLocationName: String!): ReloadRepositoryLocationMutationResult!
  shutdownRepositoryLocation(
    repositoryLocationName: String!
  ): ShutdownRepositoryLocationMutationResult!
  reloadWorkspace: ReloadWorkspaceMutationResult!
}
""")


def job_value(type_name: str, job: Any) -> dict[str, Any]:
    graph = getattr(job, "graph", None)
    nodes = getattr(graph, "nodes", None) or getattr(job, "solids", None) or ()
    names = [getattr(n, "name", str(n)) for n in nodes]
    return typed(
        type_name,
        id=job.name,
        name=job.name,
        description=getattr(job, "description", None),
        # Only a legacy pipeline (declared with modes) is not a job, whichever type lists it.
        isJob=not is_pipeline(job),
        isAssetJob=bool(getattr(job, "asset_layer", None)),
        tags=[{"key": k, "value": str(v)} for k, v in (getattr(job, "tags", None) or {}).items()],
        solidNames=names,
        # The definition itself, for the fields resolved from it (modes, solids, partitions).
        _job=job,
    )


def repository_value(location: CodeLocation, location_ref: dict[str, Any]) -> dict[str, Any]:
    jobs = sorted(location.jobs.values(), key=lambda j: j.name)
    return typed(
        "Repository",
        id=f"{REPOSITORY_NAME}@{location.name}",
        name=REPOSITORY_NAME,
        location=location_ref,
        pipelines=[job_value("Pipeline", j) for j in jobs],
        jobs=[job_value("Job", j) for j in jobs],
        _location=location,
    )


def location_value(location: CodeLocation) -> dict[str, Any]:
    ref = typed(
        "RepositoryLocation",
        id=location.name,
        name=location.name,
        isReloadSupported=True,
        environmentPath=None,
        serverId=None,
    )
    ref["repositories"] = [] if location.code is None else [repository_value(location, ref)]
    return ref


def _entry(location: CodeLocation) -> dict[str, Any]:
    if location.error is not None:
        loaded: dict[str, Any] | None = typed(
            "PythonError",
            message=location.error,
            className="CodeLoadError",
            stack=[],
            cause=None,
            causes=[],
        )
    else:
        loaded = None if location.shut_down else location_value(location)
    return typed(
        "WorkspaceLocationEntry",
        id=location.name,
        name=location.name,
        locationOrLoadError=loaded,
        loadStatus="LOADED",
        updatedTimestamp=location.load_time,
    )


def _workspace(info: Any) -> dict[str, Any]:
    entries = [_entry(loc) for loc in info.context.workspace.locations.values()]
    return typed("Workspace", id="Workspace", locationEntries=entries)


@field("Query", "repositoriesOrError")
def _repositories(
    _: Any, info: Any, repositorySelector: dict[str, Any] | None = None
) -> dict[str, Any]:
    nodes = []
    for location in info.context.workspace.locations.values():
        if location.code is None or location.shut_down:
            continue
        if repositorySelector and repositorySelector["repositoryLocationName"] != location.name:
            continue
        nodes.extend(location_value(location)["repositories"])
    if repositorySelector and not nodes:
        return typed(
            "RepositoryNotFoundError",
            message=f"Could not find a repository in code location "
            f"{repositorySelector['repositoryLocationName']!r}",
            repositoryName=repositorySelector["repositoryName"],
            repositoryLocationName=repositorySelector["repositoryLocationName"],
        )
    return typed("RepositoryConnection", nodes=nodes)


@field("Query", "workspaceOrError")
def _workspace_or_error(_: Any, info: Any) -> dict[str, Any]:
    return _workspace(info)


def _not_found(name: str) -> dict[str, Any]:
    return typed("RepositoryLocationNotFound", message=f"Location {name} does not exist.")


@field("Mutation", "reloadRepositoryLocation")
def _reload(_: Any, info: Any, repositoryLocationName: str) -> dict[str, Any]:
    location = info.context.workspace.reload(repositoryLocationName)
    return _not_found(repositoryLocationName) if location is None else _entry(location)


@field("Mutation", "shutdownRepositoryLocation")
def _shutdown(_: Any, info: Any, repositoryLocationName: str) -> dict[str, Any]:
    location = info.context.workspace.get(repositoryLocationName)
    if location is None:
        return _not_found(repositoryLocationName)
    # The code runs in the server's process: shutting it down drops it until the next reload.
    location.shut_down = True
    return typed("ShutdownRepositoryLocationSuccess", repositoryLocationName=location.name)


@field("Mutation", "reloadWorkspace")
def _reload_workspace(_: Any, info: Any) -> dict[str, Any]:
    info.context.workspace.reload_all()
    return _workspace(info)
