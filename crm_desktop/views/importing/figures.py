"""A row of counts (to create, to update, unchanged, refused), each a big number over its name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from crm_desktop.persian import format_number


class Figures(QWidget):
    def __init__(self, names: dict[str, str], parent: QWidget | None = None) -> None:
        """``names``: key → the title shown under its number, in order."""
        super().__init__(parent)
        self.values: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for key, title in names.items():
            card = QFrame()
            card.setProperty("role", "card")
            number = QLabel("—")
            number.setObjectName(f"figure_{key}")
            number.setProperty("role", "figure")
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel(title)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            inner = QVBoxLayout(card)
            inner.addWidget(number)
            inner.addWidget(caption)
            layout.addWidget(card)
            self.values[key] = number

    def set_counts(self, counts: dict[str, int] | None) -> None:
        for key, label in self.values.items():
            label.setText("—" if counts is None else format_number(counts.get(key, 0)))

    def text(self, key: str) -> str:
        return self.values[key].text()
