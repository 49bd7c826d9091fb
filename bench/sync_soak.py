"""`python -m bench.sync_soak --schedules N [--seed S]`: the long fault soak of the sync service (issue #6).

Runs the state machine of ``tests/server/soak_machine.py`` (three desks on real SQLite files, the real
service over the PostgreSQL in ``DATABASE_URL``, random faults, oracles O1–O5) for N random schedules with
the ``soak`` profile, and prints one JSON line: ``{"name": "sync_soak", "schedules", "failures",
"p50_ms", "p95_ms" (per schedule), "steps", "seed"}``. A failure prints the shrunk schedule and the
step history on stderr; the same ``--seed`` replays it. Target (design §13): 0 failures over >= 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import traceback

from hypothesis import seed as use_seed
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from bench.measure import percentile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_soak", description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: a new random seed)")
    parser.add_argument("--steps", type=int, default=None, help="steps per schedule (default: the soak profile's)")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("sync_soak: DATABASE_URL is not set; start a throwaway PostgreSQL first:\n"
              "  eval \"$(PG_THROWAWAY_OPTS='-c fsync=off' tools/pg_throwaway.sh)\"", file=sys.stderr)
        return 2
    from tests.server.soak_machine import SoakMachine, start_env  # needs the server's optional dependencies

    run_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    profile = settings.get_profile("soak")
    steps = args.steps or profile.stateful_step_count
    env = start_env(url)
    SoakMachine.durations_ms.clear()
    failures = 0
    started = time.perf_counter()
    try:
        factory = use_seed(run_seed)(lambda: SoakMachine())  # a factory carries the seed; the class is shared
        run_state_machine_as_test(factory, settings=settings(  # type: ignore[arg-type]  # documented: any factory
            profile, max_examples=args.schedules, stateful_step_count=steps, derandomize=False))
    except Exception:
        failures = 1
        traceback.print_exc(file=sys.stderr)
    finally:
        env.close()
    durations = SoakMachine.durations_ms or [0.0]
    print(json.dumps({
        "name": "sync_soak", "schedules": len(SoakMachine.durations_ms), "requested": args.schedules,
        "failures": failures, "p50_ms": round(percentile(durations, 0.5), 1),
        "p95_ms": round(percentile(durations, 0.95), 1), "steps": steps, "seed": run_seed,
        "wall_s": round(time.perf_counter() - started, 1),
    }))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
