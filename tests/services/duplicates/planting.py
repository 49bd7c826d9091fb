"""Plant customers as a legacy import would have left them: the letters, digits and spacing they were typed in."""

from __future__ import annotations

from typing import Any

from crm_desktop.db import Database, WriteContext
from crm_desktop.models import Customer
from crm_desktop.persian import make_national_id, parse_jalali_date
from crm_desktop.services.customer_fields import derived_keys


def plant(db: Database, branch_id: str, first: str, last: str, **fields: Any) -> str:
    """One individual customer written as given (no validation), with the derived keys the app would store."""
    birth = fields.pop("birth", None)
    with db.write(WriteContext(user_id="system", source="legacy-import")) as session:
        customer = Customer(
            branch_id=branch_id, kind="individual", first_name=first, last_name=last,
            birth_date=parse_jalali_date(birth) if birth else None, segment="mass",
            lifecycle_stage="acquisition", kyc_status="pending", marketing_consent=False,
            **derived_keys({"kind": "individual", "first_name": first, "last_name": last}), **fields)
        session.add(customer)
        session.flush()
        return customer.id


def plant_company(db: Database, branch_id: str, name: str, **fields: Any) -> str:
    with db.write(WriteContext(user_id="system", source="legacy-import")) as session:
        customer = Customer(
            branch_id=branch_id, kind="corporate", company_name=name, segment="sme", lifecycle_stage="acquisition",
            kyc_status="pending", marketing_consent=False,
            **derived_keys({"kind": "corporate", "company_name": name}), **fields)
        session.add(customer)
        session.flush()
        return customer.id


NID_KARIMI = make_national_id("001234567")


def plant_karimi_three(db: Database, branch_id: str) -> list[str]:
    """The issue's example: one man, three records, three spellings, his ID and mobile typed three ways."""
    persian_nid = "۰۰۱-۲۳۴۵۶۷-" + "۰۱۲۳۴۵۶۷۸۹"[int(NID_KARIMI[-1])]
    return [
        plant(db, branch_id, "علی‌رضا", "كريمي", national_id=NID_KARIMI, mobile="09121234567", birth="1360/05/12",
              father_name="حسین", address="تهران، خیابان ولیعصر، کوچه ۱۲، پلاک ۳"),
        plant(db, branch_id, "عليرضا", "کریمی", national_id=persian_nid, mobile="+98 912 123 4567",
              birth="۱۳۶۰/۰۵/۱۲"),
        plant(db, branch_id, "علی رضا", "کریمی", mobile="۰۹۱۲۱۲۳۴۵۶۷", birth="1360/05/12", father_name="حسين",
              address="تهران خیابان ولیعصر کوچه 12 پلاک 3"),
    ]
