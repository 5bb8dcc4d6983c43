"""What ``dagster._annotations`` and ``dagster._utils.warnings`` offer library code.

Integration libraries mark their API with ``@public``, ``@beta``, ``@preview``,
``@deprecated`` ... and emit Dagster's warning kinds through small helpers. Under the alias
these decorators record the mark and return the object unchanged (headwater does not warn
on use of a marked name; the helpers below warn when called directly), and the warning
helpers emit the same categories and messages as the reference.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

import headwater
from headwater.alias._check import failed

T = TypeVar("T")

# Off inside `disable_dagster_warnings()`; a context variable so that threads and tasks that
# did not enter the block keep warning, as the reference's does.
_warnings_on: ContextVar[bool] = ContextVar("_warnings_on", default=True)


def _category(name: str, fallback: type[Warning]) -> type[Warning]:
    """The root's warning class ``name`` (``headwater.BetaWarning`` ...), else ``fallback``."""
    found = getattr(headwater, name, None) if name in headwater.__all__ else None
    return found if isinstance(found, type) and issubclass(found, Warning) else fallback


def _warn(text: str, extra: str | None, category: type[Warning], stacklevel: int) -> None:
    if _warnings_on.get():
        warnings.warn(text + (f" {extra}" if extra else ""), category, stacklevel=stacklevel + 1)


def preview_warning(
    subject: str, additional_warn_text: str | None = None, stacklevel: int = 3
) -> None:
    _warn(
        f"{subject} is currently in preview, and may have breaking changes in patch version "
        "releases. This feature is not considered ready for production use.",
        additional_warn_text,
        _category("PreviewWarning", UserWarning),
        stacklevel,
    )


def beta_warning(
    subject: str, additional_warn_text: str | None = None, stacklevel: int = 3
) -> None:
    _warn(
        f"{subject} is currently in beta, and may have breaking changes in minor version "
        "releases, with behavior changes in patch releases.",
        additional_warn_text,
        _category("BetaWarning", UserWarning),
        stacklevel,
    )


def supersession_warning(
    subject: str, additional_warn_text: str | None = None, stacklevel: int = 3
) -> None:
    _warn(
        f"{subject} is superseded and its usage is discouraged.",
        additional_warn_text,
        _category("SupersessionWarning", FutureWarning),
        stacklevel,
    )


def deprecation_warning(
    subject: str,
    breaking_version: str,
    additional_warn_text: str | None = None,
    stacklevel: int = 3,
) -> None:
    _warn(
        f"{subject} is deprecated and will be removed in {breaking_version}.",
        additional_warn_text,
        DeprecationWarning,
        stacklevel,
    )


def normalize_renamed_param(
    new_val: T,
    new_arg: str,
    old_val: T,
    old_arg: str,
    coerce_old_to_new: Callable[[T], T] | None = None,
) -> T:
    """The value of a renamed parameter, whichever spelling the caller used (not both)."""
    if new_val is not None and old_val is not None:
        failed(f'Do not use deprecated "{old_arg}" now that you are using "{new_arg}".')
    if old_val is not None:
        return coerce_old_to_new(old_val) if coerce_old_to_new else old_val
    return new_val


@contextlib.contextmanager
def disable_dagster_warnings() -> Iterator[None]:
    """Silence Dagster's warning kinds (and DeprecationWarning) inside the block."""
    if not _warnings_on.get():
        yield
        return
    token = _warnings_on.set(False)
    try:
        with warnings.catch_warnings():
            for name, fallback in (
                ("PreviewWarning", UserWarning),
                ("BetaWarning", UserWarning),
                ("SupersessionWarning", FutureWarning),
            ):
                category = _category(name, fallback)
                if category is not fallback:
                    warnings.simplefilter("ignore", category=category)
            warnings.simplefilter("ignore", category=DeprecationWarning)
            yield
    finally:
        _warnings_on.reset(token)


def suppress_dagster_warnings(fn: Callable[..., T]) -> Callable[..., T]:
    """Decorate ``fn`` so that its calls run inside ``disable_dagster_warnings()``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        with disable_dagster_warnings():
            return fn(*args, **kwargs)

    return wrapper


def _marker(attribute: str) -> Callable[..., Any]:
    """A decorator usable bare (``@beta``) or called (``@beta(emit_runtime_warning=False)``)."""

    def mark(obj: Any = None, /, **_options: Any) -> Any:
        def apply(target: Any) -> Any:
            with contextlib.suppress(AttributeError, TypeError):  # builtins, slotted objects
                setattr(target, attribute, True)
            return target

        return apply if obj is None else apply(obj)

    return mark


public = _marker("_is_public")
beta = _marker("_is_beta")
preview = _marker("_is_preview")
experimental = _marker("_is_beta")
superseded = _marker("_is_superseded")
deprecated = _marker("_is_deprecated")


def _param_marker(attribute: str) -> Callable[..., Any]:
    def mark(obj: Any = None, /, *_args: Any, **_options: Any) -> Any:
        if obj is None or isinstance(obj, str):  # @beta_param(param="x")
            return _marker(attribute)
        return _marker(attribute)(obj)

    return mark


beta_param = _param_marker("_has_beta_params")
preview_param = _param_marker("_has_preview_params")
experimental_param = _param_marker("_has_beta_params")
deprecated_param = _param_marker("_has_deprecated_params")
superseded_param = _param_marker("_has_superseded_params")


def is_public(obj: object) -> bool:
    """Whether ``obj`` was marked with ``@public``."""
    return bool(getattr(obj, "_is_public", False))


def is_beta(obj: object) -> bool:
    """Whether ``obj`` was marked with ``@beta``."""
    return bool(getattr(obj, "_is_beta", False))


def is_deprecated(obj: object) -> bool:
    """Whether ``obj`` was marked with ``@deprecated``."""
    return bool(getattr(obj, "_is_deprecated", False))
