"""Lists to CSV: UTF-8 with a BOM and CRLF, the workbook's columns and values written as Excel reads a CSV,
formula-looking text neutralised, streamed across keyset pages, cancel-safe, and in the access log."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_desktop.errors import Cancelled
from crm_desktop.persian import make_national_id, to_ascii_digits, to_persian_digits
from crm_desktop.reports.csv_table import CsvRowConverter, export_table_csv, safe_text
from crm_desktop.reports.document import Column, Kind, Table
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.exports import ExportFormat, export_format
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import Queue, RequestInput

LAST_NAMES = ("احمدی", "بهرامی", "پارسا", "تهرانی", "جعفری", "حسینی", "خسروی", "دهقان")
FORMULAS = ("=HYPERLINK(\"http://x\",\"y\")", "+98 912", "-5", "@SUM(A1)", "#N/A")


def add_customers(world, count: int) -> list[str]:
    ids = []
    for i in range(count):
        data = CustomerInput(
            first_name="مریم", last_name=LAST_NAMES[i % len(LAST_NAMES)],
            national_id=make_national_id(f"00{i + 1:07d}"), mobile=f"0912{i:07d}", customer_no=f"{7000 + i}",
            segment="affluent" if i % 3 == 0 else "mass")
        ids.append(world.services.customers.create(world.clerk, data).value.id)
    return ids


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def export_rows(world) -> list[tuple]:
    with world.db.read() as s:
        return s.execute(text("SELECT detail FROM access_log WHERE action = 'export' ORDER BY seq")).all()


def log(world, customer: str, subject: str, when: datetime, **kw) -> None:
    world.services.interactions.log(world.clerk, InteractionInput(
        customer_id=customer, channel=kw.pop("channel", "phone"), direction="inbound", subject=subject,
        occurred_at=when, **kw))


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# -- the file ------------------------------------------------------------------------------------


def test_utf8_bom_crlf_and_persian_that_round_trips(world, out):
    add_customers(world, 3)
    target = out / "مشتریان.csv"
    assert world.services.exports.customers(world.clerk, target).value == 3
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel shows Persian, not mojibake
    assert raw.count(b"\r\n") == 4 and raw.replace(b"\r\n", b"").count(b"\n") == 0
    header, *rows = read_csv(target)
    assert header == ["نام", "نوع مشتری", "کد ملی / شناسه ملی", "تلفن همراه", "شماره مشتری", "کد شعبه",
                      "بخش مشتری", "مرحله چرخه عمر", "وضعیت احراز هویت"]
    listed = world.services.search.search(world.clerk, "", limit=100).rows
    assert [r[0] for r in rows] == [c.display_name for c in listed]
    assert {(r[1], r[6]) for r in rows} == {("مشتری حقیقی", "ممتاز"), ("مشتری حقیقی", "عمومی")}


def test_national_ids_and_mobiles_keep_their_leading_zeros(world, out):
    add_customers(world, 3)
    target = out / "c.csv"
    world.services.exports.customers(world.clerk, target)
    _header, *rows = read_csv(target)
    national_ids = sorted(r[2] for r in rows)
    # Persian digits: Excel keeps them as text, so the zeros survive opening the file as well.
    assert national_ids == sorted(to_persian_digits(make_national_id(f"00{i + 1:07d}")) for i in range(3))
    assert all(to_ascii_digits(v).startswith("00") and len(v) == 10 for v in national_ids)
    assert sorted(to_ascii_digits(r[3]) for r in rows) == ["09120000000", "09120000001", "09120000002"]
    assert {r[5] for r in rows} == {"۱۰۲۱"}


def test_every_row_across_pages_and_the_same_rows_as_the_workbook(world, out):
    from openpyxl import load_workbook

    add_customers(world, 8)
    world.services.exports.page_size = 3
    world.services.exports.customers(world.clerk, out / "c.csv", segment="mass", descending=True)
    world.services.exports.customers(world.clerk, out / "c.xlsx", segment="mass", descending=True)
    _header, *rows = read_csv(out / "c.csv")
    ws = load_workbook(out / "c.xlsx").worksheets[0]
    book = [tuple(r) for r in ws.iter_rows(min_row=5, values_only=True)]
    assert len(rows) == len(book) == 5
    for line, cells in zip(rows, book, strict=True):
        assert [to_ascii_digits(v) for v in line] == [v or "" for v in cells]


def test_dates_numbers_and_the_jalali_column_beside_each_date(world, customer, out):
    when = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
    log(world, customer, "پیگیری وام", when, duration_minutes=12, follow_up_on=date(2026, 11, 30))
    target = out / "i.csv"
    world.services.exports.interactions(world.clerk, target)
    header, row = read_csv(target)
    assert header[:2] == ["تاریخ و ساعت (میلادی)", "تاریخ و ساعت (شمسی)"]
    assert header[-3:] == ["تاریخ پیگیری (میلادی)", "تاریخ پیگیری (شمسی)", "مدت (دقیقه)"]
    assert row[:2] == ["2026-11-22 10:00:00", "۱۴۰۵/۰۹/۰۱ ۱۰:۰۰"]  # Tehran time, as in the workbook
    assert row[-3:] == ["2026-11-30", "۱۴۰۵/۰۹/۰۹", "12"]  # a number Excel can sum: Latin digits


def test_formula_like_cells_are_neutralised(world, customer, out):
    for subject in FORMULAS:
        log(world, customer, subject, world.clock())
    target = out / "i.csv"
    world.services.exports.interactions(world.clerk, target)
    _header, *rows = read_csv(target)
    subjects = sorted(r[5] for r in rows)
    assert subjects == sorted("'" + s for s in FORMULAS)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_cells_with_quotes_commas_and_line_breaks_are_quoted():
    table = Table("t", [Column("a"), Column("b", Kind.CODE)], iter([["x, \"y\"\nz", "-12"], [None, None]]))
    buffer = io.StringIO()
    convert = CsvRowConverter([c.kind for c in table.columns])
    csv.writer(buffer, lineterminator="\r\n").writerows(convert(r) for r in table.rows)
    assert buffer.getvalue() == "\"x, \"\"y\"\"\nz\",'-۱۲\r\n,\r\n"
    assert safe_text("=1+1") == "'=1+1" and safe_text("علی - رضا") == "علی - رضا"
    # The services trim leading whitespace, but a tab or CR start is neutralised wherever it comes from.
    assert safe_text("\t=1") == "'\t=1" and safe_text("\r@x") == "'\r@x"
    assert safe_text("a\x00b") == "ab"  # a NUL (refused by Excel) is dropped, as in the workbook


def test_requests_as_csv_keep_the_queue_and_its_order(world, customer, out):
    for i in range(4):
        world.services.requests.open(world.clerk, RequestInput(
            customer_id=customer, category="complaint", priority="urgent", subject=f"کارت {i}",
            assignee_id=world.clerk.user_id))
    target = out / "r.dat"  # an unknown suffix: the explicit format decides
    count = world.services.exports.requests(world.clerk, target, queue=Queue.MINE, file_format="csv").value
    listed = world.services.requests.queue(world.clerk, Queue.MINE, limit=100).rows
    _header, *rows = read_csv(target)
    assert count == len(rows) == 4
    assert [to_ascii_digits(r[0]) for r in rows] == [x.number for x in listed]
    opened = listed[0].opened_at.astimezone(UTC).replace(tzinfo=None) + timedelta(hours=3, minutes=30)
    assert rows[0][7] == opened.strftime("%Y-%m-%d %H:%M:%S")


# -- format choice, log, cancel, errors --------------------------------------------------------


def test_the_format_follows_the_suffix_unless_named():
    assert export_format("a.CSV") is ExportFormat.CSV
    assert export_format(Path("a.xlsx")) is ExportFormat.XLSX
    assert export_format("a.csv", "xlsx") is ExportFormat.XLSX
    with pytest.raises(InvalidInput) as caught:
        export_format("a.csv", "pdf")
    assert "CSV" in caught.value.errors["file_format"]


def test_the_access_log_records_the_export_with_its_format(world, out):
    add_customers(world, 2)
    world.services.exports.customers(world.clerk, out / "list.csv", segment="mass")
    [(detail,)] = export_rows(world)
    assert json.loads(detail) == {"list": "customers", "rows": 1, "file": "list.csv", "format": "csv",
                                  "filters": {"segment": "mass", "branch_id": world.branch_id}}


class CancelAfter:
    def __init__(self, allowed: int) -> None:
        self.checks, self.allowed = 0, allowed

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        return None

    def check(self) -> None:
        self.checks += 1
        if self.checks > self.allowed:
            raise Cancelled()


def test_cancel_leaves_no_partial_file_and_keeps_an_older_one(world, out):
    add_customers(world, 8)
    world.services.exports.page_size = 3
    target = out / "c.csv"
    with pytest.raises(Cancelled):
        world.services.exports.customers(world.clerk, target, progress=(cancel := CancelAfter(3)))
    assert cancel.checks == 4  # before the third page, six rows already in the temporary file
    assert list(out.iterdir()) == [] and export_rows(world) == []
    target.write_bytes(b"older export")
    with pytest.raises(Cancelled):
        world.services.exports.customers(world.clerk, target, progress=CancelAfter(3))
    assert target.read_bytes() == b"older export" and list(out.iterdir()) == [target]


def test_a_long_list_streams_with_progress_and_cancel_between_rows(out):
    class Counting(CancelAfter):
        def __init__(self, allowed: int) -> None:
            super().__init__(allowed)
            self.updates: list[int] = []

        def update(self, done: int, total: int | None = None, message: str = "") -> None:
            self.updates.append(done)

    made = 0

    def rows():
        nonlocal made
        for i in range(2500):
            made += 1
            yield [f"نام {i}", i]

    table = Table("t", [Column("نام"), Column("عدد", Kind.INTEGER)], rows())
    progress = Counting(100)
    assert export_table_csv(table, out / "t.csv", progress=progress) == 2500
    assert progress.updates == [0, 1000, 2000, 2500]
    assert len(read_csv(out / "t.csv")) == 2501

    made = 0
    with pytest.raises(Cancelled):
        export_table_csv(Table("t", [Column("نام"), Column("عدد", Kind.INTEGER)], rows()), out / "u.csv",
                         progress=CancelAfter(1))
    assert made == 1000 and not (out / "u.csv").exists()
    assert sorted(p.name for p in out.iterdir()) == ["t.csv"]


def test_a_folder_that_cannot_be_written_gives_a_persian_error(world, tmp_path):
    from crm_desktop.errors import CrmError

    with pytest.raises(CrmError) as caught:
        world.services.exports.customers(world.clerk, tmp_path / "missing" / "c.csv")
    assert caught.value.code == "file_write" and "c.csv" in caught.value.message
    assert export_rows(world) == []
