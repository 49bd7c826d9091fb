"""Customers: create, validate, refuse duplicates, edit, soft-delete, branch scoping and the 360° record."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from crm_desktop.persian import make_company_id, make_national_id, to_persian_digits
from crm_desktop.services.errors import (
    Conflict,
    DuplicateCustomer,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput

PERSIAN = re.compile(r"[\u0600-\u06FF]")
NID_1 = make_national_id("001234567")
NID_2 = make_national_id("002345678")
NID_3 = make_national_id("003456789")
COMPANY_ID = make_company_id("1010123456")


def person(first: str = "علی", last: str = "کریمی", nid: str | None = NID_1, **kw: object) -> CustomerInput:
    return CustomerInput(first_name=first, last_name=last, national_id=nid, **kw)  # type: ignore[arg-type]


def counts(db) -> tuple[int, int]:
    with db.read() as s:
        return (
            s.execute(text("SELECT count(*) FROM customer")).scalar_one(),
            s.execute(text("SELECT count(*) FROM change_journal")).scalar_one(),
        )


def is_persian(message: str) -> bool:
    return bool(PERSIAN.search(message))


# -- creating -----------------------------------------------------------------------------


def test_create_individual(world) -> None:
    out = world.services.customers.create(
        world.clerk, person(mobile="09121234567", birth_date="1370/01/15", email="Ali@Example.com")
    )
    c = out.value
    assert out.warnings == ()
    assert c.kind == "individual"
    assert c.display_name == "علی کریمی"
    assert c.national_id == NID_1
    assert c.mobile == "09121234567"
    assert c.email == "ali@example.com"
    assert c.birth_date == date(1991, 4, 4)  # 1370/01/15
    assert c.branch_id == world.branch_id and c.branch_code == "1021"
    assert c.version == 1
    assert out.changes.customers == frozenset({c.id})
    again = world.services.customers.get(world.clerk, c.id)
    assert again == c


def test_create_corporate(world) -> None:
    out = world.services.customers.create(
        world.clerk,
        CustomerInput(kind="corporate", company_name="شرکت نمونه", company_id=COMPANY_ID, segment="corporate",
                      first_name="باید", last_name="نادیده", national_id=NID_1),
    )
    c = out.value
    assert c.kind == "corporate"
    assert c.display_name == "شرکت نمونه"
    assert c.company_id == COMPANY_ID
    # individual fields are dropped for a company
    assert c.first_name is None and c.last_name is None and c.national_id is None


def test_arabic_letters_are_stored_as_persian(world) -> None:
    c = world.services.customers.create(world.clerk, person(first="علي", last="كريمي", father_name="يوسف")).value
    assert c.first_name == "علی"
    assert c.last_name == "کریمی"
    assert c.father_name == "یوسف"
    assert "ي" not in c.display_name and "ك" not in c.display_name
    with world.db.read() as s:
        stored = s.execute(text("SELECT first_name, last_name FROM customer WHERE id = :i"), {"i": c.id}).one()
    assert tuple(stored) == ("علی", "کریمی")


@pytest.mark.parametrize("convert", [to_persian_digits, lambda s: s.translate(str.maketrans("0123456789",
                                                                                           "٠١٢٣٤٥٦٧٨٩"))])
def test_persian_and_arabic_digits_are_stored_ascii(world, convert) -> None:
    c = world.services.customers.create(
        world.clerk, person(nid=convert(NID_1), mobile=convert("09121234567"), postal_code=convert("1345678901"))
    ).value
    assert c.national_id == NID_1
    assert c.mobile == "09121234567"
    assert c.postal_code == "1345678901"


INVALID_CASES = [
    ({"first_name": None}, "first_name"),
    ({"first_name": "   "}, "first_name"),
    ({"last_name": None}, "last_name"),
    ({"national_id": None}, "national_id"),
    ({"national_id": "1234567890"}, "national_id"),
    ({"national_id": "12345"}, "national_id"),
    ({"first_name": "علی۲"}, "first_name"),
    ({"last_name": "ک" * 101}, "last_name"),
    ({"mobile": "0212345678"}, "mobile"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "12345"}, "phone"),
    ({"postal_code": "0000000000"}, "postal_code"),
    ({"birth_date": "1499/01/01"}, "birth_date"),
    ({"birth_date": "not a date"}, "birth_date"),
    ({"gender": "other"}, "gender"),
    ({"kind": "alien"}, "kind"),
    ({"segment": "vip"}, "segment"),
    ({"lifecycle_stage": "dead"}, "lifecycle_stage"),
    ({"kyc_status": "verified"}, "kyc_date"),
    ({"marketing_consent": "yes"}, "marketing_consent"),
    ({"customer_no": "12"}, "customer_no"),
    ({"notes": "x" * 4001}, "notes"),
]


def test_invalid_field_is_refused_in_persian_and_nothing_written(world) -> None:
    base = {"first_name": "علی", "last_name": "کریمی", "national_id": NID_1}
    before = counts(world.db)
    for change, field in INVALID_CASES:
        data = CustomerInput(**{**base, **change})
        with pytest.raises(InvalidInput) as info:
            world.services.customers.create(world.clerk, data)
        assert field in info.value.errors, change
        assert all(is_persian(m) for m in info.value.errors.values()), change
        assert is_persian(info.value.message)
        assert counts(world.db) == before, change
        # validate() used by forms reports the same field
        assert field in world.services.customers.validate(data), change


def test_future_birth_date_refused(world) -> None:
    tomorrow = world.clock().date() + timedelta(days=1)
    before = counts(world.db)
    with pytest.raises(InvalidInput) as info:
        world.services.customers.create(world.clerk, person(birth_date=tomorrow))
    assert "birth_date" in info.value.errors and is_persian(info.value.errors["birth_date"])
    assert counts(world.db) == before


def test_several_errors_reported_at_once(world) -> None:
    with pytest.raises(InvalidInput) as info:
        world.services.customers.create(world.clerk, CustomerInput(mobile="123", email="x"))
    assert {"first_name", "last_name", "national_id", "mobile", "email"} <= set(info.value.errors)


def test_corporate_requires_name_and_company_id(world) -> None:
    before = counts(world.db)
    with pytest.raises(InvalidInput) as info:
        world.services.customers.create(world.clerk, CustomerInput(kind="corporate"))
    assert set(info.value.errors) >= {"company_name", "company_id"}
    with pytest.raises(InvalidInput) as info:
        world.services.customers.create(world.clerk, CustomerInput(kind="corporate", company_name="شرکت",
                                                                   company_id="10101234560"[:10] + "9"))
    assert "company_id" in info.value.errors
    assert counts(world.db) == before


def test_malformed_branch_id_refused(world) -> None:
    c = world.services.customers.create(world.clerk, person(nid=NID_2)).value
    before = counts(world.db)
    for branch_id in ({"x": 1}, ["a", "b"], 42):
        with pytest.raises(InvalidInput) as info:
            world.services.customers.create(world.admin, person(branch_id=branch_id))
        assert "branch_id" in info.value.errors
        with pytest.raises(InvalidInput):
            world.services.customers.edit(world.admin, c.id, person(nid=NID_2, branch_id=branch_id))
    assert counts(world.db) == before
    assert world.services.customers.get(world.admin, c.id) == c


def test_birth_date_as_datetime(world) -> None:
    """A datetime is a date: a past one counts as its day, a future one is refused like any future date."""
    from datetime import datetime

    before = counts(world.db)
    with pytest.raises(InvalidInput) as info:
        world.services.customers.create(world.clerk, person(birth_date=datetime(2030, 1, 1, 12, 0)))
    assert "birth_date" in info.value.errors
    with pytest.raises(InvalidInput) as info:
        world.services.customers.create(world.clerk, person(kyc_status="verified", kyc_date=datetime(2030, 1, 1)))
    assert "kyc_date" in info.value.errors
    assert counts(world.db) == before
    c = world.services.customers.create(world.clerk, person(birth_date=datetime(1991, 4, 4, 8, 30))).value
    assert c.birth_date == date(1991, 4, 4)


def test_not_a_customer_input_is_invalid(world) -> None:
    before = counts(world.db)
    with pytest.raises(InvalidInput):
        world.services.customers.create(world.clerk, {"first_name": "علی"})  # type: ignore[arg-type]
    assert counts(world.db) == before


def test_unknown_branch_refused(world) -> None:
    before = counts(world.db)
    with pytest.raises(InvalidInput) as info:
        world.services.customers.create(world.admin, person(branch_id="no-such-branch"))
    assert "branch_id" in info.value.errors
    with pytest.raises(PermissionDenied):
        world.services.customers.create(world.clerk, person(branch_id=world.other_branch_id))
    assert counts(world.db) == before


# -- duplicates -----------------------------------------------------------------------------


def test_existing_national_id_is_refused(world) -> None:
    first = world.services.customers.create(world.clerk, person()).value
    before = counts(world.db)
    with pytest.raises(DuplicateCustomer) as info:
        world.services.customers.create(world.clerk2, person(first="حسن", last="احمدی", nid=to_persian_digits(NID_1)))
    assert info.value.existing_id == first.id
    assert info.value.field == "national_id"
    assert is_persian(info.value.message) and "علی کریمی" in info.value.message
    assert counts(world.db) == before


def test_existing_company_id_is_refused(world) -> None:
    first = world.services.customers.create(
        world.clerk, CustomerInput(kind="corporate", company_name="الف", company_id=COMPANY_ID)).value
    with pytest.raises(DuplicateCustomer) as info:
        world.services.customers.create(
            world.clerk, CustomerInput(kind="corporate", company_name="ب", company_id=COMPANY_ID))
    assert info.value.existing_id == first.id and info.value.field == "company_id"


def test_duplicate_refused_on_edit_too(world) -> None:
    world.services.customers.create(world.clerk, person())
    other = world.services.customers.create(world.clerk, person(first="حسن", last="احمدی", nid=NID_2)).value
    with pytest.raises(DuplicateCustomer):
        world.services.customers.edit(world.clerk, other.id, person(first="حسن", last="احمدی", nid=NID_1))
    assert world.services.customers.get(world.clerk, other.id).national_id == NID_2


def test_national_id_of_deleted_customer_can_be_reused(world) -> None:
    first = world.services.customers.create(world.clerk, person()).value
    world.services.customers.delete(world.manager, first.id, "ثبت اشتباه")
    second = world.services.customers.create(world.clerk, person()).value
    assert second.id != first.id


def test_same_mobile_gives_warning(world) -> None:
    world.services.customers.create(world.clerk, person(mobile="09121234567"))
    out = world.services.customers.create(
        world.clerk, person(first="حسن", last="احمدی", nid=NID_2, mobile="۰۹۱۲۱۲۳۴۵۶۷"))
    assert len(out.warnings) == 1
    assert is_persian(out.warnings[0]) and "علی کریمی" in out.warnings[0]
    # the customer was still created
    assert world.services.customers.get(world.clerk, out.value.id).mobile == "09121234567"


def test_same_normalized_name_and_birth_date_gives_warning(world) -> None:
    world.services.customers.create(world.clerk, person(birth_date="1370/01/15"))
    out = world.services.customers.create(
        world.clerk, person(first="علي", last="كريمي", nid=NID_2, birth_date="۱۳۷۰/۱/۱۵"))
    assert out.warnings and all(is_persian(w) for w in out.warnings)
    # a different birth date is not a likely duplicate
    out2 = world.services.customers.create(
        world.clerk, person(nid=NID_3, birth_date="1371/01/15"))
    assert out2.warnings == ()


def test_no_warning_against_itself_on_edit(world) -> None:
    c = world.services.customers.create(world.clerk, person(mobile="09121234567", birth_date="1370/01/15")).value
    out = world.services.customers.edit(world.clerk, c.id, person(mobile="09121234567", birth_date="1370/01/15",
                                                                   notes="یادداشت"))
    assert out.warnings == ()


# -- editing ----------------------------------------------------------------------------------


def test_edit_changes_fields_and_bumps_version(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    out = world.services.customers.edit(world.clerk, c.id, person(last="كرماني", mobile="09351234567"),
                                        expected_version=1)
    assert out.value.last_name == "کرمانی"
    assert out.value.display_name == "علی کرمانی"
    assert out.value.mobile == "09351234567"
    assert out.value.version == 2
    # the search keys follow the new name
    found = world.services.search.search(world.clerk, "کرمان").rows
    assert [r.id for r in found] == [c.id]
    assert world.services.search.search(world.clerk, "کریمی").rows == []


def test_edit_with_stale_version_is_conflict_and_changes_nothing(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    world.services.customers.edit(world.clerk2, c.id, person(mobile="09121111111"), expected_version=1)
    before = counts(world.db)
    with pytest.raises(Conflict) as info:
        world.services.customers.edit(world.clerk, c.id, person(last="احمدی"), expected_version=1)
    assert is_persian(info.value.message)
    assert counts(world.db) == before
    now = world.services.customers.get(world.clerk, c.id)
    assert now.last_name == "کریمی" and now.mobile == "09121111111" and now.version == 2


def test_edit_invalid_input_changes_nothing(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    before = counts(world.db)
    with pytest.raises(InvalidInput):
        world.services.customers.edit(world.clerk, c.id, person(last=None))
    assert counts(world.db) == before
    assert world.services.customers.get(world.clerk, c.id) == c


def test_edit_unknown_customer_not_found(world) -> None:
    with pytest.raises(NotFound):
        world.services.customers.edit(world.clerk, "nope", person())


# -- deleting ----------------------------------------------------------------------------------


def test_clerk_cannot_delete(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    before = counts(world.db)
    with pytest.raises(PermissionDenied) as info:
        world.services.customers.delete(world.clerk, c.id, "دلیل کافی")
    assert is_persian(info.value.message)
    assert counts(world.db) == before


def test_manager_must_give_reason(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    before = counts(world.db)
    for reason in ["", "  ", "اب", None, 42, "x" * 501]:
        with pytest.raises(InvalidInput) as info:
            world.services.customers.delete(world.manager, c.id, reason)  # type: ignore[arg-type]
        assert "reason" in info.value.errors and is_persian(info.value.errors["reason"]), reason
    assert counts(world.db) == before
    assert world.services.customers.get(world.clerk, c.id).id == c.id


def test_manager_soft_delete(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    keep = world.services.customers.create(world.clerk, person(first="حسن", nid=NID_2)).value
    world.services.customers.delete(world.manager, c.id, "  ثبت تکراری  ")
    with pytest.raises(NotFound):
        world.services.customers.get(world.clerk, c.id)
    with pytest.raises(NotFound):
        world.services.customers.profile(world.manager, c.id)
    with pytest.raises(NotFound):
        world.services.customers.edit(world.clerk, c.id, person())
    with pytest.raises(NotFound):
        world.services.customers.delete(world.manager, c.id, "دوباره")
    assert [r.id for r in world.services.search.search(world.admin, "کریمی").rows] == [keep.id]
    assert [r.id for r in world.services.search.search(world.admin, NID_1[:5]).rows] == []
    with world.db.read() as s:
        row = s.execute(text("SELECT deleted_at, deleted_reason, version FROM customer WHERE id = :i"),
                        {"i": c.id}).one()
    assert row.deleted_at is not None
    assert row.deleted_reason == "ثبت تکراری"
    assert row.version == 2


def test_delete_with_stale_version_conflict(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    world.services.customers.edit(world.clerk, c.id, person(mobile="09121111111"))
    with pytest.raises(Conflict):
        world.services.customers.delete(world.manager, c.id, "دلیل حذف", expected_version=1)
    assert world.services.customers.get(world.clerk, c.id).version == 2


# -- branches and roles ----------------------------------------------------------------------


def test_clerk_of_other_branch_cannot_read_or_edit(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    before = counts(world.db)
    with pytest.raises(PermissionDenied):
        world.services.customers.get(world.other_clerk, c.id)
    with pytest.raises(PermissionDenied):
        world.services.customers.profile(world.other_clerk, c.id)
    with pytest.raises(PermissionDenied):
        world.services.customers.edit(world.other_clerk, c.id, person(last="احمدی"))
    assert counts(world.db) == before
    assert world.services.customers.get(world.clerk, c.id).last_name == "کریمی"
    # nor was the refused profile logged as a view
    page = world.services.audit.access_log(world.admin, target_id=c.id)
    assert page.rows == []


def test_admin_works_across_branches(world) -> None:
    c = world.services.customers.create(world.admin, person(branch_id=world.other_branch_id)).value
    assert c.branch_code == "2040"
    assert world.services.customers.get(world.other_clerk, c.id).id == c.id
    with pytest.raises(PermissionDenied):
        world.services.customers.get(world.clerk, c.id)


def test_clerk_cannot_move_customer_to_other_branch(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    with pytest.raises(PermissionDenied):
        world.services.customers.edit(world.clerk, c.id, person(branch_id=world.other_branch_id))
    assert world.services.customers.get(world.clerk, c.id).branch_id == world.branch_id


def test_auditor_reads_but_cannot_write(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    before = counts(world.db)
    with pytest.raises(PermissionDenied):
        world.services.customers.create(world.auditor, person(nid=NID_2))
    with pytest.raises(PermissionDenied):
        world.services.customers.edit(world.auditor, c.id, person(last="احمدی"))
    with pytest.raises(PermissionDenied):
        world.services.customers.delete(world.auditor, c.id, "دلیل حذف")
    assert counts(world.db) == before
    profile = world.services.customers.profile(world.auditor, c.id)
    assert profile.customer.id == c.id


# -- the 360° record -----------------------------------------------------------------------------


def test_profile_writes_access_log(world) -> None:
    c = world.services.customers.create(world.clerk, person()).value
    world.services.customers.profile(world.clerk, c.id)
    with world.db.read() as s:
        rows = s.execute(
            text("SELECT user_id, action, target_tbl, target_id, device_id FROM access_log "
                 "WHERE action = 'view_customer'")
        ).all()
    assert [tuple(r) for r in rows] == [(world.clerk.user_id, "view_customer", "customer", c.id,
                                         world.db.device_id)]
    # get() is not a 360° view and is not logged
    world.services.customers.get(world.clerk, c.id)
    with world.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM access_log WHERE action = 'view_customer'")).scalar() == 1


def test_profile_lists_interactions_and_requests_newest_first(world) -> None:
    svc = world.services
    c = svc.customers.create(world.clerk, person()).value
    other = svc.customers.create(world.clerk, person(first="حسن", nid=NID_2)).value
    now = world.clock()
    subjects = ["قدیمی", "میانی", "تازه"]
    for hours, subject in zip((30, 5, 1), subjects, strict=True):
        svc.interactions.log(world.clerk, InteractionInput(c.id, "phone", "inbound", subject,
                                                           occurred_at=now - timedelta(hours=hours)))
    svc.interactions.log(world.clerk, InteractionInput(other.id, "phone", "inbound", "دیگری"))
    numbers = []
    for i in range(3):
        numbers.append(svc.requests.open(world.clerk, RequestInput(c.id, "inquiry", "normal", f"درخواست {i}")).value)
        world.clock.advance(minutes=10)
    svc.requests.transition(world.clerk, numbers[0].id, "cancel")
    svc.requests.open(world.clerk, RequestInput(other.id, "inquiry", "normal", "دیگری"))

    profile = svc.customers.profile(world.clerk, c.id)
    assert [i.subject for i in profile.interactions] == list(reversed(subjects))
    assert profile.interaction_count == 3
    assert all(i.customer_name == "علی کریمی" and i.user_name == "مریم کارمند" for i in profile.interactions)
    assert [r.id for r in profile.requests] == [n.id for n in reversed(numbers)]
    assert profile.request_count == 3
    assert profile.open_request_count == 2
    assert profile.products == []
