"""The fast shared string table reads exactly what openpyxl's own reader reads."""

from __future__ import annotations

import io

from openpyxl.reader.strings import read_string_table

from crm_desktop.services.importing.readers import open_sheet, shared_strings
from tests.services.importing.generator import customer_rows, write_xlsx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TABLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{NS}" count="7" uniqueCount="7">
<si><t>علی‌رضا كريمي</t></si>
<si><t xml:space="preserve">  فاصله در دو سو  </t></si>
<si><t/></si>
<si><r><rPr><b/></rPr><t>پر</t></r><r><t xml:space="preserve">رنگ </t></r><r><t>و ساده</t></r></si>
<si><t>کانجی</t><rPh sb="0" eb="1"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>_x005F_x000D_ escaped</t></si>
<si><t>=SUM(A1:A2)</t></si>
</sst>""".encode()


def test_every_kind_of_shared_string_reads_as_openpyxl_reads_it() -> None:
    ours = shared_strings(io.BytesIO(TABLE))
    assert ours == read_string_table(io.BytesIO(TABLE))
    assert ours[3] == "پررنگ و ساده" and ours[4] == "کانجی" and ours[1] == "  فاصله در دو سو  "


def test_a_generated_workbook_reads_the_same_rows_as_plain_openpyxl(tmp_path) -> None:
    from openpyxl import load_workbook

    header, rows, _ = customer_rows(200, seed=3)
    path = write_xlsx(tmp_path / "c.xlsx", header, rows)
    ours = [row.values for row in open_sheet(path).rows]
    wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    theirs = [tuple(values) for values in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    assert ours[: len(theirs)] == theirs and len(ours) == 201
