"""Retry delays for failed sync rounds: exponential backoff with full jitter, capped at 2 minutes.

The loop owns its retry timer (design note §8): a failed round is retried on this schedule even when
nothing new is written locally, and a successful round resets it.
"""

from __future__ import annotations

import random
from collections.abc import Callable

BASE_S = 1.0
CAP_S = 120.0


def delay(attempt: int, *, base: float = BASE_S, cap: float = CAP_S,
          rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry number ``attempt`` (1 = first retry): uniform in [ceiling/2, ceiling],
    where the ceiling doubles per attempt up to ``cap``."""
    if attempt < 1:
        return 0.0
    ceiling = min(cap, base * 2 ** min(attempt - 1, 30))
    return ceiling / 2 + rand() * ceiling / 2


class Backoff:
    """The retry state the sync loop drives: ``failed()`` gives the next wait, ``succeeded()`` resets."""

    def __init__(self, *, base: float = BASE_S, cap: float = CAP_S, rand: Callable[[], float] = random.random) -> None:
        self.base, self.cap, self._rand = base, cap, rand
        self.attempt = 0

    def failed(self, retry_after: float | None = None) -> float:
        """Register a failed round; the wait before the next one (at least the server's Retry-After)."""
        self.attempt += 1
        wait = delay(self.attempt, base=self.base, cap=self.cap, rand=self._rand)
        return min(self.cap, max(wait, retry_after or 0.0))

    def succeeded(self) -> None:
        self.attempt = 0
