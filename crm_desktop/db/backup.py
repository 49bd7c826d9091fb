"""Consistent copies of a live database through SQLite's backup API."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

PagesCallback = Callable[[int, int, int], object]


def backup_database(source: Path, target: Path, *, pages: int = -1, progress: PagesCallback | None = None) -> Path:
    """Copy ``source`` to ``target`` page by page, WAL included; returns ``target``.

    ``progress(status, remaining, total)`` is called after each step of ``pages`` pages and may
    raise to abandon the copy.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
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
