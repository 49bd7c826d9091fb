"""Shared fixtures: a migrated template database copied per test, services, and one actor per role."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import argon2
import pytest
from argon2 import PasswordHasher

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never write test credentials into a developer's real OS keystore (the server tests register desks).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from crm_desktop.db import Database
from crm_desktop.db.migrate import open_database
from crm_desktop.services import Services
from crm_desktop.services.actor import Actor

CHEAP_HASHER = PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
PASSWORD = "Branch2026pass"


class FakeClock:
    """A settable UTC clock for services (SLA, lockout and dates depend on it)."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


@dataclass
class World:
    """A branch database with two branches and a user of every role."""

    db: Database
    services: Services
    clock: FakeClock
    admin: Actor
    manager: Actor
    clerk: Actor
    clerk2: Actor
    other_clerk: Actor
    auditor: Actor
    branch_id: str
    other_branch_id: str


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at head, migrated once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(path)
    db.dispose()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template (with its own device id) for one test."""
    import sqlite3
    import uuid

    target = tmp_path / "crm.db"
    shutil.copy(template_db, target)
    conn = sqlite3.connect(target)
    conn.execute("UPDATE app_meta SET v = ? WHERE k = 'device_id'", (str(uuid.uuid4()),))
    conn.commit()
    conn.close()
    return target


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    # Sunday 1405/09/02, 10:00 Tehran time: a working day.
    return FakeClock(datetime(2026, 11, 23, 6, 30, tzinfo=UTC))


@pytest.fixture
def services(db: Database, clock: FakeClock) -> Services:
    return Services(db, clock=clock, hasher=CHEAP_HASHER)


@pytest.fixture
def world(db: Database, services: Services, clock: FakeClock) -> World:
    admin = services.users.first_run(
        branch_code="1021", branch_name="شعبه مرکزی", username="admin", full_name="مدیر سامانه", password=PASSWORD
    )
    from crm_desktop.db import WriteContext
    from crm_desktop.models import Branch

    with db.write(WriteContext(user_id=admin.user_id, source="test")) as session:
        other = Branch(code="2040", name="شعبه ونک")
        session.add(other)
        session.flush()
        other_id = other.id

    def add(username: str, name: str, role: str, branch: str) -> Actor:
        services.users.add(admin, username=username, full_name=name, role=role, branch_id=branch, password=PASSWORD)
        return services.users.authenticate(username, PASSWORD)

    return World(
        db=db,
        services=services,
        clock=clock,
        admin=admin,
        manager=add("manager", "رضا رئیسی", "manager", admin.branch_id),
        clerk=add("clerk", "مریم کارمند", "clerk", admin.branch_id),
        clerk2=add("clerk2", "حسن همکار", "clerk", admin.branch_id),
        other_clerk=add("other", "سارا دیگری", "clerk", other_id),
        auditor=add("auditor", "بهرام بازرس", "auditor", admin.branch_id),
        branch_id=admin.branch_id,
        other_branch_id=other_id,
    )


@pytest.fixture
def customer(world: World) -> str:
    """A customer of the clerk's branch."""
    from crm_desktop.persian.validators import make_national_id
    from crm_desktop.services.records import CustomerInput

    data = CustomerInput(first_name="علی", last_name="کریمی", national_id=make_national_id("001234567"))
    return world.services.customers.create(world.clerk, data).value.id


@pytest.fixture
def other_customer(world: World) -> str:
    """A customer of the other branch."""
    from crm_desktop.persian.validators import make_national_id
    from crm_desktop.services.records import CustomerInput

    data = CustomerInput(first_name="سارا", last_name="ونکی", national_id=make_national_id("007654321"),
                         branch_id=world.other_branch_id)
    return world.services.customers.create(world.admin, data).value.id
