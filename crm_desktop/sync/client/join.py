"""Set up a desk from the branch server (``crm-desktop sync join`` and the first-run wizard's join page).

The steps: read the code's branch (a dry run; the wizard and the command line name the branch being
joined), register with the one-time code (the branch comes from the code), get a token as the joining
user (the server checks the password), make a new database with the schema only (encrypted and sealed for
that user on request), store the registration with the ``JOIN_PENDING`` mark, bootstrap (the engine's
pull from the start cursor; each page and its cursor one transaction), store the user's password as the
local Argon2id hash, and clear the mark.

Order matters: the token comes before the database exists, so a refused password leaves nothing on
disk, and an encrypted database is sealed only with a password the server accepted. A ``Join`` keeps a
registration whose password was refused, so a corrected password in the same session (the wizard, the
prompt) does not need a new code. A bootstrap cut off (network, cancel, crash) leaves the mark: sign-in
refuses the desk, and ``sync join`` (or ``sync run``) again continues from the last committed page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from crm_desktop import __version__
from crm_desktop.db import cipher
from crm_desktop.db.migrate import open_database, open_database_as, remove_database
from crm_desktop.db.session import Database
from crm_desktop.errors import Cancelled, CrmError
from crm_desktop.persian import format_number
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.sync import protocol
from crm_desktop.sync.client import store
from crm_desktop.sync.client.engine import SyncEngine
from crm_desktop.sync.client.join_state import (
    JOIN_PENDING,
    branch_label,
    check_branch,
    holds_data,
    pending_user,
    save_registration,
)
from crm_desktop.sync.client.store import Key
from crm_desktop.sync.client.transport import SyncError, Transport
from crm_desktop.sync.protocol import ErrorCode

#: Stores a password the server accepted as the user's local hash (``UserService.remember_password``).
PasswordKeeper = Callable[[Database, str, str], None]


class JoinError(CrmError):
    code = "join_failed"


class JoinInterrupted(JoinError):
    """The desk is registered and its database made, but the bootstrap did not finish: run the join again."""

    code = "join_interrupted"


class JoinInvalid(JoinError):
    """Fields of the request that are missing or malformed: ``errors`` maps a field to its Persian message."""

    code = "invalid_input"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("\n".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class JoinRequest:
    server_url: str
    code: str
    username: str
    password: str
    encrypted: bool = False
    device_name: str = ""


class _Lines:
    """Progress as one line per pulled page (the command line)."""

    def __init__(self, say: Callable[[str], None], inner: Progress) -> None:
        self._say, self._inner = say, inner

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        self._inner.update(done, total, message)
        self._say(f"{message or 'دریافت'}: {format_number(done)} ردیف")

    def check(self) -> None:
        self._inner.check()


def check_request(request: JoinRequest, *, resuming: bool = False) -> None:
    """Refuse a request with missing or malformed fields (``JoinInvalid``); nothing is sent or written."""
    errors: dict[str, str] = {}
    if not resuming:
        url = httpx.URL(request.server_url.strip()) if request.server_url.strip() else None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            errors["server"] = "نشانی سرور را کامل بدهید، مانند https://sync.example.ir"
        if len(request.code.strip().replace("-", "")) < 6:
            errors["code"] = "کد ثبت دستگاه را که مدیر سامانه داده است وارد کنید."
    if not request.username.strip():
        errors["username"] = "نام کاربری خود در سرور را وارد کنید."
    if not request.password:
        errors["password"] = "گذرواژه را وارد کنید."
    if errors:
        raise JoinInvalid(errors)


def resume_command(path: Path, username: str) -> str:
    return f'crm-desktop sync join --db "{path}" --user {username}'


class Join:
    """One desk being set up from the server; ``run`` returns the open database (the caller disposes it)."""

    def __init__(self, path: Path, *, remember_password: PasswordKeeper, client: httpx.Client | None = None,
                 say: Callable[[str], None] = lambda _line: None,
                 page_limit: int = protocol.DEFAULT_PULL_LIMIT) -> None:
        self.path = Path(path)
        self.page_limit = page_limit
        self._remember, self._client, self._say = remember_password, client, say
        self._registration: dict[str, Any] | None = None  # used code, password not yet accepted
        self.resumed = False

    def run(self, request: JoinRequest, progress: Progress | None = None) -> Database:
        check_request(request, resuming=True)
        username = request.username.strip().lower()
        progress = _Lines(self._say, progress or NullProgress())
        db = self._open_existing(request, username)
        if db is not None and pending_user(db) is not None:
            self.resumed = True
            return self._resume(db, username, request.password, progress)
        return self._new(db, request, username, progress)

    # -- what is at the path ----------------------------------------------------------------------
    def _open_existing(self, request: JoinRequest, username: str) -> Database | None:
        """The database to resume or to fill; None when a new one is to be made. Refuses a database with data."""
        path = self.path
        if not path.exists() and not cipher.key_file(path).exists():
            return None
        if cipher.is_encrypted(path):
            db = open_database_as(path, username, request.password)
        else:
            db = open_database(path, create=False)
        if pending_user(db) is not None:
            return db
        if holds_data(db) or cipher.is_encrypted(path):
            db.dispose()
            raise JoinError(f"«{path}» پایگاه داده‌ای با داده است؛ «sync join» فقط پایگاه داده تازه می‌سازد."
                            " مسیر تازه‌ای با --db بدهید، یا برای همگام‌سازی همین پایگاه داده «sync register» را"
                            " به کار ببرید.")
        return db

    # -- a new desk -------------------------------------------------------------------------------
    def _new(self, db: Database | None, request: JoinRequest, username: str, progress: Progress) -> Database:
        try:
            check_request(request)
        except JoinInvalid:
            if db is not None:
                db.dispose()
            raise
        transport = Transport(request.server_url.strip(), username=username, password=request.password,
                              client=self._client)
        try:
            answer = self._register_and_sign_in(transport, request)
            self._say("دستگاه در سرور ثبت شد و گذرواژه کاربر را سرور پذیرفت.")
            if db is not None and request.encrypted:  # the empty plain file the app made at start
                db.dispose()
                remove_database(self.path)
                db = None
            made = db is None
            if db is None:
                key = cipher.create_key_file(self.path, username, request.password) if request.encrypted else None
                try:
                    db = open_database(self.path, key=key)
                except BaseException:
                    remove_database(self.path)
                    raise
            try:
                with store.write_tx(db) as raw:
                    check_branch(raw, answer.get("branch_id"))
                    save_registration(raw, request.server_url.strip(), answer)
                    store.put(raw, JOIN_PENDING, username)
            except BaseException:
                db.dispose()
                if made:
                    remove_database(self.path)
                raise
            self._registration = None
            return self._finish(db, transport, username, request.password, progress)
        finally:
            transport.close()

    def _register_and_sign_in(self, transport: Transport, request: JoinRequest) -> dict[str, Any]:
        if self._registration is None:
            code = request.code.strip()
            try:
                peeked = transport.peek_code(code)
                if "credential" in peeked:  # a service that knows no dry run has registered already
                    self._registration = peeked
                else:
                    if label := branch_label(peeked):
                        self._say(f"کد ثبت برای شعبهٔ {label} است.")
                    self._registration = transport.register(code, request.device_name, __version__,
                                                            protocol.SCHEMA_VERSION)
            except SyncError as exc:
                raise JoinError(exc.message, code=exc.code) from exc
        answer = self._registration
        transport.device_id, transport.credential = str(answer["device_id"]), str(answer["credential"])
        try:
            transport.sign_in()
        except SyncError as exc:
            if exc.code in (ErrorCode.BAD_CREDENTIALS, ErrorCode.FORBIDDEN):
                raise JoinError(f"{exc.message} کد ثبت مصرف شده است: گذرواژه را درست کنید و در همین پنجره دوباره"
                                " تلاش کنید؛ پس از بستن برنامه کد تازه‌ای لازم است.", code=exc.code) from exc
            raise JoinError(exc.message, code=exc.code) from exc
        return answer

    # -- resume and finish ------------------------------------------------------------------------
    def _resume(self, db: Database, username: str, password: str, progress: Progress) -> Database:
        pending = pending_user(db)
        if pending != username:
            db.dispose()
            raise JoinError(f"راه‌اندازی این میز با کاربر «{pending}» آغاز شده است؛ با همان کاربر دوباره اجرا کنید.")
        with store.read_tx(db) as raw:
            state = store.state(raw)
        transport = Transport(state.get(Key.SERVER_URL, ""), username=username, password=password,
                              client=self._client)
        transport.device_id, transport.credential = state[Key.DEVICE_ID], state.get(Key.CREDENTIAL, "")
        self._say("راه‌اندازی نیمه‌کاره این میز ادامه می‌یابد.")
        try:
            try:
                transport.sign_in()  # the server checks the password before it is stored here
            except SyncError as exc:
                db.dispose()
                raise JoinError(exc.message, code=exc.code) from exc
            return self._finish(db, transport, username, password, progress)
        finally:
            transport.close()

    def _finish(self, db: Database, transport: Transport, username: str, password: str,
                progress: Progress) -> Database:
        """Bootstrap, store the password, clear the mark; interrupted, the database keeps the mark."""
        try:
            result = SyncEngine(db, transport, page_limit=self.page_limit).sync_once(progress)
            self._remember(db, username, password)
            with store.write_tx(db) as raw:
                store.put(raw, JOIN_PENDING, None)
        except Cancelled:
            db.dispose()
            raise
        except CrmError as exc:
            db.dispose()
            raise JoinInterrupted(
                f"دریافت داده‌های شعبه نیمه‌کاره ماند: {exc.message}\nاین میز هنوز آمادهٔ کار نیست. برای ادامه از"
                f" همان‌جا «{resume_command(self.path, username)}» را دوباره اجرا کنید؛ کد ثبت تازه لازم نیست."
            ) from exc
        except BaseException:
            db.dispose()
            raise
        self._say(f"داده‌های شعبه دریافت شد: {format_number(result.pulled)} ردیف.")
        return db
