"""Retry policies: how often and after what delay a failed step runs again."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError

if TYPE_CHECKING:
    import random

__all__ = ["Backoff", "Jitter", "RetryPolicy"]


class Backoff(enum.Enum):
    """How the delay grows between attempts."""

    LINEAR = "LINEAR"
    EXPONENTIAL = "EXPONENTIAL"


class Jitter(enum.Enum):
    """How the delay is randomized, to spread retries of many steps apart."""

    FULL = "FULL"
    PLUS_MINUS = "PLUS_MINUS"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a failing step is retried.

    Args:
        max_retries: how many times to retry after the first attempt.
        delay: seconds before a retry (the base of backoff).
        backoff: how the delay grows with each attempt.
        jitter: how the delay is randomized.

    Example:
        ``@op(retry_policy=RetryPolicy(max_retries=3, delay=0.5, backoff=Backoff.EXPONENTIAL))``
    """

    max_retries: int = 1
    delay: float | None = None
    backoff: Backoff | None = None
    jitter: Jitter | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise InvalidDefinitionError(
                f"RetryPolicy(max_retries={self.max_retries}): max_retries must be 0 or more"
            )
        if self.delay is not None and self.delay < 0:
            raise InvalidDefinitionError(
                f"RetryPolicy(delay={self.delay}): delay must be 0 or more seconds"
            )
        if (self.backoff or self.jitter) and self.delay is None:
            raise InvalidDefinitionError(
                "RetryPolicy: backoff and jitter need a base delay; pass delay=<seconds>"
            )

    def delay_for(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1 for the first retry)."""
        if not self.delay:
            return 0.0
        if self.backoff is Backoff.EXPONENTIAL:
            # The reference's curve (delay x 1, 3, 7, 15 ...), so ported policies wait as long.
            base: float = self.delay * (2**attempt - 1)
        elif self.backoff is Backoff.LINEAR:
            base = self.delay * attempt
        else:
            base = self.delay
        if rng is None:
            import random  # here: only retries that wait need it, every job loads this module

            pick = random.random()
        else:
            pick = rng.random()
        if self.jitter is Jitter.FULL:
            return base * pick
        if self.jitter is Jitter.PLUS_MINUS:
            return max(0.0, base + self.delay * (2 * pick - 1))
        return base
