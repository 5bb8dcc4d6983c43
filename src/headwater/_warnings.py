"""The warning classes the reference emits for API that is in beta, preview or superseded.

One helper per kind of notice, so every message reads the same way and each call names
what it warns about. Code warns where the reference warns, so that ``-W error::BetaWarning``
and ``pytest.warns`` behave the same after porting.
"""

from __future__ import annotations

import warnings

__all__ = [
    "BetaWarning",
    "ConfigArgumentWarning",
    "PreviewWarning",
    "SupersessionWarning",
    "beta_param_warning",
    "beta_warning",
    "config_argument_warning",
    "deprecated_param_warning",
    "preview_warning",
]


class BetaWarning(Warning):
    """An API in beta was used: it may change in minor releases."""


class PreviewWarning(Warning):
    """An API in preview was used: it may change or go away in any release."""


class SupersessionWarning(FutureWarning):
    """An API that a newer one supersedes was used; it keeps working."""


class ConfigArgumentWarning(SyntaxWarning):
    """A config argument was given in a form that is accepted but discouraged."""


_BETA = (
    "is currently in beta, and may have breaking changes in minor version releases, with "
    "behavior changes in patch releases."
)


def beta_warning(subject: str, *, stacklevel: int = 3) -> None:
    """Warn that ``subject`` (``"Class `X`"``) is in beta."""
    warnings.warn(f"{subject} {_BETA}", BetaWarning, stacklevel=stacklevel)


_PREVIEW = (
    "is currently in preview, and may have breaking changes in patch version releases. This "
    "feature is not considered ready for production use."
)


def preview_warning(subject: str, *, stacklevel: int = 3) -> None:
    """Warn that ``subject`` (``"Class `X`"``) is in preview."""
    warnings.warn(f"{subject} {_PREVIEW}", PreviewWarning, stacklevel=stacklevel)


def beta_param_warning(param: str, owner: str, *, stacklevel: int = 3) -> None:
    """Warn that parameter ``param`` of ``owner`` (``"function `asset`"``) is in beta."""
    beta_warning(f"Parameter `{param}` of {owner}", stacklevel=stacklevel + 1)


def deprecated_param_warning(
    param: str, owner: str, *, breaking_version: str, hint: str, stacklevel: int = 3
) -> None:
    """Warn that parameter ``param`` of ``owner`` goes away in ``breaking_version``."""
    warnings.warn(
        f"Parameter `{param}` of {owner} is deprecated and will be removed in "
        f"{breaking_version}." + (f" {hint}" if hint else ""),
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def config_argument_warning(param: str, fn_name: str, *, stacklevel: int = 4) -> None:
    """Warn that op/asset parameter ``param`` has a ``Config`` type but is not ``config``."""
    warnings.warn(
        f"Parameter '{param}' on op/asset function '{fn_name}' was annotated as a Config type. "
        "Did you mean to name this parameter 'config' instead? To mute this warning, "
        'call warnings.filterwarnings("ignore", category=ConfigArgumentWarning).',
        ConfigArgumentWarning,
        stacklevel=stacklevel,
    )
