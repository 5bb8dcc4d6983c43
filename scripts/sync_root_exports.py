"""Rewrite the ``TYPE_CHECKING`` block of ``headwater/__init__.py`` from its export table.

The root resolves names lazily from ``_EXPORTS``; type checkers need the same names as
explicit imports. Run after adding a name to the table, then let ruff order the names:
``.venv/bin/python scripts/sync_root_exports.py``, then
``.venv/bin/ruff check --fix -q src/headwater/__init__.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "headwater" / "__init__.py"
MARKER = "if typing.TYPE_CHECKING:"


def main() -> None:
    text = ROOT.read_text()
    head, _, _ = text.partition(MARKER)
    exports: dict[str, list[str]] = {}
    for block in re.finditer(r'_export\(\s*"([\w.]+)",(.*?)\)', head, re.S):
        names = re.findall(r'"(\w+)"', block.group(2))
        exports.setdefault(block.group(1), []).extend(names)
    lines = [MARKER + "  # the same names, for type checkers (scripts/sync_root_exports.py)"]
    for module in sorted(exports):
        lines.append(f"    from {module} import (")
        lines += [f"        {name} as {name}," for name in sorted(exports[module])]
        lines.append("    )")
    ROOT.write_text(head + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
