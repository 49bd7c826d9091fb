"""Local sync state and the outbox (design note §3, §8).

The change journal is the outbox: its ``seq`` (AUTOINCREMENT, never reused) is the op id. The acked
mark is ``app_meta 'sync.pushed_seq'``: every journal entry at or below it has been answered by the
server or needs no push (entries of unsynced tables, password-only changes, parked ops). The
server's own ``last_op_id`` for this device is ``sync_state 'last_acked_op_id'``; the chain
(``prev_op_id``) starts there. Rejected ops (and later ops on the same record or of the same local
transaction) are copied to ``sync_rejected`` and skipped from then on: parked, never dropped.
The device credential lives in the OS keystore (``credentials``): ``get``/``put``/``state`` hide that.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from crm_desktop.db.engine import write_engine
from crm_desktop.db.session import Database
from crm_desktop.sync import catalog, protocol
from crm_desktop.sync.client import credentials
from crm_desktop.sync.protocol import Op

PUSHED_SEQ_KEY = "sync.pushed_seq"  # in app_meta (the status bar's pending count reads it)
LOCAL_ONLY = {"app_user": ("password_hash",)}  # never travels (the journal records it redacted)
_SCAN = 1000


class Key:
    """Keys of ``sync_state``."""

    DEVICE_ID = "device_id"
    CREDENTIAL = "credential"
    SERVER_URL = "server_url"
    BRANCH_ID = "branch_id"
    EPOCH = "server_epoch"
    CURSOR = "cursor"
    LAST_ACKED = "last_acked_op_id"
    LAST_PUSH_OK = "last_push_ok"
    LAST_PULL_OK = "last_pull_ok"
    LAST_ERROR = "last_error"
    LAST_RESET = "last_reset_copy"


@contextmanager
def write_tx(db: Database, *, applying: bool = False) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction on a plain sqlite3 connection; commits on success.

    With ``applying`` the journal triggers stand aside (``sync_ctx.applying = '1'``, reset to '0'
    before COMMIT, so it never leaks) and foreign keys are checked at COMMIT only.
    """
    with write_engine(db.engine).connect() as conn, conn.begin():
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        if applying:
            raw.execute("PRAGMA defer_foreign_keys=ON")
            raw.execute("INSERT OR REPLACE INTO sync_ctx(k, v) VALUES ('applying', '1')")
        yield raw
        if applying:
            raw.execute("INSERT OR REPLACE INTO sync_ctx(k, v) VALUES ('applying', '0')")


@contextmanager
def read_tx(db: Database) -> Iterator[sqlite3.Connection]:
    with db.read_raw() as raw:
        yield raw


def get(raw: sqlite3.Connection, key: str) -> str | None:
    """A ``sync_state`` value; the device credential is read from the OS keystore when it is kept there."""
    stored = get_stored(raw, key)
    return credentials.load(stored) if key == Key.CREDENTIAL else stored


def put(raw: sqlite3.Connection, key: str, value: str | int | None) -> None:
    """Set a ``sync_state`` value; the device credential goes to the OS keystore (only a marker stays
    here) unless no keystore is usable."""
    text = None if value is None else str(value)
    if key == Key.CREDENTIAL:
        old = get_stored(raw, key)
        if text is not None:
            text = credentials.save(raw, text)
        if old != text:
            credentials.forget(old)
    raw.execute("INSERT OR REPLACE INTO sync_state(k, v) VALUES (?, ?)", (key, text))


def pushed_seq(raw: sqlite3.Connection) -> int:
    row = raw.execute("SELECT v FROM app_meta WHERE k = ?", (PUSHED_SEQ_KEY,)).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def set_pushed_seq(raw: sqlite3.Connection, seq: int) -> None:
    raw.execute("INSERT OR REPLACE INTO app_meta(k, v) VALUES (?, ?)", (PUSHED_SEQ_KEY, str(seq)))


def last_acked(raw: sqlite3.Connection) -> int:
    return int(get(raw, Key.LAST_ACKED) or 0)


_PENDING_SQL = (
    "SELECT seq, tx_id, tbl, pk, kind, changed, user_id, hlc FROM change_journal j WHERE seq > ?"
    " AND NOT EXISTS (SELECT 1 FROM sync_rejected r WHERE r.op_id = j.seq) ORDER BY seq LIMIT ?"
)


def _wire_changed(tbl: str, kind: str, changed_text: str) -> dict[str, list[Any]] | None:
    """The ``changed`` an op carries, or None when the entry needs no push."""
    if (tbl not in catalog.CATALOG and tbl != protocol.CONFLICT_TABLE) or kind not in protocol.OP_KINDS:
        return None  # a conflict record travels only as a clerk's 'resolve' op
    changed: dict[str, list[Any]] = json.loads(changed_text)
    for name in LOCAL_ONLY.get(tbl, ()):
        changed.pop(name, None)
    return changed or None


def outbox(raw: sqlite3.Connection, limit: int = protocol.MAX_PUSH_OPS) -> list[Op]:
    """Up to ``limit`` pending ops in op-id order, chained by ``prev_op_id`` from the server's last op."""
    ops: list[Op] = []
    after, prev = pushed_seq(raw), last_acked(raw)
    while len(ops) < limit:
        rows = raw.execute(_PENDING_SQL, (after, _SCAN)).fetchall()
        for seq, tx_id, tbl, pk, kind, changed_text, user_id, hlc in rows:
            changed = _wire_changed(tbl, kind, changed_text)
            if changed is None:
                continue
            op: dict[str, Any] = {"op_id": seq, "prev_op_id": prev, "tx_id": tx_id, "tbl": tbl, "pk": pk,
                                  "kind": kind, "changed": changed, "user_id": user_id, "hlc": hlc}
            op["sha256"] = protocol.op_sha256(op)
            ops.append(op)  # type: ignore[arg-type]
            prev = seq
            if len(ops) == limit:
                break
        if len(rows) < _SCAN:
            break
        after = rows[-1][0]
    return ops


def advance_mark(raw: sqlite3.Connection) -> int:
    """Move the acked mark over entries that need no push (parked, unsynced tables, password-only)."""
    mark = pushed_seq(raw)
    while True:
        rows = raw.execute(
            "SELECT seq, tbl, kind, changed, EXISTS (SELECT 1 FROM sync_rejected r WHERE r.op_id = j.seq)"
            " FROM change_journal j WHERE seq > ? ORDER BY seq LIMIT ?", (mark, _SCAN)).fetchall()
        for seq, tbl, kind, changed_text, parked in rows:
            if not parked and _wire_changed(tbl, kind, changed_text) is not None:
                set_pushed_seq(raw, mark)
                return mark
            mark = seq
        if len(rows) < _SCAN:
            set_pushed_seq(raw, mark)
            return mark


def acknowledge(raw: sqlite3.Connection, acked_through: int) -> None:
    """The server answered every op up to ``acked_through`` (applied, merged, conflict or rejected)."""
    put(raw, Key.LAST_ACKED, acked_through)
    if acked_through > pushed_seq(raw):
        set_pushed_seq(raw, acked_through)
    advance_mark(raw)


def rebase(raw: sqlite3.Connection, expected: int) -> None:
    """The server's chain ends at ``expected`` (a gap): resend everything after it."""
    put(raw, Key.LAST_ACKED, expected)
    set_pushed_seq(raw, min(pushed_seq(raw), expected))


@dataclass(frozen=True)
class Parked:
    op_id: int
    reason: str
    detail: str | None = None


def park(raw: sqlite3.Connection, rejected: list[Parked], *, acked_through: int, now: str) -> int:
    """Copy rejected ops to ``sync_rejected``, with every later unsent op on the same record or of the
    same local transaction (it would fail the same way); returns how many ops were parked."""
    count = 0
    for item in rejected:
        entry = raw.execute("SELECT tx_id, tbl, pk FROM change_journal WHERE seq = ?", (item.op_id,)).fetchone()
        if entry is None:
            continue
        tx_id, tbl, pk = entry
        count += _copy(raw, [item.op_id], item.reason, item.detail, now)
        later = raw.execute(
            "SELECT seq, tx_id = ? FROM change_journal WHERE seq > ? AND ((tbl = ? AND pk = ?) OR tx_id = ?)",
            (tx_id, max(item.op_id, acked_through), tbl, pk, tx_id)).fetchall()
        for seq, same_tx in later:
            reason = protocol.Reason.GROUP if same_tx else protocol.Reason.SAME_RECORD
            count += _copy(raw, [seq], reason, None, now)
    return count


def _copy(raw: sqlite3.Connection, seqs: list[int], reason: str, detail: str | None, now: str) -> int:
    cursor = raw.executemany(
        "INSERT OR IGNORE INTO sync_rejected(op_id, tx_id, tbl, pk, kind, changed, reason, detail, rejected_at)"
        " SELECT seq, tx_id, tbl, pk, kind, changed, ?, ?, ? FROM change_journal WHERE seq = ?",
        [(reason, detail, now, seq) for seq in seqs])
    return max(cursor.rowcount, 0)


def dirty_fields(raw: sqlite3.Connection) -> dict[tuple[str, str], set[str]]:
    """Fields of each record that still have pending (unacked, unparked) ops: apply must keep them."""
    dirty: dict[tuple[str, str], set[str]] = {}
    rows = raw.execute(
        "SELECT tbl, pk, changed FROM change_journal j WHERE seq > ?"
        " AND NOT EXISTS (SELECT 1 FROM sync_rejected r WHERE r.op_id = j.seq)", (pushed_seq(raw),))
    for tbl, pk, changed_text in rows:
        if tbl in catalog.CATALOG:
            dirty.setdefault((tbl, pk), set()).update(json.loads(changed_text))
    return dirty


@dataclass(frozen=True)
class Counts:
    pending: int
    rejected: int
    open_conflicts: int


def counts(raw: sqlite3.Connection) -> Counts:
    mark = pushed_seq(raw)
    pending = raw.execute("SELECT count(*) FROM change_journal WHERE seq > ?", (mark,)).fetchone()[0]
    parked_above = raw.execute("SELECT count(*) FROM sync_rejected WHERE op_id > ?", (mark,)).fetchone()[0]
    rejected = raw.execute("SELECT count(*) FROM sync_rejected WHERE resolution IS NULL").fetchone()[0]
    conflicts = raw.execute("SELECT count(*) FROM sync_conflict WHERE status = 'open'").fetchone()[0]
    return Counts(max(0, int(pending) - int(parked_above)), int(rejected), int(conflicts))


def state(raw: sqlite3.Connection, *, secrets: bool = True) -> dict[str, str]:
    """Every ``sync_state`` value; ``secrets=False`` leaves the credential as stored (a keystore marker
    is not resolved: status displays need no keystore access)."""
    found = {str(k): str(v) for k, v in raw.execute("SELECT k, v FROM sync_state WHERE v IS NOT NULL")}
    if secrets and Key.CREDENTIAL in found:
        found[Key.CREDENTIAL] = credentials.load(found[Key.CREDENTIAL]) or ""
    return found


def secure_credential(raw: sqlite3.Connection) -> bool:
    """Move a credential kept in ``sync_state`` (a desk registered where no keystore was usable, or
    before this version) into the OS keystore when one is usable now; True when it is there."""
    stored = get_stored(raw, Key.CREDENTIAL)
    if stored is None or credentials.in_keystore(stored):
        return stored is not None
    put(raw, Key.CREDENTIAL, stored)
    return credentials.in_keystore(get_stored(raw, Key.CREDENTIAL))


def get_stored(raw: sqlite3.Connection, key: str) -> str | None:
    """A ``sync_state`` value exactly as stored (the credential's keystore marker is not resolved)."""
    row = raw.execute("SELECT v FROM sync_state WHERE k = ?", (key,)).fetchone()
    return None if row is None else row[0]
