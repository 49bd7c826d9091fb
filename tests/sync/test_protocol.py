"""Op hashing, cursors and wire values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crm_desktop.sync import protocol
from crm_desktop.sync.values import Kind, from_python, normalize, to_python

OP = {"op_id": 7, "prev_op_id": 6, "tx_id": "t", "tbl": "customer", "pk": "p", "kind": "update",
      "changed": {"mobile": ["09120000000", "09121111111"], "notes": [None, "یادداشت"]}, "user_id": "u",
      "hlc": "1-0-d", "sha256": ""}


def test_the_hash_covers_the_effect_and_not_the_clock() -> None:
    base = protocol.op_sha256(OP)
    assert protocol.op_sha256({**OP, "hlc": "2-0-d", "prev_op_id": 1}) == base
    assert protocol.op_sha256({**OP, "changed": {**OP["changed"], "notes": [None, "دیگر"]}}) != base  # type: ignore[dict-item]
    assert protocol.op_sha256({**OP, "op_id": 8}) != base
    reordered = {"changed": {"notes": [None, "یادداشت"], "mobile": ["09120000000", "09121111111"]}}
    assert protocol.op_sha256({**OP, **reordered}) == base


def test_cursors_round_trip_and_refuse_garbage() -> None:
    assert protocol.parse_cursor(protocol.format_cursor(812, 33)) == (812, 33)
    for bad in ("", "x:1", "1", "-1:0"):
        with pytest.raises(ValueError):
            protocol.parse_cursor(bad)


def test_wire_values_are_normalized() -> None:
    assert normalize(Kind.BOOL, 1) is True and normalize(Kind.BOOL, "0") is False
    assert normalize(Kind.DATE, date(2026, 1, 2)) == "2026-01-02"
    instant = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    assert normalize(Kind.TIME, "2026-11-23T06:30:00Z") == "2026-11-23T06:30:00.000000Z"
    assert from_python(Kind.TIME, instant) == "2026-11-23T06:30:00.000000Z"
    assert to_python(Kind.TIME, "2026-11-23T06:30:00.000000Z") == instant
    with pytest.raises(ValueError):
        normalize(Kind.INT, "abc")
    with pytest.raises(ValueError):
        normalize(Kind.TEXT, 5)
