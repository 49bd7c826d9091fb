"""A realistic demo branch database: Persian names, valid IDs, two Jalali years of work.

Branches and users are created like any other records. Customers and their
history are *seeded* as a snapshot, the way the sync adopts server state
(``sync_ctx.applying = '1'``): each batch of rows is one transaction that
writes one ``seed`` entry to the change journal naming what it added, instead
of one entry per row. A demo database is marked as such (``app_meta.demo``)
and is never an outbox of edits to send anywhere. This keeps a million
customers with five million interactions to minutes and gigabytes, not hours.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from faker.providers.person.fa_IR import Provider as FaNames
from sqlalchemy import func, select, text

from crm_desktop.db import Database, WriteContext
from crm_desktop.db.journal import ENTRY_SQL
from crm_desktop.models import Branch, Customer, RequestSequence, User, new_id
from crm_desktop.models.base import to_utc_text
from crm_desktop.models.enums import (
    BalanceBand,
    Channel,
    Direction,
    LifecycleStage,
    Outcome,
    Priority,
    ProductKind,
    ProductState,
    RequestCategory,
    Role,
    Segment,
)
from crm_desktop.persian import make_company_id, make_national_id, normalize, persian_sort_key
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.services.calendar import load_calendar
from crm_desktop.services.customer_fields import persian_letters
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.request_states import RequestStatus
from crm_desktop.services.sla import default_target, due_time

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "Tamrin-1405"  # documented demo login; exists only in demo databases
BATCH = 20_000
BRANCHES = (
    ("1021", "شعبه مرکزی تهران", "تهران، خیابان ولیعصر، نبش کوچه توانیر"),
    ("1187", "شعبه ونک", "تهران، میدان ونک، خیابان ملاصدرا"),
    ("2210", "شعبه مشهد امام رضا", "مشهد، بلوار امام رضا، نبش امام رضا ۱۴"),
    ("3105", "شعبه اصفهان چهارباغ", "اصفهان، خیابان چهارباغ عباسی"),
    ("4420", "شعبه تبریز ولیعصر", "تبریز، خیابان ولیعصر، نبش فلسطین"),
)
CITIES = ("تهران", "مشهد", "اصفهان", "تبریز", "شیراز", "کرج", "قم", "اهواز", "رشت", "کرمان", "یزد", "همدان")
STREETS = ("ولیعصر", "انقلاب", "آزادی", "شریعتی", "مطهری", "بهشتی", "طالقانی", "جمهوری", "فردوسی", "حافظ",
           "سعدی", "امام خمینی", "کارگر", "پاسداران", "نیاوران", "ستارخان")
LAST_SUFFIXES = ("", "", "", "ی", " پور", " زاده", " نیا", " فر", " راد", "ان")
COMPANY_WORDS = ("صنایع", "بازرگانی", "تولیدی", "مهندسی", "پخش", "فناوری", "ساختمانی", "حمل و نقل")
COMPANY_NAMES = ("آریا", "پارس", "البرز", "زاگرس", "سپهر", "نوین", "کیان", "مهر", "آفتاب", "پیشرو", "ایرانیان")
SUBJECTS = ("پرسش درباره سود سپرده", "درخواست صدور کارت", "پیگیری وام مسکن", "تمدید کارت", "به‌روزرسانی نشانی",
            "معرفی طرح سپرده جدید", "پیگیری چک برگشتی", "فعال‌سازی اینترنت‌بانک", "درخواست صورت‌حساب",
            "یادآوری سررسید قسط", "رمز پویا", "مسدودی کارت")
REQUEST_SUBJECTS = ("کسر وجه بدون تراکنش", "تأخیر در واریز تسهیلات", "مسدودی حساب", "اصلاح مشخصات",
                    "درخواست استرداد کارمزد", "خرابی خودپرداز", "شکایت از رفتار کارمند", "پیشنهاد ساعت کاری",
                    "استعلام مانده وام", "عدم دریافت پیامک")
MOBILE_PREFIXES = ("0912", "0919", "0935", "0936", "0901", "0902", "0990", "0915", "0938", "0921")


@dataclass(frozen=True)
class DemoSummary:
    branches: int
    users: int
    customers: int
    products: int
    interactions: int
    requests: int


_CUMULATIVE: dict[tuple[float, ...], list[float]] = {}


def _weighted(rng: random.Random, options: Sequence[Any], weights: Sequence[float]) -> Any:
    key = tuple(weights)
    cumulative = _CUMULATIVE.get(key)
    if cumulative is None:
        cumulative = _CUMULATIVE[key] = list(itertools.accumulate(weights))
    return options[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _name_lists() -> tuple[list[str], list[str]]:
    """Faker's fa_IR names, some of which carry Arabic ي/ك, in the letters stored names use."""
    first = [persian_letters(n) for n in (*FaNames.first_names_male, *FaNames.first_names_female)]
    last = sorted({persian_letters(n) + suffix for n in FaNames.last_names for suffix in LAST_SUFFIXES})
    return first, last


@functools.cache
def _values(enum: Any) -> list[str]:
    return [str(m) for m in enum]


class DemoBuilder:
    def __init__(self, db: Database, *, seed: int = 1405, now: datetime | None = None) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = now or datetime.now(UTC)
        self.first_names, self.last_names = _name_lists()

    # -- entry point --------------------------------------------------------------------------
    def build(self, customers: int, progress: Progress | None = None) -> DemoSummary:
        if not isinstance(customers, int) or not 1 <= customers <= 5_000_000:
            raise InvalidInput({"customers": "تعداد مشتریان باید بین ۱ و ۵٬۰۰۰٬۰۰۰ باشد."})
        progress = progress or NullProgress()
        with self.db.read() as session:
            if session.scalar(select(func.count()).select_from(Customer)):
                raise InvalidInput(
                    {"db": "این پایگاه داده خالی نیست؛ داده نمایشی فقط در پایگاه داده خالی ساخته می‌شود."}
                )
        admin_id, branches, staff = self._people()
        totals = {"customers": 0, "products": 0, "interactions": 0, "requests": 0}
        national_ids = self.rng.sample(range(1_000_000, 999_999_999), customers)
        with self.db.read() as session:
            calendar = load_calendar(session)
        spec = FactorySpec(self.seed, branches, staff, calendar, self.now)
        prefix_by_branch = {b: f"{code}-{self.db.device_id.replace('-', '')[-6:].upper()}" for b, code in branches}
        counters = {b: 0 for b, _ in branches}
        jobs = [(spec, index, national_ids[start:start + BATCH])
                for index, start in enumerate(range(0, customers, BATCH))]
        # Generating rows is Python work and inserting them is SQLite work: with more than one batch a second
        # process generates the next batch while this one writes the current one.
        pool = ProcessPoolExecutor(max_workers=1) if len(jobs) > 1 else None
        try:
            pending = pool.submit(generate_batch, *jobs[0]) if pool else None
            for index, job in enumerate(jobs):
                progress.check()
                if pool:
                    assert pending is not None
                    rows = pending.result()
                    if index + 1 < len(jobs):
                        pending = pool.submit(generate_batch, *jobs[index + 1])
                else:
                    rows = generate_batch(*job)
                rows["request"] = [_numbered(r, prefix_by_branch, counters) for r in rows["request"]]
                self._insert(admin_id, rows)
                for key, table in (("customers", "customer"), ("products", "product"),
                                   ("interactions", "interaction"), ("requests", "request")):
                    totals[key] += len(rows[table])
                progress.update(totals["customers"], customers, "ساخت مشتریان نمایشی")
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)
        with self.db.write(WriteContext(user_id=admin_id, source="demo")) as session:
            session.execute(text("INSERT OR REPLACE INTO app_meta(k, v) VALUES ('demo', '1')"))
            for branch_id, _ in branches:
                session.add(RequestSequence(prefix=prefix_by_branch[branch_id], last_value=counters[branch_id]))
        self.db.ensure_statistics(refresh=True)
        return DemoSummary(len(branches), sum(len(v) for v in staff.values()) + 2, totals["customers"],
                           totals["products"], totals["interactions"], totals["requests"])

    def _insert(self, admin_id: str, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        """One seeded batch in one transaction (see the module docstring)."""
        with self.db.write(WriteContext(user_id=admin_id, source="demo")) as session:
            conn = session.connection().connection.driver_connection
            assert conn is not None
            conn.execute("INSERT OR REPLACE INTO sync_ctx(k, v) VALUES ('applying', '1')")
            for table, sql in INSERTS.items():
                if rows[table]:
                    conn.executemany(sql, rows[table])
            conn.execute("INSERT OR REPLACE INTO sync_ctx(k, v) VALUES ('applying', '0')")
            _journal_seed(conn, rows)

    # -- branches and staff -------------------------------------------------------------------
    def _people(self) -> tuple[str, list[tuple[str, str]], dict[str, list[str]]]:
        password_hash = PasswordHasher().hash(DEMO_PASSWORD)
        branches: list[tuple[str, str]] = []
        staff: dict[str, list[str]] = {}
        with self.db.write(WriteContext(user_id="system", source="demo")) as session:
            for code, name, address in BRANCHES:
                branch = Branch(code=code, name=name, address=address)
                session.add(branch)
                session.flush()
                branches.append((branch.id, code))
                staff[branch.id] = []
            home = branches[0][0]

            def user(username: str, role: Role, branch_id: str) -> str:
                full = persian_letters(f"{self.rng.choice(self.first_names)} {self.rng.choice(self.last_names)}")
                u = User(username=username, full_name=full, role=str(role), branch_id=branch_id,
                         password_hash=password_hash, active=True)
                session.add(u)
                session.flush()
                return u.id

            admin_id = user("admin", Role.ADMIN, home)
            user("bazras", Role.AUDITOR, home)
            user(DEMO_USERNAME, Role.MANAGER, home)
            staff[home].append(user("karmand", Role.CLERK, home))
            for index, (branch_id, code) in enumerate(branches):
                if index:
                    user(f"manager{code}", Role.MANAGER, branch_id)
                for n in range(1, 7 if index == 0 else 4):
                    staff[branch_id].append(user(f"clerk{code}-{n}", Role.CLERK, branch_id))
        return admin_id, branches, staff



@dataclass(frozen=True)
class FactorySpec:
    seed: int
    branches: list[tuple[str, str]]
    staff: dict[str, list[str]]
    calendar: Any
    now: datetime


def generate_batch(spec: FactorySpec, index: int, nid_seeds: Sequence[int]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one batch of customers; deterministic for (seed, index). Runs in a worker process."""
    factory = RowFactory(spec, index)
    rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in ("customer", "product", "interaction", "request",
                                                               "history")}
    for nid_seed in nid_seeds:
        factory.customer(rows, nid_seed)
    return rows


def _numbered(row: tuple[Any, ...], prefixes: dict[str, str], counters: dict[str, int]) -> tuple[Any, ...]:
    """Give a generated request its number, in insertion order per branch."""
    branch_id = row[10]
    counters[branch_id] += 1
    return (*row[:8], f"{prefixes[branch_id]}-{counters[branch_id]:06d}", *row[9:])


class RowFactory:
    """Makes one customer's rows: the customer, products, interactions and maybe a request."""

    def __init__(self, spec: FactorySpec, index: int) -> None:
        self.rng = random.Random(spec.seed * 1_000_003 + index)
        self.now = spec.now
        self.branches = spec.branches
        self.staff = spec.staff
        self.calendar = spec.calendar
        self.first_names, self.last_names = _name_lists()
        self.father_names = [persian_letters(n) for n in FaNames.first_names_male]

    def customer(self, rows: dict[str, list[tuple[Any, ...]]], nid_seed: int) -> None:
        rng, branches, staff = self.rng, self.branches, self.staff
        branch_id = branches[0][0] if rng.random() < 0.8 else rng.choice(branches[1:])[0]
        created = self.now - timedelta(days=rng.uniform(0, 730))
        cid = new_id()
        corporate = rng.random() < 0.08
        if corporate:
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_NAMES)} {rng.choice(self.last_names)}"
            values = dict(kind="corporate", first_name=None, last_name=None, father_name=None, national_id=None,
                          birth_date=None, gender=None, company_name=name,
                          company_id=make_company_id(f"{10_000_000_000 - nid_seed:010d}"[-10:]),
                          registration_no=str(rng.randint(1000, 999999)), contact_person=rng.choice(self.last_names),
                          display_name=name, sort_key=persian_sort_key(name), name_key=normalize(name),
                          first_key=None, last_key=None, org_key=normalize(name),
                          segment=_weighted(rng, [Segment.SME, Segment.CORPORATE], [0.6, 0.4]))
        else:
            first, last = rng.choice(self.first_names), rng.choice(self.last_names)
            birth = date(1945, 1, 1) + timedelta(days=rng.randint(0, 365 * 60))
            values = dict(kind="individual", first_name=first, last_name=last,
                          father_name=rng.choice(self.father_names),
                          national_id=make_national_id(f"{nid_seed:09d}"), birth_date=birth.isoformat(),
                          gender=_weighted(rng, ["male", "female"], [0.55, 0.45]), company_name=None,
                          company_id=None, registration_no=None, contact_person=None,
                          display_name=f"{first} {last}", sort_key=persian_sort_key(f"{last} {first}"),
                          name_key=normalize(f"{first} {last}"), first_key=normalize(first),
                          last_key=normalize(last), org_key=None,
                          segment=_weighted(rng, [Segment.MASS, Segment.AFFLUENT, Segment.PRIVATE], [0.8, 0.15, 0.05]))
        stage = _weighted(rng, _values(LifecycleStage), [0.3, 0.35, 0.35])
        kyc = _weighted(rng, ["verified", "pending", "expired"], [0.8, 0.12, 0.08])
        city = rng.choice(CITIES)
        created_text = to_utc_text(created)
        rows["customer"].append((
            cid, created_text, created_text, 1, None, None, None, None, branch_id, values["kind"],
            str(rng.randint(10_000_000, 99_999_999)), values["first_name"], values["last_name"], values["father_name"],
            values["national_id"], values["birth_date"], values["gender"], values["company_name"],
            values["company_id"], values["registration_no"], values["contact_person"],
            rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}",
            None, None,
            f"{city}، خیابان {rng.choice(STREETS)}، کوچه {rng.randint(1, 40)}، پلاک {rng.randint(1, 200)}",
            "".join(rng.choices("13456789", k=5)) + f"{rng.randint(0, 99999):05d}",
            str(values["segment"]), str(stage), kyc,
            min(created.date() + timedelta(days=rng.randint(0, 30)), self.now.date()).isoformat()
            if kyc == "verified" else None,
            rng.random() < 0.4, None, values["display_name"], values["sort_key"], values["name_key"],
            values["first_key"], values["last_key"], values["org_key"],
        ))
        for _ in range(_weighted(rng, [1, 1, 2, 2, 3, 4], [1] * 6)):
            opened = created.date() + timedelta(days=rng.randint(0, max(0, (self.now - created).days)))
            kind = _weighted(rng, _values(ProductKind), [0.3, 0.25, 0.15, 0.1, 0.18, 0.02])
            rows["product"].append((
                new_id(), created_text, created_text, 1, None, None, None, None, cid, str(kind),
                f"{rng.randint(10**11, 10**12 - 1)}", opened.isoformat(),
                str(_weighted(rng, _values(ProductState), [0.8, 0.1, 0.03, 0.07])),
                str(_weighted(rng, _values(BalanceBand), [0.55, 0.3, 0.12, 0.03])),
            ))
        clerks = staff[branch_id]
        span = (self.now - created).total_seconds()
        for _ in range(max(0, round(rng.gauss(5, 2)))):
            at = created + timedelta(seconds=rng.uniform(0, span))
            at_text = to_utc_text(at)
            outcome = _weighted(rng, _values(Outcome), [0.5, 0.2, 0.1, 0.1, 0.1])
            rows["interaction"].append((
                new_id(), at_text, at_text, 1, None, None, None, None, cid, branch_id, rng.choice(clerks),
                str(_weighted(rng, _values(Channel), [0.45, 0.3, 0.08, 0.05, 0.1, 0.02])),
                str(_weighted(rng, _values(Direction), [0.7, 0.3])), rng.choice(SUBJECTS), None, at_text,
                rng.randint(2, 40), str(outcome),
                (at.date() + timedelta(days=rng.randint(1, 14))).isoformat() if outcome == Outcome.FOLLOW_UP else None,
            ))
        if rng.random() < 0.5:
            self._request(rows, cid, branch_id, clerks, created)

    def _request(self, rows: dict[str, list[tuple[Any, ...]]], cid: str, branch_id: str, clerks: list[str],
                 created: datetime) -> None:
        rng = self.rng
        opened = created + timedelta(seconds=rng.uniform(0, (self.now - created).total_seconds()))
        priority = _weighted(rng, _values(Priority), [0.2, 0.55, 0.2, 0.05])
        category = _weighted(rng, _values(RequestCategory), [0.35, 0.3, 0.3, 0.05])
        due = due_time(opened, default_target(str(priority)), self.calendar)
        age_days = (self.now - opened).days
        assignee: str | None = rng.choice(clerks)
        opener = rng.choice(clerks)
        rid = new_id()
        steps: list[tuple[RequestStatus, datetime]] = [(RequestStatus.NEW, opened)]
        t = opened + timedelta(minutes=rng.randint(5, 120))
        steps.append((RequestStatus.ASSIGNED, t))
        final = (_weighted(rng, ["closed", "resolved", "in_progress", "cancelled"], [0.85, 0.07, 0.05, 0.03])
                 if age_days > 20 else
                 _weighted(rng, ["closed", "resolved", "in_progress", "waiting_customer", "assigned", "new"],
                           [0.3, 0.15, 0.25, 0.1, 0.1, 0.1]))
        first_response = resolved = closed = None
        satisfaction = resolution = None
        if final == "new":
            steps = steps[:1]
            assignee = None
        elif final == "cancelled":
            steps.append((RequestStatus.CANCELLED, t + timedelta(hours=1)))
        elif final != "assigned":
            t += timedelta(hours=rng.uniform(0.2, 6))
            first_response = t
            steps.append((RequestStatus.IN_PROGRESS, t))
            if final == "waiting_customer":
                steps.append((RequestStatus.WAITING_CUSTOMER, t + timedelta(hours=2)))
            elif final in ("resolved", "closed"):
                late = rng.random() < 0.18
                t = due + timedelta(hours=rng.uniform(1, 48)) if late else opened + (due - opened) * rng.uniform(
                    0.2, 0.95)
                t = max(t, first_response + timedelta(minutes=10))
                resolved, resolution = t, "موضوع بررسی و برای مشتری برطرف شد."
                steps.append((RequestStatus.RESOLVED, t))
                if final == "closed":
                    closed = t + timedelta(hours=rng.uniform(1, 72))
                    satisfaction = _weighted(rng, [1, 2, 3, 4, 5], [0.05, 0.08, 0.17, 0.35, 0.35])
                    steps.append((RequestStatus.CLOSED, closed))
        steps = [(s, min(at, self.now)) for s, at in steps]
        status = steps[-1][0]
        opened_text = to_utc_text(opened)
        rows["request"].append((
            rid, opened_text, to_utc_text(steps[-1][1]), 1, None, None, None, None,
            None, cid, branch_id, str(category), str(priority),
            str(status), rng.choice(REQUEST_SUBJECTS), None, assignee, opener, opened_text, to_utc_text(due),
            _opt(first_response), _opt(resolved), _opt(closed), resolution, satisfaction,
        ))
        previous: RequestStatus | None = None
        for step_status, at in steps:
            at_text = to_utc_text(at)
            rows["history"].append((
                new_id(), at_text, at_text, 1, None, None, None, None, rid,
                str(previous) if previous else None, str(step_status), TRANSITION_BY_TARGET[step_status],
                assignee if step_status != RequestStatus.NEW and assignee else opener, at_text, None,
            ))
            previous = step_status


def _journal_seed(conn: Any, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """One journal entry for a seeded batch: how many rows of each table, first and last id."""
    summary = {table: {"rows": len(batch), "first": batch[0][0], "last": batch[-1][0]}
               for table, batch in rows.items() if batch}
    conn.execute(ENTRY_SQL, ("*", rows["customer"][0][0], "seed", json.dumps(summary)))


def _opt(value: datetime | None) -> str | None:
    return to_utc_text(value) if value else None


TRANSITION_BY_TARGET = {
    RequestStatus.NEW: "open", RequestStatus.ASSIGNED: "assign", RequestStatus.IN_PROGRESS: "start",
    RequestStatus.WAITING_CUSTOMER: "wait_customer", RequestStatus.RESOLVED: "resolve",
    RequestStatus.CLOSED: "close", RequestStatus.CANCELLED: "cancel",
}
META = "id, created_at, updated_at, version, changed_by, changed_device, deleted_at, deleted_reason"
INSERTS = {
    "customer": f"INSERT INTO customer ({META}, branch_id, kind, customer_no, first_name, last_name, father_name, "
                "national_id, birth_date, gender, company_name, company_id, registration_no, contact_person, mobile, "
                "phone, email, address, postal_code, segment, lifecycle_stage, kyc_status, kyc_date, "
                "marketing_consent, notes, display_name, sort_key, name_key, first_key, last_key, org_key) "
                f"VALUES ({', '.join(['?'] * 38)})",
    "product": f"INSERT INTO product ({META}, customer_id, kind, account_no, opened_on, state, balance_band) "
               f"VALUES ({', '.join(['?'] * 14)})",
    "interaction": f"INSERT INTO interaction ({META}, customer_id, branch_id, user_id, channel, direction, subject, "
                   "notes, occurred_at, duration_minutes, outcome, follow_up_on) "
                   f"VALUES ({', '.join(['?'] * 19)})",
    "request": f"INSERT INTO service_request ({META}, number, customer_id, branch_id, category, priority, status, "
               "subject, description, assignee_id, opened_by, opened_at, due_at, first_response_at, resolved_at, "
               f"closed_at, resolution, satisfaction) VALUES ({', '.join(['?'] * 25)})",
    "history": f"INSERT INTO request_status_change ({META}, request_id, from_status, to_status, transition, user_id, "
               f"changed_at, note) VALUES ({', '.join(['?'] * 15)})",
}


def build_demo(db: Database, customers: int, *, seed: int = 1405, progress: Progress | None = None,
               now: datetime | None = None) -> DemoSummary:
    """Fill an empty database with a demo branch network (see ``DEMO_USERNAME``/``DEMO_PASSWORD``)."""
    return DemoBuilder(db, seed=seed, now=now).build(customers, progress)
