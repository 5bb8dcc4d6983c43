"""dagster_pipes names headwater_pipes does not implement: they import, and raise when used.

A script written for dagster_pipes may import a cloud loader or writer it never uses on
this path; so that it loads, each name below is a placeholder class whose construction
(or subclassing) raises ``PipesUnsupportedError`` naming the feature and what to use.
"""

from __future__ import annotations

# typing's flag without importing typing (see protocol); type checkers read the name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FEATURES", "PipesUnsupportedError", "placeholder"]

# feature -> (what to use instead, the dagster_pipes names)
FEATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "dagster_pipes' Azure Blob Storage, GCS and Unity Catalog loaders and writers": (
        "use the S3 or DBFS loaders and writers, or the default (file/env) ones",
        (
            "PipesAzureBlobStorageContextLoader",
            "PipesAzureBlobStorageMessageWriter",
            "PipesAzureBlobStorageMessageWriterChannel",
            "PipesGCSContextLoader",
            "PipesGCSMessageWriter",
            "PipesGCSMessageWriterChannel",
            "PipesUnityCatalogVolumesContextLoader",
            "PipesUnityCatalogVolumesMessageWriter",
        ),
    ),
    "dagster_pipes' Databricks notebook widgets and Prefect log writers": (
        "pass the params as environment variables or CLI arguments (PipesEnvVarParamsLoader, "
        "PipesCliArgsParamsLoader) and write messages with the default writer",
        (
            "PipesDatabricksNotebookWidgetsParamsLoader",
            "PipesPrefectLogsMessageWriter",
            "PipesPrefectLogsMessageWriterChannel",
        ),
    ),
    "dagster_pipes' log writers (stdout/stderr captured into log files for a blob store)": (
        "send the process's output with include_stdio_in_messages=True on the orchestrator's "
        "message reader",
        (
            "PipesDefaultLogWriter",
            "PipesDefaultLogWriterChannel",
            "PipesLogWriter",
            "PipesLogWriterChannel",
            "PipesLogWriterOpenedData",
            "PipesStdioFileLogWriter",
            "PipesStdioFileLogWriterChannel",
            "PipesStdioLogWriter",
            "PipesStdioLogWriterChannel",
        ),
    ),
}


class PipesUnsupportedError(NotImplementedError):
    """A dagster_pipes name that headwater_pipes imports but does not implement was used."""

    def __init__(self, name: str, feature: str, instead: str) -> None:
        self.name = name
        self.feature = feature
        super().__init__(
            f"`{name}` is part of {feature}, which headwater_pipes does not support: the name "
            f"imports so that code loads, but it cannot be used; {instead}"
        )


_BY_NAME = {
    name: (feature, instead) for feature, (instead, names) in FEATURES.items() for name in names
}
_MADE: dict[str, type] = {}


def placeholder(name: str) -> type | None:
    """The placeholder class for an unsupported dagster_pipes name, or None."""
    if name not in _BY_NAME:
        return None
    if name not in _MADE:
        feature, instead = _BY_NAME[name]

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise PipesUnsupportedError(name, feature, instead)

        _MADE[name] = type(
            name,
            (),
            {
                "__new__": refuse,
                "__init_subclass__": classmethod(refuse),
                "__doc__": f"Not supported by headwater_pipes: part of {feature}.",
                "unsupported_feature": feature,
                "__module__": "headwater_pipes",
            },
        )
    return _MADE[name]
