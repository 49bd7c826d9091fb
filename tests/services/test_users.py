"""Users: sign-in with lockout, inactive accounts, password rules, administration, no hash in the journal."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from crm_desktop.models.enums import Role
from crm_desktop.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from crm_desktop.services.users import PASSWORD_RULES

PERSIAN = re.compile(r"[\u0600-\u06FF]")
PASSWORD = "Branch2026pass"  # the password tests/conftest.py gives every user


def access(db, action: str) -> list[tuple]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(
            text("SELECT user_id, target_tbl, target_id, detail FROM access_log WHERE action = :a ORDER BY seq"),
            {"a": action})]


# -- signing in ---------------------------------------------------------------------------------


def test_authenticate(world) -> None:
    actor = world.services.users.authenticate("  Clerk ", PASSWORD)
    assert actor == world.clerk
    assert actor.role is Role.CLERK and actor.branch_code == "1021"
    assert (world.clerk.user_id, "app_user", world.clerk.user_id, None) in access(world.db, "login")


def test_wrong_password_and_unknown_user(world) -> None:
    with pytest.raises(AuthenticationFailed) as wrong:
        world.services.users.authenticate("clerk", "Wrong2026pass")
    with pytest.raises(AuthenticationFailed) as unknown:
        world.services.users.authenticate("ghost", PASSWORD)
    # the same message: no hint which usernames exist
    assert wrong.value.message == unknown.value.message
    assert PERSIAN.search(wrong.value.message)
    failed = access(world.db, "login_failed")
    assert failed[0] == (None, "app_user", world.clerk.user_id, None)
    assert failed[1][:3] == (None, None, None) and "ghost" in failed[1][3]


def test_non_text_password_is_just_wrong(world) -> None:
    for bad in (None, 123, "", b"Branch2026pass"):
        with pytest.raises(AuthenticationFailed):
            world.services.users.authenticate("clerk", bad)  # type: ignore[arg-type]


def test_lockout_after_five_failures(world) -> None:
    users = world.services.users
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("clerk", "Wrong2026pass")
    with pytest.raises(AccountLocked) as locked:
        users.authenticate("clerk", PASSWORD)
    exc = locked.value
    assert PERSIAN.search(exc.message) and "دقیقه" in exc.message
    assert "۱۵" in exc.message  # 15 minutes, in Persian digits
    assert 0 < exc.seconds_left <= 15 * 60
    assert exc.seconds_left == 15 * 60  # the fake clock has not moved
    # other users are not affected
    assert users.authenticate("clerk2", PASSWORD) == world.clerk2
    world.clock.advance(minutes=10)
    with pytest.raises(AccountLocked) as still:
        users.authenticate("clerk", PASSWORD)
    assert still.value.seconds_left == 5 * 60 and "۵" in still.value.message
    world.clock.advance(minutes=6)
    assert users.authenticate("clerk", PASSWORD) == world.clerk
    failed = [r for r in access(world.db, "login_failed") if r[2] == world.clerk.user_id]
    assert len(failed) == 5


def test_failures_reset_after_success(world) -> None:
    users = world.services.users
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("clerk", "Wrong2026pass")
    users.authenticate("clerk", PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("clerk", "Wrong2026pass")
    assert users.authenticate("clerk", PASSWORD) == world.clerk  # never five in a row


def test_lock_again_after_it_expires(world) -> None:
    users = world.services.users
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("clerk", "Wrong2026pass")
    world.clock.advance(minutes=16)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("clerk", "Wrong2026pass")
    with pytest.raises(AccountLocked):
        users.authenticate("clerk", PASSWORD)


def test_inactive_user_cannot_sign_in(world) -> None:
    users = world.services.users
    users.set_active(world.admin, "clerk", False)
    with pytest.raises(AuthenticationFailed) as info:
        users.authenticate("clerk", PASSWORD)
    assert "غیرفعال" in info.value.message
    assert (None, "app_user", world.clerk.user_id, '{"reason": "inactive"}') in access(world.db, "login_failed")
    assert [u.active for u in users.list(world.admin) if u.username == "clerk"] == [False]
    users.set_active(world.admin, "clerk", True)
    assert users.authenticate("clerk", PASSWORD) == world.clerk


def test_reactivating_clears_a_lock(world) -> None:
    users = world.services.users
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("clerk", "Wrong2026pass")
    users.set_active(world.admin, "clerk", True)
    assert users.authenticate("clerk", PASSWORD) == world.clerk


def test_set_active_rules(world) -> None:
    with pytest.raises(PermissionDenied):
        world.services.users.set_active(world.manager, "clerk", False)
    with pytest.raises(InvalidInput):
        world.services.users.set_active(world.admin, "admin", False)
    with pytest.raises(NotFound):
        world.services.users.set_active(world.admin, "ghost", False)


# -- passwords ------------------------------------------------------------------------------------


def test_weak_passwords_refused(world) -> None:
    before = world.services.users.list(world.admin)
    for weak in ["Short1", "onlyletterslong", "1234567890123", "newclerk01", "NEWCLERK01", "x1" * 129, None,
                 1234567890123]:
        with pytest.raises(InvalidInput) as info:
            world.services.users.add(world.admin, username="newclerk01", full_name="کارمند تازه", role="clerk",
                                     branch_id=world.branch_id, password=weak)
        assert info.value.errors == {"password": PASSWORD_RULES}, weak
    assert "گذرواژه" in PASSWORD_RULES and "۱۰" in PASSWORD_RULES
    assert world.services.users.list(world.admin) == before


def test_set_password(world) -> None:
    users = world.services.users
    # own password needs the old one
    with pytest.raises(AuthenticationFailed):
        users.set_password(world.clerk, "clerk", "Fresh2026pass", old_password="Wrong2026pass")
    with pytest.raises(AuthenticationFailed):
        users.set_password(world.clerk, "clerk", "Fresh2026pass")
    with pytest.raises(InvalidInput) as info:
        users.set_password(world.clerk, "clerk", "weak", old_password=PASSWORD)
    assert info.value.errors == {"password": PASSWORD_RULES}
    users.set_password(world.clerk, "clerk", "Fresh2026pass", old_password=PASSWORD)
    with pytest.raises(AuthenticationFailed):
        users.authenticate("clerk", PASSWORD)
    assert users.authenticate("clerk", "Fresh2026pass") == world.clerk
    # someone else's: administrators only
    with pytest.raises(PermissionDenied):
        users.set_password(world.manager, "clerk", "Other2026pass")
    users.set_password(world.admin, "clerk", "Admin2026set")
    assert users.authenticate("clerk", "Admin2026set") == world.clerk
    with pytest.raises(NotFound):
        users.set_password(world.admin, "ghost", "Admin2026set")


# -- administration ---------------------------------------------------------------------------------


def test_only_admin_adds_users(world) -> None:
    for actor in (world.manager, world.clerk, world.auditor):
        with pytest.raises(PermissionDenied):
            world.services.users.add(actor, username="newbie", full_name="تازه‌وارد", role="clerk",
                                     branch_id=world.branch_id, password="Newbie2026pass")
    row = world.services.users.add(world.admin, username=" NewBie ", full_name="تازه‌وارد  كريمي", role="clerk",
                                   branch_id=world.other_branch_id, password="Newbie2026pass").value
    assert (row.username, row.full_name, row.role, row.branch_code, row.active) == (
        "newbie", "تازه‌وارد کریمی", "clerk", "2040", True)
    actor = world.services.users.authenticate("newbie", "Newbie2026pass")
    assert actor.branch_id == world.other_branch_id


BAD_USERS = [
    ({"username": "ab"}, "username"),
    ({"username": "9lives"}, "username"),
    ({"username": "علی"}, "username"),
    ({"username": "clerk"}, "username"),  # taken
    ({"full_name": ""}, "full_name"),
    ({"full_name": None}, "full_name"),
    ({"role": "superuser"}, "role"),
    ({"branch_id": "nowhere"}, "branch_id"),
    ({"branch_id": None}, "branch_id"),
]


def test_add_invalid(world) -> None:
    before = world.services.users.list(world.admin)
    for kw, field in BAD_USERS:
        args = {"username": "newbie", "full_name": "تازه‌وارد", "role": "clerk", "branch_id": world.branch_id,
                "password": "Newbie2026pass", **kw}
        with pytest.raises(InvalidInput) as info:
            world.services.users.add(world.admin, **args)
        assert field in info.value.errors and PERSIAN.search(info.value.errors[field]), kw
    assert world.services.users.list(world.admin) == before


def test_list_scoped(world) -> None:
    assert {u.username for u in world.services.users.list(world.clerk)} == {
        "admin", "manager", "clerk", "clerk2", "auditor"}
    assert {u.username for u in world.services.users.list(world.admin)} == {
        "admin", "manager", "clerk", "clerk2", "auditor", "other"}


def test_first_run_only_once(world) -> None:
    assert world.services.users.has_users()
    with pytest.raises(PermissionDenied):
        world.services.users.first_run(branch_code="1021", branch_name="شعبه", username="root",
                                       full_name="مدیر", password="Root2026pass")


def test_first_run_validates(services) -> None:
    with pytest.raises(InvalidInput) as info:
        services.users.first_run(branch_code="1a", branch_name="", username="x", full_name="", password="p")
    assert {"branch_code", "branch_name", "username", "full_name"} <= set(info.value.errors)
    assert not services.users.has_users()


# -- the hash never leaves the user table -----------------------------------------------------------


def test_password_hash_never_in_journal(world) -> None:
    users = world.services.users
    users.set_password(world.admin, "clerk", "Changed2026pass")
    users.authenticate("clerk", "Changed2026pass")
    with world.db.read() as s:
        hashes = [h for (h,) in s.execute(text("SELECT password_hash FROM app_user"))]
        journal = [c for (c,) in s.execute(text("SELECT changed FROM change_journal"))]
        user_rows = [c for (c,) in s.execute(text("SELECT changed FROM change_journal WHERE tbl = 'app_user'"))]
    assert len(hashes) == 6 and all(h.startswith("$argon2") for h in hashes)
    everything = "\n".join(journal)
    for h in hashes:
        assert h not in everything
        assert h.split("$")[-1] not in everything  # not even the digest part
    assert "argon2" not in everything
    # the change is still recorded, redacted
    assert any('"password_hash":["***","***"]' in c for c in user_rows)
    assert sum('"password_hash":[null,"***"]' in c for c in user_rows) == 6


def test_branches_lists_all_for_admin_and_own_for_clerk(world):
    codes = [b.code for b in world.services.users.branches(world.admin)]
    assert codes == ["1021", "2040"]
    assert [b.code for b in world.services.users.branches(world.clerk)] == ["1021"]
    assert [b.name for b in world.services.users.branches(world.auditor)] == ["شعبه مرکزی", "شعبه ونک"]


def test_clerk_lists_only_colleagues_of_own_branch(world):
    names = {u.username for u in world.services.users.list(world.clerk)}
    assert "other" not in names and {"clerk", "clerk2", "manager"} <= names
