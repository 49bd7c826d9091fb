"""Step 2: which column of the file fills which field, pre-filled from the recognised headers.

Every change is checked by the import service itself (a preview with the user's mapping, off the UI thread,
the newest check wins), so the page shows exactly the problems the dry run would stop at.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from crm_desktop.errors import CrmError
from crm_desktop.services.importing import FilePreview, ImportKind, ImportOptions, load_mapping, save_mapping
from crm_desktop.services.importing.headers import IDENTITY_FIELDS, REQUIRED
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import show_error
from crm_desktop.views.importing import dialogs
from crm_desktop.views.importing.choices import ImportChoices
from crm_desktop.views.importing.sample_model import cell_text
from crm_desktop.views.tasks import QueryOp

CHECK_AFTER_MS = 250


class MappingPage(QWizardPage):
    def __init__(self, ctx: AppContext, choices: ImportChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.choices = ctx, choices
        self.combos: dict[str, QComboBox] = {}
        self._samples: dict[str, QLabel] = {}
        self._problems: tuple[str, ...] = ()
        self._checking = False
        self._generation = 0
        self._building = False
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr("For each field choose the column of the file that fills it. "
                                 "* marks a required field; ** at least one of these identifies the customer."))
        self.load_button = QPushButton(self.tr("Load a mapping…"))
        self.load_button.setObjectName("importLoadMapping")
        self.save_button = QPushButton(self.tr("Save this mapping…"))
        self.save_button.setObjectName("importSaveMapping")
        for button in (self.load_button, self.save_button):
            button.setAutoDefault(False)  # Enter belongs to the wizard's Next
        self.problems = QLabel()
        self.problems.setObjectName("importMappingProblems")
        self.problems.setProperty("role", "error")
        self.problems.setWordWrap(True)
        self.ignored = QLabel()
        self.ignored.setObjectName("importIgnoredColumns")
        self.ignored.setProperty("role", "muted")
        self.ignored.setWordWrap(True)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setColumnStretch(2, 1)
        scroll = QScrollArea()
        scroll.setObjectName("importMappingScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._grid_host)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.ignored)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_AFTER_MS)
        self._timer.timeout.connect(self._check)
        self.load_button.clicked.connect(self.load)
        self.save_button.clicked.connect(self.save)

    # -- QWizardPage --------------------------------------------------------------------------
    def initializePage(self) -> None:
        preview = self.choices.preview
        if preview is None:
            return
        self._build(preview)
        if self.choices.mapping == preview.mapping:
            self._show_problems(preview.problems)
        else:
            self._schedule_check()
        first = next(iter(self.combos.values()), None)
        if first is not None:
            first.setFocus()

    def isComplete(self) -> bool:
        return not self._checking and not self._timer.isActive() and not self._problems

    @property
    def checking(self) -> bool:
        return self._checking or self._timer.isActive()

    # -- the rows -----------------------------------------------------------------------------
    def _build(self, preview: FilePreview) -> None:
        self._building = True
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos.clear()
        self._samples.clear()
        kind = preview.kind
        headers = [h for h in preview.headers if h]
        chosen = {f: h for h, f in self.choices.mapping.items() if f}
        for row, (field, label) in enumerate(preview.fields):
            mark = " *" if field in REQUIRED[kind] else (" **" if field in IDENTITY_FIELDS else "")
            title = QLabel(label + mark)
            combo = QComboBox()
            combo.setObjectName(f"importMap_{field}")
            combo.setAccessibleName(label)
            combo.addItem(self.tr("— not imported —"), None)
            for header in headers:
                combo.addItem(header, header)
            if field in chosen:
                combo.setCurrentIndex(max(0, combo.findData(chosen[field])))
            title.setBuddy(combo)
            sample = QLabel()
            sample.setProperty("role", "muted")
            self._grid.addWidget(title, row, 0)
            self._grid.addWidget(combo, row, 1)
            self._grid.addWidget(sample, row, 2)
            self.combos[field] = combo
            self._samples[field] = sample
            combo.currentIndexChanged.connect(self._on_combo_changed)
        self._building = False
        self._show_samples()
        self._show_ignored()

    def field_header(self, field: str) -> str | None:
        combo = self.combos.get(field)
        return combo.currentData() if combo is not None else None

    def set_field_header(self, field: str, header: str | None) -> None:
        """Choose the column for ``field`` as the user would (tests and keyboard users alike)."""
        combo = self.combos[field]
        combo.setCurrentIndex(max(0, combo.findData(header)))

    @Slot()
    def _on_combo_changed(self) -> None:
        if self._building:
            return
        sender = self.sender()
        # A column fills one field: choosing it here takes it away from the field that had it.
        if isinstance(sender, QComboBox) and sender.currentData() is not None:
            self._building = True
            for combo in self.combos.values():
                if combo is not sender and combo.currentData() == sender.currentData():
                    combo.setCurrentIndex(0)
            self._building = False
        self.choices.mapping = self._mapping()
        self.choices.summary = None
        self._show_samples()
        self._show_ignored()
        self._schedule_check()

    def _mapping(self) -> dict[str, str | None]:
        preview = self.choices.preview
        mapping: dict[str, str | None] = {h: None for h in (preview.headers if preview else ()) if h}
        for field, combo in self.combos.items():
            if combo.currentData() is not None:
                mapping[combo.currentData()] = field
        return mapping

    def _show_samples(self) -> None:
        preview = self.choices.preview
        if preview is None:
            return
        for field, label in self._samples.items():
            header = self.field_header(field)
            column = preview.headers.index(header) if header in preview.headers else -1
            values = [r[column] for r in preview.sample if 0 <= column < len(r) and r[column] not in (None, "")]
            label.setText(self.tr("e.g. {0}").format(cell_text(values[0])) if values else "")

    def _show_ignored(self) -> None:
        ignored = [h for h, f in self.choices.mapping.items() if f is None]
        self.ignored.setText(self.tr("Columns not imported: {0}").format("، ".join(f"«{h}»" for h in ignored))
                             if ignored else "")

    # -- checking with the service ------------------------------------------------------------
    def _schedule_check(self) -> None:
        self._timer.start()
        self.completeChanged.emit()

    @Slot()
    def _check(self) -> None:
        path, preview = self.choices.path, self.choices.preview
        if path is None or preview is None:
            return
        self._generation += 1
        generation = self._generation
        self._checking = True
        options = ImportOptions(kind=preview.kind, mapping=dict(self.choices.mapping), encoding=self.choices.encoding)

        def done(checked: FilePreview) -> None:
            if generation == self._generation:
                self._checking = False
                self._show_problems(checked.problems)

        def failed(exc: BaseException) -> None:  # a CrmError: QueryOp shows bugs itself
            if generation == self._generation:
                self._checking = False
                self._show_problems((str(exc),))

        QueryOp(self, self.ctx, lambda s, _p: s.imports.preview(path, options)).success(done).failure(failed).run()

    def _show_problems(self, problems: tuple[str, ...]) -> None:
        self._problems = tuple(problems)
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        self.completeChanged.emit()

    # -- saved mappings -----------------------------------------------------------------------
    @Slot()
    def save(self) -> None:
        preview = self.choices.preview
        if preview is None:
            return
        folder = self.choices.path.parent if self.choices.path else dialogs.documents_folder()
        stem = self.tr("column mapping")
        target = dialogs.ask_mapping_to_save(self, folder / f"{stem}.json")
        if target is None:
            return
        try:
            save_mapping(target, preview.kind, self.choices.mapping)
        except OSError as exc:
            show_error(self, CrmError(self.tr("The mapping could not be saved: {0}").format(exc.strerror or exc)))
            return
        self.ctx.messages.info.emit(self.tr("Column mapping saved: {0}").format(target.name))

    @Slot()
    def load(self) -> None:
        preview, path = self.choices.preview, self.choices.path
        if preview is None or path is None:
            return
        chosen = dialogs.ask_mapping_to_load(self, path.parent)
        if chosen is None:
            return
        try:
            kind, mapping = load_mapping(chosen)
        except CrmError as exc:
            show_error(self, exc)
            return
        self.apply_mapping(kind or preview.kind, mapping)

    def apply_mapping(self, kind: ImportKind, mapping: dict[str, str | None]) -> None:
        """Use a saved mapping: the service matches its headers to this file's (spelling aside)."""
        path = self.choices.path
        if path is None:
            return
        self._generation += 1
        generation = self._generation
        self._checking = True
        self.completeChanged.emit()
        options = ImportOptions(kind=kind, mapping=mapping, encoding=self.choices.encoding)

        def done(loaded: FilePreview) -> None:
            if generation != self._generation:
                return
            self._checking = False
            self.choices.kind = loaded.kind
            self.choices.preview = loaded
            self.choices.mapping = dict(loaded.mapping)
            self.choices.summary = None
            self._build(loaded)
            self._show_problems(loaded.problems)

        def failed(exc: BaseException) -> None:  # a CrmError: QueryOp shows bugs itself
            if generation == self._generation:
                self._checking = False
                self._show_problems((str(exc),))

        QueryOp(self, self.ctx, lambda s, _p: s.imports.preview(path, options)).success(done).failure(failed).run()
