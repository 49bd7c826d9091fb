"""Column headers → fields: Persian and English synonyms, the user's own mapping, saved as JSON.

A header is compared by its *key*: Persian-normalized (ي/ك, digits, ZWNJ), case-folded, without spaces or
punctuation, so «کد‌ملی», «كد ملي» and «National_ID» all find their field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from crm_desktop.persian import format_number, normalize
from crm_desktop.services.importing.readers import CellValue, ImportFileError, is_empty

HEADER_SEARCH_ROWS = 20  # non-empty rows looked at to find the header row (a title may sit above it)
MAPPING_VERSION = 1


class ImportKind(StrEnum):
    CUSTOMERS = "customers"
    PRODUCTS = "products"
    INTERACTIONS = "interactions"

    @property
    def label(self) -> str:
        return {"customers": "مشتریان", "products": "محصولات مشتریان", "interactions": "تعاملات"}[self.value]


IDENTITY_FIELDS = ("national_id", "company_id", "customer_no")

#: field → (Persian label, synonyms). The label is itself a synonym.
_CUSTOMER_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "national_id": ("کد ملی", ("شماره ملی", "کدملی", "national id", "national code", "nid", "code melli",
                               "melli code")),
    "company_id": ("شناسه ملی", ("شناسه ملی شرکت", "شناسه", "company id", "company national id")),
    "customer_no": ("شماره مشتری", ("کد مشتری", "customer no", "customer number", "customer id", "cif")),
}
_FIELDS: dict[ImportKind, dict[str, tuple[str, tuple[str, ...]]]] = {
    ImportKind.CUSTOMERS: {
        "kind": ("نوع مشتری", ("نوع", "kind", "customer type", "type")),
        "first_name": ("نام", ("نام کوچک", "first name", "firstname", "given name")),
        "last_name": ("نام خانوادگی", ("فامیلی", "نام فامیل", "last name", "lastname", "surname", "family name",
                                      "family")),
        "father_name": ("نام پدر", ("father name", "fathers name", "father")),
        **_CUSTOMER_KEYS,
        "birth_date": ("تاریخ تولد", ("birth date", "birthdate", "date of birth", "dob")),
        "gender": ("جنسیت", ("gender", "sex")),
        "company_name": ("نام شرکت", ("نام سازمان", "company", "company name", "organization", "organisation")),
        "registration_no": ("شماره ثبت", ("registration no", "registration number")),
        "contact_person": ("نماینده شرکت", ("نماینده", "contact person", "contact")),
        "mobile": ("تلفن همراه", ("موبایل", "شماره همراه", "همراه", "شماره موبایل", "mobile", "cell",
                                 "mobile phone", "cellphone")),
        "phone": ("تلفن ثابت", ("تلفن", "phone", "telephone", "tel")),
        "email": ("پست الکترونیک", ("ایمیل", "رایانامه", "email", "e-mail", "mail")),
        "address": ("نشانی", ("آدرس", "address")),
        "postal_code": ("کد پستی", ("postal code", "postcode", "zip", "zip code")),
        "segment": ("بخش مشتری", ("segment",)),
        "lifecycle_stage": ("مرحله چرخه عمر", ("lifecycle", "lifecycle stage")),
        "kyc_status": ("وضعیت احراز هویت", ("kyc", "kyc status")),
        "kyc_date": ("تاریخ احراز هویت", ("kyc date",)),
        "marketing_consent": ("رضایت دریافت پیام تبلیغاتی", ("رضایت تبلیغات", "marketing consent", "consent")),
        "notes": ("یادداشت", ("توضیحات", "notes", "note", "comments", "remarks")),
    },
    ImportKind.PRODUCTS: {
        **_CUSTOMER_KEYS,
        "product_kind": ("نوع محصول", ("نوع حساب", "نوع", "product", "product type", "product kind", "kind")),
        "account_no": ("شماره حساب", ("account no", "account number", "account")),
        "opened_on": ("تاریخ افتتاح", ("opened on", "open date", "opening date")),
        "state": ("وضعیت", ("وضعیت حساب", "state", "status")),
        "balance_band": ("رده موجودی", ("balance band", "balance")),
    },
    ImportKind.INTERACTIONS: {
        **_CUSTOMER_KEYS,
        "channel": ("کانال ارتباطی", ("کانال", "channel")),
        "direction": ("جهت", ("direction",)),
        "subject": ("موضوع", ("subject", "topic")),
        "notes": ("یادداشت", ("توضیحات", "notes", "note")),
        "occurred_at": ("تاریخ و ساعت", ("تاریخ", "زمان", "date", "datetime", "occurred at", "time")),
        "duration_minutes": ("مدت", ("مدت دقیقه", "duration", "minutes")),
        "outcome": ("نتیجه", ("outcome", "result")),
        "follow_up_on": ("تاریخ پیگیری", ("پیگیری", "follow up", "follow up on")),
    },
}
#: Columns a file must have (beyond one identity column: کد ملی، شناسه ملی or شماره مشتری).
REQUIRED: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.CUSTOMERS: (),
    ImportKind.PRODUCTS: ("product_kind",),
    ImportKind.INTERACTIONS: ("channel", "subject", "occurred_at"),
}
_PUNCTUATION = re.compile(r"[\s_\-–—.:*()\[\]/\\'\"«»؛،,#]+")


def header_key(text: object) -> str:
    """The comparison key of a header cell."""
    if text is None:
        return ""
    return _PUNCTUATION.sub("", normalize(str(text)))


def field_label(kind: ImportKind, field: str) -> str:
    label = _FIELDS[kind].get(field)
    return label[0] if label else field


def fields_of(kind: ImportKind) -> list[tuple[str, str]]:
    """(field, Persian label) of a kind, for the mapping step of the wizard."""
    return [(name, label) for name, (label, _) in _FIELDS[kind].items()]


_SYNONYMS: dict[ImportKind, dict[str, str]] = {
    kind: {header_key(word): name for name, (label, words) in fields.items() for word in (label, *words)}
    for kind, fields in _FIELDS.items()
}


@dataclass(frozen=True)
class ColumnMap:
    """Where each field is in the file: the header row, and (column index, header text, field) per column."""

    kind: ImportKind
    header_row: int
    columns: tuple[tuple[int, str, str | None], ...]

    def index(self) -> dict[str, int]:
        return {name: i for i, _, name in self.columns if name}

    def header_of(self, field: str) -> str:
        for _, header, name in self.columns:
            if name == field:
                return header
        return field_label(self.kind, field)

    def as_mapping(self) -> dict[str, str | None]:
        return {header: name for _, header, name in self.columns if header}


def guess_kind(header: Sequence[CellValue]) -> ImportKind:
    keys = {header_key(v) for v in header}
    for kind in (ImportKind.INTERACTIONS, ImportKind.PRODUCTS):
        specific = {k for k, f in _SYNONYMS[kind].items() if f not in IDENTITY_FIELDS and f != "notes"}
        specific -= set(_SYNONYMS[ImportKind.CUSTOMERS])
        if keys & specific:
            return kind
    return ImportKind.CUSTOMERS


def _field_for(kind: ImportKind, text: CellValue, user: Mapping[str, str | None]) -> str | None:
    key = header_key(text)
    if key in user:
        return user[key]
    return _SYNONYMS[kind].get(key)


def find_header(
    rows: Sequence[tuple[int, tuple[CellValue, ...]]], kind: ImportKind, mapping: Mapping[str, str | None]
) -> int:
    """Index (in ``rows``) of the header row: the first row where most filled cells name a field."""
    user = {header_key(h): f for h, f in mapping.items()}
    for position, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        filled = [v for v in values if not is_empty((v,))]
        known = [v for v in filled if _field_for(kind, v, user)]
        if any(header_key(v) in user for v in filled):
            return position  # the user's own mapping names this row's headers
        if known and (len(known) >= 2 or len(filled) == 1) and len(known) * 2 >= len(filled):
            return position
    raise ImportFileError(
        "سطر عنوان ستون‌ها پیدا نشد: سطر اول فایل باید نام ستون‌ها باشد، مانند «نام»، «نام خانوادگی»، "
        "«کد ملی»، «تلفن همراه». اگر نام ستون‌ها دیگر است، نگاشت ستون‌ها را خودتان تعیین کنید.")


def build_map(
    kind: ImportKind, header_row: int, header: Sequence[CellValue], mapping: Mapping[str, str | None],
    problems: list[str] | None = None,
) -> ColumnMap:
    """Map each header cell to a field, refusing duplicated headers, doubly mapped and missing columns.

    With ``problems`` (the wizard's mapping step) these are listed there instead of raised, and a column
    that would map a field a second time is left unmapped.
    """
    from openpyxl.utils import get_column_letter

    def fail(message: str) -> None:
        if problems is None:
            raise ImportFileError(message)
        problems.append(message)

    user = {header_key(h): f for h, f in mapping.items()}
    for name in user.values():
        if name is not None and name not in _FIELDS[kind]:
            raise ImportFileError(f"نگاشت ستون‌ها فیلد ناشناخته «{name}» دارد.")
    columns: list[tuple[int, str, str | None]] = []
    seen_key: dict[str, int] = {}
    seen_field: dict[str, int] = {}
    for i, value in enumerate(header):
        text = "" if value is None else " ".join(str(value).split())
        key = header_key(text)
        if not key:
            columns.append((i, "", None))
            continue
        if key in seen_key:
            fail(
                f"عنوان «{text}» دو بار آمده است (ستون‌های {get_column_letter(seen_key[key] + 1)} و "
                f"{get_column_letter(i + 1)})؛ یکی را حذف یا نامش را عوض کنید.")
        seen_key.setdefault(key, i)
        name = _field_for(kind, text, user)
        if name is not None:
            if name in seen_field:
                first = columns[seen_field[name]][1]
                fail(f"دو ستون «{first}» و «{text}» هر دو «{field_label(kind, name)}» شناخته شدند؛ "
                     "در نگاشت ستون‌ها یکی را کنار بگذارید.")
                name = None
            else:
                seen_field[name] = i
        columns.append((i, text, name))
    found = {name for _, _, name in columns if name}
    missing = [field_label(kind, f) for f in REQUIRED[kind] if f not in found]
    if not found & set(IDENTITY_FIELDS):
        missing.insert(0, "«کد ملی» یا «شناسه ملی» یا «شماره مشتری»")
    if missing:
        fail(
            f"ستون‌های لازم در فایل نیست: {'، '.join(missing)}. سطر عنوان (سطر {format_number(header_row)}) "
            "را بررسی کنید یا نگاشت ستون‌ها را تعیین کنید.")
    return ColumnMap(kind, header_row, tuple(columns))


# -- saved mappings -----------------------------------------------------------------------------
def save_mapping(path: Path, kind: ImportKind, mapping: Mapping[str, str | None]) -> None:
    data = {"version": MAPPING_VERSION, "kind": str(kind), "columns": dict(mapping)}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def load_mapping(path: Path) -> tuple[ImportKind | None, dict[str, str | None]]:
    """A mapping saved by ``save_mapping`` (or hand-written: {"columns": {"header": "field" | null}})."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFileError(f"فایل نگاشت ستون‌ها «{Path(path).name}» خوانا نیست (JSON معتبر نیست).") from None
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in columns.items()
    ):
        raise ImportFileError("فایل نگاشت ستون‌ها باید به شکل {\"columns\": {\"عنوان ستون\": \"فیلد\"}} باشد.")
    kind_text = data.get("kind")
    try:
        kind = ImportKind(kind_text) if kind_text else None
    except ValueError:
        raise ImportFileError(f"نوع «{kind_text}» در فایل نگاشت شناخته نیست.") from None
    return kind, dict(columns)
