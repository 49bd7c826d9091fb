"""The row-count check that ends a bootstrap (design note §8: "finish with a row-count check").

A pull from the start cursor asks the server for its row counts per synced table in the device's
scope, which come with the last page, read in that page's snapshot. The desk compares them with the
rows it holds from the server (rows with a held ``row_version``; its own unsent rows do not count). A
difference is not fatal: a transaction that committed while the page was read can make one, so the
check stays pending and the next round's last page checks again, up to ``MAX_CHECKS`` times (counting a
large branch costs every round; a difference that lasts is a finding for ``sync status``, not something
each round should pay for again). The outcome is kept in ``sync_state`` for ``sync status``:
``bootstrap_check`` is ``ok`` or the tables that differ.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from crm_desktop.sync import catalog
from crm_desktop.sync.client import store

PENDING = "bootstrap_check_pending"
RESULT = "bootstrap_check"
OK = "ok"
MAX_CHECKS = 3


def held_counts(raw: sqlite3.Connection) -> dict[str, int]:
    """Rows per synced table that this desk holds from the server."""
    return {name: int(raw.execute(
        f'SELECT count(*) FROM "{name}" t JOIN sync_row_version v ON v.tbl = ? AND v.pk = t.id', (name,)
    ).fetchone()[0]) for name in catalog.SYNCED_TABLES}


def differences(server: Mapping[str, int], held: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    """``{table: (server, desk)}`` for every table whose counts differ."""
    return {name: (int(server[name]), held.get(name, 0)) for name in server
            if name in held and int(server[name]) != held[name]}


def start(raw: sqlite3.Connection) -> None:
    """A pull from the start cursor begins: a new check, whatever earlier bootstraps found."""
    store.put(raw, RESULT, None)
    store.put(raw, PENDING, "1")


def record(raw: sqlite3.Connection, counts: Mapping[str, int] | None, *, done: bool, now: str) -> None:
    """After a page of a checked pull: keep the check pending, or settle it on the last page."""
    if not done or counts is None:  # more pages to come, or a server that sent no counts: check next time
        store.put(raw, PENDING, "1")
        return
    differ = differences(counts, held_counts(raw))
    if differ:
        checks = int((outcome(raw) or {}).get("checks", 0) or 0) + 1  # type: ignore[call-overload]
        store.put(raw, PENDING, "1" if checks < MAX_CHECKS else None)
        store.put(raw, RESULT, json.dumps({"at": now, "differ": differ, "checks": checks}, ensure_ascii=False))
        return
    store.put(raw, PENDING, None)
    store.put(raw, RESULT, json.dumps({"at": now, "result": OK}))


def outcome(raw: sqlite3.Connection) -> dict[str, object] | None:
    """The last check's outcome (``{"at", "result": "ok"}`` or ``{"at", "differ": {...}}``), if any."""
    stored = store.get(raw, RESULT)
    return None if stored is None else dict(json.loads(stored))
