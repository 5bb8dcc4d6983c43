"""Installs the Dagster alias on import when ``HEADWATER_DAGSTER_ALIAS=1``; otherwise nothing.

The multiprocess executor's forkserver imports this module once (its preload list), so
every step process forked from it already resolves ``import dagster`` before
multiprocessing re-imports the launching script in it. Nothing else imports it.
"""

from __future__ import annotations

from headwater.alias import install_alias_from_env

install_alias_from_env()
