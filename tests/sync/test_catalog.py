"""The catalog covers every column of every synced table, and its scopes are consistent."""

from __future__ import annotations

import pytest

from crm_desktop.models import SYNCED_MODELS, Base
from crm_desktop.models.base import META_COLUMNS
from crm_desktop.services.customer_fields import derived_keys
from crm_desktop.sync import catalog
from crm_desktop.sync.catalog import CATALOG, FieldClass
from crm_desktop.sync.derive import customer_keys


def test_every_column_of_every_synced_table_has_a_field_class() -> None:
    assert catalog.unclassified_columns() == []
    for model in SYNCED_MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        assert set(CATALOG[table.name].fields) == {c.name for c in table.columns}


def test_a_new_column_without_a_class_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = CATALOG["customer"]
    fields = dict(spec.fields)
    del fields["mobile"]
    monkeypatch.setitem(CATALOG, "customer", type(spec)(**{**spec.__dict__, "fields": fields}))
    assert catalog.unclassified_columns() == ["customer.mobile"]


def test_bookkeeping_and_derived_columns_are_server_owned() -> None:
    for name in catalog.SYNCED_TABLES:
        spec = CATALOG[name]
        for column in META_COLUMNS:
            assert spec.fields[column].cls is FieldClass.SERVER
        for column in getattr(Base.metadata.tables[name], "columns", []):
            model = next(m for m in SYNCED_MODELS if m.__table__.name == name)  # type: ignore[attr-defined]
            if column.name in model.journal_exclude:
                assert spec.fields[column.name].derived, f"{name}.{column.name} is left out of the journal"


def test_identity_fields_of_a_customer_need_human_review() -> None:
    fields = CATALOG["customer"].fields
    for name in ("national_id", "first_name", "last_name", "birth_date", "address", "mobile", "phone", "email"):
        assert fields[name].cls is FieldClass.HUMAN


def test_password_hashes_never_travel() -> None:
    spec = CATALOG["app_user"]
    assert "password_hash" not in spec.wire_columns
    assert not spec.writable("password_hash")


def test_children_are_scoped_through_their_customer() -> None:
    assert catalog.scope_root("request_status_change").name == "customer"
    assert catalog.scope_root("product").name == "customer"
    assert catalog.scope_root("customer").scope_column == "branch_id"
    assert CATALOG["branch"].is_global and CATALOG["app_user"].is_global
    assert catalog.children("customer") == ["product", "interaction", "service_request", "request_status_change",
                                           "duplicate_dismissal"]


def test_every_scope_hop_is_a_foreign_key() -> None:
    for name in catalog.SYNCED_TABLES:
        for fk_column, parent in catalog.scope_path(name)[:1]:
            column = Base.metadata.tables[name].c[fk_column]
            assert {fk.column.table.name for fk in column.foreign_keys} == {parent}


@pytest.mark.parametrize("row", [
    {"kind": "individual", "first_name": "علی", "last_name": "كريمي"},
    {"kind": "corporate", "company_name": "شرکت  نمونه"},
])
def test_derived_keys_match_the_desktop_services(row: dict[str, str]) -> None:
    full = {"first_name": None, "last_name": None, "company_name": None, **row}
    assert customer_keys(full) == derived_keys(full)
