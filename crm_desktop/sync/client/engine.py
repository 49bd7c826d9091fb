"""The sync engine: register a desk, and run rounds (push everything pending, then pull until up to date).

A round (design note §8, §11): push the outbox in batches of at most 500 ops; each answer is applied
in one SQLite transaction (ack, park rejected ops with their dependants, apply the write-checkpoint
``rows``). A ``gap`` re-bases the chain on the op the server expects and resends from there. Then
pull pages until ``has_more`` is false, each page and its cursor in one transaction. An epoch
mismatch or ``resync_required`` resets the desk: a forensic copy of the database (backup API), the
held versions and conflicts cleared, a bootstrap from the start cursor, rows the server no longer has
swept away, and the outbox (untouched) replayed through the server's conflict detection.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crm_desktop import __version__
from crm_desktop.db.backup import backup_database, timestamped_backup_path
from crm_desktop.db.session import Database
from crm_desktop.models.base import to_utc_text, utc_now
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.sync import protocol
from crm_desktop.sync.client import bootstrap, join_state, store
from crm_desktop.sync.client.apply import apply_rows, drop_refused_inserts, sweep_unseen
from crm_desktop.sync.client.store import Key, Parked
from crm_desktop.sync.client.transport import APPLY_CONFLICT, MESSAGES, SyncError, Transport
from crm_desktop.sync.protocol import ErrorCode

MAX_GAPS_PER_ROUND = 3
RESET_CODES = (ErrorCode.EPOCH_MISMATCH, ErrorCode.RESYNC_REQUIRED)
#: ``sync_state`` key set while a reset has not finished (replay, bootstrap, sweep): the next round resumes it.
RESET_PENDING = "reset_pending"


@dataclass
class RoundResult:
    pushed: int = 0  # ops sent (resends included)
    acked_through: int = 0
    parked: int = 0
    conflicts: int = 0  # ops answered ``conflict``
    pulled: int = 0  # rows received in pull pages
    applied: int = 0  # rows written locally (pages and checkpoints)
    pages: int = 0
    reset_copy: Path | None = None  # the forensic copy when the round reset the desk


class SyncEngine:
    def __init__(self, db: Database, transport: Transport, clock: Callable[[], datetime] = utc_now, *,
                 page_limit: int = protocol.DEFAULT_PULL_LIMIT, batch: int = protocol.MAX_PUSH_OPS) -> None:
        self.db, self.transport, self.clock = db, transport, clock
        self.page_limit, self.batch = page_limit, min(batch, protocol.MAX_PUSH_OPS)

    def _now(self) -> str:
        return to_utc_text(self.clock())

    # -- registration -------------------------------------------------------------------------
    def register(self, server_url: str, code: str, device_name: str = "") -> str:
        """Trade a one-time code for a device id and credential; returns the device id.

        A database holding another branch than the code's (its own ``init`` branch row) is refused with a
        Persian message pointing to ``sync join`` (``join_state.check_branch``): the code's branch is read
        first with a dry run, so the refusal leaves the code usable, and nothing is stored.
        """
        peeked = self.transport.peek_code(code)
        if "credential" in peeked:  # a service that knows no dry run has registered already
            answer = peeked
        else:
            with store.read_tx(self.db) as raw:
                join_state.check_branch(raw, peeked.get("branch_id"), code_spent=False,
                                        label=join_state.branch_label(peeked))
            answer = self.transport.register(code, device_name, __version__, protocol.SCHEMA_VERSION)
        with store.write_tx(self.db) as raw:
            join_state.check_branch(raw, answer.get("branch_id"))
            join_state.save_registration(raw, server_url, answer)
        self.transport.device_id, self.transport.credential = answer["device_id"], answer["credential"]
        return str(answer["device_id"])

    def _state(self) -> dict[str, str]:
        with store.read_tx(self.db) as raw:
            state = store.state(raw)
        if Key.DEVICE_ID not in state:
            raise SyncError(MESSAGES["not_registered"], code="not_registered")
        self.transport.device_id, self.transport.credential = state[Key.DEVICE_ID], state[Key.CREDENTIAL]
        return state

    # -- a round ------------------------------------------------------------------------------
    def sync_once(self, progress: Progress | None = None) -> RoundResult:
        """Push all pending ops, then pull until up to date; resets the desk on a new server epoch."""
        progress = progress or NullProgress()
        result = RoundResult()
        state = self._state()
        try:
            try:
                if state.get(RESET_PENDING):
                    self._finish_reset(result, progress)
                self._push_all(result, progress)
                self._pull_all(result, progress)
            except SyncError as exc:
                if exc.code not in RESET_CODES:
                    raise
                result.reset_copy = self.reset(exc.body, result, progress)
        except SyncError as exc:
            with store.write_tx(self.db) as raw:
                store.put(raw, Key.LAST_ERROR, f"{self._now()} {exc.code}")
            raise
        with store.write_tx(self.db) as raw:
            store.put(raw, Key.LAST_ERROR, None)
        return result

    def pull(self, result: RoundResult | None = None, progress: Progress | None = None) -> RoundResult:
        """Pull pages until up to date (no push, no reset: a new epoch surfaces as a ``SyncError``)."""
        result = result or RoundResult()
        self._state()
        self._pull_all(result, progress or NullProgress())
        return result

    def _envelope(self, ops: list[protocol.Op]) -> dict[str, Any]:
        with store.read_tx(self.db) as raw:
            epoch, acked = store.get(raw, Key.EPOCH), store.last_acked(raw)
        return {"device_id": self.transport.device_id, "server_epoch": epoch,
                "schema_version": protocol.SCHEMA_VERSION, "client_version": __version__,
                "batch_id": str(uuid.uuid4()), "last_acked_op_id": acked, "ops": ops}

    def _push_all(self, result: RoundResult, progress: Progress) -> None:
        gaps = 0
        while True:
            progress.check()
            with store.read_tx(self.db) as raw:
                ops = store.outbox(raw, self.batch)
            if not ops:
                with store.write_tx(self.db) as raw:
                    store.advance_mark(raw)
                    store.put(raw, Key.LAST_PUSH_OK, self._now())
                return
            try:
                answer = self.transport.push(self._envelope(ops))
            except SyncError as exc:
                if exc.code != ErrorCode.GAP or gaps >= MAX_GAPS_PER_ROUND:
                    raise
                gaps += 1
                with store.write_tx(self.db) as raw:
                    store.rebase(raw, int(exc.body["expected"]))
                continue
            result.pushed += len(ops)
            self.apply_push_answer(answer, result)
            progress.update(result.pushed, None, "ارسال تغییرها")
            if int(answer["acked_through"]) < int(ops[-1]["op_id"]) and not answer["results"]:
                raise SyncError(MESSAGES["bad_answer"], code="bad_answer")  # no progress: do not spin

    def apply_push_answer(self, answer: dict[str, Any], result: RoundResult) -> None:
        """Ack, park and apply the checkpoint rows of one push answer, in one applying transaction."""
        acked = int(answer["acked_through"])
        rejected = [Parked(int(r["op_id"]), str(r.get("reason") or "rejected"), r.get("message"))
                    for r in answer["results"]
                    if r["status"] == protocol.REJECTED
                    or (r["status"] == protocol.DUPLICATE and r.get("original_status") == protocol.REJECTED)]
        with _applying(self.db) as raw:
            store.acknowledge(raw, acked)
            result.parked += store.park(raw, rejected, acked_through=acked, now=self._now())
            store.advance_mark(raw)
            dirty = store.dirty_fields(raw)
            stats = apply_rows(raw, answer["rows"], dirty)
            if rejected:
                stats.deleted += drop_refused_inserts(raw, dirty)
        result.acked_through = acked
        result.applied += stats.upserted + stats.deleted
        result.conflicts += sum(1 for r in answer["results"] if r["status"] == protocol.CONFLICT)

    def _pull_all(self, result: RoundResult, progress: Progress) -> None:
        """Pull pages until up to date; the next page is fetched while this one is applied.

        Each page and its cursor are one short SQLite transaction, in order. The prefetch asks for the
        page after the cursor the server just gave, which is the cursor that page's transaction
        stores; if an apply fails, the round ends (after the prefetch returns) and the next round pulls
        again from the stored cursor, so a page fetched but not applied is simply fetched again.

        A pull from the start cursor is a bootstrap: it ends with a row-count check (``bootstrap``),
        kept pending across interruptions until the last page of a later pull passes it.
        """
        progress.check()
        with store.read_tx(self.db) as raw:
            cursor = store.get(raw, Key.CURSOR) or protocol.START_CURSOR
            checking = cursor == protocol.START_CURSOR or bool(store.get(raw, bootstrap.PENDING))
            body = {"server_epoch": store.get(raw, Key.EPOCH), "schema_version": protocol.SCHEMA_VERSION,
                    "cursor": cursor, "limit": self.page_limit, "counts": checking}
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as fetcher:
            page = self.transport.pull(body)
            first = page if cursor == protocol.START_CURSOR else None  # a bootstrap begins with this page
            while True:
                upcoming = fetcher.submit(self.transport.pull, {**body, "cursor": page["cursor"]}) \
                    if page["has_more"] else None
                progress.check()
                with _applying(self.db) as raw:
                    stats = apply_rows(raw, page["changes"], store.dirty_fields(raw))
                    store.put(raw, Key.CURSOR, page["cursor"])
                    if page is first:
                        bootstrap.start(raw)
                    if checking:
                        bootstrap.record(raw, page.get("counts"), done=not page["has_more"], now=self._now())
                    if not page["has_more"]:
                        store.put(raw, Key.LAST_PULL_OK, self._now())
                result.pages += 1
                result.pulled += len(page["changes"])
                result.applied += stats.upserted + stats.deleted
                progress.update(result.pulled, None, "دریافت تغییرها")
                if upcoming is None:
                    return
                page = upcoming.result()

    # -- reset after a server restore ---------------------------------------------------------
    def reset(self, error_body: dict[str, Any], result: RoundResult, progress: Progress) -> Path:
        """Copy the database aside, forget what the old server incarnation sent, replay the outbox,
        bootstrap, sweep.

        The journal (the outbox) and the parked ops stay. The outbox is replayed *before* the
        bootstrap: an unsent local row that the restored server refuses (its national id is now
        another customer's) is parked first, so the bootstrap never meets it on a unique key.
        """
        epoch = error_body.get("server_epoch") or self.transport.sign_in().get("server_epoch")
        copy = backup_database(self.db.path, _forensic_path(self.db.path), key=self.db.key)
        with store.write_tx(self.db, applying=True) as raw:
            raw.execute("DELETE FROM sync_row_version")
            raw.execute("DELETE FROM sync_conflict")
            if epoch:
                store.put(raw, Key.EPOCH, epoch)
            store.put(raw, Key.CURSOR, protocol.START_CURSOR)
            store.put(raw, Key.LAST_RESET, str(copy))
            store.put(raw, RESET_PENDING, "1")
        self._finish_reset(result, progress)
        return copy

    def _finish_reset(self, result: RoundResult, progress: Progress) -> None:
        """Replay, bootstrap and sweep; interrupted (a fault, a crash), the next round starts here again."""
        self._push_all(result, progress)
        self._pull_all(result, progress)
        with store.write_tx(self.db, applying=True) as raw:
            sweep_unseen(raw, store.dirty_fields(raw))
            store.put(raw, RESET_PENDING, None)


def _forensic_path(db_path: Path) -> Path:
    """A new file for the copy taken before a reset: two resets in one second keep both copies."""
    path = timestamped_backup_path(db_path, "before-resync")
    n = 1
    while path.exists():
        n += 1
        path = path.with_name(f"{path.stem.split('~')[0]}~{n}{path.suffix}")
    return path


@contextmanager
def _applying(db: Database) -> Iterator[sqlite3.Connection]:
    """An applying transaction whose unique-key clash with a pending local change is a retryable error."""
    try:
        with store.write_tx(db, applying=True) as raw:
            yield raw
    except sqlite3.IntegrityError as exc:
        raise SyncError(MESSAGES[APPLY_CONFLICT], code=APPLY_CONFLICT, body={"detail": str(exc)}) from exc
