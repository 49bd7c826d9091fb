"""``GET /v1/sync/health`` (what the server sees for this device) and ``GET /healthz`` (for load balancers)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text

from crm_desktop.server.auth import Principal, load_device
from crm_desktop.server.db import get_meta
from crm_desktop.sync import protocol


def device_health(engine: Engine, principal: Principal) -> dict[str, Any]:
    with engine.connect() as conn:
        device = load_device(conn, principal)
        open_conflicts = conn.execute(
            text("SELECT count(*) FROM sync_conflict WHERE branch_id = :b AND status = 'open'"),
            {"b": device.branch_id},
        ).scalar_one()
        rejected = conn.execute(
            text("SELECT count(*) FROM sync_applied_op WHERE device_id = :d AND status = 'rejected'"),
            {"d": principal.device_id},
        ).scalar_one()
        return {
            "device_id": principal.device_id,
            "branch_id": str(device.branch_id),
            "last_op_id": int(device.last_op_id),
            "last_cursor": device.last_cursor,
            "last_seen_at": device.last_seen_at.isoformat() if device.last_seen_at else None,
            "open_conflicts": int(open_conflicts),
            "rejected_ops": int(rejected),
            "server_epoch": get_meta(conn, "server_epoch"),
            "schema_version": protocol.SCHEMA_VERSION,
            "min_schema_version": int(get_meta(conn, "min_schema_version") or protocol.MIN_SCHEMA_VERSION),
            "server_time": datetime.now(UTC).isoformat(),
        }


def liveness(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}
