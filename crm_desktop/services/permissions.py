"""Which role may do what. Checked in the services, whatever the UI shows."""

from __future__ import annotations

from enum import StrEnum

from crm_desktop.models.enums import Role
from crm_desktop.services.actor import Actor
from crm_desktop.services.errors import PermissionDenied


class Action(StrEnum):
    VIEW_CUSTOMER = "view_customer"
    EDIT_CUSTOMER = "edit_customer"
    DELETE_CUSTOMER = "delete_customer"
    MERGE_CUSTOMERS = "merge_customers"
    LOG_INTERACTION = "log_interaction"
    EDIT_ANY_INTERACTION = "edit_any_interaction"
    WORK_REQUEST = "work_request"
    CANCEL_ANY_REQUEST = "cancel_any_request"
    MANAGE_SLA = "manage_sla"
    MANAGE_CALENDAR = "manage_calendar"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    RUN_REPORTS = "run_reports"
    EXPORT = "export"
    BACKUP = "backup"


_CLERK = {
    Action.VIEW_CUSTOMER,
    Action.EDIT_CUSTOMER,
    Action.LOG_INTERACTION,
    Action.WORK_REQUEST,
    Action.EXPORT,
}
_MANAGER = _CLERK | {
    Action.DELETE_CUSTOMER,
    Action.MERGE_CUSTOMERS,
    Action.EDIT_ANY_INTERACTION,
    Action.CANCEL_ANY_REQUEST,
    Action.MANAGE_SLA,
    Action.READ_AUDIT,
    Action.RUN_REPORTS,
    Action.BACKUP,
}
_ADMIN = _MANAGER | {Action.MANAGE_CALENDAR, Action.MANAGE_USERS}
_AUDITOR = {Action.VIEW_CUSTOMER, Action.READ_AUDIT, Action.RUN_REPORTS, Action.EXPORT}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset(_CLERK),
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(_ADMIN),
    Role.AUDITOR: frozenset(_AUDITOR),
}

ACTION_LABELS: dict[Action, str] = {
    Action.VIEW_CUSTOMER: "مشاهده پرونده مشتری",
    Action.EDIT_CUSTOMER: "ثبت و ویرایش مشتری",
    Action.DELETE_CUSTOMER: "حذف مشتری",
    Action.MERGE_CUSTOMERS: "ادغام مشتریان تکراری",
    Action.LOG_INTERACTION: "ثبت تعامل",
    Action.EDIT_ANY_INTERACTION: "ویرایش تعامل دیگران",
    Action.WORK_REQUEST: "رسیدگی به درخواست خدمت",
    Action.CANCEL_ANY_REQUEST: "لغو درخواست دیگران",
    Action.MANAGE_SLA: "تغییر مهلت‌های رسیدگی",
    Action.MANAGE_CALENDAR: "تغییر تقویم کاری",
    Action.MANAGE_USERS: "مدیریت کاربران",
    Action.READ_AUDIT: "مشاهده ردپای تغییرات",
    Action.RUN_REPORTS: "تهیه گزارش",
    Action.EXPORT: "خروجی گرفتن",
    Action.BACKUP: "پشتیبان‌گیری از پایگاه داده",
}


def allowed(actor: Actor, action: Action) -> bool:
    return action in ROLE_ACTIONS[actor.role]


def require(actor: Actor, action: Action) -> None:
    """Raise ``PermissionDenied`` unless the actor's role allows ``action``."""
    if not allowed(actor, action):
        raise PermissionDenied(
            f"نقش «{actor.role.label}» اجازه «{ACTION_LABELS[action]}» را ندارد."
        )


def require_branch(actor: Actor, branch_id: str) -> None:
    """Raise unless the actor may see records of ``branch_id``."""
    if not actor.sees_all_branches and branch_id != actor.branch_id:
        raise PermissionDenied("دسترسی به اطلاعات شعبه‌های دیگر مجاز نیست.")
