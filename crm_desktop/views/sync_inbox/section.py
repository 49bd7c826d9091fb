"""The sync inbox (section key ``conflicts``): conflicts that need a person, and changes the server refused.

Tab «نیاز به بررسی»: one card per conflicting field (this branch's, mine first). Tab «ذخیره نشد»: parked
changes with the server's reason, Retry and Discard (asked first, with a note). Decisions are ordinary
writes: they go out with the next sync round; the list is read again after each decision and whenever
the page is shown (the main window also calls ``reload`` after a sync round).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.persian import format_number
from crm_desktop.services import Services
from crm_desktop.services.changes import Outcome
from crm_desktop.services.permissions import Action, allowed
from crm_desktop.services.sync_conflicts import ConflictCard, ParkedChange
from crm_desktop.views.context import AppContext
from crm_desktop.views.section import SectionPage
from crm_desktop.views.sync_inbox.card import ConflictCardWidget
from crm_desktop.views.sync_inbox.parked import ParkedList
from crm_desktop.views.tasks import QueryOp, ServiceOp

REVIEW_TAB, PARKED_TAB = 0, 1


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask yes or no, No by default (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_note(parent: QWidget, title: str, label: str) -> str | None:
    """Ask for the reason of a discard (tests replace this function); None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, "")
    return value if ok else None


class SyncInboxSection(SectionPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.can_act = allowed(ctx.actor, Action.EDIT_CUSTOMER)
        self.cards: list[ConflictCardWidget] = []
        title = QLabel(self.tr("Sync inbox"))
        title.setObjectName("pageTitle")
        self.cards_box = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.no_conflicts = QLabel(self.tr("Nothing needs review: no open conflicts in this branch."))
        self.no_conflicts.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cards_layout.addWidget(self.no_conflicts)
        scroll = QScrollArea()
        scroll.setObjectName("conflictCards")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards_box)
        self.parked = ParkedList(self.can_act)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncInboxTabs")
        self.tabs.addTab(scroll, "")
        self.tabs.addTab(self.parked, "")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        self._set_titles(0, 0)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.parked.retry_requested.connect(self.retry)
        self.parked.discard_requested.connect(self.discard)

    # -- section hooks ------------------------------------------------------------------------
    def activated(self) -> None:
        self.reload()

    def show_tab(self, index: int) -> None:
        """Open «needs review» (``REVIEW_TAB``) or «couldn't save» (``PARKED_TAB``)."""
        self.tabs.setCurrentIndex(index)

    # -- reading ------------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        actor = self.ctx.actor

        def read(services: Services, _progress: object) -> tuple[list[ConflictCard], list[ParkedChange]]:
            return services.sync_conflicts.list_open(actor), services.sync_conflicts.list_rejected(actor)

        QueryOp(self, self.ctx, read).success(self._show).run()

    def _show(self, found: tuple[list[ConflictCard], list[ParkedChange]]) -> None:
        cards, parked = found
        for widget in self.cards:
            self.cards_layout.removeWidget(widget)
            widget.deleteLater()
        self.cards = []
        for card in cards:
            widget = ConflictCardWidget(card, self.can_act)
            widget.decided.connect(self.decide)
            self.cards_layout.addWidget(widget)
            self.cards.append(widget)
        self.no_conflicts.setVisible(not cards)
        self.parked.set_items(parked)
        self._set_titles(len(cards), len(parked))

    def _set_titles(self, conflicts: int, parked: int) -> None:
        self.tabs.setTabText(REVIEW_TAB, self.tr("Needs review ({0})").format(format_number(conflicts)))
        self.tabs.setTabText(PARKED_TAB, self.tr("Couldn't save ({0})").format(format_number(parked)))

    # -- deciding -----------------------------------------------------------------------------
    @Slot(str, str, object, object)
    def decide(self, conflict_id: str, choice: str, value: object, note: object) -> None:
        actor = self.ctx.actor
        card = next((c for c in self.cards if c.card.id == conflict_id), None)
        if card is not None:
            card.set_busy(True)

        def failed(exc: BaseException) -> None:
            from crm_desktop.views.errors import show_error

            if card is not None:
                card.set_busy(False)
            show_error(self, exc)

        ServiceOp(self, self.ctx, lambda s: s.sync_conflicts.resolve(
            actor, conflict_id, choice, value, note if isinstance(note, str) else None)
        ).success(self._decided).failure(failed).run()

    def _decided(self, _outcome: Outcome[int]) -> None:
        self.ctx.messages.info.emit(self.tr("Decision saved; it is sent with the next sync"))
        self.reload()

    @Slot(int)
    def retry(self, op_id: int) -> None:
        actor = self.ctx.actor

        def done(_outcome: Outcome[int]) -> None:
            self.ctx.messages.info.emit(self.tr("The change is queued again"))
            self.reload()

        ServiceOp(self, self.ctx, lambda s: s.sync_conflicts.retry(actor, op_id)).success(done).run()

    @Slot(int)
    def discard(self, op_id: int) -> None:
        item = next((i for i in self.parked.items if i.op_id == op_id), None)
        if item is None:
            return
        question = self.tr("Discard this change of «{0}» for good? It will never reach the central server.")
        if not confirm(self, self.tr("Discard change"), question.format(item.record_label)):
            return
        note = ask_note(self, self.tr("Discard change"), self.tr("Why is this change discarded?"))
        if note is None:
            return
        actor = self.ctx.actor

        def done(_outcome: Outcome[int]) -> None:
            self.ctx.messages.info.emit(self.tr("The change was discarded"))
            self.reload()

        ServiceOp(self, self.ctx, lambda s: s.sync_conflicts.discard(actor, op_id, note)).success(done).run()
