"""Dagster names outside headwater's concepts: they import, and raise when used.

Ported code often imports a name it never reaches at run time (a components import in a
shared module, a step launcher kept for one legacy job). So that such code loads, the root
resolves each name below to a placeholder class; calling it, subclassing it or reading an
attribute of it raises ``UnsupportedFeatureError`` naming the feature. One mechanism, one
table: adding a name is adding it to ``FEATURES``.
"""

from __future__ import annotations

from typing import Any, NoReturn, cast

from headwater.errors import UnsupportedFeatureError

__all__ = ["FEATURES", "Unsupported", "placeholder"]

# feature (as the message names it) -> (what to do instead, the reference's root names)
FEATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Dagster's YAML components system": (
        "define assets, jobs and resources in Python and collect them with Definitions",
        (
            "AssetAttributesModel",
            "Component",
            "ComponentFormConfig",
            "ComponentLoadContext",
            "ComponentTree",
            "ComponentTypeSpec",
            "DefinitionsComponent",
            "DefsFolderComponent",
            "FunctionComponent",
            "Injected",
            "Model",
            "PythonScriptComponent",
            "ResolutionContext",
            "Resolvable",
            "ResolvedAssetCheckSpec",
            "ResolvedAssetKey",
            "ResolvedAssetSpec",
            "Resolver",
            "ScaffoldRequest",
            "Scaffolder",
            "SqlComponent",
            "StateBackedComponent",
            "TemplatedSqlComponent",
            "UvRunComponent",
            "build_component_defs",
            "build_defs_for_component",
            "component_defs",
            "component_instance",
            "get_all_components_defs_within_project",
            "get_component_defs_within_project",
            "scaffold_component",
            "scaffold_with",
            "template_var",
        ),
    ),
    "Dagster's deployment services (run queue, run launchers, GraphQL selectors)": (
        "headwater runs are launched by its executors and the `headwater` command",
        (
            "CodeLocationSelector",
            "DefaultRunLauncher",
            "JobSelector",
            "QueuedRunCoordinator",
            "RepositorySelector",
            "SubmitRunContext",
            "UPathDefsStateStorage",
        ),
    ),
    "Dagster's step launchers (superseded there by Pipes)": (
        "run external work through Pipes (PipesSubprocessClient, open_pipes_session)",
        (
            "StepLauncher",
            "StepRunRef",
            "external_instance_from_step_run_ref",
            "run_step_from_ref",
            "step_context_to_step_run_ref",
            "step_run_ref_to_step_context",
        ),
    ),
    "Dagster's serialization format (serdes)": (
        "store JSON, or pickle values through an IO manager",
        ("deserialize_value", "serialize_value"),
    ),
    "Dagster's file managers": (
        "pass paths between ops, or use an IO manager",
        ("FileHandle", "LocalFileHandle", "local_file_manager"),
    ),
    "Dagster's universal-pathlib IO storage migration": (
        "materialize the assets again under the new IO manager",
        ("MigrateIOStorageResult", "migrate_io_storage"),
    ),
    "Dagster's e-mail alerting": (
        "write a run_failure_sensor that sends the message",
        ("make_email_on_run_failure_sensor",),
    ),
}

_FEATURE_OF: dict[str, tuple[str, str]] = {
    name: (feature, hint) for feature, (hint, names) in FEATURES.items() for name in names
}


class _UnsupportedMeta(type):
    """Every use of a placeholder class raises; only its identity and name remain."""

    _feature: str
    _hint: str

    def _refuse(cls) -> NoReturn:
        raise UnsupportedFeatureError(cls.__name__, cls._feature, cls._hint)

    def __call__(cls, *args: Any, **kwargs: Any) -> NoReturn:
        cls._refuse()

    def __getattr__(cls, name: str) -> NoReturn:
        if name.startswith("__"):  # introspection (copy, pickle, typing) asks for dunders
            raise AttributeError(name)
        cls._refuse()

    def __getitem__(cls, item: Any) -> NoReturn:
        cls._refuse()


class Unsupported(metaclass=_UnsupportedMeta):
    """Base of the placeholder classes; subclassing one raises (a subclass is a use)."""

    _feature = ""
    _hint = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "_placeholder" not in cls.__dict__:
            raise UnsupportedFeatureError(cls.__mro__[1].__name__, cls._feature, cls._hint)
        super().__init_subclass__(**kwargs)


_MADE: dict[str, type[Unsupported]] = {}


def placeholder(name: str) -> type[Unsupported] | None:
    """The placeholder for Dagster root name ``name``, or ``None`` when it is not listed."""
    made = _MADE.get(name)
    if made is not None:
        return made
    entry = _FEATURE_OF.get(name)
    if entry is None:
        return None
    feature, hint = entry
    attrs = {
        "_placeholder": True,
        "_feature": feature,
        "_hint": hint,
        "__module__": "headwater",
        "__doc__": f"Not supported by headwater: part of {feature}.",
    }
    made = cast("type[Unsupported]", _UnsupportedMeta(name, (Unsupported,), attrs))
    _MADE[name] = made
    return made
