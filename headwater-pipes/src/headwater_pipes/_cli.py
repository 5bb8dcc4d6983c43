"""dagster_pipes' argparse parser for the two Pipes arguments.

Its own module so that argparse (and the shutil, gettext and locale it loads, ~3 ms) is paid
only by the scripts that ask for ``DAGSTER_PIPES_CLI_PARSER`` (issue 10).
"""

from __future__ import annotations

import argparse

from headwater_pipes.protocol import (
    DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT,
    DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT,
)

__all__ = ["DAGSTER_PIPES_CLI_PARSER"]

# The two Pipes arguments as an argparse parser, for scripts that parse their own arguments
# (``parse_known_args`` leaves theirs); PipesCliArgsParamsLoader reads sys.argv directly.
DAGSTER_PIPES_CLI_PARSER = argparse.ArgumentParser(description="Dagster Pipes CLI interface")
DAGSTER_PIPES_CLI_PARSER.add_argument(
    DAGSTER_PIPES_CONTEXT_CLI_ARGUMENT, type=str, help="the Pipes context params (encoded)"
)
DAGSTER_PIPES_CLI_PARSER.add_argument(
    DAGSTER_PIPES_MESSAGES_CLI_ARGUMENT, type=str, help="the Pipes messages params (encoded)"
)
