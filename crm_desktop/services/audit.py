"""What auditors read: the change journal (who changed what) and the access log (who looked)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from crm_desktop.models import AccessLogEntry, JournalEntry, User
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.paging import Page, PageKey, check_limit
from crm_desktop.services.permissions import Action, require
from crm_desktop.services.rows import names


@dataclass(frozen=True)
class JournalRow:
    seq: int
    tx_id: str
    table: str
    record_id: str
    kind: str
    changed: dict[str, list[Any]]
    user_id: str
    user_name: str
    device_id: str
    source: str
    at: datetime


@dataclass(frozen=True)
class AccessRow:
    seq: int
    at: datetime
    user_id: str | None
    user_name: str
    action: str
    target_table: str | None
    target_id: str | None
    detail: dict[str, Any] | None


class AuditService(ServiceBase):
    def history(self, actor: Actor, table: str, record_id: str) -> list[JournalRow]:
        """Every change of one record, oldest first."""
        require(actor, Action.READ_AUDIT)
        with self.db.read() as session:
            entries = session.scalars(
                select(JournalEntry).where(JournalEntry.tbl == table, JournalEntry.pk == record_id)
                .order_by(JournalEntry.seq)
            ).all()
            users = names(session, User, {e.user_id for e in entries}, User.full_name)
        return [_journal_row(e, users) for e in entries]

    def journal(self, actor: Actor, *, after: PageKey | None = None, limit: int = 500) -> Page[JournalRow]:
        """The whole journal in order, keyset-paged on ``seq``."""
        require(actor, Action.READ_AUDIT)
        check_limit(limit, 5000)
        query = select(JournalEntry).order_by(JournalEntry.seq).limit(limit)
        if after is not None:
            query = query.where(JournalEntry.seq > int(after[0]))
        with self.db.read() as session:
            entries = session.scalars(query).all()
            users = names(session, User, {e.user_id for e in entries}, User.full_name)
        rows = [_journal_row(e, users) for e in entries]
        return Page(rows, (str(rows[-1].seq),) if len(rows) == limit else None)

    def access_log(
        self, actor: Actor, *, target_id: str | None = None, after: PageKey | None = None, limit: int = 500
    ) -> Page[AccessRow]:
        """Who looked at what, newest first."""
        require(actor, Action.READ_AUDIT)
        check_limit(limit, 5000)
        query = select(AccessLogEntry).order_by(AccessLogEntry.seq.desc()).limit(limit)
        if target_id:
            query = query.where(AccessLogEntry.target_id == target_id)
        if after is not None:
            query = query.where(AccessLogEntry.seq < int(after[0]))
        with self.db.read() as session:
            entries = session.scalars(query).all()
            users = names(session, User, {e.user_id for e in entries}, User.full_name)
        rows = [
            AccessRow(e.seq, e.at, e.user_id, users.get(e.user_id or "", ""), e.action, e.target_tbl,
                      e.target_id, json.loads(e.detail) if e.detail else None)
            for e in entries
        ]
        return Page(rows, (str(rows[-1].seq),) if len(rows) == limit else None)


def _journal_row(e: JournalEntry, users: dict[str, str]) -> JournalRow:
    return JournalRow(e.seq, e.tx_id, e.tbl, e.pk, e.kind, json.loads(e.changed), e.user_id,
                      users.get(e.user_id, ""), e.device_id, e.source, e.created_at)
