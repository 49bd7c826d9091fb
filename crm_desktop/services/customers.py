"""Customers: create, edit, soft-delete, and the 360° record."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.db.session import driver_connection
from crm_desktop.models import Branch, Customer, Interaction, Product, ServiceRequest
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.customer_fields import clean_customer, derived_keys
from crm_desktop.services.duplicates.similar import find_similar
from crm_desktop.services.errors import Conflict, DuplicateCustomer, InvalidInput, NotFound, PermissionDenied
from crm_desktop.services.permissions import Action, require, require_branch
from crm_desktop.services.records import (
    CustomerDetail,
    CustomerInput,
    CustomerProfile,
    ProductRow,
)
from crm_desktop.services.request_states import OPEN_STATUSES
from crm_desktop.services.rows import interaction_rows, request_rows

PROFILE_LIMIT = 200
IDENTITY_FIELDS = ("first_name", "last_name", "birth_date", "mobile")


class CustomerService(ServiceBase):
    # -- reading ----------------------------------------------------------------------------
    def get(self, actor: Actor, customer_id: str) -> CustomerDetail:
        require(actor, Action.VIEW_CUSTOMER)
        with self.db.read() as session:
            customer = load_customer(session, actor, customer_id)
            return _detail(session, customer)

    def profile(self, actor: Actor, customer_id: str) -> CustomerProfile:
        """The 360° record; opening it is written to the access log."""
        require(actor, Action.VIEW_CUSTOMER)
        with self.db.read() as session:
            customer = load_customer(session, actor, customer_id, follow_merge=True)
            detail = _detail(session, customer)
            products = session.scalars(
                select(Product)
                .where(Product.customer_id == customer.id, Product.deleted_at.is_(None))
                .order_by(Product.opened_on.desc(), Product.id.desc())
            ).all()
            interactions = interaction_rows(
                session,
                select(Interaction)
                .where(Interaction.customer_id == customer.id, Interaction.deleted_at.is_(None))
                .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
                .limit(PROFILE_LIMIT),
            )
            interaction_count = session.scalar(
                select(func.count()).where(
                    Interaction.customer_id == customer.id, Interaction.deleted_at.is_(None)
                )
            ) or 0
            requests = request_rows(
                session,
                select(ServiceRequest)
                .where(ServiceRequest.customer_id == customer.id, ServiceRequest.deleted_at.is_(None))
                .order_by(ServiceRequest.opened_at.desc(), ServiceRequest.id.desc())
                .limit(PROFILE_LIMIT),
            )
            counts = session.execute(
                select(
                    func.count(),
                    func.count().filter(ServiceRequest.status.in_([str(s) for s in OPEN_STATUSES])),
                ).where(ServiceRequest.customer_id == customer.id, ServiceRequest.deleted_at.is_(None))
            ).one()
        self.record_access(actor, "view_customer", "customer", detail.id)
        return CustomerProfile(
            customer=detail,
            products=[
                ProductRow(p.id, p.kind, p.account_no, p.opened_on, p.state, p.balance_band) for p in products
            ],
            interactions=interactions,
            interaction_count=interaction_count,
            requests=requests,
            request_count=counts[0],
            open_request_count=counts[1],
        )

    # -- validation (also used by forms as the user types) ------------------------------------
    def validate(self, data: CustomerInput) -> dict[str, str]:
        """Field errors of ``data`` in Persian; empty when the input is valid."""
        _, errors = clean_customer(_raw(data), self.now().date())
        return errors

    # -- writing ------------------------------------------------------------------------------
    def create(self, actor: Actor, data: CustomerInput, *, source: str = "app") -> Outcome[CustomerDetail]:
        """A new customer; a likely duplicate comes back as a warning, an existing ID is refused."""
        require(actor, Action.EDIT_CUSTOMER)
        clean = self._clean(data)
        branch_id = data.branch_id or actor.branch_id
        require_branch(actor, branch_id)
        with self._write(actor, source) as session:
            if not isinstance(branch_id, str) or session.get(Branch, branch_id) is None:
                raise InvalidInput({"branch_id": "شعبه انتخاب‌شده وجود ندارد."})
            self._refuse_existing_ids(session, clean, None)
            warnings = self._likely_duplicates(session, clean, None)
            customer = Customer(branch_id=branch_id, **clean, **derived_keys(clean))
            session.add(customer)
            session.flush()
            detail = _detail(session, customer)
        return Outcome(detail, Changes(customers=frozenset({detail.id})), tuple(warnings))

    def edit(
        self,
        actor: Actor,
        customer_id: str,
        data: CustomerInput,
        *,
        expected_version: int | None = None,
        source: str = "app",
    ) -> Outcome[CustomerDetail]:
        require(actor, Action.EDIT_CUSTOMER)
        clean = self._clean(data)
        with self._write(actor, source) as session:
            customer = load_customer(session, actor, customer_id)
            _check_version(customer.version, expected_version)
            if data.branch_id and data.branch_id != customer.branch_id:
                require_branch(actor, data.branch_id)
                if not isinstance(data.branch_id, str) or session.get(Branch, data.branch_id) is None:
                    raise InvalidInput({"branch_id": "شعبه انتخاب‌شده وجود ندارد."})
                customer.branch_id = data.branch_id
            self._refuse_existing_ids(session, clean, customer.id)
            # Only a change of who the customer is can make them look like someone else.
            identity_changed = any(getattr(customer, f) != clean.get(f) for f in IDENTITY_FIELDS)
            warnings = self._likely_duplicates(session, clean, customer.id) if identity_changed else []
            for key, value in {**clean, **derived_keys(clean)}.items():
                if getattr(customer, key) != value:
                    setattr(customer, key, value)
            session.flush()
            detail = _detail(session, customer)
        return Outcome(detail, Changes(customers=frozenset({customer_id})), tuple(warnings))

    def delete(
        self, actor: Actor, customer_id: str, reason: str, *, expected_version: int | None = None
    ) -> Outcome[None]:
        """Tombstone a customer (managers only, with a reason); the record stays for audit."""
        require(actor, Action.DELETE_CUSTOMER)
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if len(reason) < 3:
            raise InvalidInput({"reason": "دلیل حذف را بنویسید."})
        if len(reason) > 500:
            raise InvalidInput({"reason": "دلیل حذف بیش از ۵۰۰ نویسه است."})
        with self._write(actor) as session:
            customer = load_customer(session, actor, customer_id)
            _check_version(customer.version, expected_version)
            customer.deleted_at = self.now()
            customer.deleted_reason = reason
        return Outcome(None, Changes(customers=frozenset({customer_id})))

    # -- helpers ------------------------------------------------------------------------------
    def _clean(self, data: CustomerInput) -> dict[str, Any]:
        if not isinstance(data, CustomerInput):
            raise InvalidInput({"customer": "اطلاعات مشتری نامعتبر است."})
        clean, errors = clean_customer(_raw(data), self.now().date())
        if errors:
            raise InvalidInput(errors)
        return clean

    @staticmethod
    def _refuse_existing_ids(session: Session, clean: dict[str, Any], own_id: str | None) -> None:
        checks = [("national_id", Customer.national_id, "کد ملی"), ("company_id", Customer.company_id, "شناسه ملی")]
        for field, column, label in checks:
            value = clean.get(field)
            if not value:
                continue
            query = select(Customer.id, Customer.display_name).where(column == value, Customer.deleted_at.is_(None))
            if own_id:
                query = query.where(Customer.id != own_id)
            existing = session.execute(query.limit(1)).first()
            if existing:
                raise DuplicateCustomer(
                    f"مشتری دیگری با این {label} ثبت شده است: «{existing.display_name}».",
                    existing_id=existing.id,
                    field=field,
                )

    @staticmethod
    def _likely_duplicates(session: Session, clean: dict[str, Any], own_id: str | None) -> list[str]:
        """Warnings naming each existing customer that looks like this one, and why (the duplicate matcher)."""
        conn = driver_connection(session)
        return [match.warning() for match in find_similar(conn, clean, exclude_id=own_id)]


def load_customer(session: Session, actor: Actor, customer_id: str, *, follow_merge: bool = False) -> Customer:
    """A live customer the actor may see; a merged record leads to its (final) survivor when asked."""
    customer = session.get(Customer, customer_id) if isinstance(customer_id, str) else None
    if customer is not None and follow_merge:
        customer = follow_merges(session, customer)
    if customer is None or customer.deleted_at is not None:
        raise NotFound("مشتری پیدا نشد.")
    try:
        require_branch(actor, customer.branch_id)
    except PermissionDenied:
        raise PermissionDenied("این مشتری متعلق به شعبه دیگری است.") from None
    return customer


def follow_merges(session: Session, customer: Customer) -> Customer | None:
    """The record ``customer`` was merged into, step by step, up to one that was not merged (None if missing).

    A merge re-points earlier tombstones to its survivor, so one step is usual; a longer chain comes from merges
    made on two desks and synced (a record merged here into one that was merged away there). A cycle, which no
    merge makes, ends at the record where it closes: a tombstone, so the caller finds no live customer.
    """
    seen = {customer.id}
    while customer.merged_into:
        following = session.get(Customer, customer.merged_into)
        if following is None:
            return None
        if following.id in seen:
            return customer
        seen.add(following.id)
        customer = following
    return customer


def _raw(data: CustomerInput) -> dict[str, Any]:
    return asdict(data)


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and current != expected:
        raise Conflict("این رکورد پس از باز شدن توسط کاربر دیگری تغییر کرده است؛ دوباره باز کنید.")


def _detail(session: Session, c: Customer) -> CustomerDetail:
    branch = session.get(Branch, c.branch_id)
    assert branch is not None
    return CustomerDetail(
        id=c.id, version=c.version, branch_id=c.branch_id, branch_code=branch.code, branch_name=branch.name,
        kind=c.kind, display_name=c.display_name, first_name=c.first_name, last_name=c.last_name,
        father_name=c.father_name, national_id=c.national_id, birth_date=c.birth_date, gender=c.gender,
        company_name=c.company_name, company_id=c.company_id, registration_no=c.registration_no,
        contact_person=c.contact_person, customer_no=c.customer_no, mobile=c.mobile, phone=c.phone,
        email=c.email, address=c.address, postal_code=c.postal_code, segment=c.segment,
        lifecycle_stage=c.lifecycle_stage, kyc_status=c.kyc_status, kyc_date=c.kyc_date,
        marketing_consent=c.marketing_consent, notes=c.notes, created_at=c.created_at,
        updated_at=c.updated_at, merged_into=c.merged_into,
    )


