"""Registration with a one-time code, tokens for a clerk of the device's branch, revocation."""

from __future__ import annotations

from tests.server.helpers import Server


def test_a_code_registers_one_device_once(server: Server) -> None:
    code = server.code("1021")
    first = server.client.post("/v1/devices/register", json={"code": code, "device_name": "میز ۱"})
    assert first.status_code == 200
    body = first.json()
    assert body["branch_id"] == server.scalar("SELECT id FROM branch WHERE code = '1021'")
    assert body["server_epoch"] == server.epoch() and body["credential"]
    stored = server.scalar("SELECT credential_hash FROM sync_device WHERE device_id = %s", body["device_id"])
    assert stored.startswith("$argon2id$") and body["credential"] not in stored
    again = server.client.post("/v1/devices/register", json={"code": code})
    assert again.status_code == 403 and again.json()["code"] == "bad_registration_code"
    assert "کد" in again.json()["message"]


def test_token_needs_the_device_credential_and_a_clerk_of_its_branch(server: Server) -> None:
    clerk = server.user("1021")
    other = server.user("2040")
    desk = server.desk("1021", clerk)
    assert desk.token
    assert desk.sign_in(server.username(other)).status_code == 403
    assert desk.sign_in(server.username(clerk), "wrong-password").status_code == 401
    desk.credential = "not-the-credential"
    wrong = desk.sign_in(server.username(clerk))
    assert wrong.status_code == 401 and wrong.json()["code"] == "bad_credentials"


def test_a_deactivated_clerk_gets_no_token(server: Server) -> None:
    clerk = server.user("1021")
    desk = server.desk("1021", clerk)
    server.execute("UPDATE app_user SET active = false WHERE id = %s", clerk)
    assert desk.sign_in(server.username(clerk)).status_code == 403


def test_a_revoked_device_is_refused_at_once_even_with_a_valid_token(server: Server) -> None:
    clerk = server.user("1021")
    desk = server.desk("1021", clerk)
    assert desk.pull_raw().status_code == 200
    server.execute("UPDATE sync_device SET revoked_at = now() WHERE device_id = %s", desk.device_id)
    refused = desk.pull_raw()
    assert refused.status_code == 401 and refused.json()["code"] == "device_revoked"
    assert desk.sign_in(server.username(clerk)).json()["code"] == "device_revoked"


def test_requests_without_a_valid_token_are_refused(server: Server) -> None:
    response = server.client.post("/v1/sync/pull", json={"server_epoch": server.epoch(), "schema_version": 5})
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"
    forged = server.client.post("/v1/sync/pull", json={"server_epoch": server.epoch(), "schema_version": 5},
                                headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."})
    assert forged.status_code == 401


def test_scope_comes_from_the_device_not_from_the_request(server: Server) -> None:
    clerk = server.user("1021")
    desk = server.desk("1021", clerk)
    other = server.desk("2040", server.user("2040"))
    body = desk.envelope([])
    body["device_id"] = other.device_id
    response = server.client.post("/v1/sync/push", json=body, headers=desk.headers)
    assert response.status_code == 403 and response.json()["code"] == "device_mismatch"
    health = server.client.get("/v1/sync/health", headers=desk.headers).json()
    assert health["branch_id"] == desk.branch_id and health["device_id"] == desk.device_id
