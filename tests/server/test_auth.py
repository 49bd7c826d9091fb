"""Registration with a one-time code, tokens for a clerk of the device's branch, revocation."""

from __future__ import annotations

import uuid

from tests.server.helpers import PASSWORD, Server


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
    wrong_password = desk.sign_in(server.username(clerk), "wrong-password")
    assert wrong_password.status_code == 401 and wrong_password.json()["code"] == "bad_credentials"
    assert desk.sign_in("no-such-clerk").json()["code"] == "bad_credentials"


def test_a_device_that_does_not_verify_is_not_a_wrong_password(server: Server) -> None:
    """A broken or unknown device credential answers ``device_credential``, whatever the clerk typed."""
    clerk = server.user("1021")
    desk = server.desk("1021", clerk)
    credential = desk.credential
    desk.credential = "not-the-credential"
    for password in (PASSWORD, "wrong-password"):
        broken = desk.sign_in(server.username(clerk), password)
        assert broken.status_code == 401 and broken.json()["code"] == "device_credential", broken.json()
        assert "دوباره ثبت" in broken.json()["message"]
    device_id = desk.device_id
    desk.credential, desk.device_id = credential, str(uuid.uuid4())  # a device the server does not know
    assert desk.sign_in(server.username(clerk)).json()["code"] == "device_credential"
    desk.device_id = device_id
    assert desk.sign_in(server.username(clerk)).status_code == 200
    server.execute("UPDATE sync_device SET credential_hash = 'not-a-hash' WHERE device_id = %s", device_id)
    assert desk.sign_in(server.username(clerk)).json()["code"] == "device_credential"  # a broken stored hash


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
