"""«خروجی اکسل» on the three list screens: the file holds what the list shows (same search, filters and
order), the status bar says how many rows, the user may open the file or its folder, and a cancelled file
dialog or a folder that cannot be written behave."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox

from crm_desktop.persian import make_national_id
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import Queue, RequestInput
from crm_desktop.views.customers.list_page import CustomersPage
from crm_desktop.views.interactions.list_page import InteractionsPage
from crm_desktop.views.service_requests.queue_page import RequestsPage
from crm_desktop.views.widgets import export_button
from crm_desktop.views.widgets.export_button import ExportButton
from tests.gui.conftest import wait_idle

HEADER_ROW = 4
LAST_NAMES = ("احمدی", "بهرامی", "پارسا", "تهرانی", "جعفری", "حسینی", "خسروی", "دهقان", "رضایی", "زارعی")


class SaveDialog:
    """Stands in for the file dialog: records what was suggested, answers with ``answer``."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.suggested: list[Path] = []

    def __call__(self, _parent, suggested: Path) -> Path | None:
        self.suggested.append(suggested)
        return self.answer


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(export_button, "open_url", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def notices(ctx) -> list[str]:
    seen: list[str] = []
    ctx.messages.info.connect(seen.append)
    return seen


def click_export(qtbot, page, monkeypatch, target: Path | None) -> SaveDialog:
    dialog = SaveDialog(target)
    monkeypatch.setattr(export_button, "ask_save_path", dialog)
    button: ExportButton = page.export_button
    assert button.isVisible() and button.isEnabled()
    if target is None:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    else:
        with qtbot.waitSignal(button.exported, timeout=10_000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page.ctx)
    return dialog


def data_rows(path: Path) -> list[tuple]:
    ws = load_workbook(path).worksheets[0]
    return [tuple(r) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def add_customers(world, count: int) -> None:
    for i in range(count):
        world.services.customers.create(world.clerk, CustomerInput(
            first_name="علی", last_name=LAST_NAMES[i], national_id=make_national_id(f"00{i + 1:07d}"),
            segment="affluent" if i % 3 == 0 else "mass"))


def open_customers(qtbot, ctx) -> CustomersPage:
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    return page


# -- customers ---------------------------------------------------------------------------------


def test_customer_export_saves_the_filtered_list_in_its_order_and_offers_to_open_it(
        qtbot, ctx, world, out, monkeypatch, shown, notices, opened_urls):
    add_customers(world, 10)
    page = open_customers(qtbot, ctx)
    page.model.page_size = 3  # the screen has loaded only some pages: the file still holds every row
    page.filters.segment.setCurrentIndex(page.filters.segment.findData("mass"))
    qtbot.waitUntil(lambda: page.model.filter.segment == "mass" and not page.model.loading)
    page.model.sort(0, Qt.SortOrder.DescendingOrder)  # the name column, ی to الف
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.model.loading)

    target = out / "مشتریان.xlsx"
    dialog = click_export(qtbot, page, monkeypatch, target)

    expected = [c.display_name for c in world.services.search.search(
        world.clerk, "", segment="mass", descending=True, limit=100).rows]
    assert len(expected) == 6
    rows = data_rows(target)
    assert [r[0] for r in rows] == expected  # the filter and the descending order of the screen
    shown_names = [page.model.row_at(i).display_name for i in range(page.model.rowCount())]
    assert [r[0] for r in rows][:len(shown_names)] == shown_names
    assert dialog.suggested[0].name == "مشتریان-۱۴۰۵-۰۹-۰۲.xlsx"
    assert notices[-1].startswith("۶ ")
    assert len(shown.texts) == 1 and "مشتریان.xlsx" in shown.texts[0]
    assert opened_urls == []  # the user closed the notice
    assert page.export_button.isEnabled()


def test_open_and_open_folder_hand_the_file_to_the_system(qtbot, ctx, world, out, monkeypatch, opened_urls):
    add_customers(world, 2)
    page = open_customers(qtbot, ctx)
    choice = {"role": QMessageBox.ButtonRole.AcceptRole}  # «باز کردن»; the folder is the action button

    def click(box: QMessageBox) -> int:
        for button in box.buttons():
            if box.buttonRole(button) == choice["role"]:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    target = out / "c.xlsx"
    click_export(qtbot, page, monkeypatch, target)
    choice["role"] = QMessageBox.ButtonRole.ActionRole
    click_export(qtbot, page, monkeypatch, target)
    assert [Path(url.toLocalFile()) for url in opened_urls] == [target, out]
    # The next suggestion is in the folder the user chose last.
    assert click_export(qtbot, page, monkeypatch, None).suggested[0].parent == out


def test_cancelling_the_file_dialog_exports_nothing(qtbot, ctx, world, out, monkeypatch, shown, notices):
    add_customers(world, 2)
    page = open_customers(qtbot, ctx)
    click_export(qtbot, page, monkeypatch, None)
    assert list(out.iterdir()) == [] and shown.texts == [] and notices == []
    assert page.export_button.isEnabled()


def test_a_folder_that_cannot_be_written_shows_a_persian_error(qtbot, ctx, world, out, monkeypatch, shown):
    add_customers(world, 2)
    page = open_customers(qtbot, ctx)
    monkeypatch.setattr(export_button, "ask_save_path", SaveDialog(out / "missing" / "c.xlsx"))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown.texts) == 1, timeout=10_000)
    assert "c.xlsx" in shown.texts[0] and "ذخیره نشد" in shown.texts[0]
    assert page.export_button.isEnabled()


# -- interactions ------------------------------------------------------------------------------


def test_interaction_export_follows_the_channel_filter(qtbot, ctx, world, customer, out, monkeypatch, shown):
    for i in range(5):
        world.services.interactions.log(world.clerk, InteractionInput(
            customer_id=customer, channel="branch" if i % 2 else "phone", direction="inbound",
            subject=f"موضوع {i}", occurred_at=world.clock()))
    page = InteractionsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    wait_idle(qtbot, ctx)
    page.filters.channel.setCurrentIndex(page.filters.channel.findData("branch"))
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.model.filter.channel == "branch" and not page.model.loading)

    target = out / "i.xlsx"
    click_export(qtbot, page, monkeypatch, target)
    rows = data_rows(target)
    shown_subjects = [page.model.row_at(i).subject for i in range(page.model.rowCount())]
    assert [r[5] for r in rows] == shown_subjects and len(rows) == 2
    assert {r[3] for r in rows} == {"مراجعه حضوری"}


# -- service requests --------------------------------------------------------------------------


def test_request_export_holds_the_queue_on_screen(qtbot, ctx, world, customer, out, monkeypatch, shown):
    for i in range(3):
        world.services.requests.open(world.clerk, RequestInput(
            customer_id=customer, category="complaint", priority="high", subject=f"درخواست {i}",
            assignee_id=world.clerk.user_id if i else None))
    page = RequestsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    page.activated()
    wait_idle(qtbot, ctx)
    page.select_queue(Queue.MINE)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.model.queue == Queue.MINE and not page.model.loading)
    assert page.model.rowCount() == 2

    target = out / "r.xlsx"
    click_export(qtbot, page, monkeypatch, target)
    rows = data_rows(target)
    assert [r[0] for r in rows] == [page.model.row_at(i).number for i in range(page.model.rowCount())]
    assert {r[6] for r in rows} == {"مریم کارمند"}
    wait_idle(qtbot, ctx)


def test_every_role_sees_the_export_button(qtbot, make_ctx, world):
    for actor in (world.clerk, world.manager, world.admin, world.auditor):
        ctx = make_ctx(actor)
        page = open_customers(qtbot, ctx)
        assert page.export_button.isVisible()
        assert page.export_button.accessibleName()
        wait_idle(qtbot, ctx)


# -- CSV -----------------------------------------------------------------------------------------


def test_a_csv_name_exports_csv_for_excel_and_the_next_suggestion_keeps_the_format(
        qtbot, ctx, world, out, monkeypatch, shown, notices):
    import csv

    from crm_desktop.persian import to_ascii_digits

    add_customers(world, 4)
    page = open_customers(qtbot, ctx)
    target = out / "مشتریان.csv"
    click_export(qtbot, page, monkeypatch, target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header[0] == "نام" and len(rows) == 4
    assert [r[0] for r in rows] == [page.model.row_at(i).display_name for i in range(page.model.rowCount())]
    assert all(to_ascii_digits(r[2]).startswith("00") for r in rows)  # leading zeros kept
    assert notices[-1].startswith("۴ ") and "مشتریان.csv" in shown.texts[0]
    assert click_export(qtbot, page, monkeypatch, None).suggested[0].suffix == ".csv"


def test_the_file_dialog_offers_excel_and_csv_and_adds_the_chosen_suffix(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[tuple[str, str]] = []
    answer = {"name": "", "filter": ""}

    def fake_dialog(_parent, _caption, _suggested, filters, initial):
        asked.append((filters, initial))
        return answer["name"], answer["filter"]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    excel, csv_filter = export_button.file_filters()
    assert "*.xlsx" in excel and "*.csv" in csv_filter
    answer.update(name=str(tmp_path / "list"), filter=csv_filter)
    assert export_button.ask_save_path(parent, tmp_path / "a.xlsx") == tmp_path / "list.csv"
    assert asked[-1] == (f"{excel};;{csv_filter}", excel)
    answer.update(filter=excel)
    assert export_button.ask_save_path(parent, tmp_path / "a.csv") == tmp_path / "list.xlsx"
    assert asked[-1][1] == csv_filter  # the suggested file's type is preselected
    answer.update(name=str(tmp_path / "list.CSV"))
    assert export_button.ask_save_path(parent, tmp_path / "a.xlsx") == tmp_path / "list.CSV"  # typed wins
    answer.update(name="")
    assert export_button.ask_save_path(parent, tmp_path / "a.xlsx") is None
