"""Lists to Excel: the rows of the list service for the same filters (across keyset pages), typed cells,
Persian labels, branch scope, the access log, cancelling, and text that must never become a formula."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from crm_desktop.errors import Cancelled
from crm_desktop.persian import make_national_id
from crm_desktop.progress import NullProgress
from crm_desktop.services.errors import InvalidInput, PermissionDenied
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import Queue, RequestInput

HEADER_ROW = 4
LAST_NAMES = ("احمدی", "بهرامی", "پارسا", "تهرانی", "جعفری", "حسینی", "خسروی", "دهقان")


def add_customers(world, actor, count: int, start: int = 0) -> list[str]:
    """Customers whose national IDs start with «00» (leading zeros that Excel must not eat)."""
    ids = []
    for i in range(start, start + count):
        data = CustomerInput(
            first_name="مریم", last_name=LAST_NAMES[i % len(LAST_NAMES)] + ("" if i < len(LAST_NAMES) else "ان"),
            national_id=make_national_id(f"00{i + 1:07d}"), mobile=f"0912{i:07d}", customer_no=f"{7000 + i}",
            segment="affluent" if i % 3 == 0 else "mass", lifecycle_stage="retention" if i % 2 else "acquisition",
            branch_id=None if actor.role == "clerk" else world.branch_id,
        )
        ids.append(world.services.customers.create(actor, data).value.id)
    return ids


def every_row(call, **kw) -> list:
    """All rows of a list call, read with the screen's page size."""
    rows, after = [], None
    while True:
        page = call(after=after, limit=200, **kw)
        rows.extend(page.rows)
        if page.next_key is None:
            return rows
        after = page.next_key


def read(path: Path) -> tuple[list[str], list[tuple], list[str]]:
    """(header, data rows, title block) of the one sheet of an exported workbook."""
    wb = load_workbook(path)
    assert len(wb.worksheets) == 1
    ws = wb.worksheets[0]
    assert ws.sheet_view.rightToLeft
    title = [ws.cell(1, 1).value, ws.cell(2, 1).value]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = [tuple(r) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    return header, rows, title


@pytest.fixture
def out(tmp_path) -> Path:
    """A folder for the exports alone (the database lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def small_pages(world):
    world.services.exports.page_size = 3  # eight rows cross two page boundaries


def access_rows(world) -> list[tuple]:
    with world.db.read() as s:
        return s.execute(text("SELECT user_id, target_tbl, detail FROM access_log WHERE action = 'export' "
                              "ORDER BY seq")).all()


# -- customers ---------------------------------------------------------------------------------


def test_customer_export_holds_every_row_the_list_shows_in_its_order_across_pages(world, tmp_path, small_pages):
    add_customers(world, world.clerk, 8)
    target = tmp_path / "مشتریان.xlsx"

    for descending in (False, True):
        count = world.services.exports.customers(world.clerk, target, descending=descending).value
        listed = every_row(world.services.search.search, actor=world.clerk, query="", descending=descending)
        header, rows, _title = read(target)
        assert count == len(rows) == len(listed) == 8
        assert [r[0] for r in rows] == [c.display_name for c in listed]
        assert [r[2] for r in rows] == [c.national_id for c in listed]
    assert header == ["نام", "نوع مشتری", "کد ملی / شناسه ملی", "تلفن همراه", "شماره مشتری", "کد شعبه",
                      "بخش مشتری", "مرحله چرخه عمر", "وضعیت احراز هویت"]


def test_national_ids_and_mobiles_keep_their_leading_zeros_as_text(world, tmp_path):
    add_customers(world, world.clerk, 3)
    target = tmp_path / "c.xlsx"
    world.services.exports.customers(world.clerk, target)
    _header, rows, _title = read(target)
    national_ids = sorted(r[2] for r in rows)
    assert national_ids == sorted(make_national_id(f"00{i + 1:07d}") for i in range(3))
    assert all(isinstance(v, str) and v.startswith("00") and len(v) == 10 for v in national_ids)
    assert sorted(r[3] for r in rows) == ["09120000000", "09120000001", "09120000002"]
    assert sorted(r[4] for r in rows) == ["7000", "7001", "7002"]  # codes, not numbers
    assert {r[5] for r in rows} == {"1021"}


def test_filters_search_text_and_persian_labels_are_the_lists(world, tmp_path, small_pages):
    add_customers(world, world.clerk, 8)
    target = tmp_path / "c.xlsx"
    world.services.exports.customers(world.clerk, target, query="مریم", segment="mass",
                                     lifecycle_stage="retention")
    listed = every_row(world.services.search.search, actor=world.clerk, query="مریم", segment="mass",
                       lifecycle_stage="retention")
    _header, rows, title = read(target)
    assert [r[0] for r in rows] == [c.display_name for c in listed] and len(rows) == 3
    assert {(r[1], r[6], r[7], r[8]) for r in rows} == {("مشتری حقیقی", "عمومی", "حفظ", "در انتظار احراز")}
    assert title[0] == "مشتریان"
    for words in ("شعبه مرکزی (کد ۱۰۲۱)", "جستجو: «مریم»", "بخش مشتری: عمومی", "مرحله چرخه عمر: حفظ"):
        assert words in title[1]


def test_a_clerk_exports_only_their_branch_and_cannot_ask_for_another(world, tmp_path):
    add_customers(world, world.clerk, 2)
    other = CustomerInput(first_name="سارا", last_name="ونکی", national_id=make_national_id("007654321"),
                          branch_id=world.other_branch_id)
    world.services.customers.create(world.admin, other)
    target = tmp_path / "c.xlsx"

    assert world.services.exports.customers(world.clerk, target).value == 2
    assert "سارا ونکی" not in [r[0] for r in read(target)[1]]

    target.unlink()
    with pytest.raises(PermissionDenied):
        world.services.exports.customers(world.clerk, target, branch_id=world.other_branch_id)
    assert not target.exists()

    assert world.services.exports.customers(world.admin, target, branch_id=world.other_branch_id).value == 1
    _header, rows, title = read(target)
    assert [r[0] for r in rows] == ["سارا ونکی"] and "شعبه ونک (کد ۲۰۴۰)" in title[1]
    assert world.services.exports.customers(world.auditor, target).value == 3
    assert "همه شعبه‌ها" in read(target)[2][1]


def test_every_export_is_written_to_the_access_log(world, tmp_path):
    add_customers(world, world.clerk, 2)
    world.services.exports.customers(world.clerk, tmp_path / "list.xlsx", segment="mass")
    [(user_id, table, detail)] = access_rows(world)
    assert (user_id, table) == (world.clerk.user_id, "customer")
    assert json.loads(detail) == {"list": "customers", "rows": 1, "file": "list.xlsx", "format": "xlsx",
                                  "filters": {"segment": "mass", "branch_id": world.branch_id}}


class CancelAfter:
    """Lets ``allowed`` checks pass, then cancels (as the Cancel button would)."""

    def __init__(self, allowed: int) -> None:
        self.checks, self.allowed = 0, allowed

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        return None

    def check(self) -> None:
        self.checks += 1
        if self.checks > self.allowed:
            raise Cancelled()


def test_cancelling_leaves_no_file_and_no_log_row(world, out, small_pages):
    add_customers(world, world.clerk, 8)
    target = out / "c.xlsx"
    with pytest.raises(Cancelled):
        world.services.exports.customers(world.clerk, target, progress=(cancel := CancelAfter(4)))
    assert cancel.checks == 5  # cancelled between two pages of rows, the sheet half written
    assert list(out.iterdir()) == []  # neither the file nor a partial one
    assert access_rows(world) == []

    target.write_bytes(b"older export")  # an earlier file of that name stays as it was
    with pytest.raises(Cancelled):
        world.services.exports.customers(world.clerk, target, progress=CancelAfter(4))
    assert target.read_bytes() == b"older export" and list(out.iterdir()) == [target]


def test_bad_filters_fail_before_any_file_is_made(world, out):
    target = out / "x.xlsx"
    with pytest.raises(InvalidInput):
        world.services.exports.customers(world.clerk, target, segment=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        world.services.exports.requests(world.clerk, target, queue="nonsense")
    with pytest.raises(InvalidInput):
        world.services.exports.interactions(world.clerk, target, period=(date(2026, 2, 1), date(2026, 1, 1)))
    assert list(out.iterdir()) == []


# -- interactions ------------------------------------------------------------------------------


def log(world, customer_id: str, subject: str, at: datetime, **kw) -> None:
    data = InteractionInput(customer_id=customer_id, channel=kw.pop("channel", "phone"), direction="outbound",
                            subject=subject, occurred_at=at, **kw)
    world.services.interactions.log(kw.pop("actor", world.clerk), data)


def test_interaction_export_matches_the_list_with_its_filters(world, customer, tmp_path, small_pages):
    now = world.clock()
    for i in range(9):
        log(world, customer, f"پیگیری {i}", now - timedelta(days=i), channel="phone" if i % 3 else "sms",
            duration_minutes=i + 1, outcome="follow_up", follow_up_on=date(2026, 12, 1))
    period = (date(2026, 11, 16), date(2026, 11, 23))
    target = tmp_path / "i.xlsx"
    count = world.services.exports.interactions(world.clerk, target, channel="phone", period=period,
                                                user_id=world.clerk.user_id)
    listed = every_row(world.services.interactions.list, actor=world.clerk, channel="phone", period=period,
                       user_id=world.clerk.user_id)
    header, rows, title = read(target)
    assert count.value == len(rows) == len(listed) == 5
    assert header == ["تاریخ و ساعت (میلادی)", "تاریخ و ساعت (شمسی)", "مشتری", "کانال ارتباطی", "جهت", "موضوع",
                      "کارمند", "نتیجه", "تاریخ پیگیری (میلادی)", "تاریخ پیگیری (شمسی)", "مدت (دقیقه)"]
    assert [r[5] for r in rows] == [x.subject for x in listed]  # newest first, as listed
    first = rows[0]
    # A real date-time (Tehran wall clock) with the Jalali text beside it.
    assert first[0] == datetime(2026, 11, 22, 10, 0) and first[1] == "۱۴۰۵/۰۹/۰۱ ۱۰:۰۰"
    assert first[2:5] == ("علی کریمی", "تماس تلفنی", "خروجی")
    assert first[6:8] == ("مریم کارمند", "نیاز به پیگیری")
    assert first[8] == datetime(2026, 12, 1) and first[9] == "۱۴۰۵/۰۹/۱۰"
    assert first[10] == 2 and isinstance(first[10], int)
    assert title[0] == "تعاملات"
    for words in ("بازه زمانی: ۱۴۰۵/۰8/۲۵ تا ۱۴۰۵/۰۹/۰۲".replace("8", "۸"), "کانال ارتباطی: تماس تلفنی",
                  "کارمند: مریم کارمند"):
        assert words in title[1]


def test_formula_like_text_stays_text(world, customer, tmp_path):
    for subject in ("=HYPERLINK(\"http://x\",\"y\")", "+98 912", "-5", "@SUM(A1)"):
        log(world, customer, subject, world.clock())
    target = tmp_path / "i.xlsx"
    world.services.exports.interactions(world.clerk, target)
    ws = load_workbook(target).worksheets[0]
    cells = [ws.cell(row, 6) for row in range(HEADER_ROW + 1, HEADER_ROW + 5)]
    assert sorted(c.value for c in cells) == sorted(
        ["=HYPERLINK(\"http://x\",\"y\")", "+98 912", "-5", "@SUM(A1)"])
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


# -- service requests --------------------------------------------------------------------------


def test_request_export_matches_the_queue_with_persian_labels(world, customer, tmp_path, small_pages):
    for i in range(7):
        world.services.requests.open(world.clerk, RequestInput(
            customer_id=customer, category="complaint" if i % 2 else "inquiry",
            priority="urgent" if i % 2 else "normal", subject=f"کارت مسدود {i}", assignee_id=world.clerk.user_id))
    target = tmp_path / "r.xlsx"
    count = world.services.exports.requests(world.clerk, target, queue=Queue.MINE).value
    listed = every_row(world.services.requests.queue, actor=world.clerk, queue=Queue.MINE)
    header, rows, title = read(target)
    assert count == len(rows) == len(listed) == 7
    assert [r[0] for r in rows] == [x.number for x in listed]  # the number as a code, soonest deadline first
    assert header[:7] == ["شماره درخواست", "مشتری", "موضوع", "دسته‌بندی", "اولویت", "وضعیت", "مسئول رسیدگی"]
    assert {r[3:7] for r in rows} == {("شکایت", "فوری", "ارجاع‌شده", "مریم کارمند"),
                                      ("استعلام", "عادی", "ارجاع‌شده", "مریم کارمند")}
    opened = listed[0].opened_at.astimezone(UTC)
    assert rows[0][7] == opened.replace(tzinfo=None) + timedelta(hours=3, minutes=30)
    assert isinstance(rows[0][9], datetime)
    assert title[0] == "درخواست‌های خدمت" and "صف: درخواست‌های من (مریم کارمند)" in title[1]
    assert world.services.exports.requests(world.clerk2, target, queue=Queue.MINE).value == 0
    assert read(target)[1] == [("در این فهرست موردی نیست.",) + (None,) * 10]


def test_export_runs_with_a_null_progress_and_replaces_an_older_file(world, customer, tmp_path):
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"older")
    world.services.requests.open(world.clerk, RequestInput(customer_id=customer, category="complaint",
                                                           priority="high", subject="کارت"))
    assert world.services.exports.requests(world.manager, target, progress=NullProgress()).value == 1
    assert read(target)[1][0][2] == "کارت"


def test_a_folder_that_cannot_be_written_gives_a_persian_error(world, customer, tmp_path):
    from crm_desktop.errors import CrmError

    with pytest.raises(CrmError) as caught:
        world.services.exports.customers(world.clerk, tmp_path / "missing" / "c.xlsx")
    assert caught.value.code == "file_write" and "c.xlsx" in caught.value.message
    assert access_rows(world) == []
