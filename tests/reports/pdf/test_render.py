"""render_pdf end to end: what pdftotext reads back, what the page shows, paging, progress, cancel."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from crm_desktop.errors import Cancelled
from crm_desktop.progress import CancellableProgress
from crm_desktop.reports.document import (
    Chart,
    ChartKind,
    Column,
    Figure,
    Figures,
    Kind,
    Note,
    ReportDocument,
    Section,
    Series,
    Table,
    Value,
)
from crm_desktop.reports.pdf import render_pdf

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed",
)
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
BIDI_MARKS = re.compile("[\u202a-\u202e]")
IBAN = "IR820540102680020817909002"
NOTE = f"شماره شبا {IBAN} (حساب جاری) با کد محصول DEP-2024 در تاریخ ۱۴۰۵/۰۷/۰۱ ثبت شد؛ تعداد: ۱۲"
MADE = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)  # ۱۴۰۵/۰۹/۰۲ ۱۰:۰۰ in Tehran


def document(sections: list[Section]) -> ReportDocument:
    return ReportDocument("گزارش عملکرد شعبه", "بانک نمونه", "شعبه مرکزی (۱۰۱)", "۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰",
                          MADE, "مریم احمدی", sections)


def summary() -> ReportDocument:
    figures = Figures("مشتریان", [Figure("مشتریان فعال", 12345, Kind.INTEGER, 12000, True),
                                  Figure("درصد رسیدگی در مهلت", 0.875, Kind.PERCENT, 0.8, True)])
    bars = Chart("تعاملات به تفکیک کانال", ["مراجعه حضوری", "تماس تلفنی", "پیامک"], [Series("تعداد", [42, 31, 12])])
    pie = Chart("وضعیت درخواست‌ها", ["جدید", "حل‌شده"], [Series("تعداد", [1, 3])], ChartKind.PIE)
    table = Table("درخواست‌ها", [Column("شماره درخواست", Kind.CODE), Column("مشتری", weight=2),
                                 Column("ثبت", Kind.DATE), Column("تأخیر", Kind.HOURS)],
                  [["14050701001", "زهرا کریمی", date(2026, 9, 23), 12.5], ["14050701002", "علی رضایی", None, None]],
                  totals=["جمع کل", "", None, 12.5])
    both = Chart("این دوره و دوره قبل", ["شکایت", "استعلام"], [Series("این دوره", [3, 5]), Series("دوره قبل", [4, 1])])
    return document([Section("خلاصه", [figures, Note(NOTE), bars, both]), Section("درخواست‌ها", [pie, table])])


def long_rows(n: int) -> Iterator[Sequence[Value]]:
    for i in range(n):
        yield (f"1405{i:05d}", f"مشتری شماره {i}", "شکایت", "فوری", "حل‌شده", "سجاد علی شاهی",
               datetime(2026, 10, 1, 8, 0, tzinfo=UTC), date(2026, 10, 3), None, 1.5)


def long_list(rows: Iterator[Sequence[Value]], count: int | None = None) -> ReportDocument:
    columns = [Column("شماره درخواست", Kind.CODE), Column("مشتری"), Column("دسته‌بندی"), Column("اولویت"),
               Column("وضعیت"), Column("مسئول رسیدگی"), Column("ثبت", Kind.DATETIME), Column("مهلت رسیدگی", Kind.DATE),
               Column("حل", Kind.DATETIME), Column("تأخیر", Kind.HOURS)]
    return document([Section("فهرست درخواست‌ها", [Table("درخواست‌های خدمت", columns, rows, row_count=count)])])


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def raw_pages(path: Path) -> list[str]:
    return pdftotext(path, "-raw").split("\f")


@pytest.fixture(scope="module")
def summary_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("pdf") / "summary.pdf"
    return path, render_pdf(summary(), path)


@needs_poppler
def test_raw_text_has_logical_persian_words_and_no_presentation_forms(summary_pdf: tuple[Path, int]) -> None:
    text = pdftotext(summary_pdf[0], "-raw")
    assert not PRESENTATION_FORMS.search(text)
    words = set(BIDI_MARKS.sub("", text).split())
    for word in ["بانک", "نمونه", "شعبه", "مرکزی", "گزارش", "عملکرد", "مشتریان", "فعال", "درخواست‌ها", "حل‌شده",
                 "تعاملات", "مراجعه", "حضوری", "تماس", "تلفنی", "پیامک", "زهرا", "کریمی", "جمع", "کل", "تهیه‌شده",
                 "مریم", "احمدی", "شبا", "ثبت"]:
        assert word in words, word
    for number in ["۱۴۰۵/۰۷/۰۱", "۱۲٬۳۴۵", "۱۲٬۰۰۰", "۸۷٫۵٪", "۱۴۰۵/۰۹/۰۲", "۱۰:۰۰", "۱۴۰۵۰۷۰۱۰۰۱", "۱۲٫۵"]:
        assert number in words, number
    assert IBAN in words and "DEP-2024" in words
    # poppler's -raw puts a neutral sign at the visual left of a right-to-left word in front of it: «)جاری».
    assert {"(حساب", ")جاری", ":تعداد"} <= words


@needs_poppler
def test_raw_lines_are_logical_words_in_left_to_right_order(summary_pdf: tuple[Path, int]) -> None:
    """poppler's -raw keeps the drawing order, left to right, of the words of a line (and marks RTL words).

    So a line reads right to left word by word: reversing the words of the raw line gives the logical line.
    """
    path, pages = summary_pdf
    assert pages == 2
    for page, raw in enumerate(raw_pages(path)[:pages], start=1):
        lines = [BIDI_MARKS.sub("", line).split() for line in raw.splitlines()]
        logical = [" ".join(reversed(words)) for words in lines]
        assert f"صفحه {'۱۲'[page - 1]} از ۲" in logical
        assert "تهیه‌شده در ۱۴۰۵/۰۹/۰۲ ۱۰:۰۰ توسط مریم احمدی" in logical
    first = [" ".join(reversed(BIDI_MARKS.sub("", line).split())) for line in raw_pages(path)[0].splitlines()]
    assert any(f"شماره شبا {IBAN}" in line and "با کد محصول DEP-2024 در تاریخ ۱۴۰۵/۰۷/۰۱ ثبت" in line
               for line in first)


@needs_poppler
def test_default_pdftotext_orders_right_to_left_lines(summary_pdf: tuple[Path, int]) -> None:
    text = BIDI_MARKS.sub("", pdftotext(summary_pdf[0]))
    assert "بانک نمونه" in text and "گزارش عملکرد شعبه" in text and "تعاملات به تفکیک کانال" in text


@needs_poppler
def test_page_shows_the_first_word_at_the_right(tmp_path: Path) -> None:
    """Render a one-line note and the same first word alone: the right end of both pages must look the same."""

    def ink_columns(text: str, name: str) -> list[int]:
        path = tmp_path / f"{name}.pdf"
        render_pdf(document([Section("", [Note(text)])]), path)
        subprocess.run(["pdftoppm", "-gray", "-r", "100", "-f", "1", "-l", "1", "-x", "0", "-y", "100",
                        "-W", "827", "-H", "60", str(path), str(tmp_path / name)], check=True)
        pgm = next(tmp_path.glob(f"{name}*.pgm")).read_bytes()
        width, height = map(int, pgm.split(b"\n")[1].split())
        pixels = pgm[-width * height :]
        return [sum(255 - pixels[y * width + x] for y in range(height)) for x in range(width)]

    mixed = ink_columns("سلام ABC-123 و ۱۲۳", "mixed")
    alone = ink_columns("سلام", "alone")
    inked = [x for x, ink in enumerate(alone) if ink > 0]
    assert inked and inked[0] > len(alone) / 2  # the word alone sits at the right
    right = slice(inked[0] - 2, inked[-1] + 3)
    assert mixed[right] == alone[right]  # ... and the mixed line starts with the same word at the same place
    assert sum(mixed[: inked[0] - 2]) > 0  # the rest of the line is to its left


@needs_poppler
def test_long_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    pages = render_pdf(long_list(long_rows(120), 120), path)
    assert pages >= 3
    texts = [BIDI_MARKS.sub("", page) for page in raw_pages(path)[:pages]]
    for page, text in enumerate(texts, start=1):
        assert "مسئول" in text.split() and "رسیدگی" in text.split(), page
        assert f"صفحه {page}" not in text  # raw lines are left to right ...
        assert f"{'۰۱۲۳۴۵۶۷۸۹'[page]} صفحه" in text  # ... «صفحه N از M» comes out as «M از N صفحه»
    everything = "\n".join(texts)
    assert all(f"۱۴۰۵{i:05d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in everything
               for i in (0, 59, 119))


def test_generator_rows_are_read_once(tmp_path: Path) -> None:
    reads = 0

    class Once:
        def __iter__(self) -> Iterator[Sequence[Value]]:
            nonlocal reads
            reads += 1
            assert reads == 1, "rows read twice"
            return long_rows(30)

    gen = long_rows(5)
    assert render_pdf(long_list(gen), tmp_path / "a.pdf") == 1
    assert next(gen, None) is None
    render_pdf(long_list(iter(Once())), tmp_path / "b.pdf")
    assert reads == 1


def test_progress_is_reported_and_cancel_leaves_no_file(tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []

    class Recorder(CancellableProgress):
        def update(self, done: int, total: int | None = None, message: str = "") -> None:
            seen.append((done, total))
            super().update(done, total, message)
            if done >= 500:
                self.cancel()

    target = tmp_path / "report.pdf"
    with pytest.raises(Cancelled):
        render_pdf(long_list(long_rows(2000), 2000), target, Recorder())
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert seen[0] == (250, 4000) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_replaces_an_existing_file_only_when_done(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    progress = CancellableProgress()
    progress.cancel()
    with pytest.raises(Cancelled):
        render_pdf(summary(), target, progress)
    assert target.read_bytes() == b"old"
    assert render_pdf(summary(), target) == 2
    assert target.read_bytes().startswith(b"%PDF")


@needs_poppler
def test_empty_table_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    render_pdf(long_list(iter([])), path)
    assert "موردی در این دوره" in " ".join(reversed(BIDI_MARKS.sub("", pdftotext(path, "-raw")).split()))
