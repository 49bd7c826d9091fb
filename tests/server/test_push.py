"""Push: exactly once, FIFO, re-authorisation, grouping, and the per-field merge with conflicts."""

from __future__ import annotations

import pytest

from crm_desktop.persian.validators import make_national_id
from tests.server.helpers import Desk, Server, customer_insert, rows_by_pk


@pytest.fixture
def desk(server: Server) -> Desk:
    return server.desk("1021", server.user("1021"))


def _new_customer(desk: Desk, **fields: object) -> str:
    pk, changed = customer_insert(desk.branch_id, **fields)
    body = desk.push([desk.op("customer", pk, "insert", changed)])
    assert body["results"][0]["status"] == "applied", body
    return pk


def test_an_insert_and_an_update_are_applied_and_the_rows_are_authoritative(server: Server, desk: Desk) -> None:
    pk, changed = customer_insert(desk.branch_id, first_name="علي", mobile="09121234567", marketing_consent=1)
    body = desk.push([desk.op("customer", pk, "insert", changed),
                      desk.op("customer", pk, "update", {"phone": [None, "02188776655"]})])
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    assert body["acked_through"] == desk.log[-1]["op_id"]
    row = rows_by_pk(body)[pk]
    assert row["kind"] == "upsert" and row["row_version"] == 2
    data = row["data"]
    assert data["phone"] == "02188776655" and data["marketing_consent"] is True
    assert data["display_name"] == "علي کریمی" and data["name_key"] == "علی کریمی"  # derived on the server
    assert data["changed_device"] == desk.device_id and data["changed_by"] == desk.user_id
    assert server.scalar("SELECT count(*) FROM sync_applied_op WHERE device_id = %s", desk.device_id) == 2


def test_a_resent_push_is_a_duplicate_with_the_stored_result_and_current_rows(server: Server, desk: Desk) -> None:
    pk, changed = customer_insert(desk.branch_id)
    op = desk.op("customer", pk, "insert", changed)
    first = desk.push([op])
    desk.last_acked = 0  # the desk lost the answer and sends the same op again, three times
    for _ in range(3):
        again = desk.push([op])
        assert again["results"][0]["status"] == "duplicate"
        assert again["results"][0]["original_status"] == "applied"
        assert again["results"][0]["row_version"] == first["results"][0]["row_version"]
        assert rows_by_pk(again)[pk]["data"] == rows_by_pk(first)[pk]["data"]
    assert server.scalar("SELECT count(*) FROM customer WHERE id = %s", pk) == 1
    assert server.scalar("SELECT row_version FROM customer WHERE id = %s", pk) == 1


def test_the_same_op_id_with_another_payload_is_op_id_reuse_and_nothing_is_applied(server: Server, desk: Desk) -> None:
    pk = _new_customer(desk)
    reused = dict(desk.log[-1])
    reused["kind"] = "update"
    reused["changed"] = {"notes": [None, "یادداشت تازه"]}
    later = desk.op("customer", pk, "update", {"phone": [None, "02100000000"]})
    response = desk.push_raw([reused, later])
    assert response.status_code == 409 and response.json()["code"] == "op_id_reuse"
    assert server.scalar("SELECT notes FROM customer WHERE id = %s", pk) is None
    assert server.scalar("SELECT phone FROM customer WHERE id = %s", pk) is None


def test_a_gap_in_the_chain_is_answered_422_with_the_expected_op(server: Server, desk: Desk) -> None:
    pk = _new_customer(desk)
    lost = desk.op("customer", pk, "update", {"notes": [None, "گم‌شده"]})
    after = desk.op("customer", pk, "update", {"phone": [None, "02100000000"]})
    response = desk.push_raw([after])
    assert response.status_code == 422
    assert response.json()["code"] == "gap" and response.json()["expected"] == lost["prev_op_id"]
    assert server.scalar("SELECT phone FROM customer WHERE id = %s", pk) is None
    body = desk.push([lost, after])
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]


def test_a_rejection_rejects_its_group_and_later_ops_on_the_same_record(server: Server, desk: Desk) -> None:
    pk = _new_customer(desk)
    other = _new_customer(desk, first_name="سارا")
    tx = "0190f8a9-0000-7000-8000-000000000001"
    ok_in_group = desk.op("customer", pk, "update", {"notes": [None, "در همان ذخیره"]}, tx_id=tx)
    bad = desk.op("customer", pk, "update", {"merged_into": [None, other]}, tx_id=tx)
    later_same = desk.op("customer", pk, "update", {"phone": [None, "02111111111"]})
    unrelated = desk.op("customer", other, "update", {"phone": [None, "02122222222"]})
    body = desk.push([ok_in_group, bad, later_same, unrelated])
    statuses = [(r["status"], r.get("reason")) for r in body["results"]]
    assert statuses == [("rejected", "group"), ("rejected", "server_field"), ("rejected", "same_record"),
                        ("applied", None)]
    assert "سرور" in body["results"][1]["message"]
    assert body["acked_through"] == unrelated["op_id"]  # rejected ops are done too: parked on the desk
    assert server.scalar("SELECT notes FROM customer WHERE id = %s", pk) is None
    assert server.scalar("SELECT phone FROM customer WHERE id = %s", other) == "02122222222"
    stored = server.scalar("SELECT status FROM sync_applied_op WHERE device_id = %s AND op_id = %s",
                           desk.device_id, bad["op_id"])
    assert stored == "rejected"


def test_invalid_values_and_foreign_records_are_rejected_with_persian_reasons(server: Server, desk: Desk) -> None:
    pk = _new_customer(desk)
    bad_id = desk.op("customer", pk, "update", {"national_id": [None, "1234567890"]})
    missing = desk.op("customer", "0190f8a9-0000-7000-8000-00000000dead", "update", {"notes": [None, "x"]})
    body = desk.push([bad_id, missing])
    assert [r["reason"] for r in body["results"]] == ["bad_value", "not_found"]
    assert "کد ملی" in body["results"][0]["message"]


def test_a_desk_cannot_touch_another_branchs_customer(server: Server, desk: Desk) -> None:
    far = server.desk("2040", server.user("2040"))
    pk = _new_customer(far)
    body = desk.push([desk.op("customer", pk, "update", {"notes": [None, "نفوذ"]})])
    assert body["results"][0]["reason"] == "not_in_scope"
    assert pk not in rows_by_pk(body) or rows_by_pk(body)[pk]["data"] is None
    insert_elsewhere, changed = customer_insert(far.branch_id)
    body = desk.push([desk.op("customer", insert_elsewhere, "insert", changed)])
    assert body["results"][0]["reason"] == "not_in_scope"


def test_roles_are_checked_again_on_the_server(server: Server, desk: Desk) -> None:
    pk = _new_customer(desk)
    auditor = server.desk("1021", server.user("1021", role="auditor"))
    body = auditor.push([auditor.op("customer", pk, "update", {"notes": [None, "بازرس"]})])
    assert body["results"][0]["reason"] == "role"
    archive = desk.op("customer", pk, "delete", {"deleted_at": [None, "2026-11-23T07:00:00.000000Z"]})
    assert desk.push([archive])["results"][0]["reason"] == "role"  # archiving a customer is a manager's act
    server.execute("UPDATE app_user SET active = false WHERE id = %s", desk.user_id)
    body = desk.push([desk.op("customer", pk, "update", {"notes": [None, "پس از غیرفعال شدن"]})])
    assert body["results"][0]["reason"] == "user_inactive"


def test_the_same_field_on_two_desks_opens_one_conflict_and_keeps_the_server_value(server: Server) -> None:
    a = server.desk("1021", server.user("1021"))
    b = server.desk("1021", server.user("1021"))
    pk = _new_customer(a, mobile="09120000000")
    first = a.push([a.op("customer", pk, "update", {"mobile": ["09120000000", "09121111111"]})])
    version_a = rows_by_pk(first)[pk]["row_version"]
    body = b.push([b.op("customer", pk, "update", {"mobile": ["09120000000", "09122222222"]})])
    result = body["results"][0]
    assert result["status"] == "conflict" and result["applied_fields"] == []
    assert [c["field"] for c in result["conflicts"]] == ["mobile"]
    rows = rows_by_pk(body)
    assert rows[pk]["data"]["mobile"] == "09121111111"
    assert rows[pk]["row_version"] > version_a  # re-asserted: the losing desk applies it (>=) and converges
    conflict = rows[result["conflicts"][0]["conflict_id"]]
    assert conflict["tbl"] == "sync_conflict"
    assert (conflict["data"]["base"], conflict["data"]["server_value"], conflict["data"]["client_value"]) == \
        ("09120000000", "09121111111", "09122222222")
    assert conflict["data"]["status"] == "open" and conflict["data"]["branch_id"] == b.branch_id
    assert server.scalar("SELECT count(*) FROM sync_conflict WHERE pk = %s", pk) == 1
    assert server.scalar("SELECT mobile FROM customer WHERE id = %s", pk) == "09121111111"


def test_different_fields_on_two_desks_are_both_kept(server: Server) -> None:
    a = server.desk("1021", server.user("1021"))
    b = server.desk("1021", server.user("1021"))
    pk = _new_customer(a)
    a.push([a.op("customer", pk, "update", {"phone": [None, "02188776655"]})])
    body = b.push([b.op("customer", pk, "update", {"address": [None, "تهران، خیابان ولیعصر"]})])
    assert body["results"][0]["status"] == "applied"
    data = rows_by_pk(body)[pk]["data"]
    assert (data["phone"], data["address"]) == ("02188776655", "تهران، خیابان ولیعصر")
    assert server.scalar("SELECT count(*) FROM sync_conflict WHERE pk = %s", pk) == 0


def test_marketing_consent_merges_to_the_most_restrictive_value(server: Server) -> None:
    a = server.desk("1021", server.user("1021"))
    b = server.desk("1021", server.user("1021"))
    pk = _new_customer(a, marketing_consent=0, national_id=make_national_id("001234561"))
    # b replays an opt-in whose base the server never had (e.g. after a restore): opt-out on the server wins.
    body = b.push([b.op("customer", pk, "update", {"marketing_consent": [None, 1], "notes": [None, "تماس"]})])
    result = body["results"][0]
    assert result["status"] == "merged" and result["merged"] == {"marketing_consent": "restrictive"}
    assert result["applied_fields"] == ["notes"]
    assert rows_by_pk(body)[pk]["data"]["marketing_consent"] is False
    a.push([a.op("customer", pk, "update", {"marketing_consent": [0, 1]})])  # a plain opt-in applies
    assert server.scalar("SELECT marketing_consent FROM customer WHERE id = %s", pk) is True
    body = b.push([b.op("customer", pk, "update", {"marketing_consent": [None, 0]})])
    assert server.scalar("SELECT marketing_consent FROM customer WHERE id = %s", pk) is False
    assert server.scalar("SELECT count(*) FROM sync_conflict WHERE pk = %s", pk) == 0


def test_epoch_rotation_answers_409_to_push_and_410_to_pull(server: Server, desk: Desk) -> None:
    from crm_desktop.server.db import rotate_epoch

    old = desk.epoch
    new = rotate_epoch(server.engine)
    try:
        pk, changed = customer_insert(desk.branch_id)
        push = desk.push_raw([desk.op("customer", pk, "insert", changed)])
        assert push.status_code == 409 and push.json()["code"] == "epoch_mismatch"
        assert push.json()["server_epoch"] == new
        pull = desk.pull_raw()
        assert pull.status_code == 410 and pull.json()["code"] == "resync_required"
        assert pull.json()["reason"] == "epoch"
        assert server.scalar("SELECT count(*) FROM customer WHERE id = %s", pk) == 0
    finally:
        server.execute("UPDATE sync_meta SET value = %s WHERE key = 'server_epoch'", old)


def test_an_unsupported_schema_version_is_426(server: Server, desk: Desk) -> None:
    response = desk.push_raw([], schema_version=2)
    assert response.status_code == 426 and response.json()["code"] == "upgrade_required"


def test_a_constraint_the_server_enforces_rejects_only_that_op(server: Server, desk: Desk) -> None:
    national_id = make_national_id("009876543")
    _new_customer(desk, national_id=national_id)
    twin, changed = customer_insert(desk.branch_id, national_id=national_id)
    fine, fine_changed = customer_insert(desk.branch_id)
    body = desk.push([desk.op("customer", twin, "insert", changed), desk.op("customer", fine, "insert", fine_changed)])
    assert [r["status"] for r in body["results"]] == ["rejected", "applied"]
    assert body["results"][0]["reason"] == "constraint" and "کد ملی" in body["results"][0]["message"]
    assert server.scalar("SELECT count(*) FROM customer WHERE id = %s", twin) == 0
    assert server.scalar("SELECT count(*) FROM sync_applied_op WHERE device_id = %s", desk.device_id) == 3
