"""The server keeps only the indexes its own queries and constraints use (schema.server_indexes)."""

from __future__ import annotations

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, text

from crm_desktop.models import Base
from crm_desktop.server import schema
from crm_desktop.server.db import make_engine, migrate
from crm_desktop.sync.catalog import SYNCED_TABLES
from tests.server.conftest import scratch_database

INDEXES_SQL = "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(:t)"


def _indexes(conn) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(r[0]) for r in conn.execute(text(INDEXES_SQL), {"t": list(SYNCED_TABLES)})}


def test_the_server_keeps_unique_and_foreign_key_indexes_and_drops_the_desks_screen_indexes() -> None:
    customer = Base.metadata.tables["customer"]
    kept = schema.server_indexes(customer)
    assert {"uq_customer_national_id_live", "uq_customer_company_id_live", "ix_customer_merged_into"} <= kept
    assert "ix_customer_branch_created" in kept  # the full (not partial) index that leads with branch_id
    assert {"ix_customer_sort", "ix_customer_mobile", "ix_customer_first_key"} & kept == set()
    assert len(kept) == 4
    interaction = schema.server_indexes(Base.metadata.tables["interaction"])
    assert interaction == {"ix_interaction_customer_time", "ix_interaction_user_time", "ix_interaction_branch_time"}


def test_migrating_drops_the_desk_indexes_an_older_server_created() -> None:
    with scratch_database() as url:
        engine = make_engine(url)
        try:
            migrate(engine, "s0001")
            with engine.begin() as conn:  # what s0001 created before the server kept fewer indexes
                for table in SYNCED_TABLES:
                    for index in Base.metadata.tables[table].indexes:
                        if index.name in schema.desk_only_indexes():
                            columns = ", ".join(c.name for c in index.columns)
                            conn.exec_driver_sql(f"CREATE INDEX {index.name} ON {table} ({columns})")
                assert set(schema.desk_only_indexes()) <= _indexes(conn)
            migrate(engine)
            with engine.connect() as conn:
                present = _indexes(conn)
        finally:
            engine.dispose()
    assert present.isdisjoint(schema.desk_only_indexes())
    tables = [schema.metadata.tables[t] for t in SYNCED_TABLES]
    expected = {str(i.name) for t in tables for i in t.indexes}
    constraints = {str(c.name) for t in tables for c in t.constraints
                   if isinstance(c, UniqueConstraint | PrimaryKeyConstraint)}
    assert present == expected | constraints
