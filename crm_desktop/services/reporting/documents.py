"""From the figures to the report documents: titles, labels, sections, in Persian (what the renderers draw)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime

from crm_desktop.models.enums import Channel, LifecycleStage, Priority, RequestCategory, Segment
from crm_desktop.persian import format_number
from crm_desktop.reports.document import (
    Chart,
    ChartKind,
    Column,
    Figure,
    Figures,
    Kind,
    Note,
    ReportDocument,
    Section,
    Series,
    Table,
    Value,
)
from crm_desktop.reports.period import Period
from crm_desktop.services.reporting.activity import ActivityReader, Scope, clerk_activity, user_names
from crm_desktop.services.reporting.customer_mix import MOST_PRODUCTS_BUCKET, customer_mix
from crm_desktop.services.reporting.request_list import (
    category_priority_counts,
    count_opened,
    opened_lines,
    overdue_lines,
)


def _change(current: int, previous: int) -> int:
    return current - previous


def branch_summary(conn: sqlite3.Connection, scope: Scope, period: Period, head: ReportDocument) -> ReportDocument:
    reader = ActivityReader(conn, scope)
    # The previous period first: its full scan then serves the retention of this one, and the period
    # before it is read for its customers alone.
    before = reader.activity(period.previous())
    now = reader.activity(period)

    def pair(label: str, kind: Kind, current: object, previous: object) -> Figure:
        return Figure(label, current, kind, previous, compare=True)  # type: ignore[arg-type]

    figures = Figures("خلاصه عملکرد شعبه", [
        pair("مشتریان جدید", Kind.INTEGER, now.new_customers, before.new_customers),
        pair("مشتریان فعال", Kind.INTEGER, now.active_customers, before.active_customers),
        pair("نرخ حفظ مشتری", Kind.PERCENT, now.retention, before.retention),
        pair("تعاملات", Kind.INTEGER, now.interactions, before.interactions),
        pair("درخواست‌های ثبت‌شده", Kind.INTEGER, now.requests_opened, before.requests_opened),
        pair("درخواست‌های حل‌شده", Kind.INTEGER, now.requests_resolved, before.requests_resolved),
        pair("درخواست‌های بسته‌شده", Kind.INTEGER, now.requests_closed, before.requests_closed),
        pair("درخواست‌های باز در پایان دوره", Kind.INTEGER, now.still_open, before.still_open),
        pair("حل‌شده در مهلت", Kind.PERCENT, now.in_time_share, before.in_time_share),
        pair("میانگین زمان رسیدگی", Kind.HOURS, now.mean_resolution_hours, before.mean_resolution_hours),
        pair("میانه زمان رسیدگی", Kind.HOURS, now.median_resolution_hours, before.median_resolution_hours),
        pair("میانگین رضایت (از ۵)", Kind.DECIMAL, now.mean_satisfaction, before.mean_satisfaction),
    ])
    channels = [c.value for c in Channel]
    channel_rows = [
        (Channel(c).label, now.interactions_by_channel.get(c, 0), before.interactions_by_channel.get(c, 0),
         _change(now.interactions_by_channel.get(c, 0), before.interactions_by_channel.get(c, 0)))
        for c in channels
    ]
    count_columns = [Column("این دوره", Kind.INTEGER), Column("دوره قبل", Kind.INTEGER), Column("تغییر", Kind.INTEGER)]
    names = user_names(conn, scope, set(now.interactions_by_user) | set(before.interactions_by_user))
    clerk_rows = sorted(
        ((name, now.interactions_by_user.get(uid, 0), before.interactions_by_user.get(uid, 0),
          _change(now.interactions_by_user.get(uid, 0), before.interactions_by_user.get(uid, 0)))
         for uid, name in names.items()),
        key=lambda row: (-row[1], row[0]))
    stages = [s.value for s in LifecycleStage]
    moves = [
        (f"از «{LifecycleStage(a).label}» به «{LifecycleStage(b).label}»", now.lifecycle_moves.get((a, b), 0),
         before.lifecycle_moves.get((a, b), 0))
        for a in stages for b in stages if a != b
    ]
    head.sections = [
        Section("خلاصه", [figures, Note(
            "مشتری فعال: مشتری‌ای که در دوره تعاملی داشته یا درخواستی برایش ثبت شده است. نرخ حفظ: سهم مشتریان"
            " فعال دوره قبل که در این دوره هم فعال بوده‌اند. زمان رسیدگی: از ثبت تا حل درخواست، به ساعت."
            " سوابق حذف‌شده در هیچ رقمی شمرده نمی‌شوند.")]),
        Section("تعاملات", [
            Chart("تعاملات به تفکیک کانال", [r[0] for r in channel_rows],
                  [Series("این دوره", [r[1] for r in channel_rows]), Series("دوره قبل", [r[2] for r in channel_rows])]),
            Table("تعاملات به تفکیک کانال", [Column("کانال", weight=2), *count_columns], channel_rows,
                  totals=("جمع", now.interactions, before.interactions, _change(now.interactions, before.interactions)),
                  sheet_name="کانال‌ها"),
            Table("تعاملات به تفکیک کارمند", [Column("کارمند", weight=2), *count_columns], clerk_rows,
                  sheet_name="کارمندان"),
        ]),
        Section("درخواست‌های خدمت", [
            Chart("درخواست‌های خدمت", ["ثبت‌شده", "حل‌شده", "بسته‌شده", "باز در پایان دوره"], [
                Series("این دوره", [now.requests_opened, now.requests_resolved, now.requests_closed, now.still_open]),
                Series("دوره قبل", [before.requests_opened, before.requests_resolved, before.requests_closed,
                                    before.still_open]),
            ]),
        ]),
        Section("چرخه عمر مشتری", [
            Table("جابه‌جایی میان مراحل چرخه عمر", [Column("جابه‌جایی", weight=3), Column("این دوره", Kind.INTEGER),
                                                     Column("دوره قبل", Kind.INTEGER)], moves,
                  sheet_name="چرخه عمر"),
        ]),
    ]
    return head


REQUEST_COLUMNS = [
    Column("شماره", Kind.CODE, 1.3), Column("مشتری", weight=1.8), Column("نوع"), Column("اولویت", weight=0.8),
    Column("وضعیت", weight=1.1), Column("مسئول", weight=1.6), Column("ثبت", Kind.DATETIME, 1.4),
    Column("مهلت", Kind.DATETIME, 1.4), Column("حل", Kind.DATETIME, 1.4), Column("تأخیر", Kind.HOURS, 1.3),
]


def service_requests(conn: sqlite3.Connection, scope: Scope, period: Period, head: ReportDocument,
                     moment: datetime) -> ReportDocument:
    """``moment``: when delays are measured (now, or the end of a past period)."""
    counts = category_priority_counts(conn, scope, period)
    priorities = [p.value for p in Priority]
    categories = [c.value for c in RequestCategory]
    matrix: list[tuple[Value, ...]] = [
        (RequestCategory(c).label, *(counts.get((c, p), 0) for p in priorities),
         sum(counts.get((c, p), 0) for p in priorities))
        for c in categories
    ]
    totals: tuple[Value, ...] = (
        "جمع", *(sum(counts.get((c, p), 0) for c in categories) for p in priorities), sum(counts.values()))
    overdue = overdue_lines(conn, scope, moment)
    total = count_opened(conn, scope, period)

    def rows() -> Iterator[tuple[Value, ...]]:
        for line in opened_lines(conn, scope, period, moment):
            yield line.values()

    head.sections = [
        Section("جمع‌ها", [
            Figures("در یک نگاه", [
                Figure("درخواست‌های ثبت‌شده در دوره", total),
                Figure("درخواست‌های معوق", len(overdue)),
            ]),
            Table("درخواست‌ها به تفکیک نوع و اولویت",
                  [Column("نوع", weight=1.5), *(Column(Priority(p).label, Kind.INTEGER) for p in priorities),
                   Column("جمع", Kind.INTEGER)], matrix, totals=totals, sheet_name="نوع و اولویت"),
            Chart("درخواست‌ها به تفکیک نوع", [RequestCategory(c).label for c in categories],
                  [Series("تعداد", [sum(counts.get((c, p), 0) for p in priorities) for c in categories])]),
        ]),
        Section("درخواست‌های معوق", [
            Table("درخواست‌های معوق", REQUEST_COLUMNS, [line.values() for line in overdue], row_count=len(overdue),
                  empty_text="درخواست معوقی نیست.", sheet_name="معوق"),
        ]),
        Section("فهرست درخواست‌ها", [
            Table("درخواست‌های ثبت‌شده در دوره", REQUEST_COLUMNS, rows(), row_count=total, sheet_name="درخواست‌ها"),
        ]),
    ]
    return head


def customers(conn: sqlite3.Connection, scope: Scope, period: Period, head: ReportDocument) -> ReportDocument:
    mix = customer_mix(conn, scope, period)
    segments = [s.value for s in Segment]
    stages = [s.value for s in LifecycleStage]
    matrix: list[tuple[Value, ...]] = [
        (Segment(seg).label, *(mix.by_segment_stage.get((seg, st), 0) for st in stages),
         sum(mix.by_segment_stage.get((seg, st), 0) for st in stages))
        for seg in segments
    ]
    totals: tuple[Value, ...] = (
        "جمع", *(sum(mix.by_segment_stage.get((seg, st), 0) for seg in segments) for st in stages), mix.customers)
    held = [
        (f"{format_number(n)} و بیشتر" if n == MOST_PRODUCTS_BUCKET else format_number(n), mix.products_held.get(n, 0))
        for n in range(MOST_PRODUCTS_BUCKET + 1)
    ]
    head.sections = [
        Section("مشتریان", [
            Figures("در یک نگاه", [
                Figure("همه مشتریان", mix.customers),
                Figure("مشتریان جدید", mix.new, previous=mix.previous_new, compare=True),
                Figure("مشتریان از دست رفته", mix.lost, previous=mix.previous_lost, compare=True),
            ]),
            Note("مشتری از دست رفته: مشتری‌ای که پرونده‌اش در دوره حذف شده است (ادغام پرونده‌ها از دست دادن نیست)."
                 " شمار بخش‌ها، مراحل، محصولات و درخواست‌های باز وضع کنونی است."),
            Table("مشتریان به تفکیک بخش و مرحله چرخه عمر",
                  [Column("بخش مشتری", weight=1.5), *(Column(LifecycleStage(st).label, Kind.INTEGER) for st in stages),
                   Column("جمع", Kind.INTEGER)], matrix, totals=totals, sheet_name="بخش و مرحله"),
            Chart("مشتریان به تفکیک بخش", [Segment(seg).label for seg in segments],
                  [Series("مشتریان", [sum(mix.by_segment_stage.get((seg, st), 0) for st in stages)
                                      for seg in segments])], ChartKind.PIE),
            Table("شمار محصولات فعال هر مشتری", [Column("محصولات"), Column("مشتریان", Kind.INTEGER)], held,
                  totals=("جمع", mix.customers), sheet_name="محصولات"),
            Table("مشتریان با بیشترین درخواست باز",
                  [Column("مشتری", weight=2), Column("کد یا شناسه ملی", Kind.CODE, 1.3),
                   Column("درخواست‌های باز", Kind.INTEGER)],
                  [(name, code, n) for _cid, name, code, n in mix.most_open],
                  empty_text="درخواست بازی نیست.", sheet_name="درخواست باز"),
        ]),
    ]
    return head


def clerk_report(conn: sqlite3.Connection, scope: Scope, period: Period, head: ReportDocument) -> ReportDocument:
    clerks = clerk_activity(conn, scope, period)
    rows = [
        (c.name, c.interactions, c.requests_resolved, c.in_time_share, c.requests_closed, c.mean_satisfaction)
        for c in clerks
    ]
    head.sections = [
        Section("کارکرد کارمندان", [
            Table("کارکرد هر کارمند", [
                Column("کارمند", weight=2), Column("تعاملات ثبت‌شده", Kind.INTEGER),
                Column("درخواست‌های حل‌شده", Kind.INTEGER), Column("حل در مهلت", Kind.PERCENT),
                Column("درخواست‌های بسته‌شده", Kind.INTEGER), Column("میانگین رضایت", Kind.DECIMAL),
            ], rows, totals=("جمع", sum(r[1] for r in rows), sum(r[2] for r in rows), None,
                             sum(r[4] for r in rows), None), sheet_name="کارمندان"),
            Chart("تعاملات ثبت‌شده هر کارمند", [r[0] for r in rows], [Series("تعاملات", [r[1] for r in rows])]),
            Note("درخواست‌ها به نام کارمند مسئول آن‌ها شمرده می‌شوند؛ رضایت، امتیازی است که هنگام بستن درخواست"
                 " ثبت شده است."),
        ]),
    ]
    return head
