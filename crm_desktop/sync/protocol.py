"""The sync protocol: message shapes, op hashing, status names, error codes and limits (design note §6).

Every request and response body is JSON. Types here are ``TypedDict``s (what travels) so the
desktop and the service describe the same shapes; the service validates them with pydantic.

Op payload hash: ``op_sha256(op)`` is the SHA-256 of the canonical JSON (sorted keys, no spaces,
UTF-8, no ASCII escaping) of the op's fields that define its effect: ``op_id, tx_id, tbl, pk, kind,
changed, user_id``. The HLC is left out (it is audit data). A resend with the same ``op_id`` and the
same hash is a duplicate; a different hash is ``op_id_reuse``.

Cursor: ``"<txid>:<change_id>"`` (``"0:0"`` for a bootstrap); opaque to the desktop.

Resolve op (design note §9): a clerk's decision on a conflict record travels as an op with
``kind = "resolve"``, ``tbl = "sync_conflict"`` and ``pk`` = the conflict id. Its ``changed`` keeps the
``{name: [old, new]}`` shape of every op (see ``ResolveChange``): ``choice`` ``[null, "keep_current" |
"use_mine" | "edit"]``; ``value`` ``[<the conflict's server value, as the clerk saw it>, <the value
chosen, in wire form>]``; ``note`` ``[null, <the clerk's reason or null>]``. The server writes the value
only while the field still holds the value the clerk saw; otherwise it opens a new conflict.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final, Literal, NotRequired, TypedDict

#: The desktop data schema (app_meta ``schema_version``) the synced columns correspond to.
SCHEMA_VERSION = 5
#: The oldest desktop schema the service still accepts by default (N-2).
MIN_SCHEMA_VERSION = 3

MAX_PUSH_OPS = 500
MAX_PUSH_BYTES = 1_000_000
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 1000
MAX_WAIT_S = 25
TOKEN_TTL_S = 15 * 60
#: Device time is clamped to server time plus this much (it never decides a winner anyway).
HLC_CLAMP_MS = 5 * 60 * 1000
START_CURSOR = "0:0"

OpKind = Literal["insert", "update", "delete", "restore", "purge", "resolve"]
OP_KINDS: tuple[str, ...] = ("insert", "update", "delete", "restore", "purge", "resolve")

# Per-op statuses.
APPLIED = "applied"
MERGED = "merged"
CONFLICT = "conflict"
DUPLICATE = "duplicate"
REJECTED = "rejected"
GAP = "gap"
OpStatus = Literal["applied", "merged", "conflict", "duplicate", "rejected", "gap"]

# Row kinds in push checkpoints and pull pages.
RowKind = Literal["upsert", "remove", "tombstone"]
UPSERT: Final = "upsert"
REMOVE: Final = "remove"  # the row left this device's scope: delete the local copy, capture nothing
TOMBSTONE: Final = "tombstone"  # the row was deleted on the server


class ErrorCode:
    """Stable codes of HTTP error bodies ``{"code", "message" (Persian), ...}``."""

    EPOCH_MISMATCH = "epoch_mismatch"  # 409
    OP_ID_REUSE = "op_id_reuse"  # 409
    GAP = "gap"  # 422, with ``expected``
    UPGRADE_REQUIRED = "upgrade_required"  # 426
    RESYNC_REQUIRED = "resync_required"  # 410, with ``reason``: epoch | horizon | scope
    DEVICE_REVOKED = "device_revoked"  # 401
    BAD_CREDENTIALS = "bad_credentials"  # 401: the clerk's username or password
    DEVICE_CREDENTIAL = "device_credential"  # 401: the device id or credential does not verify (register again)
    TOKEN_INVALID = "token_invalid"  # 401
    FORBIDDEN = "forbidden"  # 403
    BAD_CODE = "bad_registration_code"  # 403
    DEVICE_MISMATCH = "device_mismatch"  # 403: the body names another device than the token
    INVALID = "invalid_request"  # 422
    TOO_LARGE = "too_large"  # 413
    BUSY = "busy"  # 503 + Retry-After


# Reasons stored with a rejected op (the desktop shows the message in its "couldn't save" list).
class Reason:
    NOT_IN_SCOPE = "not_in_scope"
    ROLE = "role"
    SERVER_FIELD = "server_field"
    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_FIELD = "unknown_field"
    BAD_VALUE = "bad_value"
    NOT_FOUND = "not_found"
    EXISTS = "exists"
    CONSTRAINT = "constraint"
    USER_INACTIVE = "user_inactive"
    GROUP = "group"  # another op of the same local transaction was rejected
    SAME_RECORD = "same_record"  # an earlier op on the same record in this push was rejected
    NO_DELETE = "no_delete"
    MOVE_BRANCH = "move_branch"
    NOTE_REQUIRED = "note_required"  # a resolve of an identity field without the clerk's reason


# Resolve ops: the choices, and the fields whose resolution needs a reason note (KYC identity).
KEEP_CURRENT: Final = "keep_current"
USE_MINE: Final = "use_mine"
EDIT: Final = "edit"
RESOLVE_CHOICES: tuple[str, ...] = (KEEP_CURRENT, USE_MINE, EDIT)
CONFLICT_TABLE: Final = "sync_conflict"
IDENTITY_FIELDS: dict[str, frozenset[str]] = {
    "customer": frozenset({"first_name", "last_name", "father_name", "national_id", "birth_date", "gender",
                           "company_name", "company_id", "registration_no", "branch_id"}),
}


def needs_note(tbl: str, field: str) -> bool:
    """Whether resolving a conflict on ``tbl.field`` needs the clerk's reason (identity fields)."""
    return field in IDENTITY_FIELDS.get(tbl, frozenset())


class Op(TypedDict):
    op_id: int
    prev_op_id: int
    tx_id: str
    tbl: str
    pk: str
    kind: OpKind
    changed: dict[str, list[Any]]  # {field: [old, new]} in wire form; for 'resolve' see ResolveChange
    user_id: str
    hlc: str
    sha256: str


class ResolveChange(TypedDict):
    """The ``changed`` of a resolve op: every entry an ``[old, new]`` pair like any op's fields."""

    choice: list[Any]  # [None, "keep_current" | "use_mine" | "edit"]
    value: list[Any]  # [server value the clerk saw, value chosen] (wire form)
    note: list[Any]  # [None, reason text or None]


def resolve_change(choice: str, seen: Any, value: Any, note: str | None) -> dict[str, list[Any]]:
    """The ``changed`` of a resolve op (see ``ResolveChange``)."""
    return {"choice": [None, choice], "value": [seen, value], "note": [None, note]}


class PushRequest(TypedDict):
    device_id: str
    server_epoch: str
    schema_version: int
    client_version: str
    batch_id: str
    last_acked_op_id: int
    ops: list[Op]


class FieldConflict(TypedDict):
    field: str
    conflict_id: str


class OpResult(TypedDict):
    op_id: int
    status: OpStatus
    applied_fields: list[str]
    row_version: int | None
    conflicts: list[FieldConflict]
    merged: NotRequired[dict[str, str]]  # field: rule
    reason: NotRequired[str]  # rejected: a Reason code
    message: NotRequired[str]  # rejected: Persian, for the clerk
    expected: NotRequired[int]  # gap: the op id the server expected as prev_op_id


class Row(TypedDict):
    tbl: str
    pk: str
    row_version: int
    kind: RowKind
    #: The row's wire values; None for remove and tombstone. The service holds it as the JSON text PostgreSQL
    #: wrote (an ``orjson.Fragment``); a desk reads a dict.
    data: dict[str, Any] | Any | None


class PushResponse(TypedDict):
    acked_through: int
    results: list[OpResult]
    rows: list[Row]
    batch_id: NotRequired[str]  # the request's, echoed: an answer to another request is never applied


class PullRequest(TypedDict):
    server_epoch: str
    schema_version: int
    cursor: str
    limit: NotRequired[int]
    wait_s: NotRequired[float]


class PullResponse(TypedDict):
    changes: list[Row]
    cursor: str
    has_more: bool
    watermark: str
    server_time: str
    request_cursor: NotRequired[str]  # the request's cursor, echoed: a page for another request is never applied
    #: Asked for with ``"counts": true``, on the last page only: rows per synced table in the device's scope,
    #: read in the page's snapshot (the desk checks its bootstrap against them, design note §8).
    counts: NotRequired[dict[str, int]]


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


HASHED_FIELDS = ("op_id", "tx_id", "tbl", "pk", "kind", "changed", "user_id")


def op_sha256(op: dict[str, Any] | Op) -> str:
    """Hex SHA-256 of the op's effect (see the module docstring)."""
    return hashlib.sha256(canonical_json({k: op[k] for k in HASHED_FIELDS})).hexdigest()  # type: ignore[literal-required]


def format_cursor(txid: int, change_id: int) -> str:
    return f"{txid}:{change_id}"


def parse_cursor(cursor: str) -> tuple[int, int]:
    """``(txid, change_id)``; ValueError for anything that is not a cursor."""
    txid, _, change_id = cursor.partition(":")
    result = int(txid), int(change_id)
    if result[0] < 0 or result[1] < 0:
        raise ValueError(cursor)
    return result
