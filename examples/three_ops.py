"""Three ops in a line: the job `headwater job execute` is timed with (benchmarks/cli_execute.py).

headwater job execute -f examples/three_ops.py -j three_ops
"""

from __future__ import annotations

import headwater as dg


@dg.op(config_schema={"count": dg.Field(int, default_value=10, description="How many numbers.")})
def numbers(context: dg.OpExecutionContext) -> list[int]:
    """The numbers 1..count."""
    return list(range(1, context.op_config["count"] + 1))


@dg.op
def squares(values: list[int]) -> list[int]:
    """Each number squared."""
    return [v * v for v in values]


@dg.op
def total(context: dg.OpExecutionContext, values: list[int]) -> int:
    """Their sum, logged."""
    result = sum(values)
    context.log.info("sum of squares: %d", result)
    return result


@dg.job
def three_ops() -> None:
    """Sum the squares of the first few numbers."""
    total(squares(numbers()))
