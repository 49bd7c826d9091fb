"""Step 1: the file, its kind and (for CSV) its encoding, with the first rows as read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from crm_desktop.persian import format_number
from crm_desktop.services.importing import FilePreview, ImportKind, ImportOptions
from crm_desktop.services.importing.readers import ENCODING_LABELS
from crm_desktop.views.context import AppContext
from crm_desktop.views.importing import dialogs
from crm_desktop.views.importing.choices import ImportChoices
from crm_desktop.views.importing.sample_model import SampleTableModel
from crm_desktop.views.tasks import QueryOp


def kind_title(kind: ImportKind) -> str:
    if kind is ImportKind.PRODUCTS:
        return QCoreApplication.translate("ImportWizard", "Products held")
    if kind is ImportKind.INTERACTIONS:
        return QCoreApplication.translate("ImportWizard", "Interactions")
    return QCoreApplication.translate("ImportWizard", "Customers")


class FilePage(QWizardPage):
    def __init__(self, ctx: AppContext, choices: ImportChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.choices = ctx, choices
        self._generation = 0
        self._loading = False
        self.setTitle(self.tr("Choose the file"))
        self.setSubTitle(self.tr("An Excel workbook (.xlsx) or a CSV file whose first row names the columns, "
                                 "such as «First name», «Last name», «National ID», «Mobile»."))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setAccessibleName(self.tr("File"))
        self.path_edit.setPlaceholderText(self.tr("Choose a file, or type its path and press Enter"))
        self.browse_button = QPushButton(self.tr("Choose…"))
        self.browse_button.setObjectName("importBrowse")
        self.browse_button.setAutoDefault(False)  # Enter belongs to the wizard's Next
        self.kind = QComboBox()
        self.kind.setObjectName("importKind")
        self.kind.setAccessibleName(self.tr("What the file holds"))
        self.kind.addItem(self.tr("Detect from the column headers"), None)
        for kind in ImportKind:
            self.kind.addItem(kind_title(kind), kind)
        self.encoding = QComboBox()
        self.encoding.setObjectName("importEncoding")
        self.encoding.setAccessibleName(self.tr("Encoding of a CSV file"))
        for key, text in (("auto", self.tr("Detect automatically")), ("utf-8", "UTF-8"),
                          ("cp1256", self.tr("Windows-1256 (Arabic Windows)"))):
            self.encoding.addItem(text, key)
        self.status = QLabel()
        self.status.setObjectName("importFileStatus")
        self.status.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("importFileNotes")
        self.notes.setProperty("role", "muted")
        self.notes.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("importFileError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.sample = SampleTableModel(self)
        self.sample_view = QTableView()
        self.sample_view.setObjectName("importSample")
        self.sample_view.setAccessibleName(self.tr("First rows of the file"))
        self.sample_view.setModel(self.sample)
        self.sample_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample_view.setWordWrap(False)
        self.sample_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.sample_view.horizontalHeader().setMaximumSectionSize(self.fontMetrics().horizontalAdvance("M") * 18)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("File"), file_row)
        form.addRow(self.tr("What the file holds"), self.kind)
        form.addRow(self.tr("Encoding (CSV)"), self.encoding)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.notes)
        layout.addWidget(QLabel(self.tr("First rows of the file, as read:")))
        layout.addWidget(self.sample_view, 1)
        self.setTabOrder(self.path_edit, self.browse_button)
        self.setTabOrder(self.browse_button, self.kind)
        self.setTabOrder(self.kind, self.encoding)
        self.setTabOrder(self.encoding, self.sample_view)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self.browse)
        self.path_edit.returnPressed.connect(self._on_path_edit_return_pressed)
        self.kind.currentIndexChanged.connect(self._on_choice_changed)
        self.encoding.currentIndexChanged.connect(self._on_choice_changed)

    # -- QWizardPage --------------------------------------------------------------------------
    def initializePage(self) -> None:
        (self.browse_button if not self.path_edit.text() else self.kind).setFocus()

    def isComplete(self) -> bool:
        return self.choices.preview is not None and not self._loading

    def validatePage(self) -> bool:
        if self.path_edit.text().strip() and Path(self.path_edit.text().strip()) != self.choices.path:
            self.set_path(Path(self.path_edit.text().strip()))  # typed but Enter not pressed: read it first
            return False
        return self.isComplete()

    # -- choosing -----------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    @Slot()
    def browse(self) -> None:
        folder = self.choices.path.parent if self.choices.path else dialogs.documents_folder()
        chosen = dialogs.ask_import_file(self, folder)
        if chosen is not None:
            self.set_path(chosen)

    def set_path(self, path: Path) -> None:
        """Read the first rows of ``path`` (off the UI thread) with the chosen kind and encoding."""
        self.path_edit.setText(str(path))
        self.choices.path = path
        self._read()

    @Slot()
    def _on_path_edit_return_pressed(self) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.set_path(Path(text))

    @Slot()
    def _on_choice_changed(self) -> None:
        if self.choices.path is not None:
            self._read()

    def _read(self) -> None:
        path = self.choices.path
        if path is None:
            return
        self.choices.kind = self.kind.currentData()
        self.choices.encoding = str(self.encoding.currentData())
        self.choices.forget_file()
        self._generation += 1
        generation = self._generation
        self._set_loading(True)
        self.error.clear()
        self.status.setText(self.tr("Reading the file…"))
        options = ImportOptions(kind=self.choices.kind, encoding=self.choices.encoding)

        def done(preview: FilePreview) -> None:
            if generation == self._generation:
                self._show(preview)

        def failed(exc: BaseException) -> None:  # a CrmError: QueryOp shows bugs itself
            if generation == self._generation:
                self._show_error(str(exc))

        QueryOp(self, self.ctx, lambda s, _p: s.imports.preview(path, options)).success(done).failure(failed).run()

    def _set_loading(self, loading: bool) -> None:
        self._loading = loading
        self.completeChanged.emit()

    def _show(self, preview: FilePreview) -> None:
        self.choices.preview = preview
        self.choices.mapping = dict(preview.mapping)
        self.sample.set_sample(preview.headers, preview.sample)
        encoding = ENCODING_LABELS.get(preview.encoding, preview.encoding)
        columns = sum(1 for h in preview.headers if h)
        text = self.tr("{0} · header on row {1} · {2} columns · {3}").format(
            encoding, format_number(preview.header_row), format_number(columns), kind_title(preview.kind))
        if self.kind.currentData() is None:
            text = self.tr("{0} (detected)").format(text)
        self.status.setText("\u200f" + text)  # a right-to-left line even when it starts with «Excel»
        self.notes.setText("\n".join(preview.notes))
        self.notes.setVisible(bool(preview.notes))
        self.encoding.setEnabled(preview.encoding != "xlsx")
        self._set_loading(False)

    def _show_error(self, message: str) -> None:
        self.choices.preview = None
        self.sample.set_sample((), ())
        self.status.clear()
        self.notes.clear()
        self.notes.hide()
        self.error.setText(message)
        self.encoding.setEnabled(True)
        self._set_loading(False)
