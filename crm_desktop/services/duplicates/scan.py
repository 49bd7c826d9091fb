"""The scan itself, on a plain ``sqlite3`` connection (the service's snapshot, or a read-only benchmark copy).

1. One streaming pass reads the few columns blocking needs and keeps only packed key hashes.
2. Rows sharing a key become candidate pairs (``blocking.PairCollector``).
3. Only the rows of candidate pairs are read in full (by rowid), scored, and joined into groups.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from crm_desktop.progress import NullProgress, Progress
from crm_desktop.services.duplicates.blocking import COLUMNS, PairCollector, unpack
from crm_desktop.services.duplicates.probe import PROBE_COLUMNS, Probe, parse_date
from crm_desktop.services.duplicates.records import DuplicateGroup, DuplicatePair, DuplicateRecord, DuplicateScan
from crm_desktop.services.duplicates.scoring import PairScore, score_pair

LIVE = "deleted_at IS NULL AND merged_into IS NULL"
FETCH = 5_000
LOOKUP = 500  # values per IN (...) when reading rows in full
WINDOW = 20_000  # candidate pairs scored per batch of rows read (bounds the memory of a scan)
RECORD_COLUMNS = ("id", "branch_id", "display_name", "customer_no")

Pair = tuple[str, str]


def ordered(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def scan_customers(
    conn: sqlite3.Connection,
    *,
    branch_id: str | None,
    min_score: int,
    dismissed: Collection[Pair] = (),
    progress: Progress | None = None,
) -> DuplicateScan:
    """Candidate duplicate groups among the live customers of ``branch_id`` (all branches when None)."""
    progress = progress or NullProgress()
    rowids, collector = _read_blocks(conn, branch_id, progress)
    packed = collector.pairs(min_score)
    progress.update(0, len(packed), "مقایسه مشتریان مشابه…")
    scored: list[tuple[Pair, PairScore]] = []
    skipped = 0
    for start in range(0, len(packed), WINDOW):
        progress.check()
        window = packed[start:start + WINDOW]
        probes = load_probes(conn, {rowids[i] for pair in window for i in unpack(pair)})
        for pair in window:
            i, j = unpack(pair)
            (a_id, a), (b_id, b) = probes[rowids[i]], probes[rowids[j]]
            key = ordered(a_id, b_id)
            if key in dismissed:
                skipped += 1
                continue
            result = score_pair(a, b)
            if result.score >= min_score:
                scored.append((key, result))
        progress.update(start + len(window), len(packed), "مقایسه مشتریان مشابه…")
    records = load_records(conn, {i for pair, _ in scored for i in pair})
    return DuplicateScan(tuple(group_pairs(scored, records)), customers=len(rowids), candidates=len(packed) +
                         collector.bounded, compared=len(packed) - skipped, oversized_blocks=collector.oversized_blocks,
                         dismissed=skipped)


def _read_blocks(conn: sqlite3.Connection, branch_id: str | None, progress: Progress) -> tuple[array[int],
                                                                                            PairCollector]:
    """Pass 1: the rowid and blocking keys of every live customer in scope, in one streaming read."""
    where, params = (f"{LIVE} AND branch_id = ?", (branch_id,)) if branch_id else (LIVE, ())
    total = conn.execute(f"SELECT count(*) FROM customer WHERE {where}", params).fetchone()[0]
    progress.update(0, total, "خواندن مشتریان…")
    rowids = array("q")
    collector = PairCollector()
    cursor = conn.execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM customer WHERE {where}", params)
    add = collector.add
    while chunk := cursor.fetchmany(FETCH):
        progress.check()
        for row in chunk:
            rowids.append(row[0])
            add(row[1:])
        progress.update(len(rowids), total, "خواندن مشتریان…")
    progress.check()
    return rowids, collector


def load_probes(conn: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, tuple[str, Probe]]:
    """The id and comparison keys of each of ``rowids``."""
    columns = ", ".join(("rowid", "id", *PROBE_COLUMNS))
    found: dict[int, tuple[str, Probe]] = {}
    for part in _parts(sorted(rowids)):
        marks = ", ".join("?" * len(part))
        for row in conn.execute(f"SELECT {columns} FROM customer WHERE rowid IN ({marks})", part):
            found[row[0]] = (row[1], Probe.from_row(row[2:]))
    return found


def load_records(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, DuplicateRecord]:
    """What a comparison shows of each of ``ids``."""
    branches = dict(conn.execute("SELECT id, code FROM branch").fetchall())
    columns = ", ".join((*PROBE_COLUMNS, *RECORD_COLUMNS))
    found: dict[str, DuplicateRecord] = {}
    for part in _parts(sorted(ids)):
        marks = ", ".join("?" * len(part))
        for row in conn.execute(f"SELECT {columns} FROM customer WHERE id IN ({marks})", part):
            record = to_record(row, branches)
            found[record.id] = record
    return found


def to_record(row: tuple[object, ...], branches: dict[str, str]) -> DuplicateRecord:
    """A record from a row of ``PROBE_COLUMNS`` then ``RECORD_COLUMNS``."""
    v = dict(zip((*PROBE_COLUMNS, *RECORD_COLUMNS), row, strict=True))
    return DuplicateRecord(
        id=str(v["id"]), branch_code=branches.get(str(v["branch_id"]), ""), kind=str(v["kind"]),
        display_name=str(v["display_name"]), first_name=_opt(v["first_name"]), last_name=_opt(v["last_name"]),
        father_name=_opt(v["father_name"]), national_id=_opt(v["national_id"]),
        birth_date=parse_date(v["birth_date"]),
        company_name=_opt(v["company_name"]), company_id=_opt(v["company_id"]),
        registration_no=_opt(v["registration_no"]), customer_no=_opt(v["customer_no"]), mobile=_opt(v["mobile"]),
        email=_opt(v["email"]), address=_opt(v["address"]), postal_code=_opt(v["postal_code"]),
    )


def _parts(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), LOOKUP):
        yield values[start:start + LOOKUP]


def group_pairs(scored: list[tuple[Pair, PairScore]], records: dict[str, DuplicateRecord]) -> list[DuplicateGroup]:
    """Join scored pairs into connected groups, strongest group first."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), _ in scored:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[tuple[Pair, PairScore]]] = {}
    for pair, result in scored:
        members.setdefault(root(pair[0]), []).append((pair, result))
    groups = []
    for pairs in members.values():
        pairs.sort(key=lambda p: (-p[1].score, p[0]))
        ids = sorted({i for pair, _ in pairs for i in pair})
        reasons = tuple(dict.fromkeys(r for _, result in pairs for r in result.reasons))
        groups.append(DuplicateGroup(
            records=tuple(records[i] for i in ids),
            pairs=tuple(DuplicatePair(a, b, result.score, result.reasons, result.differences)
                        for (a, b), result in pairs),
            score=pairs[0][1].score,
            reasons=reasons,
        ))
    groups.sort(key=lambda g: (-g.score, -len(g.records), g.records[0].display_name, g.records[0].id))
    return groups


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
