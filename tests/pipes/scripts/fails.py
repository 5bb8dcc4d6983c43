"""Opens Pipes, logs, then fails with a message on stderr."""

import sys

from headwater_pipes import open_pipes

with open_pipes() as pipes:
    pipes.log.info("about to fail")
print("first stderr line", file=sys.stderr)
print("boom: the warehouse is unreachable", file=sys.stderr)
sys.exit(3)
