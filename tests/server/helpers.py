"""Test helpers: a TestClient on a fresh database, seeded branches and clerks, and a scripted desk."""

from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import argon2
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from crm_desktop.models import new_id
from crm_desktop.server import auth
from crm_desktop.server.app import create_app
from crm_desktop.server.db import make_engine
from crm_desktop.server.settings import Settings
from crm_desktop.sync import protocol

CHEAP = PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
PASSWORD = "Branch2026pass"
NOW = "2026-11-23T06:30:00.000000Z"
_seq = itertools.count(1)


@dataclass
class Server:
    client: TestClient
    engine: Engine
    settings: Settings

    def epoch(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("SELECT value FROM sync_meta WHERE key = 'server_epoch'").scalar())

    def branch(self, code: str, name: str = "شعبه") -> str:
        with self.engine.begin() as conn:
            return auth.add_branch(conn, code=code, name=name)

    def user(self, branch_code: str, role: str = "clerk", username: str | None = None) -> str:
        with self.engine.begin() as conn:
            return auth.add_user(conn, CHEAP, branch_code=branch_code, username=username or f"u{next(_seq)}",
                                 full_name="کاربر آزمون", role=role, password=PASSWORD)

    def username(self, user_id: str) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("SELECT username FROM app_user WHERE id = %s", (user_id,)).scalar())

    def code(self, branch_code: str) -> str:
        return auth.new_registration_code(self.engine, branch_code, ttl_s=3600)

    def desk(self, branch_code: str, user_id: str) -> Desk:
        response = self.client.post("/v1/devices/register", json={"code": self.code(branch_code),
                                                                   "device_name": "میز آزمون"})
        assert response.status_code == 200, response.text
        reg = response.json()
        desk = Desk(self, reg["device_id"], reg["credential"], reg["branch_id"], reg["server_epoch"], user_id)
        desk.sign_in(self.username(user_id))
        return desk

    def scalar(self, sql: str, *params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(sql, params or ()).scalar()

    def execute(self, sql: str, *params: Any) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql(sql, params or ())


def make_server(database_url: str) -> Server:
    settings = Settings(database_url=database_url, hasher=CHEAP, pool_size=5)
    engine = make_engine(database_url, pool_size=5)
    return Server(TestClient(create_app(settings, engine=engine)), engine, settings)


@dataclass
class Desk:
    """A scripted desk: numbers its ops like the journal (strictly increasing) and chains them."""

    server: Server
    device_id: str
    credential: str
    branch_id: str
    epoch: str
    user_id: str
    token: str = ""
    next_op: int = 1
    last_acked: int = 0
    cursor: str = protocol.START_CURSOR
    log: list[dict[str, Any]] = field(default_factory=list)

    def sign_in(self, username: str, password: str = PASSWORD) -> Any:
        response = self.server.client.post("/v1/auth/token", json={
            "device_id": self.device_id, "credential": self.credential, "username": username, "password": password})
        if response.status_code == 200:
            self.token = response.json()["access_token"]
        return response

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def op(self, tbl: str, pk: str, kind: str, changed: dict[str, list[Any]], *, tx_id: str | None = None,
           user_id: str | None = None) -> dict[str, Any]:
        op = {"op_id": self.next_op, "prev_op_id": self.log[-1]["op_id"] if self.log else 0,
              "tx_id": tx_id or new_id(), "tbl": tbl, "pk": pk, "kind": kind, "changed": changed,
              "user_id": user_id or self.user_id, "hlc": f"{1_790_000_000_000 + self.next_op}:0:{self.device_id}"}
        op["sha256"] = protocol.op_sha256(op)
        self.next_op += 1
        self.log.append(op)
        return op

    def envelope(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        return {"device_id": self.device_id, "server_epoch": self.epoch, "schema_version": protocol.SCHEMA_VERSION,
                "client_version": "test", "batch_id": str(uuid.uuid4()), "last_acked_op_id": self.last_acked,
                "ops": ops}

    def push_raw(self, ops: list[dict[str, Any]], **overrides: Any) -> Any:
        return self.server.client.post("/v1/sync/push", json={**self.envelope(ops), **overrides},
                                       headers=self.headers)

    def push(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        response = self.push_raw(ops)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        self.last_acked = body["acked_through"]
        return body

    def pull_raw(self, **body: Any) -> Any:
        payload = {"server_epoch": self.epoch, "schema_version": protocol.SCHEMA_VERSION, "cursor": self.cursor,
                   **body}
        return self.server.client.post("/v1/sync/pull", json=payload, headers=self.headers)

    def pull_all(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Every page until ``has_more`` is false; returns the pages."""
        pages = []
        while True:
            response = self.pull_raw(limit=limit)
            assert response.status_code == 200, response.text
            page = response.json()
            pages.append(page)
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return pages


def customer_insert(branch_id: str, **fields: Any) -> tuple[str, dict[str, list[Any]]]:
    """A customer insert as the desk's journal captures it: every journaled column as [None, value]."""
    pk = new_id()
    values: dict[str, Any] = {
        "id": pk, "branch_id": branch_id, "kind": "individual", "customer_no": None, "first_name": "علی",
        "last_name": "کریمی", "father_name": None, "national_id": None, "birth_date": None, "gender": None,
        "company_name": None, "company_id": None, "registration_no": None, "contact_person": None,
        "mobile": None, "phone": None, "email": None, "address": None, "postal_code": None, "segment": "mass",
        "lifecycle_stage": "acquisition", "kyc_status": "pending", "kyc_date": None, "marketing_consent": 0,
        "notes": None, "merged_into": None, "created_at": NOW, "deleted_at": None, "deleted_reason": None,
    }
    values.update(fields)
    return pk, {k: [None, v] for k, v in values.items()}


def rows_by_pk(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["pk"]: row for row in body["rows"]}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
