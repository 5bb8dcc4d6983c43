"""Run a public Dagster project's test suite unchanged under real Dagster and under headwater.

The project comes from a fetched checkout (a bare git directory or a work tree); its files
are exported to a temporary folder and never copied into this repository. The suite runs
twice with pytest: once with ``--real-python`` (a venv holding real Dagster and the
project's other dependencies) and once with ``--headwater-python`` through the Dagster alias
(``python -m headwater.alias -m pytest``; that venv holds headwater's dependencies and the
project's non-Dagster ones, installed with ``--no-deps`` care so real Dagster is absent).

    python scripts/run_project_suite.py --checkout /path/to/repo --subdir libs/dagster-foo \\
        --tests dagster_foo_tests --real-python ENV/real/bin/python \\
        --headwater-python ENV/hw/bin/python [-- extra pytest args]

Prints one Markdown table row per interpreter (passed / failed / errors / skipped), the
form docs/alias.md records them in; ``--junit-dir`` keeps the JUnit XML reports.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Counts:
    """One suite run's outcome, read from its JUnit report."""

    passed: int
    failed: int
    errors: int
    skipped: int

    def row(self, project: str, under: str) -> str:
        """The Markdown table row docs/alias.md records."""
        return (
            f"| {project} | {under} | {self.passed} | {self.failed} | {self.errors} "
            f"| {self.skipped} |"
        )


def export_checkout(checkout: Path, subdir: str, into: Path) -> Path:
    """Write the checkout's files (HEAD of a git dir, or the work tree) under ``into``."""
    if (checkout / "HEAD").is_file() and (checkout / "objects").is_dir():  # a bare git dir
        archive = subprocess.run(
            ["git", "--git-dir", str(checkout), "archive", "HEAD", subdir or "."],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
        return into / subdir if subdir else into
    return (checkout / subdir) if subdir else checkout


def read_counts(report: Path) -> Counts:
    """Sum the JUnit report's test suites; a missing report (pytest crashed) counts 0."""
    if not report.exists():
        return Counts(0, 0, 1, 0)
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = failed = errors = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return Counts(total - failed - errors - skipped, failed, errors, skipped)


def run_suite(
    python: str,
    project: Path,
    tests: list[str],
    pytest_args: list[str],
    report: Path,
    *,
    alias: bool,
    headwater: Path = REPO,
) -> Counts:
    """Run pytest on ``tests`` inside ``project`` with ``python``; return its counts."""
    env = dict(os.environ)
    paths = [str(project / "src"), str(project)]
    if alias:
        paths = [str(headwater / "src"), str(headwater / "headwater-pipes" / "src"), *paths]
        env.pop("HEADWATER_DAGSTER_ALIAS", None)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["DAGSTER_HOME"] = tempfile.mkdtemp(prefix="dagster-home-")
    env["HEADWATER_HOME"] = env["DAGSTER_HOME"]
    launcher = ["-m", "headwater.alias"] if alias else []
    command = [
        python,
        *launcher,
        "-m",
        "pytest",
        *tests,
        "-q",
        "-p",
        "no:cacheprovider",
        # A module that fails to import is counted as an error and the rest still run.
        "--continue-on-collection-errors",
        f"--junitxml={report}",
        *pytest_args,
    ]
    log = report.with_suffix(".log")
    with log.open("w", encoding="utf-8") as out:
        subprocess.run(
            command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    return read_counts(report)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, required=True)
    parser.add_argument("--subdir", default="", help="the project's folder in the checkout")
    parser.add_argument("--tests", nargs="+", default=["tests"])
    parser.add_argument("--name", help="the project's name in the table")
    parser.add_argument("--real-python", required=True)
    parser.add_argument("--headwater-python", required=True)
    parser.add_argument(
        "--headwater-checkout",
        type=Path,
        default=REPO,
        help="the headwater work tree to run (default: this one)",
    )
    parser.add_argument("--only", choices=["dagster", "headwater"], help="run one side only")
    parser.add_argument("--junit-dir", type=Path, help="keep the JUnit reports and logs here")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    # pytest runs inside the exported project: a relative interpreter path would not resolve
    # there (abspath, not resolve: a venv's python is a symlink that must stay one).
    args.real_python = os.path.abspath(args.real_python)
    args.headwater_python = os.path.abspath(args.headwater_python)
    name = args.name or args.subdir.rstrip("/").split("/")[-1] or args.checkout.name
    with tempfile.TemporaryDirectory(prefix="project-suite-") as scratch:
        project = export_checkout(args.checkout.resolve(), args.subdir, Path(scratch))
        reports = args.junit_dir or Path(scratch)
        reports.mkdir(parents=True, exist_ok=True)
        for under, python, alias in (
            ("Dagster 1.13", args.real_python, False),
            ("headwater (alias)", args.headwater_python, True),
        ):
            slug = "headwater" if alias else "dagster"
            if args.only and args.only != slug:
                continue
            report = reports / f"{name}-{slug}.xml"
            counts = run_suite(
                python,
                project,
                args.tests,
                args.pytest_args,
                report,
                alias=alias,
                headwater=args.headwater_checkout,
            )
            print(counts.row(name, under), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
