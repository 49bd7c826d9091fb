"""Devices, registration codes, access tokens and clerks.

* **Registration.** An administrator runs ``crm-desktop-server device-code --branch CODE`` and gives the
  one-time code to the desk; ``POST /v1/devices/register`` trades it for a ``device_id`` and a random
  credential. The code is stored as its SHA-256, expires (24 h by default) and works once. The
  credential is shown once and stored hashed with Argon2id (argon2-cffi). The device's branch comes
  from the code, never from the request, and every later request takes its scope from the device row.
  ``peek_code`` reads a code's branch without using it (the register endpoint's ``dry_run``): a desk asks
  first and refuses a database of another branch while the code is still good.
* **Token.** ``POST /v1/auth/token`` takes the device credential plus the clerk's username and password
  and returns a short-lived JWT (PyJWT, HS256, ``TOKEN_TTL_S``) with ``device_id, branch_id, user_id,
  roles``. Each push and pull still re-reads the device row (revocation takes effect at once). A device id
  or credential that does not verify is ``device_credential`` (the desk's registration is void: an
  administrator registers it again), told apart from ``bad_credentials`` (the clerk's username or password).
* **Clerks on the server.** They are ordinary ``app_user`` rows. Desks create and edit users like any
  synced record (admins only), but ``password_hash`` never travels (catalog: local, class S), so a
  user that arrives from a desk cannot sign in to the server until
  ``crm-desktop-server user set-password`` gives it one; ``crm-desktop-server user add`` creates a
  user directly. The hash is the same Argon2id PHC string the desktop stores, so either side's
  ``PasswordHasher`` verifies it. A clerk must be active, not archived, and belong to the device's
  branch (administrators too: a device serves one branch).
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, text

from crm_desktop.server.errors import ApiError
from crm_desktop.sync.protocol import ErrorCode

ALGORITHM = "HS256"
UNUSABLE_PASSWORD = "!"  # app_user.password_hash of a user created on a desk: no server sign-in yet
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class Principal:
    """Who calls: the device (and its branch, from the device row) and the clerk signed in on it."""

    device_id: str
    branch_id: str
    user_id: str
    roles: tuple[str, ...]


def _sha256(value: str) -> str:
    return hashlib.sha256(value.strip().upper().replace("-", "").encode()).hexdigest()


def new_registration_code(engine: Engine, branch_code: str, *, ttl_s: int, created_by: str = "cli") -> str:
    """A one-time code for registering a desk of ``branch_code`` (shown once, stored hashed)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    with engine.begin() as conn:
        branch_id = conn.execute(text("SELECT id FROM branch WHERE code = :c AND deleted_at IS NULL"),
                                 {"c": branch_code}).scalar()
        if branch_id is None:
            raise LookupError(branch_code)
        conn.execute(
            text("INSERT INTO device_code(code_hash, branch_id, expires_at, created_by) "
                 "VALUES (:h, :b, now() + make_interval(secs => :ttl), :by)"),
            {"h": _sha256(raw), "b": branch_id, "ttl": ttl_s, "by": created_by},
        )
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def _usable_code(conn: Connection, code: str, *, lock: bool) -> Any:
    """The row of a code that is known, unused and unexpired (``FOR UPDATE`` when ``lock``), else ``bad_code``."""
    row = conn.execute(
        text("SELECT branch_id FROM device_code WHERE code_hash = :h AND used_at IS NULL AND expires_at > now()"
             + (" FOR UPDATE" if lock else "")), {"h": _sha256(code)},
    ).first()
    if row is None:
        raise ApiError(ErrorCode.BAD_CODE)
    return row


def peek_code(conn: Connection, code: str) -> dict[str, str]:
    """The branch a usable code registers for (``branch_id``, ``branch_code``, ``branch_name``); the code stays
    usable. A bad, used or expired code is ``bad_code``, as for a registration."""
    row = _usable_code(conn, code, lock=False)
    branch = conn.execute(text("SELECT code, name FROM branch WHERE id = :b"), {"b": row.branch_id}).one()
    return {"branch_id": str(row.branch_id), "branch_code": str(branch.code), "branch_name": str(branch.name)}


def register_device(conn: Connection, hasher: PasswordHasher, *, code: str, name: str, client_version: str,
                    schema_version: int) -> tuple[str, str, str]:
    """Use a registration code once; returns ``(device_id, credential, branch_id)``."""
    row = _usable_code(conn, code, lock=True)
    device_id, secret = str(uuid.uuid4()), secrets.token_urlsafe(32)
    conn.execute(
        text("INSERT INTO sync_device(device_id, branch_id, name, registered_by, credential_hash, client_version,"
             " schema_version) VALUES (:d, :b, :n, 'code', :h, :v, :s)"),
        {"d": device_id, "b": row.branch_id, "n": name, "h": hasher.hash(secret), "v": client_version,
         "s": schema_version},
    )
    conn.execute(text("UPDATE device_code SET used_at = now(), device_id = :d WHERE code_hash = :h"),
                 {"d": device_id, "h": _sha256(code)})
    return device_id, secret, str(row.branch_id)


def _verify(hasher: PasswordHasher, stored: str, secret: str) -> bool:
    try:
        return hasher.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(conn: Connection, hasher: PasswordHasher, *, device_id: str, credential: str, username: str,
                 password: str) -> Principal:
    """Check the device credential and the clerk; the clerk must be active in the device's branch.

    A device that does not verify is ``device_credential``, never ``bad_credentials``: the desk must not
    take a void registration for the clerk's wrong password.
    """
    device = conn.execute(text("SELECT branch_id, credential_hash, revoked_at FROM sync_device WHERE device_id = :d"),
                          {"d": device_id}).first()
    if device is None or not _verify(hasher, device.credential_hash, credential):
        raise ApiError(ErrorCode.DEVICE_CREDENTIAL)
    if device.revoked_at is not None:
        raise ApiError(ErrorCode.DEVICE_REVOKED)
    user = conn.execute(
        text("SELECT id, role, branch_id, password_hash, active, deleted_at FROM app_user WHERE username = :u"),
        {"u": username},
    ).first()
    if user is None or not _verify(hasher, user.password_hash, password):
        raise ApiError(ErrorCode.BAD_CREDENTIALS)
    if not user.active or user.deleted_at is not None or user.branch_id != device.branch_id:
        raise ApiError(ErrorCode.FORBIDDEN)
    conn.execute(text("UPDATE sync_device SET last_seen_at = now() WHERE device_id = :d"), {"d": device_id})
    return Principal(device_id, str(device.branch_id), str(user.id), (str(user.role),))


def issue_token(principal: Principal, *, secret: str, ttl_s: int) -> tuple[str, int]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": principal.device_id, "device_id": principal.device_id, "branch_id": principal.branch_id,
        "user_id": principal.user_id, "roles": list(principal.roles), "iat": now, "exp": now + ttl_s,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM), ttl_s


def read_token(token: str, *, secret: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as exc:
        raise ApiError(ErrorCode.TOKEN_INVALID) from exc
    return Principal(claims["device_id"], claims["branch_id"], claims["user_id"], tuple(claims["roles"]))


def load_device(conn: Connection, principal: Principal, *, lock: bool = False) -> Any:
    """The device row (``FOR UPDATE`` when ``lock``); refuses revoked devices. Scope comes from this row."""
    row = conn.execute(
        text("SELECT * FROM sync_device WHERE device_id = :d" + (" FOR UPDATE" if lock else "")),
        {"d": principal.device_id},
    ).first()
    if row is None:
        raise ApiError(ErrorCode.TOKEN_INVALID)
    if row.revoked_at is not None:
        raise ApiError(ErrorCode.DEVICE_REVOKED)
    return row


def add_user(conn: Connection, hasher: PasswordHasher, *, branch_code: str, username: str, full_name: str,
             role: str, password: str) -> str:
    """Create a clerk on the server (it syncs down to the branch's desks like any user)."""
    from crm_desktop.models import new_id

    branch_id = conn.execute(text("SELECT id FROM branch WHERE code = :c"), {"c": branch_code}).scalar()
    if branch_id is None:
        raise LookupError(branch_code)
    user_id = new_id()
    now = datetime.now(UTC)
    conn.execute(
        text("INSERT INTO app_user(id, username, full_name, role, branch_id, password_hash, active, created_at,"
             " updated_at, version, changed_by) VALUES (:id, :u, :n, :r, :b, :h, true, :now, :now, 1, 'server')"),
        {"id": user_id, "u": username, "n": full_name, "r": role, "b": branch_id, "h": hasher.hash(password),
         "now": now},
    )
    return user_id


def set_password(conn: Connection, hasher: PasswordHasher, *, username: str, password: str) -> None:
    done = conn.execute(text("UPDATE app_user SET password_hash = :h WHERE username = :u"),
                        {"h": hasher.hash(password), "u": username}).rowcount
    if not done:
        raise LookupError(username)


def add_branch(conn: Connection, *, code: str, name: str) -> str:
    from crm_desktop.models import new_id

    branch_id = new_id()
    now = datetime.now(UTC)
    conn.execute(
        text("INSERT INTO branch(id, code, name, created_at, updated_at, version, changed_by) "
             "VALUES (:id, :c, :n, :now, :now, 1, 'server')"),
        {"id": branch_id, "c": code, "n": name, "now": now},
    )
    return branch_id
