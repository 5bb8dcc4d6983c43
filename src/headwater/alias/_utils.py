"""Small real implementations of the Dagster helpers that library code imports most.

``dagster._utils`` (``file_relative_path``, ``backoff`` ...), ``dagster._core.libraries``,
``dagster._core.test_utils.environ``, ``dagster._time`` and a few tag constants: each is
written here from its documented behaviour so that code importing them runs unchanged
under the alias. They are not part of headwater's own API.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from headwater.events import ErrorInfo

T = TypeVar("T")

BACKOFF_MAX_RETRIES = 4

DATA_VERSION_TAG = "dagster/data_version"
DATA_VERSION_IS_USER_PROVIDED_TAG = "dagster/data_version_is_user_provided"
CODE_VERSION_TAG = "dagster/code_version"
INPUT_DATA_VERSION_TAG_PREFIX = "dagster/input_data_version"
INPUT_EVENT_POINTER_TAG_PREFIX = "dagster/input_event_pointer"


def exponential_delay_generator(
    base_delay: float = 0.1, backoff_factor: float = 2.0
) -> Iterator[float]:
    """Delays of ``base_delay``, then each ``backoff_factor`` times the last, forever."""
    delay = base_delay
    while True:
        yield delay
        delay *= backoff_factor


def backoff(
    fn: Callable[..., T],
    retry_on: tuple[type[BaseException], ...],
    args: Sequence[object] | None = None,
    kwargs: Mapping[str, object] | None = None,
    max_retries: int = BACKOFF_MAX_RETRIES,
    delay_generator: Iterator[float] | None = None,
) -> T:
    """Call ``fn``, retrying up to ``max_retries`` times on the ``retry_on`` exceptions.

    Args:
        fn: what to call.
        retry_on: exception classes that cause a retry; any other propagates at once.
        args: positional arguments for ``fn``.
        kwargs: keyword arguments for ``fn``.
        max_retries: retries after the first call (0: call once).
        delay_generator: the successive sleeps between calls (default: 0.1 s doubling).

    Returns:
        What ``fn`` returned on the first call that did not raise.

    Raises:
        BaseException: the last ``retry_on`` exception, once the retries are used up.
    """
    delays = delay_generator if delay_generator is not None else exponential_delay_generator()
    call_args, call_kwargs = list(args or ()), dict(kwargs or {})
    attempt = 0
    while True:
        try:
            return fn(*call_args, **call_kwargs)
        except retry_on:
            if attempt >= max_retries:
                raise
        attempt += 1
        time.sleep(next(delays))


def file_relative_path(dunderfile: str, relative_path: str) -> str:
    """``relative_path`` taken from the folder of the file ``dunderfile`` (pass ``__file__``)."""
    return os.path.join(os.path.dirname(dunderfile), relative_path)


def ensure_dir(file_path: str) -> str:
    """Create the folder ``file_path`` (and its parents) if it does not exist; return it."""
    os.makedirs(file_path, exist_ok=True)
    return file_path


def ensure_file(path: str) -> str:
    """Create an empty file at ``path`` (and its folder) if it does not exist; return it."""
    ensure_dir(os.path.dirname(path) or ".")
    if not os.path.exists(path):
        with open(path, "a", encoding="utf-8"):
            pass
    return path


def merge_dicts(*args: Mapping[Any, Any]) -> dict[Any, Any]:
    """One dict of every mapping's items; later mappings win on a shared key."""
    merged: dict[Any, Any] = {}
    for mapping in args:
        merged.update(mapping)
    return merged


def deep_merge_dicts(onto: Mapping[str, Any], from_: Mapping[str, Any]) -> dict[str, Any]:
    """``onto`` with ``from_`` merged in, recursing where both hold a mapping at a key."""
    merged = dict(onto)
    for key, value in from_.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge_dicts(merged[key], value)
        else:
            merged[key] = value
    return merged


@contextlib.contextmanager
def environ(env: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for ``None``, unset) environment variables inside the block; restore after."""
    previous = {name: os.environ.get(name) for name in env}
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def get_current_datetime(tz: datetime.tzinfo | None = None) -> datetime.datetime:
    """Now, as an aware datetime (UTC unless ``tz`` says otherwise)."""
    return datetime.datetime.now(tz or datetime.timezone.utc)


def get_current_timestamp() -> float:
    """Now, as seconds since the epoch."""
    return time.time()


class DagsterLibraryRegistry:
    """The integration libraries imported in this process and their versions.

    Every Dagster integration library registers itself on import
    (``DagsterLibraryRegistry.register("dagster-foo", __version__)``). The reference then
    compares the version with its own; headwater records it and checks nothing.
    """

    _libraries: ClassVar[dict[str, str]] = {}

    @classmethod
    def register(cls, name: str, version: str, *, is_dagster_package: bool = True) -> None:
        """Record that library ``name`` at ``version`` is loaded."""
        del is_dagster_package  # the reference's version check has no headwater meaning
        cls._libraries[name] = version

    @classmethod
    def get(cls) -> Mapping[str, str]:
        """A copy of name → version of every registered library."""
        return dict(cls._libraries)


def serializable_error_info_from_exc_info(
    exc_info: tuple[type[BaseException], BaseException, Any] | None = None,
) -> Any:
    """The current (or the given) exception as headwater's ``ErrorInfo``."""
    _, exc, _ = exc_info or sys.exc_info()
    if exc is None:
        raise ValueError("serializable_error_info_from_exc_info: no exception is being handled")
    return ErrorInfo.from_exception(exc)


# Type aliases library code annotates with (``dagster._config.config_schema`` and
# ``dagster._core.definitions.metadata``).
UserConfigSchema = Any
ArbitraryMetadataMapping = Mapping[str, Any]
