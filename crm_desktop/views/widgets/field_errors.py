"""Validation messages next to each field, as the services return them (``InvalidInput.errors``)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class FieldErrors:
    """Keeps one hidden red label under each field and shows the services' Persian message there."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def label_for(self, field: str, widget: QWidget) -> QLabel:
        label = QLabel()
        label.setObjectName(f"{field}Error")
        label.setProperty("role", "error")
        label.setWordWrap(True)
        label.hide()
        self._labels[field] = label
        self._widgets[field] = widget
        return label

    def stacked(self, field: str, widget: QWidget) -> QWidget:
        """``widget`` with its error label right under it, for layouts that are not a QFormLayout."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.label_for(field, widget))
        return box

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show each message under its field; return the messages that have no field on this form."""
        self.clear()
        orphans = []
        for field, message in errors.items():
            label = self._labels.get(field)
            if label is None:
                orphans.append(message)
                continue
            label.setText(message)
            label.show()
            self._widgets[field].setProperty("invalid", True)
            _repolish(self._widgets[field])
        return orphans

    def clear(self) -> None:
        for field, label in self._labels.items():
            if label.isVisible() or label.text():
                label.clear()
                label.hide()
            if self._widgets[field].property("invalid"):
                self._widgets[field].setProperty("invalid", False)
                _repolish(self._widgets[field])

    def text(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def first_invalid(self) -> QWidget | None:
        for field, label in self._labels.items():
            if not label.isHidden():
                return self._widgets[field]
        return None


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)
