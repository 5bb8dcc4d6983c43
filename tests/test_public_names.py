"""The public names are a promise: removing one fails here, on purpose or not.

``tests/public_names.txt`` lists every name of ``headwater.__all__`` and of
``headwater.compat.__all__`` (the Dagster spellings), one ``module.name`` a line, sorted.

After adding a public name, record it:

    PYTHONPATH=src:headwater-pipes/src .venv/bin/python tests/test_public_names.py --write

Removing a name breaks the code of everyone who imports it. To remove one on purpose, say
so by name (the commit should say why, and the changelog what replaces it):

    PYTHONPATH=src:headwater-pipes/src .venv/bin/python tests/test_public_names.py --write \\
        --remove headwater.OldName
"""

from __future__ import annotations

import argparse
from pathlib import Path

import headwater
import headwater.compat

SNAPSHOT = Path(__file__).with_name("public_names.txt")
COMMAND = "PYTHONPATH=src:headwater-pipes/src .venv/bin/python tests/test_public_names.py --write"


def current_names() -> set[str]:
    """Every public name today, as ``module.name``."""
    return {f"headwater.{n}" for n in headwater.__all__} | {
        f"headwater.compat.{n}" for n in headwater.compat.__all__
    }


def recorded_names(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


def snapshot_problems(recorded: set[str], current: set[str]) -> list[str]:
    """What differs between the snapshot and the code, each with how to settle it."""
    problems = [
        f"{name} was removed from the public API; if that is on purpose, run "
        f"`{COMMAND} --remove {name}`"
        for name in sorted(recorded - current)
    ]
    added = sorted(current - recorded)
    if added:
        problems.append(
            f"new public name(s) {', '.join(added)} not in {SNAPSHOT.name}; run `{COMMAND}`"
        )
    return problems


def test_no_public_name_is_removed_or_unrecorded() -> None:
    problems = snapshot_problems(recorded_names(SNAPSHOT.read_text()), current_names())
    assert not problems, "\n".join(problems)


def test_a_removed_name_says_how_to_remove_it_on_purpose() -> None:
    problems = snapshot_problems({"headwater.asset", "headwater.Gone"}, {"headwater.asset"})
    assert problems == [
        f"headwater.Gone was removed from the public API; if that is on purpose, run "
        f"`{COMMAND} --remove headwater.Gone`"
    ]


def test_an_added_name_says_how_to_record_it() -> None:
    problems = snapshot_problems({"headwater.asset"}, {"headwater.asset", "headwater.New"})
    assert problems == [
        f"new public name(s) headwater.New not in public_names.txt; run `{COMMAND}`"
    ]


def write(removals: list[str]) -> int:
    """Record the current names; a removal must be named, so none happens by accident."""
    recorded = recorded_names(SNAPSHOT.read_text()) if SNAPSHOT.exists() else set()
    current = current_names()
    unasked = sorted(recorded - current - set(removals))
    if unasked:
        print("not written: these names are gone from the code; pass --remove for each one")
        print("\n".join(f"  {name}" for name in unasked))
        return 1
    SNAPSHOT.write_text("".join(f"{name}\n" for name in sorted(current)))
    print(f"wrote {len(current)} names to {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", required=True)
    parser.add_argument("--remove", action="append", default=[], metavar="MODULE.NAME")
    raise SystemExit(write(parser.parse_args().remove))
