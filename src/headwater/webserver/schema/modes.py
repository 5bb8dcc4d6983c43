"""Modes and presets of legacy pipelines.

A legacy pipeline declares modes (named sets of resources) and presets (a saved run config
with its mode, op selection and tags); each mode runs as its own job. A job has the one
mode ``default`` and no presets. Every operation that takes a ``mode`` picks the job here.
"""

from __future__ import annotations

from typing import Any

import yaml

from headwater.webserver.schema.registry import field, sdl, typed

__all__ = ["is_pipeline", "job_in_mode", "modes_of", "preset_of"]

DEFAULT_MODE = "default"

sdl("""
"A saved launch of a legacy pipeline: its run config, mode, op selection and tags."
type PipelinePreset {
  name: String!
  solidSelection: [String!]
  runConfigYaml: String!
  mode: String!
  tags: [PipelineTag!]!
}
extend type Pipeline { presets: [PipelinePreset!]! }
""")


def is_pipeline(job: Any) -> bool:
    """Whether ``job`` is a legacy pipeline (with modes) rather than a job."""
    return hasattr(job, "mode_definitions")


def modes_of(job: Any) -> list[dict[str, Any]]:
    """The modes of a job or legacy pipeline, as ``Mode`` values."""
    if not is_pipeline(job):
        return [{"id": f"{job.name}-{DEFAULT_MODE}", "name": DEFAULT_MODE, "description": None}]
    return [
        {"id": f"{job.name}-{m.name}", "name": m.name, "description": m.description}
        for m in job.mode_definitions
    ]


def job_in_mode(job: Any, mode: str | None) -> Any:
    """The job that runs ``job`` in ``mode``, or the typed error refusing the mode:
    ``ModeNotFoundError`` for a mode it lacks, ``NoModeProvidedError`` when a pipeline of
    several modes is given none. A job runs in ``default`` (or with no mode given)."""
    names = [m["name"] for m in modes_of(job)]
    if mode is None and len(names) > 1:
        return typed(
            "NoModeProvidedError",
            pipelineName=job.name,
            message=f"pipeline {job.name!r} has modes {names}; choose one with mode",
        )
    if mode is not None and mode not in names:
        return typed(
            "ModeNotFoundError",
            mode=mode,
            message=f"Mode {mode} not found in pipeline {job.name}: its modes are {names}",
        )
    return job.get_job(mode) if is_pipeline(job) else job


def _preset_value(preset: Any) -> dict[str, Any]:
    config = preset.run_config or {}
    return {
        "name": preset.name,
        "solidSelection": preset.solid_selection,
        "runConfigYaml": yaml.safe_dump(config, sort_keys=False) if config else "",
        "mode": preset.mode,
        "tags": [{"key": k, "value": str(v)} for k, v in preset.tags.items()],
    }


def preset_of(job: Any, name: str) -> Any:
    """The preset ``name`` of a pipeline (``None`` when it has none of that name)."""
    for preset in getattr(job, "preset_defs", None) or ():
        if preset.name == name:
            return preset
    return None


@field("Pipeline", "presets")
def _presets(parent: dict[str, Any], _info: Any) -> list[dict[str, Any]]:
    return [_preset_value(p) for p in getattr(parent["_job"], "preset_defs", None) or ()]
