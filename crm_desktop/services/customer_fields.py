"""Validation and derived keys of a customer: one place for forms, services and imports."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from crm_desktop.models.enums import CustomerKind, Gender, KycStatus, LifecycleStage, Segment
from crm_desktop.persian import (
    ValidationError,
    parse_jalali_date,
    to_ascii_digits,
    validate_company_id,
    validate_mobile,
    validate_national_id,
    validate_postal_code,
)
from crm_desktop.sync.derive import customer_keys

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^0\d{9,10}$")
_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه"})
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")

NAME_LIMITS = {"first_name": 100, "last_name": 100, "father_name": 100, "company_name": 200,
               "contact_person": 200}
FIELD_LABELS = {
    "first_name": "نام",
    "last_name": "نام خانوادگی",
    "father_name": "نام پدر",
    "company_name": "نام شرکت",
    "contact_person": "نماینده شرکت",
}


def persian_letters(text: str) -> str:
    """Persian ی/ک instead of the Arabic letters older systems and keyboards type (stored text keeps ZWNJ)."""
    return text.translate(_ARABIC_TO_PERSIAN)


def tidy_text(value: object) -> str | None:
    """Persian letters instead of Arabic ones, folded spaces; empty becomes None. Keeps ZWNJ."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("مقدار باید متن باشد.")
    text = _SPACES.sub(" ", persian_letters(value)).strip()
    return text or None


def _choice(value: object, enum: Any, field: str, label: str) -> str:
    try:
        return str(enum(value))
    except ValueError:
        raise ValidationError(f"{label} نامعتبر است.", field=field) from None


def _date(value: object, field: str, label: str, today: date) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        parsed = value.date() if isinstance(value, datetime) else value
    elif isinstance(value, str):
        try:
            parsed = parse_jalali_date(value)
        except ValidationError as exc:
            raise ValidationError(f"{label}: {exc.message}", field=field) from None
    else:
        raise ValidationError(f"{label} نامعتبر است.", field=field)
    if parsed > today:
        raise ValidationError(f"{label} نمی‌تواند در آینده باشد.", field=field)
    return parsed


def clean_customer(data: dict[str, Any], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate raw customer fields; returns (clean values, {field: Persian error})."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}

    def run(field: str, fn: Callable[[], Any]) -> None:
        try:
            clean[field] = fn()
        except ValidationError as exc:
            errors[field] = exc.message

    run("kind", lambda: _choice(data.get("kind"), CustomerKind, "kind", "نوع مشتری"))
    for name, limit in NAME_LIMITS.items():
        def _name(name: str = name, limit: int = limit) -> str | None:
            text = tidy_text(data.get(name))
            if text is not None and len(text) > limit:
                raise ValidationError(f"«{FIELD_LABELS[name]}» بیش از {limit} نویسه است.", field=name)
            if text is not None and any(ch.isdigit() for ch in text) and name != "company_name":
                raise ValidationError(f"«{FIELD_LABELS[name]}» نباید عدد داشته باشد.", field=name)
            return text
        run(name, _name)

    def optional(field: str, validator: Callable[[str], str]) -> None:
        def _run() -> str | None:
            text = tidy_text(data.get(field))
            return None if text is None else validator(text)
        run(field, _run)

    optional("national_id", validate_national_id)
    optional("company_id", validate_company_id)
    optional("mobile", validate_mobile)
    optional("postal_code", validate_postal_code)
    optional("phone", _validate_phone)
    optional("email", _validate_email)
    optional("customer_no", _validate_customer_no)
    optional("registration_no", _validate_registration_no)
    run("birth_date", lambda: _date(data.get("birth_date"), "birth_date", "تاریخ تولد", today))
    run("kyc_date", lambda: _date(data.get("kyc_date"), "kyc_date", "تاریخ احراز هویت", today))
    run("gender", lambda: None if not data.get("gender") else _choice(data["gender"], Gender, "gender", "جنسیت"))
    run("segment", lambda: _choice(data.get("segment"), Segment, "segment", "بخش مشتری"))
    run("lifecycle_stage",
        lambda: _choice(data.get("lifecycle_stage"), LifecycleStage, "lifecycle_stage", "مرحله چرخه عمر"))
    run("kyc_status", lambda: _choice(data.get("kyc_status"), KycStatus, "kyc_status", "وضعیت احراز هویت"))
    run("address", lambda: _limited(data.get("address"), "address", "نشانی", 500))
    run("notes", lambda: _limited(data.get("notes"), "notes", "یادداشت", 4000))
    consent = data.get("marketing_consent", False)
    if not isinstance(consent, bool):
        errors["marketing_consent"] = "رضایت دریافت پیام تبلیغاتی باید بله یا خیر باشد."
    clean["marketing_consent"] = bool(consent) if isinstance(consent, bool) else False
    _check_kind_rules(clean, errors)
    return clean, errors


def _check_kind_rules(clean: dict[str, Any], errors: dict[str, str]) -> None:
    kind = clean.get("kind")
    if kind == CustomerKind.INDIVIDUAL:
        for field in ("first_name", "last_name"):
            if field not in errors and not clean.get(field):
                errors[field] = f"«{FIELD_LABELS[field]}» را وارد کنید."
        if "national_id" not in errors and not clean.get("national_id"):
            errors["national_id"] = "کد ملی را وارد کنید."
        for field in ("company_name", "company_id", "registration_no", "contact_person"):
            clean[field] = None
    elif kind == CustomerKind.CORPORATE:
        if "company_name" not in errors and not clean.get("company_name"):
            errors["company_name"] = "«نام شرکت» را وارد کنید."
        if "company_id" not in errors and not clean.get("company_id"):
            errors["company_id"] = "شناسه ملی شرکت را وارد کنید."
        for field in ("first_name", "last_name", "father_name", "national_id", "birth_date", "gender"):
            clean[field] = None
    if clean.get("kyc_status") == KycStatus.VERIFIED and not clean.get("kyc_date") and "kyc_date" not in errors:
        errors["kyc_date"] = "برای مشتری احرازشده تاریخ احراز هویت را وارد کنید."


def _limited(value: object, field: str, label: str, limit: int) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"«{label}» باید متن باشد.", field=field)
    text = None if value is None else persian_letters(value).strip() or None
    if text is not None and len(text) > limit:
        raise ValidationError(f"«{label}» بیش از {limit} نویسه است.", field=field)
    return text


def _validate_phone(text: str) -> str:
    digits = re.sub(r"[\s\-()]", "", to_ascii_digits(text))
    if not PHONE_RE.match(digits):
        raise ValidationError("تلفن ثابت باید با ۰ و کد شهر شروع شود (مانند ۰۲۱۸۸۱۲۳۴۵۶).", field="phone")
    return digits


def _validate_email(text: str) -> str:
    value = text.strip().lower()
    if len(value) > 254 or not EMAIL_RE.match(value) or not value.isascii():
        raise ValidationError("پست الکترونیک نامعتبر است.", field="email")
    return value


def _validate_customer_no(text: str) -> str:
    digits = to_ascii_digits(text).replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 4 <= len(digits) <= 20:
        raise ValidationError("شماره مشتری باید بین ۴ تا ۲۰ رقم باشد.", field="customer_no")
    return digits


def _validate_registration_no(text: str) -> str:
    digits = to_ascii_digits(text).replace(" ", "")
    if not digits.isdigit() or len(digits) > 20:
        raise ValidationError("شماره ثبت باید عدد باشد.", field="registration_no")
    return digits


def derived_keys(clean: dict[str, Any]) -> dict[str, Any]:
    """Display name, Persian sort key and normalized search keys (the sync service derives them the same way)."""
    return customer_keys(clean)
