"""Opening a database and signing a user in, for the commands that act as a user (report, duplicates, import, sync).

An encrypted database is opened with the user's password before anything is read; on a demo database the
demo user is taken when ``--user`` is not given. Imports stay inside the functions: the CLI starts fast.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from crm_desktop.errors import CrmError

if TYPE_CHECKING:
    from crm_desktop.db import Database
    from crm_desktop.services import Services
    from crm_desktop.services.actor import Actor


class PasswordSource(Protocol):
    def password(self, prompt: str, *, confirm: bool = False) -> str: ...


@dataclass
class SignedIn:
    db: Database
    services: Services
    actor: Actor


def open_as(db_path: Path, user: str | None, console: PasswordSource) -> tuple[Database, str | None]:
    """The database at ``db_path``; an encrypted one is unlocked with ``user``'s password (returned too)."""
    from crm_desktop.db.cipher import is_encrypted
    from crm_desktop.db.migrate import open_database, open_database_as

    if not db_path.exists():
        raise CrmError(f"پایگاه داده «{db_path}» پیدا نشد.")
    if not is_encrypted(db_path):
        return open_database(db_path, create=False), None
    if not user:
        raise CrmError("کاربر را با --user بدهید: پایگاه داده رمزگذاری‌شده با گذرواژه او باز می‌شود.")
    password = console.password(f"گذرواژه {user}: ")
    return open_database_as(db_path, user, password), password


def sign_in(db_path: Path, args: argparse.Namespace, console: PasswordSource, *, why_user: str) -> SignedIn:
    """Open the database and authenticate ``--user`` (``why_user`` completes the message when it is missing).

    The caller disposes ``db``; on any failure here it is already disposed.
    """
    from crm_desktop.services import Services
    from crm_desktop.services.demo import DEMO_PASSWORD, DEMO_USERNAME

    db, password = open_as(db_path, args.user, console)
    try:
        services = Services(db)
        demo = db.meta("demo") == "1"
        username = args.user or (DEMO_USERNAME if demo else None)
        if not username:
            raise CrmError(f"کاربر را با --user بدهید: {why_user}.")
        if password is None and demo and username == DEMO_USERNAME and not args.user and not args.password_stdin:
            password = DEMO_PASSWORD
        elif password is None:
            password = console.password(f"گذرواژه {username}: ")
        return SignedIn(db, services, services.users.authenticate(username, password))
    except BaseException:
        db.dispose()
        raise
