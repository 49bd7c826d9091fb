"""Who a request can be handed to: active, non-auditor users of the request's branch."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from crm_desktop.models.enums import Role
from crm_desktop.persian import to_persian_digits
from crm_desktop.services import Services
from crm_desktop.services.actor import Actor
from crm_desktop.services.users import UserRow


def assignable_colleagues(services: Services, actor: Actor, branch_code: str | None = None) -> list[UserRow]:
    """Runs on a worker thread. ``branch_code`` narrows the list for those who see every branch."""
    return [
        user for user in services.users.list(actor)
        if user.active and user.role != Role.AUDITOR and (branch_code is None or user.branch_code == branch_code)
    ]


def branch_code_of(number: str) -> str:
    """A request number starts with its branch code (``<branch>-<device>-<sequence>``)."""
    return number.split("-", 1)[0]


def fill_colleagues(combo: QComboBox, users: list[UserRow], *, select: str | None = None) -> None:
    """One item per colleague (user id as data); the branch code is shown when several branches mix."""
    several = len({user.branch_code for user in users}) > 1
    for user in users:
        label = user.full_name
        if several:
            label = f"{label} ({to_persian_digits(user.branch_code)})"
        combo.addItem(label, user.id)
    if select is not None:
        index = combo.findData(select)
        if index >= 0:
            combo.setCurrentIndex(index)
