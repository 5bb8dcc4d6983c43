#!/bin/sh
# An unmodified program: it knows nothing of Pipes, it only prints.
echo "INFO export started"
echo '{"level": "warning", "msg": "3 rows had no customer id"}'
echo "wrote 120 rows to /tmp/orders_export.csv"
echo "check export_not_empty passed" >&2
echo "INFO export finished"
