"""Encrypted databases for field laptops: SQLCipher with one random key, unlocked by each user's password.

The database is encrypted with a random 256-bit data key (SQLCipher raw key, so opening costs no extra
key derivation). The data key never touches the disk in the clear: the key file beside the database
(``<db>.keys.json``) holds it once per user, sealed with AES-256-GCM under a key derived from that user's
password with Argon2id (salt per user; time 3, memory 64 MiB, 1 lane). So:

* signing in derives the user's key and opens the seal; a wrong password or an unknown user fails the
  seal's check, and the message does not say which of the two was wrong;
* changing a password re-seals the same data key: the database is not re-encrypted and other users
  keep working;
* adding a user seals the data key for them (only someone who has unlocked the database holds it);
* without the key file, or without a password that opens one of its seals, the file is unreadable.
  Back the key file up with the database (backups made by the app are encrypted with the same key).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Final

from crm_desktop.errors import CrmError

KEY_FILE_SUFFIX: Final = ".keys.json"
SQLITE_MAGIC: Final = b"SQLite format 3\x00"
DATA_KEY_BYTES: Final = 32
ARGON2: Final = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 1}
FORMAT: Final = "crm-desktop-keys/1"
WRONG_PASSWORD: Final = "نام کاربری یا گذرواژه نادرست است."


class LockedDatabase(CrmError):
    """The encrypted database could not be opened with what was given."""

    code = "locked_database"


def key_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_FILE_SUFFIX)


def is_encrypted(db_path: Path) -> bool:
    """True when the database has a key file, or exists and is not a plain SQLite file."""
    if key_file(db_path).exists():
        return True
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    with db_path.open("rb") as f:
        return f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def raw_key_pragma(key: bytes) -> str:
    """The value of ``PRAGMA key`` for a raw key: ``x'<hex>'`` (SQLCipher skips its own KDF)."""
    return f"x'{key.hex()}'"


def connect(db_path: Path | str, key: bytes | None, *, uri: bool = False) -> sqlite3.Connection:
    """A DB-API connection (sqlite3, or sqlcipher3 with the key set and checked)."""
    if key is None:
        return sqlite3.connect(db_path, uri=uri)
    import sqlcipher3

    conn: sqlite3.Connection = sqlcipher3.connect(str(db_path), uri=uri)
    conn.execute(f'PRAGMA key = "{raw_key_pragma(key)}"')
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails here with a wrong key
    return conn


# -- the key file -------------------------------------------------------------------------------
def _derive(password: str, salt: bytes, params: dict[str, Any] = ARGON2) -> bytes:
    """The key that seals the data key for one password (Argon2id with the given cost parameters)."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(password.encode("utf-8"), salt, hash_len=32, type=Type.ID,
                           time_cost=int(params["time_cost"]), memory_cost=int(params["memory_cost"]),
                           parallelism=int(params["parallelism"]))


def _aad(username: str) -> bytes:
    return f"{FORMAT}:{username}".encode()


def _seal(data_key: bytes, username: str, password: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_derive(password, salt)).encrypt(nonce, data_key, _aad(username))
    b64 = base64.b64encode
    return {"kdf": "argon2id", **ARGON2, "salt": b64(salt).decode(), "nonce": b64(nonce).decode(),
            "sealed": b64(sealed).decode()}


def _open_seal(entry: dict[str, Any], username: str, password: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    b64 = base64.b64decode
    kek = _derive(password, b64(entry["salt"]), entry)  # the parameters it was sealed with
    try:
        return AESGCM(kek).decrypt(b64(entry["nonce"]), b64(entry["sealed"]), _aad(username))
    except InvalidTag:
        raise LockedDatabase(WRONG_PASSWORD) from None


def _read(db_path: Path) -> dict[str, Any]:
    path = key_file(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LockedDatabase(f"پرونده کلید پایگاه داده رمزگذاری‌شده («{path.name}») پیدا نشد.") from None
    except (OSError, ValueError):
        raise LockedDatabase(f"پرونده کلید «{path.name}» خوانا نیست.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("users"), dict):
        raise LockedDatabase(f"پرونده کلید «{path.name}» ساختار درستی ندارد.")
    return data


def _write(db_path: Path, data: dict[str, Any]) -> None:
    """Replace the key file atomically (a crash leaves the old one or the new one, never half)."""
    path = key_file(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _name(username: str) -> str:
    return username.strip().lower()


def create_key_file(db_path: Path, username: str, password: str) -> bytes:
    """A new data key sealed for its first user; returns the data key."""
    if key_file(db_path).exists():
        raise LockedDatabase(f"پرونده کلید «{key_file(db_path).name}» از پیش وجود دارد.")
    data_key = new_data_key()
    _write(db_path, {"format": FORMAT, "users": {_name(username): _seal(data_key, _name(username), password)}})
    return data_key


def unlock(db_path: Path, username: str, password: str) -> bytes:
    """The data key, opened with one user's password (the same Persian message for any failure)."""
    users = _read(db_path)["users"]
    name = _name(username)
    entry = users.get(name)
    if not isinstance(entry, dict):
        _derive(password, b"\0" * 16)  # as slow as a wrong password, so timing does not tell who exists
        raise LockedDatabase(WRONG_PASSWORD)
    return _open_seal(entry, name, password)


def grant(db_path: Path, data_key: bytes, username: str, password: str) -> None:
    """Seal the data key for ``username`` (a new user, or a changed password): replaces their old seal."""
    data = _read(db_path)
    data["users"][_name(username)] = _seal(data_key, _name(username), password)
    _write(db_path, data)


def revoke(db_path: Path, username: str) -> None:
    data = _read(db_path)
    data["users"].pop(_name(username), None)
    _write(db_path, data)
