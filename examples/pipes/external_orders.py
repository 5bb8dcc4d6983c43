"""The external side: a plain Python script that reports to headwater through Pipes.

It could run anywhere (another interpreter, a container); it needs only ``headwater_pipes``
(standard library only). Run on its own it warns and carries on with a stand-in context.
"""

from __future__ import annotations

import csv
import hashlib
import io

from headwater_pipes import open_pipes

ORDERS = """order_id,amount
1,19.90
2,5.00
3,42.10
"""

with open_pipes() as pipes:
    pipes.log.info(f"computing {pipes.asset_key} (trace {pipes.traceparent})")
    rows = list(csv.DictReader(io.StringIO(ORDERS)))
    total = sum(float(r["amount"]) for r in rows)
    pipes.log.info(f"read {len(rows)} orders worth {total:.2f}")
    pipes.report_asset_materialization(
        metadata={
            "rows": len(rows),
            "total": total,
            "source": {"raw_value": "inline CSV", "type": "text"},
            "region": pipes.get_extra("region"),
        },
        data_version=hashlib.sha256(ORDERS.encode()).hexdigest()[:12],
    )
    pipes.report_asset_check(
        check_name="amounts_positive",
        passed=all(float(r["amount"]) > 0 for r in rows),
        metadata={"checked_rows": len(rows)},
    )
