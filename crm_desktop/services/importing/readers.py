"""Read a spreadsheet (.xlsx or .csv) into rows of raw cell values, refusing malformed files in Persian.

Nothing here knows about customers: a reader yields ``SheetRow`` (the row number a user sees in Excel and
the raw values). Files that are not spreadsheets, text in an unknown encoding and runaway files (a million
empty rows, a dimension that lies) stop with an ``ImportFileError`` before anything is written.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, NamedTuple

from crm_desktop.errors import CrmError
from crm_desktop.persian import format_number

CellValue = str | int | float | date | datetime | time | bool | None

EMPTY_RUN_LIMIT = 1000  # this many empty rows in a row end the data (a sheet formatted down to row 1,048,576)
MAX_DATA_ROWS = 1_000_000
EXCEL_CELL_LIMIT = 32_767  # the most characters Excel keeps in one cell
CSV_FIELD_LIMIT = 131_072  # the csv module's own limit; a larger field makes the file unreadable
ENCODINGS = {"auto": "auto", "utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig",
             "cp1256": "cp1256", "windows-1256": "cp1256"}
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (با BOM)", "cp1256": "Windows-1256 (عربی ویندوز)",
                   "utf-16": "UTF-16", "xlsx": "Excel"}
_ZIP_MAGIC = b"PK\x03\x04"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _R, _T = f"{_MAIN_NS}si", f"{_MAIN_NS}r", f"{_MAIN_NS}t"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (Excel 97–2003)
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"MZ", b"\x7fELF", b"Rar!", b"\x1f\x8b")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Persian UTF-8 text decoded as Windows-1252/1256 and saved again: «Ø¹Ù„ÛŒ» instead of «علی».
_MOJIBAKE = re.compile(r"[ØÙÚÛ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2013-\u203a]")
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class ImportFileError(CrmError):
    """The file as a whole cannot be imported (nothing was read into the database)."""

    code = "import_file"


class SheetRow(NamedTuple):
    number: int  # as the user sees it: Excel's row number, or the record's line in the CSV
    values: tuple[CellValue, ...]


@dataclass
class SheetSource:
    """An open file: its rows (read once), what was detected, and notes for the user."""

    rows: Iterator[SheetRow]
    encoding: str  # "xlsx" or the text encoding used
    merged_rows: frozenset[int] = frozenset()  # data rows that touch a merged range
    notes: list[str] = field(default_factory=list)


def is_empty(values: tuple[CellValue, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def open_sheet(path: Path, encoding: str = "auto") -> SheetSource:
    """Open ``path`` by its content (not its name): an .xlsx workbook or delimited text."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"فایل «{path.name}» پیدا نشد.")
    if encoding not in ENCODINGS:
        raise ImportFileError(f"کدگذاری «{encoding}» شناخته نیست؛ یکی از auto، utf-8 یا cp1256 را بدهید.")
    with path.open("rb") as handle:
        head = handle.read(8)
    if path.stat().st_size == 0:
        raise ImportFileError(f"فایل «{path.name}» خالی است.")
    if head.startswith(_ZIP_MAGIC):
        return _open_xlsx(path)
    if head.startswith(_OLE_MAGIC):
        raise ImportFileError("این فایل در قالب قدیمی Excel (‎.xls‎) است؛ آن را در Excel با قالب ‎.xlsx‎ "
                              "یا CSV ذخیره کنید و دوباره وارد کنید.")
    if any(head.startswith(magic) for magic in _BINARY_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ImportFileError(f"فایل «{path.name}» صفحه‌گسترده نیست (نه Excel ‎.xlsx‎ و نه CSV).")
    return _open_csv(path, ENCODINGS[encoding])


# -- xlsx ---------------------------------------------------------------------------------------
def shared_strings(xml_source: IO[bytes]) -> list[str]:
    """The workbook's shared string table, as openpyxl's ``read_string_table`` reads it, several times faster.

    openpyxl builds a ``Text`` object tree for every string; a 100,000-row workbook has about 400,000 of
    them, and that alone was a fifth of an import. The text is the same: the plain ``<t>`` and the runs'
    ``<t>`` in order, phonetic runs (``<rPh>``) left out, and openpyxl's ``_x005F_`` unescaping.
    """
    from lxml import etree

    strings: list[str] = []
    for _event, node in etree.iterparse(xml_source, tag=_SI):
        parts = [child.text or "" for child in node if child.tag == _T]
        parts += [t.text or "" for run in node if run.tag == _R for t in run if t.tag == _T]
        strings.append("".join(parts).replace("x005F_", ""))
        node.clear()
        while node.getprevious() is not None:
            del node.getparent()[0]
    return strings


def _load_workbook(path: Path) -> Any:
    """openpyxl's read-only ``load_workbook`` with the fast shared string table."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as src:
                    self.shared_strings = shared_strings(src)

    # data_only=False: a formula reaches us as its text («=HYPERLINK(...)»), never evaluated.
    reader = Reader(path, read_only=True, keep_vba=False, data_only=False, keep_links=False)
    reader.read()
    return reader.wb


def _open_xlsx(path: Path) -> SheetSource:
    try:
        wb = _load_workbook(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(f"فایل «{path.name}» یک فایل Excel سالم نیست ({type(exc).__name__}).") from None
    except Exception:  # openpyxl raises assorted parser errors on damaged workbooks
        raise ImportFileError(f"فایل «{path.name}» یک فایل Excel سالم نیست.") from None
    try:
        sheet = next((ws for ws in wb.worksheets if ws.sheet_state == "visible"), None)
        if sheet is None:
            raise ImportFileError("فایل Excel هیچ برگه‌ای ندارد.")
        merged = _merged_rows(wb, sheet)
        sheet.reset_dimensions()  # the stored dimension can lie (too small or a million rows)
    except ImportFileError:
        wb.close()
        raise
    return SheetSource(_xlsx_rows(wb, sheet), "xlsx", merged)


def _xlsx_rows(wb: Any, sheet: Any) -> Iterator[SheetRow]:
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield SheetRow(number, tuple(values))
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError("خواندن برگه Excel در میانه کار ناموفق بود؛ فایل آسیب دیده است.") from None
    finally:
        wb.close()


def _merged_rows(wb: Any, sheet: Any) -> frozenset[int]:
    """Rows below the first that a merged range covers (read-only mode does not expose merges)."""
    rows: set[int] = set()
    archive: zipfile.ZipFile = wb._archive
    tail = b""
    with archive.open(sheet._worksheet_path) as src:
        while chunk := src.read(1 << 20):
            block = tail + chunk
            for match in _MERGE_REF.finditer(block):
                first = int(match.group(2))
                last = int(match.group(4) or first)
                rows.update(range(first, min(last, first + MAX_DATA_ROWS) + 1))
            tail = block[-200:]
    return frozenset(rows)


# -- csv ----------------------------------------------------------------------------------------
def _decode(raw: bytes, encoding: str, name: str) -> tuple[str, str]:
    if raw.startswith(codecs.BOM_UTF8):
        if encoding not in ("auto", "utf-8", "utf-8-sig"):
            raise ImportFileError(f"فایل «{name}» با نشانه UTF-8 (BOM) شروع می‌شود، نه {ENCODING_LABELS[encoding]}.")
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in raw[:4096]:
        raise ImportFileError(f"فایل «{name}» صفحه‌گسترده نیست (داده دودویی دارد).")
    if encoding == "auto":
        try:
            raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1256"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        other = "Windows-1256" if encoding.startswith("utf") else "UTF-8"
        raise ImportFileError(
            f"متن فایل «{name}» با کدگذاری {ENCODING_LABELS[encoding]} خوانا نیست؛ "
            f"کدگذاری را «خودکار» یا {other} انتخاب کنید.") from None
    if _CONTROL.search(text[:65536]):
        raise ImportFileError(f"متن فایل «{name}» با کدگذاری {ENCODING_LABELS[encoding]} خوانا نیست "
                              "(نویسه‌های نامعتبر دارد)؛ کدگذاری دیگری انتخاب کنید.")
    if len(_MOJIBAKE.findall(text[:65536])) >= 3:
        raise ImportFileError(f"متن فارسی فایل «{name}» به هم ریخته است (مانند «Ø¹Ù„ÛŒ»)؛ فایل پیش‌تر با "
                              "کدگذاری نادرست ذخیره شده است. آن را از سامانه مبدأ دوباره با UTF-8 بگیرید.")
    return text, encoding


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|", "،")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(path: Path, encoding: str) -> SheetSource:
    raw = path.read_bytes()
    text, used = _decode(raw, encoding, path.name)
    return SheetSource(_csv_rows(text, _delimiter(text)), used)


def _csv_rows(text: str, delimiter: str) -> Iterator[SheetRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield SheetRow(number, tuple(values))
    except csv.Error:
        raise ImportFileError(
            f"سطر {format_number(number + 1)} فایل CSV خوانا نیست: سلولی بیش از "
            f"{format_number(CSV_FIELD_LIMIT)} نویسه دارد یا نقل‌قول آن بسته نشده است.") from None


def data_rows(rows: Iterator[SheetRow], notes: list[str]) -> Iterator[SheetRow]:
    """Skip empty rows; stop after a long run of them (a note says so) or past ``MAX_DATA_ROWS``."""
    empty_run, seen = 0, 0
    for row in rows:
        if is_empty(row.values):
            empty_run += 1
            if empty_run >= EMPTY_RUN_LIMIT:
                notes.append(f"پس از سطر {format_number(row.number - empty_run)} بیش از "
                             f"{format_number(EMPTY_RUN_LIMIT)} سطر خالی پشت سر هم آمد؛ خواندن همان‌جا پایان یافت.")
                return
            continue
        empty_run = 0
        seen += 1
        if seen > MAX_DATA_ROWS:
            raise ImportFileError(f"فایل بیش از {format_number(MAX_DATA_ROWS)} سطر داده دارد؛ آن را چند بخش کنید.")
        yield row
