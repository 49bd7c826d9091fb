"""A Jalali date field: type ۱۴۰۵/۹/۱ or 1405/9/1, or pick from a Persian calendar (Saturday first)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCalendar, QDate, QLocale, Qt, Signal, Slot
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from crm_desktop.persian import format_jalali_date, parse_jalali_date
from crm_desktop.persian.validators import ValidationError


def jalali_calendar_widget(parent: QWidget | None = None) -> QCalendarWidget:
    """A month view in the Jalali calendar, Persian names, Saturday first, Friday as the weekend."""
    widget = QCalendarWidget(parent)
    widget.setCalendar(QCalendar(QCalendar.System.Jalali))
    widget.setLocale(QLocale(QLocale.Language.Persian, QLocale.Country.Iran))
    widget.setFirstDayOfWeek(Qt.DayOfWeek.Saturday)
    widget.setGridVisible(False)
    widget.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    normal, weekend = QTextCharFormat(), QTextCharFormat()
    weekend.setForeground(QColor("#b3261e"))
    for day in Qt.DayOfWeek:
        if day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday, Qt.DayOfWeek.Monday, Qt.DayOfWeek.Tuesday,
                   Qt.DayOfWeek.Wednesday, Qt.DayOfWeek.Thursday):
            widget.setWeekdayTextFormat(day, normal)
    widget.setWeekdayTextFormat(Qt.DayOfWeek.Friday, weekend)
    return widget


class JalaliDateEdit(QWidget):
    """Text field plus a calendar button. ``date()`` is None when empty; ``error()`` says why text is bad.

    Signals:
        date_changed(object): the parsed ``date`` or None, whenever the text changes to something valid.
        edited(): the text changed (valid or not), for forms that validate as you type.
    """

    date_changed = Signal(object)
    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, object_name: str = "date") -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setObjectName(object_name)
        self.line.setPlaceholderText("۱۴۰۵/۰۹/۰۱")
        self.line.setMaxLength(10)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # digits run left to right
        self.setFocusProxy(self.line)
        self.button = QToolButton(self)
        self.button.setObjectName(f"{object_name}Calendar")
        self.button.setText("…")
        self.button.setAccessibleName(self.tr("Choose from the calendar"))
        self.button.setToolTip(self.tr("Choose from the calendar"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = jalali_calendar_widget(self)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.line.textChanged.connect(self._on_line_text_changed)
        self.calendar.clicked.connect(self._on_calendar_clicked)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    # -- value --------------------------------------------------------------------------------
    def date(self) -> date | None:
        try:
            return self._parse()
        except ValidationError:
            return None

    def error(self) -> str:
        try:
            self._parse()
        except ValidationError as exc:
            return exc.message
        return ""

    def text(self) -> str:
        return self.line.text().strip()

    def set_date(self, value: date | None) -> None:
        self.line.setText(format_jalali_date(value) if value else "")

    def _parse(self) -> date | None:
        text = self.line.text().strip()
        return parse_jalali_date(text) if text else None

    # -- slots --------------------------------------------------------------------------------
    @Slot(str)
    def _on_line_text_changed(self, _text: str) -> None:
        self.edited.emit()
        try:
            value = self._parse()
        except ValidationError:
            return
        if value is not None:
            self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))
        self.date_changed.emit(value)

    @Slot(QDate)
    def _on_calendar_clicked(self, picked: QDate) -> None:
        self.set_date(date(picked.year(), picked.month(), picked.day()))
        menu = self.button.menu()
        if menu is not None:
            menu.hide()
