"""``python -m headwater.cli``: the same as the ``headwater`` script."""

from __future__ import annotations

from headwater.cli import main

main()
