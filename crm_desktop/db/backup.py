"""Consistent copies of a live database through SQLite's backup API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from crm_desktop.db.cipher import connect

PagesCallback = Callable[[int, int, int], object]


def backup_database(
    source: Path, target: Path, *, pages: int = -1, progress: PagesCallback | None = None, key: bytes | None = None
) -> Path:
    """Copy ``source`` to ``target`` page by page, WAL included; returns ``target``.

    An encrypted database (``key``) is copied into a file encrypted with the same key.

    ``progress(status, remaining, total)`` is called after each step of ``pages`` pages and may
    raise to abandon the copy.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    src = connect(source, key)
    try:
        dst = connect(target, key)
        try:
            src.backup(dst, pages=pages, progress=progress)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def timestamped_backup_path(db_path: Path, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return db_path.with_name(f"{db_path.stem}.{label}-{stamp}{db_path.suffix or '.db'}")
