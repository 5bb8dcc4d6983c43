"""Render the pictures in docs/images/ from their sources.

    .venv/bin/python scripts/render_diagrams.py

- The example asset graphs are drawn from the examples' own ``Definitions``, so they
  cannot drift from the code: ``docs/diagrams/<example>-assets.dot`` is written first.
- Every ``docs/diagrams/*.dot`` (the generated ones and the hand-written design pictures)
  is rendered to ``docs/images/<name>.svg`` with Graphviz's ``dot`` (Debian: graphviz).

Only people changing a picture need Graphviz; the SVGs are committed.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DIAGRAMS = ROOT / "docs" / "diagrams"
IMAGES = ROOT / "docs" / "images"
EXAMPLES = {"weather": ROOT / "examples" / "weather" / "definitions.py"}

_STYLE = """\
  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.3, ranksep=0.5];
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11,
        fillcolor="#e8f1fb", color="#3b6ea5"];
  edge [color="#555555", arrowsize=0.7];
"""


def _load_defs(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"example_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module.defs


def asset_graph_dot(defs: Any, title: str) -> str:
    """A Graphviz picture of a location's assets, grouped by group, checks attached."""
    graph = defs.resolve_asset_graph()
    lines = [f'digraph "{title}" {{', _STYLE]
    by_group: dict[str, list[Any]] = {}
    for key in sorted(graph.all_keys, key=lambda k: k.to_user_string()):
        by_group.setdefault(graph.group_of(key), []).append(key)
    for i, (group, keys) in enumerate(sorted(by_group.items())):
        lines.append(f'  subgraph cluster_{i} {{ label="group: {group}"; style=dashed;')
        for key in keys:
            name = key.to_user_string()
            definition = graph.def_by_key[key]
            label = name
            if definition.partitions_def is not None:
                kind = type(definition.partitions_def).__name__.removesuffix("PartitionsDefinition")
                label += f"\\n{kind.lower()} partitions"
            fill = (
                ', fillcolor="#f2f2f2", style="rounded,dashed,filled"'
                if (definition.is_external)
                else ""
            )
            lines.append(f'    "{name}" [label="{label}"{fill}];')
        lines.append("  }")
    for key, ups in sorted(graph.upstream.items(), key=lambda kv: kv[0].to_user_string()):
        for up in sorted(ups, key=lambda k: k.to_user_string()):
            lines.append(f'  "{up.to_user_string()}" -> "{key.to_user_string()}";')
    owners = [*graph.check_defs, *{id(d): d for d in graph.def_by_key.values()}.values()]
    specs = {(s.asset_key, s.name): s for o in owners for s in getattr(o, "check_specs", ())}
    for spec in specs.values():
        node = f"check:{spec.name}"
        lines.append(
            f'  "{node}" [label="check {spec.name}", shape=note, fillcolor="#fdf3e1", '
            'color="#b7791f"];'
        )
        lines.append(f'  "{spec.asset_key.to_user_string()}" -> "{node}" [style=dotted];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    for name, path in EXAMPLES.items():
        (DIAGRAMS / f"{name}-assets.dot").write_text(asset_graph_dot(_load_defs(path), name))
    dot = shutil.which("dot")
    if dot is None:
        print("Graphviz's `dot` is missing (apt-get install graphviz)", file=sys.stderr)
        return 1
    IMAGES.mkdir(exist_ok=True)
    for source in sorted(DIAGRAMS.glob("*.dot")):
        target = IMAGES / f"{source.stem}.svg"
        subprocess.run([dot, "-Tsvg", str(source), "-o", str(target)], check=True)
        print(f"rendered {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
