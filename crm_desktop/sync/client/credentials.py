"""The device credential in the operating system's keystore (design note §10), through ``keyring``.

The credential the server issued at registration is kept under service ``crm-desktop`` and an account
named after this database's own id (``app_meta 'device_id'``, one per database file), so two databases on
one machine never share it; ``sync_state 'credential'`` then holds only a marker. Where no usable keystore
exists (a headless Linux server: ``NoKeyringError``, the ``fail`` backend, a Secret Service that cannot
be reached) the credential stays in ``sync_state`` as before, and the log says so once.

``store.put`` and ``store.get`` call these inside their SQLite transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "crm-desktop"
MARKER = "keyring:"  # sync_state holds MARKER + the account name when the keystore holds the secret
ACCOUNT_PREFIX = "device-credential-"

_fallback_logged = threading.Event()


class KeystoreUnavailable(Exception):
    """No usable keystore: the credential stays in the database."""


def account(raw: sqlite3.Connection) -> str:
    """The keystore account of this database: its own id (``app_meta``), not the path (files move)."""
    row = raw.execute("SELECT v FROM app_meta WHERE k = 'device_id'").fetchone()
    if row is None or not row[0]:
        raise KeystoreUnavailable("this database has no id")
    return f"{ACCOUNT_PREFIX}{row[0]}"


def in_keystore(stored: str | None) -> bool:
    """Whether a ``sync_state`` value is the marker of a credential kept in the keystore."""
    return stored is not None and stored.startswith(MARKER)


def _backend() -> KeyringBackend:
    """The keyring backend, or ``KeystoreUnavailable`` when it is the "no keystore" one."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeystoreUnavailable(type(backend).__name__)
    return backend


def _fallback(reason: object) -> None:
    if not _fallback_logged.is_set():
        _fallback_logged.set()
        log.warning("No usable OS keystore (%s): the device credential is kept in the database's sync_state.",
                    reason)


def save(raw: sqlite3.Connection, credential: str) -> str:
    """Put ``credential`` in the keystore; returns what ``sync_state`` keeps (the marker, or the
    credential itself when no keystore can take it)."""
    from keyring.errors import KeyringError

    try:
        name = account(raw)
        backend = _backend()
        backend.set_password(SERVICE, name, credential)
    except (KeystoreUnavailable, KeyringError, OSError) as exc:
        _fallback(exc)
        return credential
    return f"{MARKER}{name}"


def load(stored: str | None) -> str | None:
    """The credential behind a ``sync_state`` value: read from the keystore when it is a marker.

    A marker whose secret cannot be read (the keystore is locked or the entry was removed) gives ``""``:
    the server then refuses the desk with a clear message instead of the app failing here.
    """
    if not in_keystore(stored):
        return stored
    assert stored is not None
    from keyring.errors import KeyringError

    try:
        found = _backend().get_password(SERVICE, stored[len(MARKER):])
    except (KeystoreUnavailable, KeyringError, OSError) as exc:
        log.warning("The device credential could not be read from the OS keystore: %s", exc)
        return ""
    if found is None:
        log.warning("The OS keystore has no device credential for %s.", stored[len(MARKER):])
        return ""
    return str(found)


def forget(stored: str | None) -> None:
    """Remove the keystore entry behind a marker (the desk registers again, or is wiped)."""
    if not in_keystore(stored):
        return
    assert stored is not None
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        _backend().delete_password(SERVICE, stored[len(MARKER):])
    except PasswordDeleteError:
        return  # already gone
    except (KeystoreUnavailable, KeyringError, OSError) as exc:
        log.warning("The old device credential could not be removed from the OS keystore: %s", exc)
