"""A process killed (SIGKILL) in the middle of a stream of saves loses nothing that was committed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crm_desktop.db.migrate import open_database
from crm_desktop.services import Services
from tests.conftest import CHEAP_HASHER, PASSWORD

WRITER = textwrap.dedent(
    """
    import sys
    from crm_desktop.db.migrate import open_database
    from crm_desktop.persian import make_national_id
    from crm_desktop.services import Services
    from crm_desktop.services.records import CustomerInput
    from tests.conftest import CHEAP_HASHER, PASSWORD

    db = open_database(sys.argv[1])
    services = Services(db, hasher=CHEAP_HASHER)
    actor = services.users.authenticate("admin", PASSWORD)
    n = 0
    while True:
        n += 1
        national_id = make_national_id(f"{100000000 + n:09d}")
        created = services.customers.create(actor, CustomerInput(
            first_name="نگار", last_name=f"آزمایشی", national_id=national_id, notes="x" * (n % 500)))
        print(created.value.id, flush=True)
    """
)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_mid_stream_keeps_every_returned_save(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    db = open_database(path)
    Services(db, hasher=CHEAP_HASHER).users.first_run(
        branch_code="1021", branch_name="شعبه مرکزی", username="admin", full_name="مدیر", password=PASSWORD
    )
    db.dispose()

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    returned: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(returned) < 60 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        returned.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert len(returned) >= 60, "the writer did not get going"

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = {row[0] for row in conn.execute("SELECT id FROM customer")}
    assert set(returned) <= stored
    # Nothing half-written: every customer has exactly one insert in the journal and every insert its customer.
    journaled = [row[0] for row in conn.execute(
        "SELECT pk FROM change_journal WHERE tbl = 'customer' AND kind = 'insert'")]
    assert sorted(journaled) == sorted(stored)
    for pk, changed in conn.execute("SELECT pk, changed FROM change_journal WHERE tbl = 'customer'"):
        assert json.loads(changed)["id"] == [None, pk]
    # No unit of work left its context behind.
    assert conn.execute("SELECT count(*) FROM sync_ctx WHERE k = 'tx'").fetchone()[0] == 0
    conn.close()
