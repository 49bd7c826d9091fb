"""Realistic messy customer files, as branches and old systems export them (tests and bench/import_xlsx).

Mixed Arabic and Persian letters (ي/ی، ك/ک), Persian, Arabic-Indic and Latin digits, national IDs typed as
numbers (Excel drops the leading zeros), mobiles as 0912…, +98912… or 912…, birth dates as Jalali text,
Gregorian text, Excel date cells or serial numbers, extra spaces. ``Truth`` keeps the clean values a
correct import must store.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from crm_desktop.persian import gregorian_to_jalali, make_company_id, make_national_id, to_persian_digits

FIRST = ("علی", "مریم", "زهرا", "محمدرضا", "فاطمه", "کیوان", "یاسمن", "کاوه", "نیکی", "حسین", "کوثر", "یگانه",
         "علی‌رضا", "پریسا", "ژاله", "چکاوک", "گلناز")
LAST = ("کریمی", "یزدانی", "موسوی", "کاظمی", "نیک‌نام", "رحیمی", "کوهی", "یوسفی", "حکیمی", "پاکزاد", "گودرزی",
        "شکوهی")
COMPANIES = ("شرکت پارس کیان", "صنایع یکتا", "بازرگانی کوشا", "شرکت نیک‌اندیش")
HEADER = ("نوع مشتری", "نام", "نام خانوادگي", "نام پدر", "كد ملي", "شناسه ملی", "نام شرکت", "تلفن همراه",
          "تاريخ تولد", "جنسیت", "شماره مشتری", "کد پستی")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EXCEL_EPOCH = date(1899, 12, 30)
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)


@dataclass(frozen=True)
class Truth:
    kind: str
    national_id: str | None
    company_id: str | None
    first_name: str | None
    last_name: str | None
    company_name: str | None
    mobile: str
    birth_date: date | None
    customer_no: str


def arabicize(text: str, rng: random.Random) -> str:
    """What older keyboards and systems type: Arabic ي and ك, sometimes a doubled space."""
    if rng.random() < 0.5:
        text = text.replace("ی", "ي").replace("ک", "ك")
    return f" {text}  " if rng.random() < 0.2 else text


def _digits(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return to_persian_digits(text)
    if roll < 0.5:
        return text.translate(ARABIC_DIGITS)
    return text


def national_id(index: int) -> str:
    return make_national_id(f"{(index * 7919 + 1_000_003) % 900_000_000 + 10_000_000:09d}")


def company_id(index: int) -> str:
    return make_company_id(f"{(index * 104_729 + 10_000_019) % 9_000_000_000 + 1_000_000_000:010d}")


def customer_rows(count: int, *, seed: int = 7, start: int = 0, corporate_share: float = 0.1,
                  excel_cells: bool = True) -> tuple[list[str], list[list[Any]], list[Truth]]:
    """``count`` messy rows (header, rows, truth); ``excel_cells`` allows number and date cells (xlsx)."""
    rng = random.Random(seed)
    rows: list[list[Any]] = []
    truth: list[Truth] = []
    for index in range(start, start + count):
        mobile = f"09{rng.randrange(10, 40)}{rng.randrange(10**7):07d}"
        mobile_cell: Any = rng.choice([mobile, "+98" + mobile[1:], _digits(mobile, rng), mobile[1:]])
        if excel_cells and rng.random() < 0.2:
            mobile_cell = int(mobile)
        customer_no = f"{1_000_000 + index}"
        postal = f"{rng.randrange(1, 9)}{rng.randrange(10**9):09d}".replace("0", "1").replace("2", "3")
        if rng.random() < corporate_share:
            cid = company_id(index)
            name = rng.choice(COMPANIES) + f" {to_persian_digits(str(index))}"
            rows.append([rng.choice(["حقوقی", "corporate", "مشتری حقوقی"]), None, None, None, None, _digits(cid, rng),
                         arabicize(name, rng), mobile_cell, None, None, customer_no, postal])
            truth.append(Truth("corporate", None, cid, None, None, name, mobile, None, customer_no))
            continue
        nid = national_id(index)
        nid_cell: Any = _digits(nid, rng)
        if excel_cells and rng.random() < 0.3:
            nid_cell = int(nid)  # Excel stores it as a number: «0012345678» becomes 12345678
        first, last = rng.choice(FIRST), rng.choice(LAST)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        jy, jm, jd = gregorian_to_jalali(born)
        roll = rng.random()
        birth: Any
        if roll < 0.35:
            birth = to_persian_digits(f"{jy}/{jm:02d}/{jd:02d}")
        elif roll < 0.55:
            birth = f"{jy}/{jm}/{jd}"
        elif roll < 0.75:
            birth = born.isoformat()
        elif excel_cells and roll < 0.9:
            birth = datetime(born.year, born.month, born.day)
        elif excel_cells:
            birth = (born - EXCEL_EPOCH).days
        else:
            birth = to_persian_digits(f"{jy}-{jm:02d}-{jd:02d}")
        rows.append([rng.choice(["حقیقی", "", None, "individual"]), arabicize(first, rng), arabicize(last, rng),
                     arabicize(rng.choice(FIRST), rng), nid_cell, None, None, mobile_cell, birth,
                     rng.choice(["مرد", "زن", "male", None]), _digits(customer_no, rng), postal])
        truth.append(Truth("individual", nid, None, first, last, None, mobile, born, customer_no))
    return list(HEADER), rows, truth


def write_xlsx(path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]], *,
               above: Sequence[Sequence[Any]] = (), merges: Sequence[str] = ()) -> Path:
    """An .xlsx file as Excel saves it (shared strings, a dimension, date cells formatted as dates).

    ``above`` are rows before the header (a title); ``merges`` are ranges such as "A3:A4" (the top-left value
    stays); a text starting with «=» is written as a real formula, as a user typing it in Excel would.
    """
    import xlsxwriter  # type: ignore[import-untyped]
    from openpyxl.utils.cell import range_boundaries

    lines = [*above, header, *rows]
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet("مشتریان")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            if value is None:
                continue
            if isinstance(value, datetime | date):
                sheet.write_datetime(r, c, value, day)
            elif isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, c, value)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    for ref in merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        first = lines[min_row - 1][min_col - 1] if min_col - 1 < len(lines[min_row - 1]) else None
        sheet.merge_range(min_row - 1, min_col - 1, max_row - 1, max_col - 1, first)
    book.close()
    return path


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        jy, jm, jd = gregorian_to_jalali(value if isinstance(value, date) else value.date())
        return f"{jy}/{jm:02d}/{jd:02d}"
    return str(value)


def write_csv(path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    """A CSV file; encoding "utf-8-sig" writes a BOM, "cp1256" writes Arabic ي/ك as old systems do."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for line in (header, *rows):
            cells = [_csv_text(v) for v in line]
            if encoding == "cp1256":
                cells = [c.replace("ی", "ي").translate(LATIN_DIGITS) for c in cells]
            writer.writerow(cells)
    return path
