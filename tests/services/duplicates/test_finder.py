"""The duplicate finder service: scan a branch, warn while typing, remember "not a duplicate"."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from crm_desktop.errors import Cancelled
from crm_desktop.persian import make_national_id
from crm_desktop.progress import CancellableProgress
from crm_desktop.services.duplicates import DuplicateService
from crm_desktop.services.errors import InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.records import CustomerInput
from tests.services.duplicates.planting import plant, plant_company, plant_karimi_three


@pytest.fixture
def finder(world) -> DuplicateService:
    return DuplicateService(world.db, world.clock)


def other_people(world, n: int = 30) -> list[str]:
    first = ["مریم", "حسن", "زهرا", "رضا", "سارا", "مهدی", "نرگس", "امیر", "لیلا", "حمید"]
    last = ["احمدی", "رضایی", "نوری", "صادقی", "موسوی", "جعفری"]
    return [plant(world.db, world.branch_id, first[i % 10], last[i % 6], national_id=make_national_id(f"2{i:08d}"),
                  mobile=f"0935{i:07d}", birth=f"{1340 + i}/01/01") for i in range(n)]


def test_the_three_karimis_are_one_group_with_persian_reasons(world, finder) -> None:
    ids = plant_karimi_three(world.db, world.branch_id)
    other_people(world)
    result = finder.scan(world.clerk)
    assert [set(g.ids) for g in result.groups] == [set(ids)]
    group = result.groups[0]
    assert group.score == 100
    assert any(r.startswith("کد ملی یکسان با نگارش متفاوت") for r in group.reasons)
    assert any(r.startswith("تلفن همراه یکسان (۰۹۱۲۱۲۳۴۵۶۷)") for r in group.reasons)
    assert "نام‌ها پس از یکسان‌سازی نویسه‌ها برابرند" in group.reasons
    assert "کد ملی در یکی از دو پرونده ثبت نشده است" in group.reasons
    assert len(group.pairs) == 3 and all(p.score >= 50 for p in group.pairs)
    assert result.customers == 33
    assert result.candidates < 33 * 32 // 2 // 10  # blocking: far from all pairs
    names = {r.display_name for r in group.records}
    assert names == {"علی‌رضا كريمي", "عليرضا کریمی", "علی رضا کریمی"}


def test_namesakes_with_their_own_ids_are_not_offered(world, finder) -> None:
    plant(world.db, world.branch_id, "علی", "کریمی", national_id=make_national_id("001234567"), birth="1360/01/01")
    plant(world.db, world.branch_id, "علی", "کریمی", national_id=make_national_id("007654321"), birth="1360/07/01")
    assert finder.scan(world.clerk).groups == ()
    assert len(finder.scan(world.clerk, min_score=0).groups) == 1  # still a candidate at a low threshold


def test_companies_with_one_id_typed_two_ways(world, finder) -> None:
    plant_company(world.db, world.branch_id, "شرکت بازرگانی پارس", company_id="10101234567")
    plant_company(world.db, world.branch_id, "شركت بازرگاني پارس", company_id="۱۰۱۰۱۲۳۴۵۶۷")
    groups = finder.scan(world.clerk).groups
    assert len(groups) == 1 and groups[0].score >= 80
    assert any(r.startswith("شناسه ملی یکسان") for r in groups[0].reasons)


def test_a_clerk_scans_their_own_branch_and_an_admin_every_branch(world, finder) -> None:
    plant_karimi_three(world.db, world.branch_id)
    plant(world.db, world.other_branch_id, "سارا", "ونکی", mobile="09351112233", birth="1370/01/01")
    plant(world.db, world.other_branch_id, "سارا", "ونكي", mobile="09351112233", birth="1370/01/01")
    assert len(finder.scan(world.clerk).groups) == 1
    assert len(finder.scan(world.other_clerk).groups) == 1
    assert len(finder.scan(world.admin).groups) == 2
    assert len(finder.scan(world.admin, "2040").groups) == 1
    with pytest.raises(PermissionDenied):
        finder.scan(world.clerk, "2040")
    with pytest.raises(NotFound):
        finder.scan(world.admin, "9999")


def test_the_scan_is_in_the_access_log(world, finder) -> None:
    plant_karimi_three(world.db, world.branch_id)
    finder.scan(world.manager)
    with world.db.read() as s:
        detail = s.execute(text("SELECT detail FROM access_log WHERE action = 'duplicate_scan'")).scalar_one()
    assert json.loads(detail)["groups"] == 1


def test_min_score_is_checked(world, finder) -> None:
    for bad in (-1, 101, "50", True):
        with pytest.raises(InvalidInput):
            finder.scan(world.clerk, min_score=bad)  # type: ignore[arg-type]


def test_progress_is_reported_and_cancel_stops_the_scan(world, finder) -> None:
    plant_karimi_three(world.db, world.branch_id)
    progress = CancellableProgress()
    finder.scan(world.clerk, progress=progress)
    assert progress.snapshot()[0] == progress.snapshot()[1]
    progress.cancel()
    with pytest.raises(Cancelled):
        finder.scan(world.clerk, progress=progress)


def test_not_a_duplicate_is_remembered_and_journaled(world, finder) -> None:
    ids = plant_karimi_three(world.db, world.branch_id)
    out = finder.dismiss(world.clerk, ids[:2], "دو برادر دوقلو")
    assert out.value == 1
    groups = finder.scan(world.clerk).groups
    assert len(groups) == 1 and {p.first_id for p in groups[0].pairs} | {p.second_id for p in groups[0].pairs} \
        == set(ids) and len(groups[0].pairs) == 2
    assert finder.dismiss(world.clerk, ids).value == 2  # the pair already dismissed is not written twice
    result = finder.scan(world.clerk)
    assert result.groups == () and result.dismissed == 3
    with world.db.read() as s:
        rows = s.execute(text("SELECT kind, source, changed FROM change_journal WHERE tbl = 'duplicate_dismissal'")
                         ).all()
    assert len(rows) == 3 and {r.kind for r in rows} == {"insert"} and {r.source for r in rows} == {"duplicates"}
    assert "دو برادر دوقلو" in rows[0].changed


def test_dismissing_needs_two_visible_customers_and_a_clerk(world, finder) -> None:
    ids = plant_karimi_three(world.db, world.branch_id)
    other = plant(world.db, world.other_branch_id, "سارا", "ونکی")
    with pytest.raises(InvalidInput):
        finder.dismiss(world.clerk, ids[:1])
    with pytest.raises(InvalidInput):
        finder.dismiss(world.clerk, ids, "x" * 501)
    with pytest.raises(PermissionDenied):
        finder.dismiss(world.clerk, [ids[0], other])
    with pytest.raises(PermissionDenied):
        finder.dismiss(world.auditor, ids)
    with pytest.raises(NotFound):
        finder.dismiss(world.clerk, [ids[0], "no-such-id"])
    with world.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM duplicate_dismissal")).scalar_one() == 0


def test_similar_finds_a_customer_typed_another_way(world, finder) -> None:
    ids = plant_karimi_three(world.db, world.branch_id)
    other_people(world)
    draft = CustomerInput(first_name="علیرضا", last_name="کريمی", birth_date="۱۳۶۰/۰۵/۱۲")
    matches = finder.similar(world.clerk, draft)
    assert {m.record.id for m in matches} == set(ids)
    assert all(m.score >= 30 for m in matches)
    warning = matches[0].warning()
    assert warning.startswith("احتمال تکراری بودن با «") and "شعبه ۱۰۲۱" in warning
    assert "تاریخ تولد یکسان" in warning
    # the record being edited is not its own duplicate
    assert ids[0] not in {m.record.id for m in finder.similar(world.clerk, draft, exclude_id=ids[0])}


def test_a_namesake_alone_is_not_worth_a_warning(world, finder) -> None:
    plant(world.db, world.branch_id, "علی", "کریمی", national_id=make_national_id("001234567"))
    assert finder.similar(world.clerk, {"first_name": "علی", "last_name": "کریمی"}) == []


def test_the_customer_form_warns_with_the_match_and_reasons(world) -> None:
    plant_karimi_three(world.db, world.branch_id)
    out = world.services.customers.create(world.clerk, CustomerInput(
        first_name="علي رضا", last_name="كريمي", national_id=make_national_id("005555555"), mobile="۰۹۱۲۱۲۳۴۵۶۷",
        birth_date="1360/05/12"))
    assert len(out.warnings) == 3
    assert all("علی" in w or "علي" in w for w in out.warnings)
    assert all("تلفن همراه یکسان" in w and "تاریخ تولد یکسان" in w for w in out.warnings)
