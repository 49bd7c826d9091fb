"""What a registration leaves in ``sync_state``, the branch check, and the "join not finished" mark.

No HTTP here (the services read the mark at sign-in and must not import httpx).

* ``save_registration`` stores what the server answered to a registration code, in one transaction.
* ``check_branch`` refuses a registration whose branch (it comes from the code) is not this database's
  branch: a desk made by ``crm-desktop init`` has a branch row of its own (its own id), and its bootstrap
  would clash on ``branch.code`` later; ``crm-desktop sync join`` sets up such a desk from the server.
  ``SyncEngine.register`` runs it on the code's branch read with a dry run, before the code is spent.
* ``JOIN_PENDING`` (the joining username) is set when ``sync join`` has registered and made the database
  and cleared only once the bootstrap finished and the user's password is stored: a desk whose join was
  cut off never looks finished (sign-in refuses it and says how to continue).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from crm_desktop.db.session import Database
from crm_desktop.errors import CrmError
from crm_desktop.persian import to_persian_digits
from crm_desktop.sync import protocol
from crm_desktop.sync.client import store
from crm_desktop.sync.client.store import Key

JOIN_PENDING = "join_pending"
BRANCH_MISMATCH = "branch_mismatch"
JOIN_UNFINISHED = (
    "راه‌اندازی این میز از سرور شعبه کامل نشده است؛ دستور «crm-desktop sync join» را با همان کاربر دوباره اجرا کنید"
    " تا دریافت داده‌ها از همان‌جا ادامه یابد."
)


class BranchMismatch(CrmError):
    code = BRANCH_MISMATCH


def local_branches(raw: sqlite3.Connection) -> set[str]:
    """The branches this database works for: those of its users, or every branch row when it has no users."""
    users = {str(r[0]) for r in raw.execute("SELECT DISTINCT branch_id FROM app_user WHERE deleted_at IS NULL")}
    return users or {str(r[0]) for r in raw.execute("SELECT id FROM branch")}


def branch_label(answer: dict[str, Any]) -> str:
    """«name» (کد 1021) of a dry run's answer, in Persian digits; empty when the server did not name it."""
    name, code = answer.get("branch_name"), answer.get("branch_code")
    if not name:
        return ""
    return f"«{name}»" + (f" (کد {to_persian_digits(str(code))})" if code else "")


def check_branch(raw: sqlite3.Connection, branch_id: str | None, *, code_spent: bool = True,
                 label: str = "") -> None:
    """Refuse a registration for a branch this database does not hold (an empty database takes any).

    ``code_spent`` says whether the registration code is used up already (after a real registration) or
    still good (after a dry run): the message tells the administrator which.
    """
    mine = local_branches(raw)
    if mine and branch_id is not None and str(branch_id) not in mine:
        branch = f"شعبهٔ کد ثبت ({label})" if label else "شعبهٔ کد ثبت"
        start = (f"این پایگاه داده شعبه‌ای از خودش دارد که با {branch} در سرور یکی نیست؛ همگام‌سازی آن با این سرور"
                 " به ناسازگاری می‌انجامد و ثبت انجام نشد.")
        join = "«crm-desktop sync join --server … --code … --user … --db <مسیر تازه>»"
        if code_spent:
            raise BranchMismatch(f"{start} کد ثبت مصرف شده است: از مدیر سامانه کد تازه بگیرید و میز را با {join} از"
                                 " روی سرور راه‌اندازی کنید.")
        raise BranchMismatch(f"{start} کد ثبت مصرف نشده است: میز را با همین کد و {join} از روی سرور راه‌اندازی"
                             " کنید.")


def save_registration(raw: sqlite3.Connection, server_url: str, answer: dict[str, Any]) -> None:
    """Store the device id, credential, server, branch and epoch of a registration; the cursor starts over."""
    for key, value in ((Key.DEVICE_ID, answer["device_id"]), (Key.CREDENTIAL, answer["credential"]),
                       (Key.SERVER_URL, server_url), (Key.BRANCH_ID, answer.get("branch_id")),
                       (Key.EPOCH, answer["server_epoch"]), (Key.CURSOR, protocol.START_CURSOR),
                       (Key.LAST_ACKED, 0)):
        store.put(raw, key, value)


def pending_user(db: Database) -> str | None:
    """The username of a ``sync join`` that has not finished on this database, else None."""
    with store.read_tx(db) as raw:
        return store.get_stored(raw, JOIN_PENDING)


def holds_data(db: Database) -> bool:
    """Whether the database has anything of its own: a branch, a user, a customer, a registration, a journal."""
    with store.read_tx(db) as raw:
        return any(raw.execute(sql).fetchone() for sql in (
            "SELECT 1 FROM branch LIMIT 1", "SELECT 1 FROM app_user LIMIT 1", "SELECT 1 FROM customer LIMIT 1",
            "SELECT 1 FROM change_journal LIMIT 1", f"SELECT 1 FROM sync_state WHERE k = '{Key.DEVICE_ID}'"))
