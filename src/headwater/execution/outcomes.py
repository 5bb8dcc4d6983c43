"""How each step of one run ended, and the run's first error.

The fields are read freely (the skip rules read them for every step); they are written only
through the methods here.
"""

from __future__ import annotations

__all__ = ["StepOutcomes"]


class StepOutcomes:
    """Which steps failed or were skipped, and the error the run raises."""

    __slots__ = ("failed", "first_error", "skipped", "untouched")

    def __init__(self) -> None:
        self.failed: set[str] = set()
        self.skipped: set[str] = set()
        # Skipped steps that recorded no event (downstream of a failure).
        self.untouched: set[str] = set()
        # The error `raise_on_error` raises: the first recorded, by a step or the run.
        self.first_error: BaseException | None = None

    @property
    def succeeded(self) -> bool:
        """Whether nothing failed: no step, no resource."""
        return self.first_error is None and not self.failed

    def fail(self, step_key: str, error: BaseException | None = None) -> None:
        """Step ``step_key`` failed (with ``error``, when the run may raise it)."""
        self.failed.add(step_key)
        if error is not None and self.first_error is None:
            self.first_error = error

    def record_error(self, error: BaseException) -> None:
        """The run hit ``error`` outside a step (a resource, an interrupt); the first kept."""
        if self.first_error is None:
            self.first_error = error

    def skip(self, step_key: str, *, announced: bool) -> None:
        """Step ``step_key`` does not run: announced with an event, or left untouched
        (downstream of a failure)."""
        self.skipped.add(step_key)
        if not announced:
            self.untouched.add(step_key)
