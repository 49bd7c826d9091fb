"""Does the fault soak catch a broken engine? `python -m tests.server.soak_mutants [--schedules N] [--seed S]`.

Not a test (pytest does not collect it, CI does not run it): it applies three deliberate breakages of the
desk's sync engine, one at a time, as in-process monkeypatches, and runs N schedules of the soak's state
machine (``tests/server/soak_machine.py``) against each; a mutant is *caught* when a schedule fails. It
prints one JSON line per mutant ``{"name": "soak_mutant", "mutant", "caught", "schedules", "steps",
"seed", "wall_s", "first_failure"}`` and exits 1 when one escapes. Needs ``DATABASE_URL`` (as the soak).

* ``dirty_fields_off``: ``apply._upsert_one`` ignores ``keep`` (server rows overwrite fields with pending ops);
* ``gt_for_ge``: the row-version guard skips a row whose version equals the held one (``>`` for ``>=``);
* ``push_rows_unapplied``: ``SyncEngine.apply_push_answer`` drops the write checkpoint ``rows``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from hypothesis import Phase, settings
from hypothesis import seed as use_seed
from hypothesis.stateful import run_state_machine_as_test

from crm_desktop.sync.client import apply as client_apply
from crm_desktop.sync.client.engine import RoundResult, SyncEngine
from crm_desktop.sync.protocol import Row


@contextmanager
def _patched(owner: Any, name: str, replacement: Any) -> Iterator[None]:
    original = getattr(owner, name)  # AttributeError: the engine changed shape, update the mutant
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def dirty_fields_off() -> AbstractContextManager[None]:
    upsert_many = client_apply._upsert_many

    def upsert_ignoring_keep(raw: sqlite3.Connection, tbl: str, data: dict[str, Any], keep: set[str]) -> None:
        upsert_many(raw, tbl, [data])

    return _patched(client_apply, "_upsert_one", upsert_ignoring_keep)


def gt_for_ge() -> AbstractContextManager[None]:
    held_versions = client_apply.held_versions

    def one_above(raw: sqlite3.Connection, rows: Sequence[Row]) -> dict[tuple[str, str], int]:
        # ``version < held + 1`` is ``version <= held``: an equal version is skipped
        return {key: version + 1 for key, version in held_versions(raw, rows).items()}

    return _patched(client_apply, "held_versions", one_above)


def push_rows_unapplied() -> AbstractContextManager[None]:
    apply_push_answer = SyncEngine.apply_push_answer

    def without_rows(self: SyncEngine, answer: dict[str, Any], result: RoundResult) -> None:
        apply_push_answer(self, {**answer, "rows": []}, result)

    return _patched(SyncEngine, "apply_push_answer", without_rows)


MUTANTS: dict[str, Callable[[], AbstractContextManager[None]]] = {
    "dirty_fields_off": dirty_fields_off,
    "gt_for_ge": gt_for_ge,
    "push_rows_unapplied": push_rows_unapplied,
}


def run(schedules: int, run_seed: int, steps: int | None, only: Sequence[str]) -> list[dict[str, Any]]:
    from tests.server.soak_machine import SoakMachine, start_env  # needs the server's optional dependencies

    url = os.environ["DATABASE_URL"]
    profile = settings.get_profile("ci")
    env = start_env(url)
    results = []
    try:
        for name in only:
            SoakMachine.durations_ms.clear()
            started = time.perf_counter()
            caught, first = False, ""
            factory = use_seed(run_seed)(lambda: SoakMachine())
            with MUTANTS[name]():
                try:
                    run_state_machine_as_test(factory, settings=settings(  # type: ignore[arg-type]
                        profile, max_examples=schedules, stateful_step_count=steps or profile.stateful_step_count,
                        derandomize=False, report_multiple_bugs=False,
                        phases=(Phase.generate,)))  # no shrinking: caught or not is the question
                except Exception as exc:  # any failure of a schedule is a catch
                    caught = True
                    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            results.append({"name": "soak_mutant", "mutant": name, "caught": caught,
                            "schedules": len(SoakMachine.durations_ms), "requested": schedules,
                            "steps": steps or profile.stateful_step_count, "seed": run_seed,
                            "wall_s": round(time.perf_counter() - started, 1), "first_failure": first[:300]})
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    finally:
        env.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.server.soak_mutants", description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=100, help="schedules per mutant (stops at the first catch)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None, help="steps per schedule (default: the ci profile's)")
    parser.add_argument("--mutant", action="append", choices=sorted(MUTANTS), help="only these (repeatable)")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        print("soak_mutants: DATABASE_URL is not set (eval \"$(tools/pg_throwaway.sh)\")", file=sys.stderr)
        return 2
    run_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    results = run(args.schedules, run_seed, args.steps, args.mutant or list(MUTANTS))
    return 0 if all(r["caught"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
