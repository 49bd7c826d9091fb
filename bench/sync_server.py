"""`python -m bench.sync_server`: pushed ops/s of the sync service with 20 concurrent devices (issue #6).

Starts ``crm-desktop-server serve`` (uvicorn) on loopback over a fresh PostgreSQL database (the one in
``DATABASE_URL``, or a throwaway cluster from ``tools/pg_throwaway.sh``), registers ``--devices``
desks of one branch, and has each push batches of ``--batch`` ops (customer inserts, then edits of
those customers) for ``--seconds``. The request bodies are built (and hashed, and encoded) before the
clock starts: the desks are not on the server's machine in a bank, and here they share its 2 cores.
Prints JSON lines: ``push_ops`` (ops/s over the run, with the client-side latency of a batch) and
``push_server_time`` (the service's own time per batch, from its ``Server-Timing`` header) and
``push_transaction_time`` (the push transaction alone, ``X-Push-Ms``).
Targets: >= 1,000 ops/s; p95 server time per 100-op batch <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import create_engine, make_url

from crm_desktop.models import new_id
from crm_desktop.server import auth
from crm_desktop.server.db import make_engine, migrate
from crm_desktop.server.settings import Settings
from crm_desktop.sync import protocol

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Branch2026pass"
MAX_OPS_PER_S = 4_000  # pushes built ahead for this rate; a device that runs out stops (``ran_out`` counts them)


def emit(name: str, samples: list[float], **extra: object) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0
    print(json.dumps({"name": name, "n": len(ordered), "p50_ms": round(statistics.median(ordered), 1) if ordered
                      else 0.0, "p95_ms": round(p95, 1), "max_ms": round(ordered[-1], 1) if ordered else 0.0,
                      **extra}, ensure_ascii=False), flush=True)


@contextmanager
def postgres() -> Iterator[str]:
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    out = subprocess.run([str(ROOT / "tools" / "pg_throwaway.sh")], check=True, capture_output=True, text=True).stdout
    url = out.split("'")[1]
    folder = url.rsplit("host=", 1)[1]
    try:
        yield url
    finally:
        subprocess.run([str(ROOT / "tools" / "pg_throwaway.sh"), "stop", folder], check=False)


@contextmanager
def fresh_database(base_url: str) -> Iterator[str]:
    base = make_url(base_url)
    name = f"crm_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Device(threading.Thread):
    def __init__(self, base: str, reg: dict[str, Any], user_id: str, username: str, *, batch: int,
                 until: float) -> None:
        super().__init__(daemon=True)
        self.reg, self.user_id, self.batch, self.until = reg, user_id, batch, until
        self.client = httpx.Client(base_url=base, timeout=60)
        token = self.client.post("/v1/auth/token", json={"device_id": reg["device_id"], "credential": reg["credential"],
                                                          "username": username, "password": PASSWORD})
        token.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        self.op_id = 0
        self.customers: list[str] = []
        self.latencies: list[float] = []
        self.server_ms: list[float] = []
        self.push_ms: list[float] = []
        self.ops = 0
        self.bodies: list[tuple[int, bytes]] = []  # (last op id, encoded push), built by ``prepare``
        self.exhausted = False
        self.errors = 0

    def _op(self, pk: str, kind: str, changed: dict[str, list[Any]]) -> dict[str, Any]:
        self.op_id += 1
        op = {"op_id": self.op_id, "prev_op_id": self.op_id - 1, "tx_id": new_id(), "tbl": "customer", "pk": pk,
              "kind": kind, "changed": changed, "user_id": self.user_id, "hlc": f"{time.time_ns()}:0:d"}
        op["sha256"] = protocol.op_sha256(op)
        return op

    def _batch(self) -> list[dict[str, Any]]:
        ops = []
        for i in range(self.batch):
            if i % 2 == 0 or not self.customers:
                pk = new_id()
                self.customers.append(pk)
                values = {"id": pk, "branch_id": self.reg["branch_id"], "kind": "individual", "first_name": "علی",
                          "last_name": f"کریمی {self.op_id}", "segment": "mass", "lifecycle_stage": "acquisition",
                          "kyc_status": "pending", "marketing_consent": 0, "created_at": "2026-11-23T06:30:00Z"}
                ops.append(self._op(pk, "insert", {k: [None, v] for k, v in values.items()}))
            else:
                pk = self.customers[-1 - (i % len(self.customers))]
                ops.append(self._op(pk, "update", {"notes": [None, f"یادداشت {self.op_id}"]}))
        return ops

    def prepare(self, batches: int) -> None:
        """Build ``batches`` pushes ahead, each acknowledging the one before it."""
        last = 0
        for _ in range(batches):
            ops = self._batch()
            body = {"device_id": self.reg["device_id"], "server_epoch": self.reg["server_epoch"],
                    "schema_version": protocol.SCHEMA_VERSION, "client_version": "bench", "batch_id": new_id(),
                    "last_acked_op_id": last, "ops": ops}
            self.bodies.append((ops[-1]["op_id"], orjson.dumps(body)))
            last = ops[-1]["op_id"]

    def run(self) -> None:
        for expected, body in self.bodies:
            if time.monotonic() >= self.until:
                return
            started = time.perf_counter()
            response = self.client.post("/v1/sync/push", content=body, headers={"content-type": "application/json"})
            self.latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or orjson.loads(response.content)["acked_through"] != expected:
                self.errors += 1
                print(response.text[:500], file=sys.stderr)
                return
            timing = response.headers.get("server-timing", "app;dur=0").split("dur=")[1]
            self.server_ms.append(float(timing))
            self.push_ms.append(float(response.headers.get("x-push-ms", "0")))
            self.ops += self.batch
        self.exhausted = True


def run(args: argparse.Namespace) -> None:
    with postgres() as base_url, fresh_database(base_url) as url:
        engine = make_engine(url, pool_size=2)
        migrate(engine)
        hasher = Settings(database_url=url).hasher
        with engine.begin() as conn:
            auth.add_branch(conn, code="1021", name="شعبه مرکزی")
            users = [(auth.add_user(conn, hasher, branch_code="1021", username=f"clerk{i}", full_name="کارمند",
                                    role="clerk", password=PASSWORD), f"clerk{i}") for i in range(args.devices)]
        codes = [auth.new_registration_code(engine, "1021", ttl_s=3600) for _ in range(args.devices)]
        engine.dispose()
        port = free_port()
        env = {**os.environ, "CRM_SERVER_POOL_SIZE": str(args.pool)}
        server = subprocess.Popen([sys.executable, "-m", "crm_desktop.server.cli", "--database-url", url, "serve",
                                   "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            regs = [httpx.post(base + "/v1/devices/register", json={"code": c}).json() for c in codes]
            devices = [Device(base, reg, uid, name, batch=args.batch, until=0)
                       for reg, (uid, name) in zip(regs, users, strict=True)]
            ahead = math.ceil(args.seconds * MAX_OPS_PER_S / (args.devices * args.batch)) + 1
            for device in devices:
                device.prepare(ahead)
            started = time.monotonic()
            for device in devices:
                device.until = started + args.seconds
            for device in devices:
                device.start()
            for device in devices:
                device.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=10)
        total = sum(d.ops for d in devices)
        emit("push_ops", [x for d in devices for x in d.latencies], ops=total, seconds=round(elapsed, 2),
             ops_per_s=round(total / elapsed), devices=args.devices, batch=args.batch, workers=args.workers,
             errors=sum(d.errors for d in devices), cpus=os.cpu_count(),
             ran_out=sum(d.exhausted for d in devices))
        emit("push_server_time", [x for d in devices for x in d.server_ms], batch=args.batch,
             note="in the service, from arrival to answer (includes waiting for a worker thread)")
        emit("push_transaction_time", [x for d in devices for x in d.push_ms], batch=args.batch,
             note="the push transaction alone (no queueing)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool", type=int, default=10)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
