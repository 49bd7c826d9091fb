"""The clerk's sync inbox: conflicts that need a person (design note §9) and changes the server refused.

A decision on a conflict is one unit of work: a ``resolve`` op written into the change journal (the
outbox and the audit trail; its wire shape is in ``sync.protocol``) and the local conflict row marked
``pending`` so the inbox hides it until the server's answer replaces the row. The record itself is not
touched here: it shows the chosen value after the next sync round.

A refused ("couldn't save") change can be retried, which captures it again as a new op based on what
this desk holds now, or discarded with a note (audited in the access log). Both are one unit of work.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from crm_desktop.db.journal import ENTRY_SQL
from crm_desktop.db.session import driver_connection
from crm_desktop.models.base import from_utc_text, to_utc_text
from crm_desktop.models.enums import Role
from crm_desktop.persian import ValidationError
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.customer_fields import clean_customer, tidy_text
from crm_desktop.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.merge_plan import MERGE_FIELDS
from crm_desktop.services.permissions import Action, require, require_branch
from crm_desktop.services.sync_conflicts.labels import (
    field_label,
    reason_text,
    record_label,
    value_text,
)
from crm_desktop.services.sync_conflicts.retry import recapture
from crm_desktop.sync import catalog, protocol
from crm_desktop.sync.values import normalize

PENDING = "pending"  # decided on this desk, the resolve op not answered yet
_HLC_MS = re.compile(r"^(\d{10,16})")


@dataclass(frozen=True)
class ConflictCard:
    """One open conflict of one field, ready to show: texts are Persian display strings."""

    id: str
    table: str
    record_id: str
    record_label: str
    field: str
    field_label: str
    needs_note: bool
    base: str
    current: str
    mine: str
    current_value: Any  # wire form (an edit starts from it)
    mine_value: Any
    current_author: str
    mine_author: str
    mine_at: datetime | None  # when the desk's edit was made (device time: display only)
    detected_at: datetime | None  # when the server found the conflict
    mine_is_yours: bool
    moved: bool  # the record here no longer holds the server value of the conflict


@dataclass(frozen=True)
class ParkedChange:
    """A change the server refused, waiting for the clerk (retry or discard)."""

    op_id: int
    table: str
    record_id: str
    record_label: str
    kind: str
    fields: tuple[str, ...]  # Persian labels of the fields it carries
    reason: str  # Persian
    author: str
    rejected_at: datetime | None


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return from_utc_text(value)
    except ValueError:
        return None


def _hlc_time(hlc: str | None) -> datetime | None:
    found = _HLC_MS.match(hlc or "")
    return datetime.fromtimestamp(int(found.group(1)) / 1000, UTC) if found else None


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


class SyncConflictService(ServiceBase):
    # -- conflicts ---------------------------------------------------------------------------
    def list_open(self, actor: Actor) -> list[ConflictCard]:
        """Open conflicts of the actor's branch (every branch for administrators and auditors), mine first."""
        require(actor, Action.VIEW_CUSTOMER)
        with self.db.read() as session:
            rows = session.execute(text(
                "SELECT id, branch_id, tbl, pk, field, base, server_value, client_value, server_author,"
                " client_author, client_hlc, created_at FROM sync_conflict WHERE status = 'open'"
                " AND (:all OR branch_id = :branch) ORDER BY client_author = :me DESC, created_at, id"),
                {"all": actor.sees_all_branches, "branch": actor.branch_id, "me": actor.user_id}).all()
            authors = self._names(session, {r.server_author for r in rows} | {r.client_author for r in rows})
            cards = [self._card(session, actor, r, authors) for r in rows]
        return cards

    def _card(self, session: Session, actor: Actor, r: Any, authors: dict[str, str]) -> ConflictCard:
        base, server, mine = _loads(r.base), _loads(r.server_value), _loads(r.client_value)
        held = self._held_value(session, r.tbl, r.pk, r.field)
        return ConflictCard(
            id=r.id, table=r.tbl, record_id=r.pk, record_label=record_label(session, r.tbl, r.pk),
            field=r.field, field_label=field_label(r.tbl, r.field), needs_note=protocol.needs_note(r.tbl, r.field),
            base=value_text(r.tbl, r.field, base), current=value_text(r.tbl, r.field, server),
            mine=value_text(r.tbl, r.field, mine), current_value=server, mine_value=mine,
            current_author=authors.get(r.server_author or "", "—"), mine_author=authors.get(r.client_author or "", "—"),
            mine_at=_hlc_time(r.client_hlc), detected_at=_time(r.created_at),
            mine_is_yours=r.client_author == actor.user_id,
            moved=held is not _MISSING and held != server,
        )

    def _held_value(self, session: Session, tbl: str, pk: str, field: str) -> Any:
        spec = catalog.CATALOG.get(tbl)
        if spec is None or field not in spec.kinds:
            return _MISSING
        value = session.execute(text(f'SELECT "{field}" FROM "{tbl}" WHERE id = :pk'), {"pk": pk}).first()
        return _MISSING if value is None else normalize(spec.kinds[field], value[0])

    def _names(self, session: Session, ids: set[str | None]) -> dict[str, str]:
        wanted = [i for i in ids if i]
        if not wanted:
            return {}
        marks = ", ".join(f":u{i}" for i in range(len(wanted)))
        found = session.execute(text(f"SELECT id, full_name FROM app_user WHERE id IN ({marks})"),
                                {f"u{i}": v for i, v in enumerate(wanted)}).all()
        return {r.id: r.full_name for r in found}

    def resolve(self, actor: Actor, conflict_id: str, choice: str, value: Any = None,
                note: str | None = None) -> Outcome[int]:
        """Decide one conflict; returns the op id of the ``resolve`` op that carries the decision."""
        require(actor, Action.EDIT_CUSTOMER)
        note = (note or "").strip() or None
        with self._write(actor, "sync-resolve") as session:
            row = session.execute(text("SELECT * FROM sync_conflict WHERE id = :id"), {"id": conflict_id}).first()
            if row is None:
                raise NotFound("این تعارض پیدا نشد.")
            require_branch(actor, row.branch_id)
            if row.status != "open":
                raise Conflict("دربارهٔ این تعارض پیش‌تر تصمیم گرفته شده است.")
            errors: dict[str, str] = {}
            if choice not in protocol.RESOLVE_CHOICES:
                errors["choice"] = "یکی از گزینه‌ها را انتخاب کنید."
            if protocol.needs_note(row.tbl, row.field) and note is None:
                errors["note"] = f"برای «{field_label(row.tbl, row.field)}» نوشتن دلیل تصمیم لازم است."
            if errors:
                raise InvalidInput(errors)
            seen = _loads(row.server_value)
            chosen = {protocol.KEEP_CURRENT: seen, protocol.USE_MINE: _loads(row.client_value)}.get(choice)
            if choice == protocol.EDIT:
                chosen = self._clean_value(session, row.tbl, row.pk, row.field, value)
            changed = protocol.resolve_change(choice, seen, chosen, note)
            seq = self._journal(session, protocol.CONFLICT_TABLE, conflict_id, "resolve", changed)
            session.execute(text(
                "UPDATE sync_conflict SET status = :s, resolved_by = :u, resolved_at = :at, resolution = :r,"
                " note = :n WHERE id = :id"),
                {"s": PENDING, "u": actor.user_id, "at": _utc(self.now()), "n": note, "id": conflict_id,
                 "r": json.dumps({"choice": choice, "value": chosen, "op_id": seq}, ensure_ascii=False)})
        return Outcome(seq, _changes(row.tbl, row.pk))

    def _clean_value(self, session: Session, tbl: str, pk: str, field: str, value: Any) -> Any:
        """A typed third value, cleaned like the record's form cleans it, in wire form."""
        spec = catalog.CATALOG[tbl]
        if tbl == "customer" and field in MERGE_FIELDS:
            current = session.execute(text("SELECT * FROM customer WHERE id = :id"), {"id": pk}).mappings().first()
            if current is None:
                raise NotFound("پروندهٔ این تعارض روی این میز نیست.")
            data = {k: current[k] for k in ("kind", *MERGE_FIELDS)}
            data["marketing_consent"] = bool(data["marketing_consent"])
            data[field] = value
            clean, errors = clean_customer(data, self.now().date())
            if field in errors:
                raise InvalidInput({"value": errors[field]})
            value = clean.get(field)
        elif isinstance(value, str):
            try:
                value = tidy_text(value)
            except ValidationError as exc:
                raise InvalidInput({"value": exc.message}) from None
        try:
            return normalize(spec.kinds[field], value)
        except (ValueError, TypeError):
            raise InvalidInput({"value": f"مقدار «{field_label(tbl, field)}» نامعتبر است."}) from None

    def _journal(self, session: Session, tbl: str, pk: str, kind: str, changed: dict[str, list[Any]]) -> int:
        """One journal entry written by hand, with the unit of work's context (as the triggers write it)."""
        raw = driver_connection(session)
        raw.execute(ENTRY_SQL, (tbl, pk, kind, json.dumps(changed, ensure_ascii=False)))
        seq: int = raw.execute("SELECT last_insert_rowid()").fetchone()[0]
        return seq

    # -- changes the server refused ----------------------------------------------------------
    def list_rejected(self, actor: Actor) -> list[ParkedChange]:
        """Parked changes no one has retried or discarded yet, oldest first."""
        require(actor, Action.VIEW_CUSTOMER)
        with self.db.read() as session:
            rows = session.execute(text(
                "SELECT r.op_id, r.tbl, r.pk, r.kind, r.changed, r.reason, r.detail, r.rejected_at, j.user_id"
                " FROM sync_rejected r LEFT JOIN change_journal j ON j.seq = r.op_id"
                " WHERE r.resolution IS NULL ORDER BY r.op_id")).all()
            authors = self._names(session, {r.user_id for r in rows})
            return [ParkedChange(
                op_id=r.op_id, table=r.tbl, record_id=r.pk, record_label=record_label(session, r.tbl, r.pk),
                kind=r.kind, fields=tuple(field_label(r.tbl, f) for f in _loads(r.changed) or {}),
                reason=reason_text(r.reason, r.detail), author=authors.get(r.user_id or "", "—"),
                rejected_at=_time(r.rejected_at)) for r in rows if self._may_see(session, actor, r.tbl, r.pk)]

    def _may_see(self, session: Session, actor: Actor, tbl: str, pk: str) -> bool:
        if actor.sees_all_branches or tbl not in ("customer", "service_request", "interaction"):
            return True
        branch = session.execute(text(f'SELECT branch_id FROM "{tbl}" WHERE id = :id'), {"id": pk}).scalar()
        return branch is None or branch == actor.branch_id

    def _parked(self, session: Session, actor: Actor, op_id: int) -> Any:
        require(actor, Action.EDIT_CUSTOMER)
        row = session.execute(text(
            "SELECT r.*, j.user_id FROM sync_rejected r LEFT JOIN change_journal j ON j.seq = r.op_id"
            " WHERE r.op_id = :id"), {"id": op_id}).first()
        if row is None or not self._may_see(session, actor, row.tbl, row.pk):
            raise NotFound("این تغییر در فهرست «ذخیره نشد» نیست.")
        if row.resolution is not None:
            raise Conflict("دربارهٔ این تغییر پیش‌تر تصمیم گرفته شده است.")
        if actor.role is Role.CLERK and row.user_id != actor.user_id:
            raise PermissionDenied("کارمند فقط تغییرهای خودش را دوباره می‌فرستد یا کنار می‌گذارد.")
        return row

    def retry(self, actor: Actor, op_id: int) -> Outcome[int]:
        """Capture a refused change again as a new op (based on what this desk holds now); returns its op id."""
        with self._write(actor, "sync-retry") as session:
            row = self._parked(session, actor, op_id)
            seq = recapture(session, row, lambda *a: self._journal(session, *a), actor.user_id, self.now())
            self._close(session, op_id, {"action": "retried", "op_id": seq}, actor)
            self._log_access(session, actor, "sync_retry", row.tbl, row.pk, {"op_id": op_id, "new_op_id": seq})
        return Outcome(seq, _changes(row.tbl, row.pk))

    def discard(self, actor: Actor, op_id: int, note: str) -> Outcome[int]:
        """Give a refused change up for good (the UI asks first); the note and who are audited."""
        note = (note or "").strip()
        if not note:
            raise InvalidInput({"note": "دلیل کنار گذاشتن این تغییر را بنویسید."})
        with self._write(actor, "sync-discard") as session:
            row = self._parked(session, actor, op_id)
            self._close(session, op_id, {"action": "discarded", "note": note}, actor)
            if row.kind == "resolve":  # the decision did not land: the conflict needs one again
                session.execute(text("UPDATE sync_conflict SET status = 'open', resolved_by = NULL,"
                                     " resolved_at = NULL, resolution = NULL, note = NULL"
                                     " WHERE id = :id AND status = :p"), {"id": row.pk, "p": PENDING})
            self._log_access(session, actor, "sync_discard", row.tbl, row.pk,
                             {"op_id": op_id, "note": note, "changed": _loads(row.changed)})
        return Outcome(op_id, _changes(row.tbl, row.pk))

    def _close(self, session: Session, op_id: int, resolution: dict[str, Any], actor: Actor) -> None:
        resolution = {**resolution, "by": actor.user_id, "at": _utc(self.now())}
        session.execute(text("UPDATE sync_rejected SET resolution = :r WHERE op_id = :id"),
                        {"r": json.dumps(resolution, ensure_ascii=False), "id": op_id})


class _Missing:
    pass


_MISSING: Any = _Missing()


def _utc(moment: datetime) -> str:
    return to_utc_text(moment)


def _changes(tbl: str, pk: str) -> Changes:
    if tbl == "customer":
        return Changes(customers=frozenset({pk}))
    if tbl == "service_request":
        return Changes(requests=frozenset({pk}))
    if tbl == "interaction":
        return Changes(interactions=frozenset({pk}))
    return Changes()


__all__ = ["PENDING", "ConflictCard", "ParkedChange", "SyncConflictService"]
