"""The orchestrator side: an asset that runs ``external_orders.py`` through Pipes.

``make demo-pipes`` materializes it with the CLI and prints the run's events.
"""

from __future__ import annotations

import sys
from pathlib import Path

import headwater as dg
from headwater.pipes import PipesSubprocessClient

HERE = Path(__file__).parent


@dg.asset(check_specs=[dg.AssetCheckSpec("amounts_positive", asset="orders")])
def orders(
    context: dg.AssetExecutionContext, pipes_subprocess_client: PipesSubprocessClient
) -> dg.MaterializeResult:
    """Orders, computed by an external script that reports rows, a total and a check."""
    return pipes_subprocess_client.run(
        command=[sys.executable, str(HERE / "external_orders.py")],
        context=context,
        extras={"region": "eu-west"},
    ).get_materialize_result()


defs = dg.Definitions(
    assets=[orders], resources={"pipes_subprocess_client": PipesSubprocessClient()}
)
