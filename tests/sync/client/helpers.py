"""Helpers for sync client tests: raw edits through a unit of work (so the journal captures them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from crm_desktop.db import Database, WriteContext


def edit(db: Database, user_id: str, tbl: str, pk: str, **fields: Any) -> None:
    """Update a record in one unit of work (the version goes up, as the guard trigger demands)."""
    sets = ", ".join(f"{k} = :{k}" for k in fields)
    with db.write(WriteContext(user_id=user_id)) as session:
        session.execute(text(f"UPDATE {tbl} SET {sets}, version = version + 1 WHERE id = :pk"), {**fields, "pk": pk})


def max_seq(db: Database) -> int:
    with db.read_raw() as raw:
        return int(raw.execute("SELECT coalesce(max(seq), 0) FROM change_journal").fetchone()[0])


def row(db: Database, tbl: str, pk: str) -> dict[str, Any] | None:
    with db.read_raw() as raw:
        raw.row_factory = None
        cur = raw.execute(f"SELECT * FROM {tbl} WHERE id = ?", (pk,))
        names = [d[0] for d in cur.description]
        found = cur.fetchone()
    return None if found is None else dict(zip(names, found, strict=True))
