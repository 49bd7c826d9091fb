"""Rows that would create a customer who looks like one already stored: warnings, not refusals (issue #7).

The same rule as the form's warning (``duplicates.similar.find_similar``: the candidates share the national
ID or company ID, the mobile, the company name or the last name with a close first name; a candidate warns
with a shared mobile or e-mail, or with ``WARN_SCORE`` and two agreeing signs), done per batch of rows:
one ``IN (...)`` query per key instead of a few queries per row, last-name groups read once per import,
and ``score_bound`` skipping the namesakes that cannot reach a warning before they are scored in full.

Only customers stored before the import started are compared (``rowid`` at most the first batch's largest):
the dry run and the import then warn about the same rows, even though the import writes batch by batch.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from crm_desktop.services.duplicates.blocking import COLUMNS as SKETCH_COLUMNS
from crm_desktop.services.duplicates.blocking import block_keys
from crm_desktop.services.duplicates.names import company_id_key, mobile_key, name_key, national_id_key
from crm_desktop.services.duplicates.probe import Probe
from crm_desktop.services.duplicates.records import SimilarCustomer
from crm_desktop.services.duplicates.scan import LIVE, load_probes, load_records
from crm_desktop.services.duplicates.scoring import PairScore, Sketch, score_bound, score_pair
from crm_desktop.services.duplicates.similar import FIRST_NAME_SIMILAR, NAME_ROWS, WARN_SCORE, name_variants
from crm_desktop.services.importing.plan import Action, Decision, SimilarRow

QUERY_CHUNK = 500
#: Last-name groups kept between batches (customers); past this the cache starts again.
GROUP_CACHE_ROWS = 300_000

Candidate = tuple[int, Sketch]  # rowid, what ``score_bound`` needs


class _Namesakes:
    """The stored customers of one last name with a first name close to one probe's, indexed so that only the
    few whose score bound can reach ``WARN_SCORE`` are looked at: for two people of one name with different
    national IDs that takes the same birth year, IDs a typo apart, a missing ID or birth date, or a shared
    contact (``score_bound`` has the weights; ``_may_warn`` then checks each survivor exactly)."""

    def __init__(self, found: list[Candidate]) -> None:
        self.all = [c for c in found if not c[1].corporate]
        self.by_year: dict[int, list[Candidate]] = defaultdict(list)
        self.by_contact: dict[int, list[Candidate]] = defaultdict(list)
        self.loose: list[Candidate] = []  # no national ID or no birth date: the weights cannot rule them out
        self.ids: list[str] = []
        for candidate in self.all:
            sketch = candidate[1]
            if sketch.ident and sketch.birth:
                self.by_year[sketch.birth // 10_000].append(candidate)
                self.ids.append(f"{sketch.ident:010d}")
            else:
                self.loose.append(candidate)
                self.ids.append("")
            for contact in (sketch.mobile, sketch.email):
                if contact:
                    self.by_contact[contact].append(candidate)

    def worth_scoring(self, probe: Sketch) -> Iterator[Candidate]:
        if not probe.ident or not probe.birth:
            yield from self.all
            return
        yield from self.by_year.get(probe.birth // 10_000, ())
        yield from self.loose
        for contact in (probe.mobile, probe.email):
            if contact:
                yield from self.by_contact.get(contact, ())
        for _, _, index in process.extract(f"{probe.ident:010d}", self.ids, scorer=Levenshtein.distance,
                                           score_cutoff=2, limit=None):
            yield self.all[index]


@dataclass(frozen=True, slots=True)
class _Keys:
    """The look-up keys of one row, cheap to make (the full ``Probe`` is made only for rows with candidates)."""

    corporate: bool
    ident: str  # national ID, or company ID for a company
    mobile: str
    names: tuple[str, ...]  # company name variants (org_key), or last name variants (last_key)
    first: str  # name_key of the first name ("" for a company, or when either name is missing)

    @classmethod
    def of(cls, values: dict[str, Any]) -> _Keys:
        mobile = mobile_key(_text(values.get("mobile")))
        if values.get("kind") == "corporate":
            return cls(True, company_id_key(_text(values.get("company_id"))), mobile,
                       tuple(name_variants(_text(values.get("company_name")))), "")
        first, last = _text(values.get("first_name")), _text(values.get("last_name"))
        with_names = bool(name_key(first) and name_key(last))
        return cls(False, national_id_key(_text(values.get("national_id"))), mobile,
                   _variants(last) if with_names else (), name_key(first) if with_names else "")


class SimilarityCheck:
    """Checks the rows a planner decided to create, batch by batch, on the planner's connection."""

    def __init__(self) -> None:
        self._ceiling: int | None = None
        self._groups: dict[str, list[tuple[int, str, Sketch]]] = {}  # last_key → (rowid, first name key, sketch)
        self._group_rows = 0
        self._close: dict[tuple[str, str], _Namesakes] = {}  # (last_key, first name key) → namesakes
        self._stored: dict[int, tuple[str, Probe]] = {}  # stored customers compared so far (they come back)

    def _probes(self, conn: sqlite3.Connection, rowids: set[int]) -> dict[int, tuple[str, Probe]]:
        missing = rowids - self._stored.keys()
        if len(self._stored) + len(missing) > GROUP_CACHE_ROWS:
            self._stored.clear()
            missing = rowids
        if missing:
            self._stored.update(load_probes(conn, missing))
        return self._stored

    def check(self, conn: sqlite3.Connection, decisions: Sequence[Decision]) -> list[SimilarRow]:
        """Warnings for the CREATE decisions of one batch, in row order."""
        creates = [d for d in decisions if d.action is Action.CREATE]
        if not creates:
            return []
        if self._ceiling is None:
            self._ceiling = conn.execute("SELECT coalesce(max(rowid), 0) FROM customer").fetchone()[0]
        if not self._ceiling:
            return []  # nobody was stored before the import
        candidates = self._candidates(conn, creates, [_Keys.of(d.values) for d in creates])
        stored = self._probes(conn, {rowid for _, found in candidates for rowid in found})
        best: list[tuple[Decision, str, PairScore]] = []
        for decision, found in candidates:
            probe = Probe.from_fields(decision.values)
            scored: list[tuple[int, str, PairScore]] = []
            for rowid in found:
                customer_id, other = stored[rowid]
                result = score_pair(probe, other)
                if result.shares_contact or (result.score >= WARN_SCORE and result.agreements >= 2):
                    scored.append((result.score, customer_id, result))
            if scored:
                _score, customer_id, result = min(scored, key=lambda s: (-s[0], s[1]))
                best.append((decision, customer_id, result))
        records = load_records(conn, {customer_id for _, customer_id, _ in best}) if best else {}
        warnings: list[SimilarRow] = []
        for decision, customer_id, result in best:
            record = records.get(customer_id)
            if record is None:
                continue
            similar = SimilarCustomer(record, result.score, result.reasons, result.differences)
            warnings.append(SimilarRow(
                decision.row, _file_name(decision.values), record.id, record.customer_no or "", record.display_name,
                (record.company_id if record.kind == "corporate" else record.national_id) or "",
                result.score, result.reasons, similar.warning()))
        return warnings

    # -- candidates ---------------------------------------------------------------------------
    def _candidates(self, conn: sqlite3.Connection, creates: Sequence[Decision],
                    keys: Sequence[_Keys]) -> list[tuple[Decision, set[int]]]:
        """The rows with candidates, each with the rowids of its candidates."""
        by_national = self._lookup(conn, "national_id", {k.ident for k in keys if not k.corporate})
        by_company = self._lookup(conn, "company_id", {k.ident for k in keys if k.corporate})
        by_mobile = self._lookup(conn, "mobile", {k.mobile for k in keys})
        by_org = self._lookup(conn, "org_key", {n for k in keys if k.corporate for n in k.names})
        self._load_groups(conn, {n for k in keys if not k.corporate for n in k.names})
        found: list[tuple[Decision, set[int]]] = []
        for decision, key in zip(creates, keys, strict=True):
            rows: set[int] = set((by_company if key.corporate else by_national).get(key.ident, ()))
            rows.update(by_mobile.get(key.mobile, ()))
            if key.corporate:
                for name in key.names:
                    rows.update(by_org.get(name, ()))
            elif key.first:
                sketch: Sketch | None = None
                for name in key.names:
                    namesakes = self._namesakes(name, key.first)
                    if not namesakes.all:
                        continue
                    if sketch is None:
                        sketch = block_keys(tuple(decision.values.get(c) for c in SKETCH_COLUMNS))[1]
                    rows.update(rowid for rowid, other in namesakes.worth_scoring(sketch) if _may_warn(sketch, other))
            if rows:
                found.append((decision, rows))
        return found

    def _lookup(self, conn: sqlite3.Connection, column: str, values: Iterable[str]) -> dict[str, list[int]]:
        """Stored customers by one indexed column: {value: [rowid]}."""
        found: dict[str, list[int]] = defaultdict(list)
        for chunk in _chunks(sorted(v for v in values if v)):
            sql = (f"SELECT {column}, rowid FROM customer WHERE {column} IN ({', '.join('?' * len(chunk))})"
                   f" AND {LIVE} AND rowid <= ?")
            for value, rowid in conn.execute(sql, [*chunk, self._ceiling]):
                found[value].append(rowid)
        return found

    def _load_groups(self, conn: sqlite3.Connection, keys: set[str]) -> None:
        """Reads the customers of each last-name key not read yet (at most ``NAME_ROWS`` per key)."""
        missing = sorted(k for k in keys if k not in self._groups)
        if not missing:
            return
        if self._group_rows > GROUP_CACHE_ROWS:
            self._groups.clear()
            self._close.clear()
            self._group_rows = 0
            missing = sorted(keys)
        columns = ", ".join(("last_key", "rowid", "first_key", *SKETCH_COLUMNS))
        for key in missing:
            self._groups[key] = []
        for chunk in _chunks(missing):
            sql = (f"SELECT {columns} FROM customer WHERE last_key IN ({', '.join('?' * len(chunk))})"
                   f" AND {LIVE} AND rowid <= ?")
            for row in conn.execute(sql, [*chunk, self._ceiling]):
                group = self._groups[row[0]]
                if len(group) < NAME_ROWS:
                    group.append((row[1], name_key(row[2]), block_keys(row[3:])[1]))
                    self._group_rows += 1

    def _namesakes(self, last_key: str, first: str) -> _Namesakes:
        """Customers of this last-name key whose first name is close to ``first`` (as ``find_similar`` picks)."""
        found = self._close.get((last_key, first))
        if found is None:
            group = self._groups.get(last_key, [])
            matches = process.extract(first, [g[1] for g in group], scorer=fuzz.ratio,
                                      score_cutoff=FIRST_NAME_SIMILAR, limit=None)
            found = _Namesakes([(group[index][0], group[index][2]) for _, _, index in matches])
            self._close[(last_key, first)] = found
        return found


def _may_warn(probe: Sketch, other: Sketch) -> bool:
    """Whether a namesake could warn at all: a shared mobile or e-mail, or a score that can reach the bar."""
    if (probe.mobile and probe.mobile == other.mobile) or (probe.email and probe.email == other.email):
        return True
    return score_bound(probe, other) >= WARN_SCORE


@lru_cache(maxsize=50_000)
def _variants(last_name: str) -> tuple[str, ...]:
    """``name_variants`` of a last name (they repeat: a branch has a few thousand)."""
    return tuple(name_variants(last_name))


def _file_name(values: dict[str, Any]) -> str:
    if values.get("kind") == "corporate":
        return _text(values.get("company_name"))
    return " ".join(n for n in (_text(values.get("first_name")), _text(values.get("last_name"))) if n)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start:start + QUERY_CHUNK]
