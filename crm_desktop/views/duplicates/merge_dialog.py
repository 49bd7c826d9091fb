"""Merge a duplicate group: pick the survivor and, field by field, the value it keeps; then merge as one operation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.errors import CrmError
from crm_desktop.persian import format_number, to_persian_digits
from crm_desktop.services.changes import Outcome
from crm_desktop.services.merge_plan import FieldOption, MergeCandidate, MergePreview, MergeResult
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import error_text
from crm_desktop.views.tasks import ServiceOp


class MergeDialog(QDialog):
    """Built from a ``MergePreview`` (read before opening); runs ``services.merge.merge`` on the writer lane.

    Signals:
        merged(tuple, MergeResult): the ids that were merged (survivor included) and the result.
    """

    merged = Signal(object, object)

    def __init__(self, ctx: AppContext, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(self.tr("Merge duplicate customers"))
        self.ctx, self.preview = ctx, preview
        self._numbers = {r.id: index + 1 for index, r in enumerate(preview.records)}
        intro = QLabel(self.tr("The other records will lead to the surviving one, and their history moves to it."))
        intro.setWordWrap(True)
        self.survivor = QComboBox()
        self.survivor.setObjectName("mergeSurvivor")
        self.survivor.setAccessibleName(self.tr("Surviving record"))
        for record in preview.records:
            self.survivor.addItem(self._record_text(record), record.id)
        self.survivor.setCurrentIndex(self.survivor.findData(preview.suggested_survivor))
        self.choices: dict[str, QComboBox] = {}
        fields = QWidget()
        grid = QGridLayout(fields)
        grid.setColumnStretch(1, 1)
        side = Qt.AlignmentFlag.AlignRight if self.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
        leading = Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter
        for row, item in enumerate(preview.fields):
            grid.addWidget(QLabel(item.label), row, 0)
            if item.differs:
                combo = QComboBox()
                combo.setObjectName(f"mergeChoice_{item.field}")
                combo.setAccessibleName(item.label)
                for option in item.options:
                    combo.addItem(self._option_text(option), option.customer_ids[0])
                self.choices[item.field] = combo
                grid.addWidget(combo, row, 1)
            else:
                value = QLabel(item.options[0].text if item.options else "")
                value.setObjectName(f"mergeSame_{item.field}")
                value.setAlignment(leading)  # "—" and digits would otherwise align as left-to-right text
                grid.addWidget(value, row, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        self.note = QLineEdit()
        self.note.setObjectName("mergeNote")
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("Why these records are one customer (optional)"))
        self.error = QLabel()
        self.error.setObjectName("mergeError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.merge_button = QPushButton(self.tr("Merge"))
        self.merge_button.setObjectName("confirmMerge")
        self.merge_button.setProperty("primary", True)
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelMerge")
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow(self.tr("Surviving record"), self.survivor)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Values the surviving record keeps")))
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel(self.tr("Note")))
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if not preview.same_kind:
            self.error.setText(self.tr("An individual and a corporate customer cannot be merged."))
            self.merge_button.setEnabled(False)
        self.survivor.currentIndexChanged.connect(self._on_survivor_changed)
        self.merge_button.clicked.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        self._on_survivor_changed()
        self.resize(self.fontMetrics().horizontalAdvance("M") * 60, self.fontMetrics().height() * 36)

    def _record_text(self, record: MergeCandidate) -> str:
        return self.tr("{0}. {1}, branch {2}: {3} interactions, {4} requests, {5} products").format(
            format_number(self._numbers[record.id]), record.display_name, to_persian_digits(record.branch_code),
            format_number(record.interactions), format_number(record.requests), format_number(record.products))

    def _option_text(self, option: FieldOption) -> str:
        holders = "، ".join(format_number(self._numbers[i]) for i in option.customer_ids)
        return self.tr("{0} (record {1})").format(option.text, holders)

    # -- choosing -----------------------------------------------------------------------------
    @property
    def survivor_id(self) -> str:
        return str(self.survivor.currentData())

    @Slot()
    def _on_survivor_changed(self) -> None:
        """A new survivor: preselect the suggested value of each differing field again."""
        for field, holder in self.preview.suggested_choices(self.survivor_id).items():
            combo = self.choices.get(field)
            if combo is None:
                continue
            for index in range(combo.count()):
                option = self._option(field, index)
                if holder in option.customer_ids:
                    combo.setCurrentIndex(index)
                    break

    def _option(self, field: str, index: int) -> FieldOption:
        item = next(f for f in self.preview.fields if f.field == field)
        return item.options[index]

    def chosen(self) -> dict[str, str]:
        """Per differing field, the id of a record whose value the survivor takes."""
        return {field: str(combo.currentData()) for field, combo in self.choices.items()}

    # -- merging ------------------------------------------------------------------------------
    @Slot()
    def merge(self) -> None:
        self.error.clear()
        actor, survivor, choices = self.ctx.actor, self.survivor_id, self.chosen()
        ids = tuple(r.id for r in self.preview.records)
        versions = {r.id: r.version for r in self.preview.records}
        note = self.note.text().strip() or None
        self.merge_button.setEnabled(False)

        def done(outcome: Outcome[MergeResult]) -> None:
            self.merged.emit(ids, outcome.value)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.merge_button.setEnabled(True)
            self.error.setText(error_text(exc) if isinstance(exc, CrmError) else str(exc))

        (ServiceOp(self, self.ctx, lambda s: s.merge.merge(actor, survivor, ids, choices, note,
                                                           expected_versions=versions))
         .success(done).failure(failed).run())
