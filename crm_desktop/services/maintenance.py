"""Keeping the branch database safe: a consistent backup to a file the user chooses."""

from __future__ import annotations

import os
from pathlib import Path

from crm_desktop.db.backup import backup_database
from crm_desktop.errors import CrmError
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.permissions import Action, require

PAGES_PER_STEP = 2048


class MaintenanceService(ServiceBase):
    def backup_to(self, actor: Actor, target: Path | str, progress: Progress | None = None) -> Path:
        """Copy the live database to ``target`` with SQLite's backup API (never a plain file copy).

        The copy is written next to the target and renamed at the end, so a cancelled or failed
        backup never leaves a half-written file under the chosen name.
        """
        require(actor, Action.BACKUP)
        progress = progress or NullProgress()
        target = Path(target)
        source = Path(self.db.path)
        if not target.name:
            raise InvalidInput({"target": "نام فایل پشتیبان را وارد کنید."})
        if target.resolve() == source.resolve():
            raise InvalidInput({"target": "فایل پشتیبان نمی‌تواند خود پایگاه داده باشد."})
        if not target.parent.is_dir():
            raise InvalidInput({"target": "پوشه فایل پشتیبان وجود ندارد."})
        partial = target.with_name(target.name + ".partial")

        def step(_status: int, remaining: int, total: int) -> None:
            progress.update(total - remaining, total, "پشتیبان‌گیری")
            progress.check()

        try:
            backup_database(source, partial, pages=PAGES_PER_STEP, progress=step)
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CrmError(f"پشتیبان‌گیری انجام نشد: {exc.strerror or exc}", code="backup_failed") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.record_access(actor, "backup", detail={"target": str(target)})
        return target
