"""Branches as items of a combo box, loaded off the UI thread (for those who see every branch)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from crm_desktop.persian import to_persian_digits
from crm_desktop.services.users import BranchRow
from crm_desktop.views.context import AppContext
from crm_desktop.views.tasks import QueryOp


def load_branch_items(parent: QWidget, ctx: AppContext, combo: QComboBox, data: Callable[[BranchRow], Any]) -> None:
    """Append «name (code)» for each branch the actor may see, with ``data(branch)`` as the item's data."""
    actor = ctx.actor

    def show(branches: list[BranchRow]) -> None:
        combo.blockSignals(True)  # adding items is not the user choosing one
        for branch in branches:
            combo.addItem(f"{branch.name} ({to_persian_digits(branch.code)})", data(branch))
        combo.blockSignals(False)

    QueryOp(parent, ctx, lambda s, _p: s.users.branches(actor)).success(show).run()
