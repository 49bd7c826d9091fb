"""The fault soak in CI: Hypothesis drives three desks against the real service with random faults and checks
the oracles O1–O5 of design note §12 (see ``tests/server/soak_machine.py``).

The ``ci`` profile (250 schedules of 10 steps, derandomized) is the default; ``HYPOTHESIS_PROFILE=soak``
runs the long one (``python -m bench.sync_soak`` does too, with a JSON result).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from tests.server.conftest import DATABASE_URL
from tests.server.soak_machine import SoakMachine, start_env
from tests.server.soak_world import SoakEnv


@pytest.fixture(scope="module")
def env() -> Iterator[SoakEnv]:
    assert DATABASE_URL
    soak = start_env(DATABASE_URL)
    yield soak
    soak.close()


def test_desks_converge_and_lose_nothing_under_random_faults(env: SoakEnv) -> None:
    profile = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
    run_state_machine_as_test(SoakMachine, settings=profile)
