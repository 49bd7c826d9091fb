"""PostgreSQL tests: skipped without DATABASE_URL; each test module gets a fresh, migrated database."""

from __future__ import annotations

import importlib.util
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.server.helpers import Server

DATABASE_URL = os.environ.get("DATABASE_URL")
HERE = Path(__file__).parent

if importlib.util.find_spec("fastapi") is None:  # the optional `server` dependencies are not installed
    collect_ignore_glob = ["test_*.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without DATABASE_URL, skip the tests of this folder (this hook sees the whole session's items)."""
    if DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="DATABASE_URL is not set (eval \"$(tools/pg_throwaway.sh)\" starts a cluster)")
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(skip)


@contextmanager
def scratch_database() -> Iterator[str]:
    """The URL of a new, empty database (CREATE DATABASE from DATABASE_URL), dropped afterwards."""
    from sqlalchemy import create_engine, make_url

    assert DATABASE_URL
    base = make_url(DATABASE_URL)
    name = f"crm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A new database migrated to head, dropped afterwards."""
    from crm_desktop.server.db import make_engine, migrate

    with scratch_database() as url:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[Server]:
    """A service on the module's database with branches 1021 and 2040; a module that needs another
    server defines its own ``server`` (or imports one), which takes precedence over this one."""
    from tests.server.helpers import make_server

    srv = make_server(database_url)
    srv.branch("1021", "شعبه مرکزی")
    srv.branch("2040", "شعبه ونک")
    yield srv
    srv.engine.dispose()
