"""The Dagster alias: run unmodified Dagster code on headwater (opt-in, never by default).

Once installed, ``import dagster`` (and ``dagster_pipes``, ``dagster_shared``) resolve to
headwater: ``dagster.asset is headwater.asset``, and the private module paths real code
imports most (``dagster._core.errors``, ``dagster._utils.backoff`` ...) resolve to the same
objects. Every other ``dagster._...`` path raises an ImportError naming it.

Switch it on in one of two ways (docs/alias.md):

- ``python -m headwater.alias -m pytest tests/`` (or ``... script.py args``): installs the
  alias, then runs the module or script;
- ``headwater.compat.install_alias()`` at the top of a program, before anything imports
  ``dagster``.

Both set ``HEADWATER_DAGSTER_ALIAS=1`` in the environment, so the step processes headwater
starts (and that import the user's code) install it too. The alias refuses to install where
the real ``dagster`` can be imported. A real ``dagster_pipes`` or ``dagster_shared``, where
installed, is left in place: it is the genuine article, and headwater speaks its protocol.
"""

from __future__ import annotations

import importlib.util
import os
import sys

from headwater.alias._finder import DAGSTER_VERSION, AliasFinder, AliasModule
from headwater.alias._table import PATHS
from headwater.errors import AliasConflictError

__all__ = [
    "ALIAS_ENV_VAR",
    "DAGSTER_VERSION",
    "AliasConflictError",
    "install_alias",
    "install_alias_from_env",
    "is_alias_installed",
    "uninstall_alias",
]

ALIAS_ENV_VAR = "HEADWATER_DAGSTER_ALIAS"

_TOPS = ("dagster", "dagster_pipes", "dagster_shared")


def _installed() -> AliasFinder | None:
    return next((f for f in sys.meta_path if isinstance(f, AliasFinder)), None)


def is_alias_installed() -> bool:
    """Whether ``install_alias()`` is in effect in this process."""
    return _installed() is not None


def _real_location(name: str) -> str | None:
    """Where an importable real (non-alias) package ``name`` lives, or None."""
    loaded = sys.modules.get(name)
    if loaded is not None and not isinstance(loaded, AliasModule):
        return str(getattr(loaded, "__file__", None) or name)
    if loaded is None:
        spec = importlib.util.find_spec(name)
        if spec is not None:
            return str(spec.origin or name)
    return None


def install_alias() -> None:
    """Make ``import dagster`` (and its measured private paths) resolve to headwater.

    Idempotent. Also sets ``HEADWATER_DAGSTER_ALIAS=1`` so that headwater's step processes
    install it too.

    Raises:
        AliasConflictError: the real ``dagster`` package can be imported here (or already
            is); the alias would shadow it, so nothing is changed.

    Example:
        ``headwater.compat.install_alias(); import dagster as dg; dg.asset is headwater.asset``
    """
    if is_alias_installed():
        return
    real = _real_location("dagster")
    if real is not None:
        raise AliasConflictError(
            f"the real 'dagster' package is installed ({real}), so headwater's Dagster alias "
            "is not installed: it would shadow it. Run this code with real Dagster, or "
            "uninstall it (pip uninstall dagster) to run it on headwater through the alias."
        )
    # A real dagster_pipes / dagster_shared stays: both are Dagster's own standalone
    # libraries, and headwater's side of Pipes is tested against the real dagster_pipes.
    tops = [top for top in _TOPS if top == "dagster" or _real_location(top) is None]
    sys.meta_path.insert(0, AliasFinder(PATHS, tops))
    os.environ[ALIAS_ENV_VAR] = "1"


def install_alias_from_env() -> bool:
    """Install the alias when ``HEADWATER_DAGSTER_ALIAS=1``; return whether it is installed.

    Called by the processes headwater starts before they import user code.
    """
    if os.environ.get(ALIAS_ENV_VAR) == "1":
        install_alias()
    return is_alias_installed()


def uninstall_alias() -> None:
    """Remove the alias and every module it made; clear ``HEADWATER_DAGSTER_ALIAS``."""
    finder = _installed()
    if finder is None:
        return
    sys.meta_path.remove(finder)
    for name, module in list(sys.modules.items()):
        if isinstance(module, AliasModule):
            del sys.modules[name]
    os.environ.pop(ALIAS_ENV_VAR, None)
