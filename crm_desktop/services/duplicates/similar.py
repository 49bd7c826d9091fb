"""Existing customers that look like one being typed or imported: a few indexed look-ups, then scoring.

Candidates come from the indexes only: the national ID (or company ID), the mobile, and the last name (or
company name) in the spellings it may have been stored with, keeping only close first names. Each is then
scored like a scan pair. (First and last names typed in each other's boxes are left to the scan.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from rapidfuzz import fuzz

from crm_desktop.persian import normalize
from crm_desktop.services.duplicates.names import name_key
from crm_desktop.services.duplicates.probe import Probe
from crm_desktop.services.duplicates.records import SimilarCustomer
from crm_desktop.services.duplicates.scan import LIVE, load_probes, load_records
from crm_desktop.services.duplicates.scoring import PairScore, score_pair

#: A warning needs this score and two agreeing signs, or a shared mobile or e-mail: a namesake alone is not one.
WARN_SCORE = 30
NAME_ROWS = 3_000  # customers of one last name read at most (the most common names of a big bank)
FIRST_NAME_SIMILAR = 75.0


def find_similar(
    conn: sqlite3.Connection, fields: Mapping[str, Any], *, exclude_id: str | None = None, limit: int = 5
) -> list[SimilarCustomer]:
    """Live customers that look like ``fields`` (raw or clean customer fields), most alike first."""
    probe = Probe.from_fields(fields)
    rowids = _candidates(conn, probe, fields)
    scored: list[tuple[int, str, PairScore]] = []
    for customer_id, other in load_probes(conn, rowids).values():
        if customer_id == exclude_id:
            continue
        result = score_pair(probe, other)
        if result.shares_contact or (result.score >= WARN_SCORE and result.agreements >= 2):
            scored.append((result.score, customer_id, result))
    scored.sort(key=lambda s: (-s[0], s[1]))
    scored = scored[:limit]
    records = load_records(conn, [customer_id for _, customer_id, _ in scored])
    return [SimilarCustomer(records[customer_id], result.score, result.reasons, result.differences)
            for _, customer_id, result in scored if customer_id in records]


def name_variants(text: str) -> list[str]:
    """The keys a stored name may have (``normalize`` keeps spaces and «آ»): as typed, joined, آ/ا swapped."""
    key = normalize(text)
    if not key:
        return []
    variants = {key, key.replace(" ", "")}
    for value in list(variants):
        if value.startswith("آ"):
            variants.add("ا" + value[1:])
        elif value.startswith("ا"):
            variants.add("آ" + value[1:])
    return sorted(variants)


def _candidates(conn: sqlite3.Connection, probe: Probe, fields: Mapping[str, Any]) -> set[int]:
    queries: list[tuple[str, list[Any]]] = []
    ident, column = ("company_id", probe.company_id) if probe.corporate else ("national_id", probe.national_id)
    if column:
        queries.append((f"{ident} = ?", [column]))
    if probe.mobile:
        queries.append(("mobile = ?", [probe.mobile]))
    if probe.corporate:
        names = name_variants(_text(fields.get("company_name")))
        if names:
            queries.append((f"org_key IN ({', '.join('?' * len(names))})", names))
    found: set[int] = set()
    for condition, params in queries:
        found.update(r[0] for r in conn.execute(f"SELECT rowid FROM customer WHERE {condition} AND {LIVE}", params))
    if not probe.corporate and probe.first and probe.last:
        found.update(_namesakes(conn, probe, _text(fields.get("last_name"))))
    return found


def _namesakes(conn: sqlite3.Connection, probe: Probe, last: str) -> Iterator[int]:
    """Customers whose last name is spelled like ``last`` and whose first name is close."""
    names = name_variants(last)
    rows = conn.execute(
        f"SELECT rowid, first_key FROM customer WHERE last_key IN ({', '.join('?' * len(names))}) AND {LIVE}"
        f" LIMIT {NAME_ROWS}", names)
    for rowid, first_key in rows:
        other = name_key(first_key)
        if other == probe.first or fuzz.ratio(other, probe.first) >= FIRST_NAME_SIMILAR:
            yield rowid


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
