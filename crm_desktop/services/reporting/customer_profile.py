"""One customer's 360° record as a printable report."""

from __future__ import annotations

from crm_desktop.models.enums import (
    BalanceBand,
    Channel,
    CustomerKind,
    Direction,
    Gender,
    KycStatus,
    LifecycleStage,
    Outcome,
    Priority,
    ProductKind,
    ProductState,
    RequestCategory,
    Segment,
)
from crm_desktop.persian import format_number
from crm_desktop.reports.document import Column, Figure, Figures, Kind, Note, ReportDocument, Section, Table
from crm_desktop.services.records import CustomerProfile
from crm_desktop.services.request_states import STATUS_LABELS, RequestStatus


def _text(label: str, value: object, kind: Kind = Kind.TEXT) -> Figure:
    return Figure(label, value if value not in ("", None) else None, kind)  # type: ignore[arg-type]


def customer_profile(profile: CustomerProfile, head: ReportDocument) -> ReportDocument:
    c = profile.customer
    person = c.kind == CustomerKind.INDIVIDUAL
    identity = [
        _text("نوع مشتری", CustomerKind(c.kind).label),
        _text("نام", c.display_name),
        *([_text("نام پدر", c.father_name), _text("کد ملی", c.national_id, Kind.CODE),
           _text("تاریخ تولد", c.birth_date, Kind.DATE),
           _text("جنسیت", Gender(c.gender).label if c.gender else None)] if person else
          [_text("شناسه ملی", c.company_id, Kind.CODE), _text("شماره ثبت", c.registration_no, Kind.CODE),
           _text("نماینده", c.contact_person)]),
        _text("شماره مشتری", c.customer_no, Kind.CODE),
        _text("شعبه", f"{c.branch_name} ({c.branch_code})"),
    ]
    contact = [
        _text("تلفن همراه", c.mobile, Kind.CODE), _text("تلفن ثابت", c.phone, Kind.CODE),
        _text("پست الکترونیک", c.email), _text("نشانی", c.address), _text("کد پستی", c.postal_code, Kind.CODE),
    ]
    relation = [
        _text("بخش مشتری", Segment(c.segment).label),
        _text("مرحله چرخه عمر", LifecycleStage(c.lifecycle_stage).label),
        _text("وضعیت احراز هویت", KycStatus(c.kyc_status).label), _text("تاریخ احراز", c.kyc_date, Kind.DATE),
        _text("درخواست‌های باز", profile.open_request_count, Kind.INTEGER),
        _text("مشتری از", c.created_at, Kind.DATE),
    ]
    products = [
        (ProductKind(p.kind).label, p.account_no, p.opened_on, ProductState(p.state).label,
         BalanceBand(p.balance_band).label if p.balance_band else None)
        for p in profile.products
    ]
    interactions = [
        (i.occurred_at, Channel(i.channel).label, Direction(i.direction).label, i.subject,
         Outcome(i.outcome).label if i.outcome else None, i.user_name)
        for i in profile.interactions
    ]
    requests = [
        (r.number, RequestCategory(r.category).label, Priority(r.priority).label,
         STATUS_LABELS[RequestStatus(r.status)], r.subject, r.opened_at, r.resolved_at, r.satisfaction)
        for r in profile.requests
    ]
    history: list[Note] = []
    if profile.interaction_count > len(interactions) or profile.request_count > len(requests):
        history.append(Note(
            f"این گزارش {format_number(len(interactions))} تعامل از {format_number(profile.interaction_count)}"
            f" و {format_number(len(requests))} درخواست از {format_number(profile.request_count)} را، از تازه‌ترین،"
            " نشان می‌دهد."))
    head.sections = [
        Section("مشخصات", [Figures("هویت", identity), Figures("تماس", contact), Figures("رابطه با بانک", relation),
                           *([Note(f"یادداشت: {c.notes}")] if c.notes else [])]),
        Section("محصولات", [Table("محصولات و حساب‌ها", [
            Column("محصول", weight=1.4), Column("شماره حساب یا کارت", Kind.CODE, 2.2), Column("افتتاح", Kind.DATE),
            Column("وضعیت"), Column("گردش", weight=1.6)], products, empty_text="محصولی ثبت نشده است.",
            sheet_name="محصولات")]),
        Section("سابقه", [*history,
            Table("تعاملات", [Column("زمان", Kind.DATETIME, 1.3), Column("کانال"), Column("جهت", weight=0.7),
                              Column("موضوع", weight=2.4), Column("نتیجه"), Column("کارمند", weight=1.3)],
                  interactions, empty_text="تعاملی ثبت نشده است.", sheet_name="تعاملات"),
            Table("درخواست‌های خدمت", [Column("شماره", Kind.CODE, 1.3), Column("نوع"), Column("اولویت", weight=0.8),
                                       Column("وضعیت"), Column("موضوع", weight=2.2), Column("ثبت", Kind.DATETIME, 1.3),
                                       Column("حل", Kind.DATETIME, 1.3), Column("رضایت", Kind.INTEGER, 0.6)],
                  requests, empty_text="درخواستی ثبت نشده است.", sheet_name="درخواست‌ها"),
        ]),
    ]
    return head
