"""The GraphQL documents the web UI sends, read from ``ui/src/lib/queries.js``.

The UI keeps every query in that one file as ``export const NAME = `...`;`` template strings,
composed with ``${OTHER}``; this reads them without Node so that Python tests can validate
each against the server's schema.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["QUERIES_JS", "ui_documents"]

QUERIES_JS = Path(__file__).resolve().parents[2] / "ui" / "src" / "lib" / "queries.js"

_CONST = re.compile(r"(?:export\s+)?const\s+([A-Z_]+)\s*=\s*`([^`]*)`;", re.S)
_SUBST = re.compile(r"\$\{([A-Z_]+)\}")


def ui_documents() -> dict[str, str]:
    """Every exported document by its constant's name, fragments substituted."""
    text = QUERIES_JS.read_text(encoding="utf-8")
    consts = {m.group(1): m.group(2) for m in _CONST.finditer(text)}
    exported = set(re.findall(r"export\s+const\s+([A-Z_]+)", text))

    def expand(body: str, depth: int = 0) -> str:
        if depth > 5:
            raise ValueError("queries.js: ${...} nested too deep (a cycle?)")
        return _SUBST.sub(lambda m: expand(consts[m.group(1)], depth + 1), body)

    return {name: expand(consts[name]) for name in sorted(exported)}
