"""Accounts: first run, sign-in with lockout, passwords (Argon2id), roles."""

from __future__ import annotations

import builtins
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.db import Database, WriteContext, cipher
from crm_desktop.errors import CrmError
from crm_desktop.models import Branch, LoginState, User
from crm_desktop.models.enums import Role
from crm_desktop.persian import ValidationError, to_ascii_digits, to_persian_digits
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import Clock, ServiceBase
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.customer_fields import tidy_text
from crm_desktop.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from crm_desktop.services.permissions import Action, require
from crm_desktop.sync.client import store
from crm_desktop.sync.client.join_state import JOIN_PENDING, JOIN_UNFINISHED

MAX_FAILED_LOGINS = 5
LOCK_TIME = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{2,31}$")
BRANCH_CODE_RE = re.compile(r"^[0-9]{3,8}$")
UNUSABLE_PASSWORD = "!"
WRONG_CREDENTIALS = "نام کاربری یا گذرواژه نادرست است."
FIRST_SIGN_IN_NEEDS_SERVER = (
    "این نخستین ورود این کاربر در این میز است و گذرواژه او باید یک بار با سرور همگام‌سازی سنجیده شود، اما سرور"
    " در دسترس نیست. پس از برقراری ارتباط با سرور دوباره تلاش کنید؛ از آن پس ورود بدون سرور هم ممکن است."
)
PASSWORD_RULES = (
    f"گذرواژه باید دست‌کم {to_persian_digits(str(MIN_PASSWORD_LENGTH))} نویسه داشته باشد، "
    "حرف و رقم هر دو در آن باشد و با نام کاربری یکی نباشد."
)


class OnlineVerifier(Protocol):
    """Asks the sync server whether a user's password is right (a desk's first sign-in of that user).

    ``verify`` returns True when the server accepts the password and False when it refuses it; it raises a
    ``CrmError`` when the server cannot answer (one whose ``retryable`` is true: unreachable, busy).
    """

    def verify(self, username: str, password: str) -> bool: ...


@dataclass(frozen=True)
class UserRow:
    id: str
    username: str
    full_name: str
    role: str
    branch_id: str
    branch_code: str
    active: bool


@dataclass(frozen=True)
class BranchRow:
    id: str
    code: str
    name: str


def check_password_rules(password: object, username: str = "") -> None:
    """Raise ``InvalidInput`` with the Persian rules when ``password`` is too weak."""
    if (
        not isinstance(password, str)
        or len(password) < MIN_PASSWORD_LENGTH
        or len(password) > 256
        or not any(ch.isalpha() for ch in password)
        or not any(ch.isdigit() for ch in password)
        or password.lower() == username.lower()
    ):
        raise InvalidInput({"password": PASSWORD_RULES})


def _username(value: object) -> str:
    if not isinstance(value, str) or not USERNAME_RE.match(value.strip().lower()):
        raise InvalidInput({"username": "نام کاربری باید ۳ تا ۳۲ نویسه لاتین باشد و با حرف شروع شود."})
    return value.strip().lower()


def _full_name(value: object) -> str:
    try:
        name = tidy_text(value)
    except ValidationError:
        name = None
    if not name or len(name) > 200:
        raise InvalidInput({"full_name": "نام و نام خانوادگی کاربر را وارد کنید."})
    return name


class UserService(ServiceBase):
    def __init__(self, db: Database, clock: Clock, hasher: PasswordHasher | None = None) -> None:
        super().__init__(db, clock)
        self.hasher = hasher or PasswordHasher()

    # -- first run ----------------------------------------------------------------------------
    def has_users(self) -> bool:
        with self.db.read() as session:
            return bool(session.scalar(select(func.count()).select_from(User)))

    def first_run(
        self, *, branch_code: str, branch_name: str, username: str, full_name: str, password: str
    ) -> Actor:
        """Create the branch and its administrator on an empty database."""
        errors: dict[str, str] = {}
        code = to_ascii_digits(branch_code.strip()) if isinstance(branch_code, str) else ""
        if not BRANCH_CODE_RE.match(code):
            errors["branch_code"] = "کد شعبه باید ۳ تا ۸ رقم باشد."
        try:
            name = tidy_text(branch_name)
        except ValidationError:
            name = None
        if not name:
            errors["branch_name"] = "نام شعبه را وارد کنید."
        for fn in (lambda: _username(username), lambda: _full_name(full_name)):
            try:
                fn()
            except InvalidInput as exc:
                errors.update(exc.errors)
        if not errors:
            try:
                check_password_rules(password, username)
            except InvalidInput as exc:
                errors.update(exc.errors)
        if errors:
            raise InvalidInput(errors)
        with self._write(None, "setup") as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise PermissionDenied("این پایگاه داده پیش‌تر راه‌اندازی شده است.")
            branch = session.scalar(select(Branch).where(Branch.code == code))
            if branch is None:
                branch = Branch(code=code, name=name)
                session.add(branch)
                session.flush()
            user = User(username=_username(username), full_name=_full_name(full_name), role=str(Role.ADMIN),
                        branch_id=branch.id, password_hash=self.hasher.hash(password), active=True)
            session.add(user)
            session.flush()
            return _actor(user, branch)

    # -- sign-in ------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str, *, online: OnlineVerifier | None = None) -> Actor:
        """The actor for these credentials; five failures lock the account for a while.

        A failed attempt is committed (count and access log) before the error is raised. A user who came
        from the server has no local password yet (hash ``!``): ``online`` asks the server once (outside any
        transaction: it is a network call), and a password it accepts is stored as the local Argon2id hash in
        the sign-in's unit of work (local only: the journal redacts it and it never enters the outbox), so
        later sign-ins work offline.
        """
        name = username.strip().lower() if isinstance(username, str) else ""
        with store.read_tx(self.db) as raw:
            if store.get_stored(raw, JOIN_PENDING):
                raise AuthenticationFailed(JOIN_UNFINISHED)
            row = raw.execute("SELECT password_hash, active FROM app_user WHERE username = ? AND deleted_at IS NULL",
                              (name,)).fetchone()
        server_says: bool | None = None
        if row is not None and row[1] and unusable_hash(row[0]) and not self._locked_now(name):
            server_says = self._ask_server(online, name, password)
        failure: AuthenticationFailed | None = None
        actor: Actor | None = None
        with self._write(None, "auth") as session:
            user = session.scalar(select(User).where(User.username == name, User.deleted_at.is_(None)))
            now = self.now()
            if user is None:
                self._log_access(session, None, "login_failed", detail={"username": name[:64]})
                failure = AuthenticationFailed(WRONG_CREDENTIALS)
            else:
                state = session.get(LoginState, user.id) or LoginState(user_id=user.id, failed_count=0)
                session.add(state)
                if state.locked_until is not None and state.locked_until > now:
                    raise _locked(state.locked_until, now)
                first_online = server_says is not None and unusable_hash(user.password_hash)
                if not user.active:
                    self._log_access(session, None, "login_failed", "app_user", user.id, {"reason": "inactive"})
                    failure = AuthenticationFailed("حساب کاربری غیرفعال است؛ با مدیر سامانه تماس بگیرید.")
                elif not (server_says if first_online else self._verify(user, password)):
                    state.failed_count = (state.failed_count or 0) + 1
                    if state.failed_count >= MAX_FAILED_LOGINS:
                        state.locked_until, state.failed_count = now + LOCK_TIME, 0
                    self._log_access(session, None, "login_failed", "app_user", user.id)
                    failure = AuthenticationFailed(WRONG_CREDENTIALS)
                else:
                    state.failed_count, state.locked_until, state.last_login_at = 0, None, now
                    if first_online or self.hasher.check_needs_rehash(user.password_hash):
                        user.password_hash = self.hasher.hash(password)
                    branch = session.get(Branch, user.branch_id)
                    assert branch is not None
                    actor = _actor(user, branch)
                    self._log_access(session, actor, "login", "app_user", user.id,
                                     {"first_online": True} if first_online else None)
        if failure is not None:
            raise failure
        assert actor is not None
        return actor

    def _locked_now(self, name: str) -> bool:
        """Whether the account is locked out (then the server is not asked at all)."""
        with self.db.read() as session:
            state = session.scalar(select(LoginState).join(User, User.id == LoginState.user_id)
                                   .where(User.username == name))
            return state is not None and state.locked_until is not None and state.locked_until > self.now()

    @staticmethod
    def _ask_server(online: OnlineVerifier | None, name: str, password: str) -> bool:
        """The server's word on a first sign-in; a Persian refusal when it cannot be asked."""
        if online is None:
            raise AuthenticationFailed(FIRST_SIGN_IN_NEEDS_SERVER)
        try:
            return online.verify(name, password)
        except CrmError as exc:
            if getattr(exc, "retryable", False):  # unreachable, busy, a server error
                raise AuthenticationFailed(FIRST_SIGN_IN_NEEDS_SERVER) from exc
            raise AuthenticationFailed(exc.message) from exc

    def remember_password(self, username: str, password: str) -> None:
        """Store ``password`` as the local Argon2id hash of a user the server has just verified it for
        (``sync join``); one unit of work, local only (never pushed)."""
        name = username.strip().lower() if isinstance(username, str) else ""
        with self.db.read() as session:
            user_id = session.scalar(select(User.id).where(User.username == name, User.deleted_at.is_(None)))
        if user_id is None:
            raise NotFound(f"کاربر «{name}» در داده‌های دریافتی از سرور نیست.")
        with self.db.write(WriteContext(user_id=user_id, source="join")) as session:
            user = session.get(User, user_id)
            assert user is not None
            user.password_hash = self.hasher.hash(password)

    def _verify(self, user: User, password: object) -> bool:
        if not isinstance(password, str):
            return False
        try:
            return self.hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # -- administration -----------------------------------------------------------------------
    def add(
        self, actor: Actor, *, username: str, full_name: str, role: str, branch_id: str, password: str
    ) -> Outcome[UserRow]:
        require(actor, Action.MANAGE_USERS)
        errors: dict[str, str] = {}
        clean: dict[str, str] = {}
        for key, fn in (("username", lambda: _username(username)), ("full_name", lambda: _full_name(full_name))):
            try:
                clean[key] = fn()
            except InvalidInput as exc:
                errors.update(exc.errors)
        try:
            clean["role"] = str(Role(role))
        except ValueError:
            errors["role"] = "نقش کاربر نامعتبر است."
        if "username" in clean:
            try:
                check_password_rules(password, clean["username"])
            except InvalidInput as exc:
                errors.update(exc.errors)
        if errors:
            raise InvalidInput(errors)
        with self._write(actor) as session:
            branch = session.get(Branch, branch_id) if isinstance(branch_id, str) else None
            if branch is None:
                raise InvalidInput({"branch_id": "شعبه انتخاب‌شده وجود ندارد."})
            if session.scalar(select(User.id).where(User.username == clean["username"])):
                raise InvalidInput({"username": "این نام کاربری پیش‌تر ثبت شده است."})
            user = User(**clean, branch_id=branch.id, password_hash=self.hasher.hash(password), active=True)
            session.add(user)
            session.flush()
            row = _row(user, branch)
            self._seal_database_key(user.username, password)
        return Outcome(row, Changes(users=frozenset({row.id})))

    def set_password(self, actor: Actor, username: str, new_password: str, *, old_password: str | None = None
                     ) -> Outcome[None]:
        """Administrators set anyone's password; a user changes their own with the old one."""
        with self._write(actor) as session:
            user = self._find(session, username)
            if user.id == actor.user_id and actor.role is not Role.ADMIN:
                if old_password is None or not self._verify(user, old_password):
                    raise AuthenticationFailed("گذرواژه فعلی نادرست است.")
            elif user.id != actor.user_id:
                require(actor, Action.MANAGE_USERS)
            check_password_rules(new_password, user.username)
            user.password_hash = self.hasher.hash(new_password)
            session.flush()
            self._seal_database_key(user.username, new_password)
        return Outcome(None, Changes(users=frozenset({user.id})))

    def _seal_database_key(self, username: str, password: str) -> None:
        """On an encrypted database, let this password open it too (before the commit: a failed key file
        write rolls the change back, so the database and its key file never disagree)."""
        if self.db.key is not None:
            cipher.grant(self.db.path, self.db.key, username, password)

    def set_active(self, actor: Actor, username: str, active: bool) -> Outcome[None]:
        """Lock (deactivate) or unlock an account; unlocking also clears failed sign-ins."""
        require(actor, Action.MANAGE_USERS)
        with self._write(actor) as session:
            user = self._find(session, username)
            if user.id == actor.user_id and not active:
                raise InvalidInput({"username": "نمی‌توانید حساب خودتان را قفل کنید."})
            if user.active != active:
                user.active = active
            if active:
                state = session.get(LoginState, user.id)
                if state is not None:
                    state.failed_count, state.locked_until = 0, None
        return Outcome(None, Changes(users=frozenset({user.id})))

    def list(self, actor: Actor) -> list[UserRow]:
        with self.db.read() as session:
            query = select(User, Branch).join(Branch, Branch.id == User.branch_id).where(User.deleted_at.is_(None))
            if not actor.sees_all_branches:
                query = query.where(User.branch_id == actor.branch_id)
            return [_row(u, b) for u, b in session.execute(query.order_by(User.username))]

    def branches(self, actor: Actor) -> builtins.list[BranchRow]:
        """The branches this actor may choose in filters: all of them for admins and auditors, else their own."""
        with self.db.read() as session:
            query = select(Branch).where(Branch.deleted_at.is_(None))
            if not actor.sees_all_branches:
                query = query.where(Branch.id == actor.branch_id)
            return [BranchRow(b.id, b.code, b.name) for b in session.scalars(query.order_by(Branch.code))]

    @staticmethod
    def _find(session: Session, username: str) -> User:
        name = username.strip().lower() if isinstance(username, str) else ""
        user = session.scalar(select(User).where(User.username == name, User.deleted_at.is_(None)))
        if user is None:
            raise NotFound(f"کاربری با نام «{name}» پیدا نشد.")
        return user


def unusable_hash(password_hash: str | None) -> bool:
    """A user that came from the server carries ``!`` (hashes never travel): no local password yet."""
    return not password_hash or password_hash.startswith(UNUSABLE_PASSWORD)


def _locked(until: datetime, now: datetime) -> AccountLocked:
    seconds = math.ceil((until - now).total_seconds())
    minutes = to_persian_digits(str(max(1, math.ceil(seconds / 60))))
    return AccountLocked(
        f"حساب کاربری به دلیل ورودهای ناموفق پیاپی قفل است؛ {minutes} دقیقه دیگر دوباره تلاش کنید.",
        seconds_left=seconds,
    )


def _actor(user: User, branch: Branch) -> Actor:
    return Actor(user_id=user.id, username=user.username, full_name=user.full_name, role=Role(user.role),
                 branch_id=branch.id, branch_code=branch.code)


def _row(user: User, branch: Branch) -> UserRow:
    return UserRow(user.id, user.username, user.full_name, user.role, branch.id, branch.code, user.active)
