"""A customer's fields for reading: their titles, their values as people read them, and the Details tab."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QWidget

from crm_desktop.models.enums import CustomerKind, Gender, KycStatus, LifecycleStage, Segment
from crm_desktop.persian import format_jalali_date, format_jalali_datetime, to_persian_digits
from crm_desktop.services.records import CustomerDetail

CONTEXT = "CustomerFields"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: ARG001 - the name and signature lupdate reads
    """Mark ``text`` for translation in ``context`` (lupdate collects it); it is translated where shown."""
    return text



#: Field -> English title (translated in the "CustomerFields" context), in the order people read them.
FIELD_TITLES: dict[str, str] = {
    "kind": QT_TRANSLATE_NOOP("CustomerFields", "Customer type"),
    "first_name": QT_TRANSLATE_NOOP("CustomerFields", "First name"),
    "last_name": QT_TRANSLATE_NOOP("CustomerFields", "Last name"),
    "father_name": QT_TRANSLATE_NOOP("CustomerFields", "Father's name"),
    "national_id": QT_TRANSLATE_NOOP("CustomerFields", "National ID"),
    "birth_date": QT_TRANSLATE_NOOP("CustomerFields", "Birth date"),
    "gender": QT_TRANSLATE_NOOP("CustomerFields", "Gender"),
    "company_name": QT_TRANSLATE_NOOP("CustomerFields", "Company name"),
    "company_id": QT_TRANSLATE_NOOP("CustomerFields", "Company national ID"),
    "registration_no": QT_TRANSLATE_NOOP("CustomerFields", "Registration number"),
    "contact_person": QT_TRANSLATE_NOOP("CustomerFields", "Contact person"),
    "customer_no": QT_TRANSLATE_NOOP("CustomerFields", "Customer number"),
    "mobile": QT_TRANSLATE_NOOP("CustomerFields", "Mobile"),
    "phone": QT_TRANSLATE_NOOP("CustomerFields", "Phone"),
    "email": QT_TRANSLATE_NOOP("CustomerFields", "Email"),
    "address": QT_TRANSLATE_NOOP("CustomerFields", "Address"),
    "postal_code": QT_TRANSLATE_NOOP("CustomerFields", "Postal code"),
    "segment": QT_TRANSLATE_NOOP("CustomerFields", "Segment"),
    "lifecycle_stage": QT_TRANSLATE_NOOP("CustomerFields", "Lifecycle stage"),
    "kyc_status": QT_TRANSLATE_NOOP("CustomerFields", "KYC status"),
    "kyc_date": QT_TRANSLATE_NOOP("CustomerFields", "KYC date"),
    "marketing_consent": QT_TRANSLATE_NOOP("CustomerFields", "Marketing consent"),
    "notes": QT_TRANSLATE_NOOP("CustomerFields", "Notes"),
    "branch_id": QT_TRANSLATE_NOOP("CustomerFields", "Branch"),
    "merged_into": QT_TRANSLATE_NOOP("CustomerFields", "Merged into"),
    "deleted_reason": QT_TRANSLATE_NOOP("CustomerFields", "Reason for deletion"),
    "created_at": QT_TRANSLATE_NOOP("CustomerFields", "Created"),
    "updated_at": QT_TRANSLATE_NOOP("CustomerFields", "Last changed"),
}
INDIVIDUAL_ONLY = ("first_name", "last_name", "father_name", "national_id", "birth_date", "gender")
CORPORATE_ONLY = ("company_name", "company_id", "registration_no", "contact_person")
#: Kinds get their own titles: ``CustomerKind.CORPORATE.label`` collides with ``Segment.CORPORATE`` in LABELS.
KIND_TITLES = {
    "individual": QT_TRANSLATE_NOOP("CustomerFields", "Individual customer"),
    "corporate": QT_TRANSLATE_NOOP("CustomerFields", "Corporate customer"),
}
ENUMS: dict[str, Any] = {"gender": Gender, "segment": Segment,
                         "lifecycle_stage": LifecycleStage, "kyc_status": KycStatus}
DIGITS = ("national_id", "company_id", "registration_no", "customer_no", "mobile", "phone", "postal_code")
DATES = ("birth_date", "kyc_date")
MOMENTS = ("created_at", "updated_at", "deleted_at")
HIDDEN = ("id", "deleted_at")


def field_title(field: str) -> str:
    return QCoreApplication.translate(CONTEXT, FIELD_TITLES.get(field, field))


def shown_fields(changed: dict[str, Any]) -> list[str]:
    """The journaled fields worth showing, in reading order."""
    known = [f for f in FIELD_TITLES if f in changed]
    return known + sorted(f for f in changed if f not in FIELD_TITLES and f not in HIDDEN)


def field_value(field: str, value: Any) -> str:
    """A stored value as people read it: labels, Jalali dates, Persian digits."""
    if value is None or value == "":
        return ""
    if field == "kind":
        return kind_title(str(value))
    if field in ENUMS:
        try:
            return str(ENUMS[field](value).label)
        except ValueError:
            return str(value)
    if field == "marketing_consent":
        if value in (True, 1, "1"):
            return QCoreApplication.translate("CustomerFields", "Yes")
        return QCoreApplication.translate("CustomerFields", "No")
    if field in DATES:
        parsed = value if isinstance(value, date) else _parse_date(str(value))
        return format_jalali_date(parsed) if parsed else str(value)
    if field in MOMENTS:
        moment = value if isinstance(value, datetime) else _parse_moment(str(value))
        return format_jalali_datetime(moment) if moment else str(value)
    if field in DIGITS or field == "address":
        return to_persian_digits(str(value))
    return str(value)


def kind_title(kind: str) -> str:
    return QCoreApplication.translate(CONTEXT, KIND_TITLES.get(kind, kind))


def leading_edge() -> Qt.AlignmentFlag:
    """The window's leading edge, whatever the text: a value of digits alone (an ID, a date) would
    otherwise count as left-to-right text and sit at the far edge of a right-to-left form."""
    edge = Qt.AlignmentFlag.AlignRight if QGuiApplication.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
    return edge | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _parse_moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class CustomerDetails(QScrollArea):
    """Every field of one customer, read-only and selectable (the Details tab)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerDetails")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._inner = QWidget()
        self._form = QFormLayout(self._inner)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.setWidget(self._inner)
        self.viewport().setAutoFillBackground(False)  # the tab's white pane shows through
        self._inner.setAutoFillBackground(False)
        self.values: dict[str, QLabel] = {}

    def set_customer(self, customer: CustomerDetail) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self.values = {}
        skip = CORPORATE_ONLY if customer.kind == CustomerKind.INDIVIDUAL else INDIVIDUAL_ONLY
        for field in FIELD_TITLES:
            if field in skip or field in ("deleted_reason", "merged_into"):
                continue
            if field == "branch_id":
                text = f"{to_persian_digits(customer.branch_code)} — {customer.branch_name}"
            else:
                text = field_value(field, getattr(customer, field))
            value = QLabel(text or "—")
            value.setAlignment(leading_edge())
            value.setObjectName(f"detail_{field}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            title = QLabel(field_title(field) + ":")
            title.setProperty("role", "muted")
            self._form.addRow(title, value)
            self.values[field] = value
