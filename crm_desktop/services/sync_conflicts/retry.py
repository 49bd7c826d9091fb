"""Capturing a refused change again ("fix and retry" re-captures the op under a new op id, design note §8).

An edit is written again onto the record as it is here now, through an ordinary UPDATE, so the journal
triggers capture it with this desk's present value as its base (the server's value, which replaced the
refused one) and the record shows the retried value at once. A new record that never reached the server
is sent again with its present values. What cannot be rewritten (a delete, a decision on a conflict, an
edit of a record no longer here, an edit whose values this desk already holds) is copied as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from crm_desktop.db.journal import META_COLUMNS
from crm_desktop.db.session import driver_connection
from crm_desktop.models.base import to_utc_text
from crm_desktop.sync import catalog
from crm_desktop.sync.client.store import LOCAL_ONLY
from crm_desktop.sync.derive import DERIVED

Journal = Callable[[str, str, str, dict[str, list[Any]]], int]


def _local_row(session: Session, tbl: str, pk: str) -> dict[str, Any] | None:
    if tbl not in catalog.CATALOG:
        return None
    cursor = driver_connection(session).execute(f'SELECT * FROM "{tbl}" WHERE id = ?', (pk,))
    names = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    return None if found is None else dict(zip(names, found, strict=True))


def recapture(session: Session, parked: Any, journal: Journal, user_id: str, now: datetime) -> int:
    """Queue the parked op ``parked`` (a ``sync_rejected`` row) again; returns the new op id."""
    tbl, pk, kind = str(parked.tbl), str(parked.pk), str(parked.kind)
    changed: dict[str, list[Any]] = json.loads(parked.changed)
    local = _local_row(session, tbl, pk)
    skip = set(LOCAL_ONLY.get(tbl, ())) | set(META_COLUMNS)
    if local is not None and kind == "insert":
        return journal(tbl, pk, kind, {k: [None, local[k]] for k in changed if k in local and k not in skip})
    if local is not None and kind in ("update", "delete", "restore"):
        wanted = {k: pair[1] for k, pair in changed.items() if k in local and k not in skip and local[k] != pair[1]}
        if wanted:
            return _rewrite(session, tbl, pk, local, wanted, user_id, now)
    return journal(tbl, pk, kind, changed)


def _rewrite(session: Session, tbl: str, pk: str, local: dict[str, Any], wanted: dict[str, Any], user_id: str,
             now: datetime) -> int:
    """UPDATE the record to the wanted values (the triggers journal it); returns the journal entry's seq."""
    raw = driver_connection(session)
    values = dict(wanted)
    if tbl in DERIVED:
        values.update(DERIVED[tbl]({**local, **wanted}))
    sets = ", ".join(f'"{k}" = ?' for k in values)
    raw.execute(
        f'UPDATE "{tbl}" SET {sets}, version = version + 1, updated_at = ?, changed_by = ?,'
        " changed_device = (SELECT v FROM sync_ctx WHERE k = 'device') WHERE id = ?",
        (*values.values(), to_utc_text(now), user_id, pk))
    seq: int = raw.execute("SELECT max(seq) FROM change_journal WHERE tbl = ? AND pk = ?", (tbl, pk)).fetchone()[0]
    return seq
