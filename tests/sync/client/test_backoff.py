"""Retry delays: exponential with jitter, capped at two minutes, reset by a success."""

from __future__ import annotations

import random

from crm_desktop.sync.client.backoff import CAP_S, Backoff, delay


def test_delay_grows_exponentially_within_jitter_bounds_and_is_capped() -> None:
    rng = random.Random(7)
    for attempt in range(1, 30):
        ceiling = min(CAP_S, 2 ** (attempt - 1))
        for _ in range(50):
            wait = delay(attempt, rand=rng.random)
            assert ceiling / 2 <= wait <= ceiling
    assert delay(0) == 0.0
    assert delay(100, rand=lambda: 1.0) == CAP_S


def test_backoff_retries_a_failed_round_and_resets_after_success() -> None:
    backoff = Backoff(rand=lambda: 1.0)
    assert [backoff.failed() for _ in range(4)] == [1.0, 2.0, 4.0, 8.0]
    assert backoff.failed(retry_after=30) == 30  # the server's Retry-After wins when longer
    backoff.succeeded()
    assert backoff.failed() == 1.0
    assert Backoff(rand=lambda: 0.0).failed(retry_after=999) == CAP_S
