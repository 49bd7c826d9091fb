"""Step-level oracles of the fault soak: what a desk must hold right after each step, not only at quiescence.

Later clean rounds repair a desk, so O3 alone lets an engine that is wrong *between* rounds pass. These
checks hold after every step on the real engine, faulted steps included (a faulted round may leave a desk
behind the server, never wrong about what it holds):

* **S1 (pending values kept)**: a field with a pending (unacked, unparked) op holds the value of its
  latest pending op: a server row never overwrites it (dirty-field protection).
* **S2 (held rows are the server's)**: a row with no pending op that the desk holds at the version the
  server has now equals the server's row (a re-asserted row must land: the ``>=`` guard).
* **S3 (checkpoints applied)**: a push answer the desk received is applied before the desk sends its next
  request: every row of its write checkpoint is held at that ``row_version`` or later.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from crm_desktop.server.schema import scope_sql
from crm_desktop.sync import catalog
from crm_desktop.sync.client import store
from crm_desktop.sync.client.transport import Transport
from crm_desktop.sync.protocol import CONFLICT_TABLE, Row
from crm_desktop.sync.values import from_python, normalize
from tests.server.soak_world import SoakDesk, SoakServer

CONFLICT_COLUMNS = ("tbl", "pk", "field", "status")
#: (tbl, pk) -> (row_version, scope, wire data)
Snapshot = dict[tuple[str, str], tuple[int, str, dict[str, Any]]]


def server_snapshot(server: SoakServer) -> Snapshot:
    """Every synced row and conflict record of the server: version, scope and data in wire form."""
    found: Snapshot = {}
    with server.engine.connect() as conn:
        for tbl in catalog.SYNCED_TABLES:
            spec = catalog.CATALOG[tbl]
            for r in conn.execute(text(f"SELECT t.*, {scope_sql(tbl, 't')} AS _scope FROM {tbl} t")).mappings():
                found[(tbl, str(r["id"]))] = (int(r["row_version"]), str(r["_scope"]),
                                              {c: from_python(spec.kinds[c], r[c]) for c in spec.wire_columns})
        for r in conn.execute(text("SELECT id::text AS id, tbl, pk::text AS pk, field, status, row_version,"
                                   " branch_id FROM sync_conflict")).mappings():
            found[(CONFLICT_TABLE, r["id"])] = (int(r["row_version"]), str(r["branch_id"]),
                                                {c: r[c] for c in CONFLICT_COLUMNS})
    return found


def pending_values_kept(desk: SoakDesk) -> list[str]:
    """S1: every field with a pending op holds the value of the latest pending op on it."""
    failures: list[str] = []
    with desk.db.read_raw() as raw:
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for tbl, pk, changed in raw.execute(
                "SELECT tbl, pk, changed FROM change_journal j WHERE seq > ? AND NOT EXISTS"
                " (SELECT 1 FROM sync_rejected r WHERE r.op_id = j.seq) ORDER BY seq", (store.pushed_seq(raw),)):
            if tbl in catalog.CATALOG:
                latest.setdefault((tbl, pk), {}).update({k: v[1] for k, v in json.loads(changed).items()})
        for (tbl, pk), fields in latest.items():
            spec = catalog.CATALOG[tbl]
            names = [f for f in fields if f in spec.kinds and f not in store.LOCAL_ONLY.get(tbl, ())]
            if not names:
                continue
            local = raw.execute(f'SELECT {", ".join(names)} FROM "{tbl}" WHERE id = ?', (pk,)).fetchone()
            if local is None:
                continue  # deleted (a tombstone, or a parked insert): nothing to keep
            for name, value in zip(names, local, strict=True):
                mine = normalize(spec.kinds[name], fields[name])
                if from_python(spec.kinds[name], value) != mine:
                    failures.append(f"S1 {desk.name}: {tbl}/{pk} {name} has a pending op writing {mine!r}"
                                    f" but holds {from_python(spec.kinds[name], value)!r}")
    return failures


def held_rows_match(desk: SoakDesk, snapshot: Snapshot) -> list[str]:
    """S2: rows without pending ops held at the server's current version equal the server's row."""
    failures: list[str] = []
    with desk.db.read_raw() as raw:
        held = {(t, p): int(v) for t, p, v in raw.execute("SELECT tbl, pk, version FROM sync_row_version")}
        dirty = store.dirty_fields(raw)
        for tbl in catalog.SYNCED_TABLES:
            spec = catalog.CATALOG[tbl]
            cur = raw.execute(f'SELECT id, {", ".join(spec.wire_columns)} FROM "{tbl}"')
            for row in cur.fetchall():
                key = (tbl, str(row[0]))
                theirs = snapshot.get(key)
                if theirs is None or held.get(key) != theirs[0] or key in dirty:
                    continue  # a local edit also moves bookkeeping columns no op carries (updated_at, version)
                ours = {c: from_python(spec.kinds[c], v) for c, v in zip(spec.wire_columns, row[1:], strict=True)}
                differ = {c: (ours[c], theirs[2][c]) for c in spec.wire_columns if ours[c] != theirs[2][c]}
                if differ:
                    failures.append(f"S2 {desk.name}: {tbl}/{key[1]} held at the server's version {theirs[0]}"
                                    f" differs (desk, server): {differ}")
        cur = raw.execute(f"SELECT id, {', '.join(CONFLICT_COLUMNS)} FROM sync_conflict WHERE status <> 'pending'")
        for row in cur.fetchall():
            key = (CONFLICT_TABLE, str(row[0]))
            theirs = snapshot.get(key)
            if theirs is None or held.get(key) != theirs[0]:
                continue
            ours = dict(zip(CONFLICT_COLUMNS, row[1:], strict=True))
            if ours != theirs[2]:
                failures.append(f"S2 {desk.name}: conflict {key[1]} held at the server's version {theirs[0]}"
                                f" differs: desk {ours}, server {theirs[2]}")
    return failures


class CheckpointWatch:
    """S3: wraps a desk transport's ``push`` and ``pull``; the rows of each push answer must be held (at their
    version or later) by the time the desk sends its next request from the sync thread (the pull prefetch
    thread does not check: it runs while a page is applied)."""

    def __init__(self, desk: SoakDesk) -> None:
        self.desk = desk
        self.rows: list[Row] = []
        self.failures: list[str] = []
        transport: Transport = desk.engine.transport
        push, pull = transport.push, transport.pull

        def watched(send: Callable[[dict[str, Any]], dict[str, Any]], keep: bool) -> Callable[..., dict[str, Any]]:
            def call(body: dict[str, Any]) -> dict[str, Any]:
                if not threading.current_thread().name.startswith("sync-pull"):
                    self.verify()
                answer = send(body)
                if keep:
                    self.rows = list(answer.get("rows") or [])
                return answer
            return call

        transport.push = watched(push, True)  # type: ignore[method-assign]
        transport.pull = watched(pull, False)  # type: ignore[method-assign]

    def forget(self) -> None:
        """The round ended in an error: its last answer may legitimately be unapplied."""
        self.rows = []

    def verify(self) -> None:
        rows, self.rows = self.rows, []
        wanted = [r for r in rows if r["tbl"] in catalog.CATALOG or r["tbl"] == CONFLICT_TABLE]
        if not wanted:
            return
        with self.desk.db.read_raw() as raw:
            held = {(t, p): int(v) for t, p, v in raw.execute("SELECT tbl, pk, version FROM sync_row_version")}
        for r in wanted:
            have = held.get((r["tbl"], r["pk"]))
            if have is None or have < int(r["row_version"]):
                self.failures.append(f"S3 {self.desk.name}: push answer row {r['tbl']}/{r['pk']} v{r['row_version']}"
                                     f" not applied (holds {have})")
