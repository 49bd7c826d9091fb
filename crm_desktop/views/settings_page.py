"""Settings: language, font size, idle lock, where the database is, and a backup on demand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm_desktop import config
from crm_desktop.persian import to_ascii_digits
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.views.context import AppContext
from crm_desktop.views.section import SectionPage
from crm_desktop.views.tasks import QueryOp


class SettingsPage(SectionPage):
    """Signals:
        idle_minutes_changed(int): the idle lock time was changed.
        language_changed(str): takes effect at the next start (the layout direction follows it).
    """

    idle_minutes_changed = Signal(int)
    language_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 settings_file: Path | None = None) -> None:
        super().__init__(ctx, parent)
        self._settings_file = settings_file
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.setAccessibleName(self.tr("Language"))
        self.language.addItem("فارسی", "fa")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.settings.language)))
        self.font_size = QSpinBox()
        self.font_size.setObjectName("fontSize")
        self.font_size.setAccessibleName(self.tr("Font size"))
        self.font_size.setRange(config.FONT_SIZES.start, config.FONT_SIZES.stop - 1)
        self.font_size.setValue(ctx.settings.font_size)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setObjectName("idleMinutes")
        self.idle_minutes.setAccessibleName(self.tr("Lock after idle minutes"))
        self.idle_minutes.setRange(config.IDLE_LOCK_MINUTES.start, config.IDLE_LOCK_MINUTES.stop - 1)
        self.idle_minutes.setValue(ctx.settings.idle_lock_minutes)
        self.idle_minutes.setSuffix(self.tr(" minutes"))
        self.restart_note = QLabel(self.tr("Language and font size take effect the next time the app starts."))
        self.restart_note.setObjectName("restartNote")
        self.restart_note.setWordWrap(True)
        self.restart_note.hide()

        self.db_path = QLineEdit(str(ctx.db_path))
        self.db_path.setObjectName("databasePath")
        self.db_path.setAccessibleName(self.tr("Database location"))
        self.db_path.setReadOnly(True)
        self.backup_button = QPushButton(self.tr("Back up now…"))
        self.backup_button.setObjectName("backupButton")
        self.backup_button.setEnabled(allowed(ctx.actor, Action.BACKUP))
        if not self.backup_button.isEnabled():
            self.backup_button.setToolTip(self.tr("Only a branch manager or administrator can back up."))
        self.backup_result = QLabel()
        self.backup_result.setObjectName("backupResult")
        self.backup_result.setWordWrap(True)

        appearance = QGroupBox(self.tr("Appearance and security"))
        form = QFormLayout(appearance)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Font size"), self.font_size)
        form.addRow(self.tr("Lock after idle time"), self.idle_minutes)
        form.addRow(self.restart_note)
        database = QGroupBox(self.tr("Database"))
        db_form = QFormLayout(database)
        db_form.addRow(self.tr("Location"), self.db_path)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addStretch(1)
        db_form.addRow(row)
        db_form.addRow(self.backup_result)
        layout = QVBoxLayout(self)
        layout.addWidget(appearance)
        layout.addWidget(database)
        layout.addStretch(1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.language.currentIndexChanged.connect(self._on_changed)
        self.font_size.valueChanged.connect(self._on_changed)
        self.idle_minutes.valueChanged.connect(self._on_idle_minutes_value_changed)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)

    def focus_search(self) -> None:
        self.language.setFocus()

    @Slot()
    def _on_changed(self) -> None:
        before = self.ctx.settings
        self._save()
        if (before.language, before.font_size) != (self.ctx.settings.language, self.ctx.settings.font_size):
            self.restart_note.show()
            if before.language != self.ctx.settings.language:
                self.language_changed.emit(self.ctx.settings.language)

    @Slot(int)
    def _on_idle_minutes_value_changed(self, minutes: int) -> None:
        self._save()
        self.idle_minutes_changed.emit(minutes)

    def _save(self) -> None:
        settings = replace(self.ctx.settings, language=str(self.language.currentData()),
                           font_size=self.font_size.value(), idle_lock_minutes=self.idle_minutes.value())
        config.save_settings(settings, self._settings_file)
        self.ctx.settings = settings

    @Slot()
    def _on_backup_button_clicked(self) -> None:
        suggested = self.ctx.db_path.with_name(f"{self.ctx.db_path.stem}-backup.db")
        chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("Back up the database"), str(suggested),
                                                      self.tr("SQLite database (*.db)"))
        if chosen:
            self.back_up_to(Path(to_ascii_digits(chosen)))

    def back_up_to(self, target: Path) -> None:
        self.backup_button.setEnabled(False)
        actor = self.ctx.actor

        def done(path: Path) -> None:
            self.backup_button.setEnabled(True)
            self.backup_result.setText(self.tr("Backup saved to {0}").format(path))
            self.ctx.messages.info.emit(self.tr("Backup saved."))

        def failed(exc: BaseException) -> None:
            self.backup_button.setEnabled(True)
            from crm_desktop.views.errors import show_error

            show_error(self, exc)

        (QueryOp(self, self.ctx, lambda s, progress: s.maintenance.backup_to(actor, target, progress))
         .with_progress(self.tr("Backing up the database"))
         .success(done).failure(failed).run())
