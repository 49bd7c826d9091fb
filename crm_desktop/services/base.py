"""What every service shares: the database, a clock, write transactions and the access log."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from crm_desktop.db import Database, WriteContext
from crm_desktop.models import AccessLogEntry, utc_now
from crm_desktop.services.actor import Actor

Clock = Callable[[], datetime]


class ServiceBase:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.now = clock

    @contextmanager
    def _write(self, actor: Actor | None, source: str = "app") -> Iterator[Session]:
        user = actor.user_id if actor is not None else "system"
        with self.db.write(WriteContext(user_id=user, source=source)) as session:
            yield session

    def _log_access(
        self,
        session: Session,
        actor: Actor | None,
        action: str,
        target_tbl: str | None = None,
        target_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        session.add(
            AccessLogEntry(
                at=self.now(),
                user_id=actor.user_id if actor else None,
                device_id=self.db.device_id,
                action=action,
                target_tbl=target_tbl,
                target_id=target_id,
                detail=json.dumps(detail, ensure_ascii=False) if detail else None,
            )
        )

    def record_access(
        self,
        actor: Actor,
        action: str,
        target_tbl: str | None = None,
        target_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Write one access-log row in its own short transaction (exports, reports, views)."""
        with self._write(actor, "access") as session:
            self._log_access(session, actor, action, target_tbl, target_id, detail)
