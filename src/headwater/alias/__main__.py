"""``python -m headwater.alias (-m module | -c code | script.py) args...``: run with the alias on.

Examples::

    python -m headwater.alias -m pytest tests/
    python -m headwater.alias my_dagster_script.py --flag
    python -m headwater.alias -c "import dagster; print(dagster.asset)"
"""

from __future__ import annotations

import runpy
import sys

from headwater.alias import install_alias
from headwater.errors import AliasConflictError

_USAGE = "usage: python -m headwater.alias (-m MODULE | -c CODE | SCRIPT) [ARGS...]"


def main(argv: list[str]) -> int:
    """Install the alias, then run ``argv`` as ``python`` would; return an exit status."""
    if not argv or argv[0] in ("-h", "--help") or (argv[0] in ("-m", "-c") and len(argv) < 2):
        print(_USAGE, file=sys.stderr)
        return 2
    try:
        install_alias()
    except AliasConflictError as exc:
        print(f"headwater.alias: {exc}", file=sys.stderr)
        return 1
    if argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    elif argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = list(argv)
        runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
