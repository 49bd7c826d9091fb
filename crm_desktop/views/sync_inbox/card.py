"""One conflict card: the field's Original, Yours and Current values with who and when, and the decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_jalali_datetime
from crm_desktop.services.sync_conflicts import ConflictCard
from crm_desktop.sync import protocol


def ask_value(parent: QWidget, title: str, label: str, text: str) -> str | None:
    """Ask for a third value (tests replace this function); None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def leading_alignment(widget: QWidget) -> Qt.AlignmentFlag:
    """The layout's leading side, absolute: a text of digits only must not flip to the left in a right-to-left UI."""
    side = Qt.AlignmentFlag.AlignRight if widget.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter


def _when(moment: datetime | None) -> str:
    return format_jalali_datetime(moment) if moment is not None else "—"


class ConflictCardWidget(QFrame):
    """Signals:
        decided(str, str, object, object): conflict id, choice, value (edit only), note.
    """

    decided = Signal(str, str, object, object)

    def __init__(self, card: ConflictCard, can_decide: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card
        self.setObjectName("conflictCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(self.tr("{0} · {1}").format(card.record_label, card.field_label))
        title.setObjectName("conflictTitle")
        title.setStyleSheet("font-weight: bold;")
        header = QHBoxLayout()
        header.addWidget(title, 1)
        if card.mine_is_yours:
            header.addWidget(self._tag(self.tr("Your change")))
        grid = QGridLayout()
        columns = (
            (self.tr("Original"), card.base, self.tr("Before both changes")),
            (self.tr("Yours"), card.mine, self.tr("{0}, this branch's desk, {1}").format(
                card.mine_author, _when(card.mine_at))),
            (self.tr("Current"), card.current, self.tr("{0}, on the central server, found {1}").format(
                card.current_author, _when(card.detected_at))),
        )
        self.value_labels: list[QLabel] = []
        for i, (caption, value, meta) in enumerate(columns):
            head = QLabel(caption)
            head.setStyleSheet("color: #555;")
            shown = QLabel(value)
            shown.setObjectName(("conflictBase", "conflictMine", "conflictCurrent")[i])
            shown.setStyleSheet("font-size: 15px;")
            shown.setWordWrap(True)
            about = QLabel(meta)
            about.setWordWrap(True)
            about.setStyleSheet("color: #666; font-size: 11px;")
            for label in (head, shown, about):  # digits alone read as left-to-right: align by the layout instead
                label.setAlignment(leading_alignment(self))
            grid.addWidget(head, 0, i)
            grid.addWidget(shown, 1, i)
            grid.addWidget(about, 2, i)
            self.value_labels.append(shown)
        self.note = QLineEdit()
        self.note.setObjectName("conflictNote")
        self.note.setPlaceholderText(self.tr("Reason (required for identity fields)") if card.needs_note
                                     else self.tr("Reason (optional)"))
        self.keep_button = QPushButton(self.tr("Keep current value"))
        self.keep_button.setObjectName("keepCurrent")
        self.keep_button.setProperty("primary", True)
        self.keep_button.setDefault(True)
        self.mine_button = QPushButton(self.tr("Use my value"))
        self.mine_button.setObjectName("useMine")
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editValue")
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        for button in (self.keep_button, self.mine_button, self.edit_button):
            button.setEnabled(can_decide)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        if card.moved:
            moved = QLabel(self.tr("The value has changed again since; deciding now may open a new review."))
            moved.setStyleSheet("color: #8a5a00;")
            moved.setWordWrap(True)
            layout.addWidget(moved)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.keep_button.clicked.connect(lambda: self._decide(protocol.KEEP_CURRENT, None))
        self.mine_button.clicked.connect(lambda: self._decide(protocol.USE_MINE, None))
        self.edit_button.clicked.connect(self._edit)

    def _tag(self, text: str) -> QLabel:
        tag = QLabel(text)
        tag.setStyleSheet("background: #e3eef7; color: #1f5f8b; border-radius: 6px; padding: 1px 8px;")
        return tag

    def _decide(self, choice: str, value: Any) -> None:
        self.decided.emit(self.card.id, choice, value, self.note.text().strip() or None)

    @Slot()
    def _edit(self) -> None:
        start = self.card.current if self.card.current != "—" else ""
        value = ask_value(self, self.tr("Enter a new value"), self.card.field_label, start)
        if value is not None:
            self._decide(protocol.EDIT, value)

    def set_busy(self, busy: bool) -> None:
        for button in (self.keep_button, self.mine_button, self.edit_button):
            button.setEnabled(not busy)
