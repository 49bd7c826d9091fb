"""Pull: the xid8-watermark feed, whole-transaction pages, scope, parents, tombstones, bootstrap."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Connection, text

from crm_desktop.models import new_id
from tests.server.helpers import Desk, Server, customer_insert


def office_customer(conn: Connection, branch_id: str, name: str = "مشتری") -> str:
    """A customer written by a back-office transaction (not through the sync service)."""
    pk = new_id()
    conn.execute(text(
        "INSERT INTO customer(id, branch_id, kind, first_name, last_name, segment, lifecycle_stage, kyc_status,"
        " marketing_consent, display_name, sort_key, name_key, created_at, updated_at, version)"
        " VALUES (:id, :b, 'individual', :n, 'دفتری', 'mass', 'acquisition', 'pending', false, :n, :n, :n,"
        " now(), now(), 1)"), {"id": pk, "b": branch_id, "n": name})
    return pk


def office_product(conn: Connection, customer_id: str) -> str:
    pk = new_id()
    conn.execute(text(
        "INSERT INTO product(id, customer_id, kind, opened_on, state, created_at, updated_at, version)"
        " VALUES (:id, :c, 'savings', '2026-01-01', 'active', now(), now(), 1)"), {"id": pk, "c": customer_id})
    return pk


def changes(pages: list[dict[str, Any]], tbl: str | None = None) -> list[dict[str, Any]]:
    return [row for page in pages for row in page["changes"] if tbl is None or row["tbl"] == tbl]


def caught_up(server: Server, branch: str) -> Desk:
    desk = server.desk(branch, server.user(branch))
    desk.pull_all()
    return desk


def test_late_committing_transaction_is_not_skipped(server: Server) -> None:
    desk = caught_up(server, "1021")
    late = server.engine.connect()
    tx = late.begin()
    try:
        held = office_customer(late, desk.branch_id, "دیرکرد")  # takes its txid and change_id first
        pk, changed = customer_insert(desk.branch_id)
        assert desk.push([desk.op("customer", pk, "insert", changed)])["results"][0]["status"] == "applied"
        held_back = desk.pull_all()
        assert changes(held_back, "customer") == []  # the push committed, but it sits behind the open transaction
        ids = {r[0]: r[1] for r in server.engine.connect().execute(
            text("SELECT pk, change_id FROM sync_change WHERE pk IN (:a, :b)"), {"a": pk, "b": pk})}
        assert ids  # the push's entry exists and is committed
        tx.commit()
    finally:
        late.close()
    delivered = {row["pk"] for row in changes(desk.pull_all(), "customer")}
    assert {held, pk} <= delivered
    with server.engine.connect() as conn:
        order: dict[str, int] = dict(conn.execute(text("SELECT pk, change_id FROM sync_change WHERE pk IN (:a, :b)"),
                                  {"a": held, "b": pk}).all())
    assert order[held] < order[pk]  # a plain change_id cursor would have moved past the late row for good


def test_pages_end_on_server_transaction_boundaries(server: Server) -> None:
    desk = caught_up(server, "1021")
    batches = []
    for size in (5, 3, 4):
        with server.engine.begin() as conn:
            batches.append({office_customer(conn, desk.branch_id) for _ in range(size)})
    pages = desk.pull_all(limit=2)
    seen = [{row["pk"] for row in page["changes"] if row["tbl"] == "customer"} for page in pages]
    assert [s for s in seen if s] == batches
    assert pages[-1]["has_more"] is False and all(p["has_more"] for p in pages[:-1])


def test_a_desk_never_receives_another_branchs_customers(server: Server) -> None:
    mine = caught_up(server, "1021")
    other_branch = server.scalar("SELECT id FROM branch WHERE code = '2040'")
    with server.engine.begin() as conn:
        theirs = office_customer(conn, other_branch, "دیگری")
        office_product(conn, theirs)
        ours = office_customer(conn, mine.branch_id, "خودی")
    fresh = server.desk("1021", server.user("1021"))
    rows = changes(fresh.pull_all(limit=7))
    customers = {row["pk"]: row for row in rows if row["tbl"] == "customer"}
    assert ours in customers and theirs not in customers
    assert all(row["data"]["branch_id"] == mine.branch_id for row in customers.values())
    assert all(row["data"]["customer_id"] != theirs for row in rows if row["tbl"] == "product")
    assert {row["tbl"] for row in rows} >= {"branch", "app_user", "customer"}
    assert all("password_hash" not in (row["data"] or {}) for row in rows)


def test_a_customer_moved_to_another_branch_is_removed_with_its_children(server: Server) -> None:
    a = caught_up(server, "1021")
    b = caught_up(server, "2040")
    with server.engine.begin() as conn:
        pk = office_customer(conn, a.branch_id, "جابه‌جا")
        product = office_product(conn, pk)
    a.pull_all()
    b.pull_all()
    server.execute("UPDATE customer SET branch_id = %s WHERE id = %s", b.branch_id, pk)
    at_a = {(r["tbl"], r["pk"]): r for r in changes(a.pull_all())}
    assert at_a[("customer", pk)]["kind"] == "remove" and at_a[("customer", pk)]["data"] is None
    assert at_a[("product", product)]["kind"] == "remove"
    at_b = {(r["tbl"], r["pk"]): r for r in changes(b.pull_all())}
    assert at_b[("customer", pk)]["kind"] == "upsert" and at_b[("product", product)]["kind"] == "upsert"
    # and the old branch's pending edits of it are refused
    body = a.push([a.op("customer", pk, "update", {"notes": [None, "دیر رسید"]})])
    assert body["results"][0]["reason"] == "not_in_scope"


def test_a_child_comes_with_its_parent_only_when_the_desk_lacks_it_and_deletes_are_tombstones(
        server: Server) -> None:
    desk = caught_up(server, "1021")
    with server.engine.begin() as conn:
        parent = office_customer(conn, desk.branch_id, "والد")
    desk.pull_all()
    with server.engine.begin() as conn:
        child = office_product(conn, parent)
    page = desk.pull_all()[0]["changes"]
    assert [(r["tbl"], r["pk"]) for r in page] == [("product", child)]  # the desk holds the parent already
    server.execute("DELETE FROM product WHERE id = %s", child)
    tomb = changes(desk.pull_all(), "product")
    assert [(r["pk"], r["kind"], r["data"]) for r in tomb] == [(child, "tombstone", None)]


def test_a_parent_whose_only_entry_is_after_its_child_comes_with_the_child(server: Server) -> None:
    """Design note §8 pitfall: compaction can move a parent's only entry after its child's entry."""
    desk = caught_up(server, "1021")
    with server.engine.begin() as conn:
        parent = office_customer(conn, desk.branch_id, "والد")
    with server.engine.begin() as conn:
        child = office_product(conn, parent)
    server.execute("UPDATE customer SET notes = 'بعدی' WHERE id = %s", parent)
    server.execute("DELETE FROM sync_change WHERE tbl = 'customer' AND pk = %s"
                   " AND change_id < (SELECT max(change_id) FROM sync_change WHERE pk = %s)", parent, parent)
    first = desk.pull_raw(limit=1).json()
    assert [(r["tbl"], r["pk"]) for r in first["changes"]] == [("customer", parent), ("product", child)]
    assert first["changes"][0]["data"]["notes"] == "بعدی"


def test_a_parent_removed_from_the_desk_comes_back_with_a_new_child(server: Server) -> None:
    desk = caught_up(server, "1021")
    other = server.scalar("SELECT id FROM branch WHERE code <> '1021' ORDER BY code LIMIT 1")
    with server.engine.begin() as conn:
        parent = office_customer(conn, desk.branch_id, "رفت و برگشت")
    server.execute("UPDATE customer SET branch_id = %s WHERE id = %s", other, parent)
    desk.pull_all()  # the desk saw it arrive and leave
    with server.engine.begin() as conn:
        conn.execute(text("UPDATE customer SET branch_id = :b WHERE id = :id"), {"b": desk.branch_id, "id": parent})
        conn.execute(text("DELETE FROM sync_change WHERE tbl = 'customer' AND pk = :id"
                          " AND txid = pg_current_xact_id()"), {"id": parent})  # as compaction might leave it
    with server.engine.begin() as conn:
        child = office_product(conn, parent)
    got = [(r["tbl"], r["pk"], r["kind"]) for r in changes(desk.pull_all())]
    assert ("customer", parent, "upsert") in got and ("product", child, "upsert") in got


def test_bootstrap_at_random_page_sizes_equals_the_servers_projection(server: Server) -> None:
    rng = random.Random(7)
    branch = server.scalar("SELECT id FROM branch WHERE code = '1021'")
    with server.engine.begin() as conn:
        for _ in range(6):
            customer = office_customer(conn, branch)
            for _ in range(rng.randint(0, 2)):
                office_product(conn, customer)
    server.execute("UPDATE customer SET notes = 'ویرایش' WHERE branch_id = %s", branch)
    for _ in range(3):
        desk = server.desk("1021", server.user("1021"))
        state: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        while True:
            page = desk.pull_raw(limit=rng.randint(1, 9)).json()
            for row in page["changes"]:
                key = (row["tbl"], row["pk"])
                if row["kind"] != "upsert":
                    state.pop(key, None)
                elif key not in state or row["row_version"] >= state[key][0]:
                    state[key] = (row["row_version"], row["data"])
            desk.cursor = page["cursor"]
            if not page["has_more"]:
                break
        with server.engine.connect() as conn:
            expected = {("customer", r[0]): r[1] for r in conn.execute(
                text("SELECT id, row_version FROM customer WHERE branch_id = :b"), {"b": branch})}
            expected |= {("product", r[0]): r[1] for r in conn.execute(text(
                "SELECT p.id, p.row_version FROM product p JOIN customer c ON c.id = p.customer_id"
                " WHERE c.branch_id = :b"), {"b": branch})}
        got = {k: v[0] for k, v in state.items() if k[0] in ("customer", "product")}
        assert got == expected


def test_a_cursor_behind_the_tombstone_horizon_must_resync(server: Server) -> None:
    desk = caught_up(server, "1021")
    desk.cursor = "1:1"
    server.execute("UPDATE sync_meta SET value = '999999999' WHERE key = 'tombstone_horizon'")
    try:
        response = desk.pull_raw()
        assert response.status_code == 410
        assert response.json()["reason"] == "horizon"
    finally:
        server.execute("UPDATE sync_meta SET value = '0' WHERE key = 'tombstone_horizon'")


def test_long_poll_returns_when_a_change_arrives(server: Server) -> None:
    import threading
    import time

    desk = caught_up(server, "1021")

    def write_later() -> None:
        time.sleep(0.5)
        with server.engine.begin() as conn:
            office_customer(conn, desk.branch_id, "بیدارباش")

    thread = threading.Thread(target=write_later)
    started = time.monotonic()
    thread.start()
    response = desk.pull_raw(wait_s=10)
    thread.join()
    assert response.status_code == 200
    assert time.monotonic() - started < 8
    assert [r["tbl"] for r in response.json()["changes"]] == ["customer"]
