"""One job as the job page and the Launchpad read it: its ops and how they connect, and its
modes (its partitions are in ``partitions.py``, its presets in ``modes.py``)."""

from __future__ import annotations

from typing import Any

from headwater.webserver.schema.modes import modes_of
from headwater.webserver.schema.registry import field, sdl, typed

__all__: list[str] = []

sdl("""
type Mode { id: String! name: String! description: String }
type SolidDefinition { name: String! description: String }
type InputDefinition { name: String! }
type OutputDefinition { name: String! }
type Output { solid: Solid! definition: OutputDefinition! }
type Input { solid: Solid! definition: InputDefinition! dependsOn: [Output!]! }
type Solid {
  name: String!
  definition: SolidDefinition!
  inputs: [Input!]!
  outputs: [Output!]!
}

extend type Pipeline {
  modes: [Mode!]!
  solids: [Solid!]!
}
union PipelineOrError = Pipeline | PipelineNotFoundError | InvalidSubsetError | PythonError

extend type Query {
  "One job (or legacy pipeline) with its ops, modes and partitions."
  pipelineOrError(params: PipelineSelector!): PipelineOrError!
}
""")


@field("Query", "pipelineOrError")
def _pipeline(_: Any, info: Any, params: dict[str, Any]) -> dict[str, Any]:
    from headwater.webserver.schema.config import pipeline_not_found
    from headwater.webserver.schema.workspace import job_value

    try:
        _location, job = info.context.workspace.find_job(
            params["pipelineName"], params.get("repositoryLocationName")
        )
    except KeyError as exc:
        return pipeline_not_found(params, str(exc.args[0]))
    selection = params.get("solidSelection")
    unknown = sorted(set(selection or ()) - set(_graph_of(job).nodes))
    if unknown:
        return typed(
            "InvalidSubsetError",
            message=f"solidSelection names ops that job {job.name!r} does not have: {unknown}",
        )
    return job_value("Pipeline", job)


def _graph_of(job: Any) -> Any:
    return job.graph


@field("Pipeline", "modes")
def _modes(parent: dict[str, Any], _info: Any) -> list[dict[str, Any]]:
    return modes_of(parent["_job"])


def _sources(source: Any) -> list[Any]:
    return list(source) if isinstance(source, tuple) else [source]


@field("Pipeline", "solids")
def _solids(parent: dict[str, Any], _info: Any) -> list[dict[str, Any]]:
    nodes = _graph_of(parent["_job"]).nodes
    solids: dict[str, dict[str, Any]] = {}
    for node in nodes.values():
        definition = node.definition
        outs = getattr(definition, "outs", None) or getattr(definition, "output_defs", {})
        solid: dict[str, Any] = {
            "name": node.name,
            "definition": {"name": definition.name, "description": definition.description},
            "inputs": [],
        }
        solid["outputs"] = [{"solid": solid, "definition": {"name": n}} for n in outs]
        solids[node.name] = solid
    for node in nodes.values():
        definition = node.definition
        ins = getattr(definition, "ins", None) or getattr(definition, "input_defs", {})
        solid = solids[node.name]
        for name in ins:
            upstream = []
            # Graph inputs of the top level have no upstream op; fan-ins have several.
            for source in _sources(node.inputs.get(name, ())):
                owner = solids.get(getattr(source, "node_name", ""))
                if owner is None:
                    continue
                for output in owner["outputs"]:
                    if output["definition"]["name"] == source.output_name:
                        upstream.append(output)
            solid["inputs"].append(
                {"solid": solid, "definition": {"name": name}, "dependsOn": upstream}
            )
    return list(solids.values())
