"""Opens Pipes, then waits to be interrupted; records that it was."""

import sys
import time
from pathlib import Path

from headwater_pipes import open_pipes

marker = Path(sys.argv[1])
with open_pipes() as pipes:
    pipes.log.info("sleeping")
    try:
        Path(str(marker) + ".ready").write_text("ready")
        time.sleep(30)
    except KeyboardInterrupt:
        marker.write_text("interrupted")
        raise
