"""Fixtures of the import tests: the service on the test world, and database checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crm_desktop.services.importing import ImportService
from tests.conftest import World


@pytest.fixture
def importer(world: World) -> ImportService:
    return ImportService(world.db, world.clock)


def count(db_path: Path, sql: str, *args: object) -> int:
    with sqlite3.connect(db_path) as conn:
        value = conn.execute(sql, args).fetchone()[0]
    return int(value)


def customers(db_path: Path) -> int:
    return count(db_path, "SELECT count(*) FROM customer")


def import_journal(db_path: Path, name: str) -> int:
    return count(db_path, "SELECT count(*) FROM change_journal WHERE source = ?", f"import:{name}")
