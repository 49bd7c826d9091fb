"""Blocking: only customers that share a key are ever compared, so the scan is not all-pairs.

Each customer gives a few keys, each of which already implies agreement worth checking: the national ID
(digits only), the mobile, the e-mail, the name's skeleton with the birth year, the name's skeleton with
the father's name (for records without a birth date), and for companies their national ID and the name's
skeleton. Keys are kept as 36-bit hashes packed with a family tag and the row's index into one 64-bit integer,
so a million customers cost tens of megabytes; a hash collision only adds a pair that the scoring then rejects.

Name-and-father blocks are large and only matter when a birth date is missing (two dated records of one
name and year already meet in the name-and-year block), so their pairs are kept only when one side is undated.

Beside the keys each row leaves a *sketch* (its IDs, mobile, e-mail and birth date as integers), from which
``scoring.score_bound`` tells, without reading the rows again, that a pair cannot reach the threshold: the
common case of two namesakes born the same year with different national IDs.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from crm_desktop.services.duplicates.names import (
    company_id_key,
    email_key,
    mobile_key,
    name_key,
    name_skeleton,
    national_id_key,
)
from crm_desktop.services.duplicates.probe import parse_date
from crm_desktop.services.duplicates.scoring import Sketch, score_bound

INDEX_BITS = 24  # up to 16.7 million customers in one scan
MAX_ROWS = 1 << INDEX_BITS
_INDEX_MASK = MAX_ROWS - 1
_HASH_MASK = (1 << 36) - 1
_FAMILY_BITS = 3
_UNDATED_FAMILY = 1  # the tag of name-and-father keys
_FAMILIES = {"f": _UNDATED_FAMILY}
#: A block larger than this says nothing about its members (a placeholder mobile typed for hundreds of
#: customers, a very common name in one year): it is skipped and counted instead of compared pairwise.
MAX_BLOCK = 60
#: The stored columns a row brings, in this order.
COLUMNS = ("kind", "first_name", "last_name", "father_name", "national_id", "birth_date", "company_name",
           "company_id", "mobile", "email")


def block_keys(row: tuple[Any, ...]) -> tuple[list[str], Sketch]:
    """The blocking keys and the sketch of one customer (a row of ``COLUMNS``, stored values)."""
    kind, first_name, last_name, father_name, national_id, birth_date, company_name, company_id, mobile, email = row
    keys: list[str] = []
    corporate = kind == "corporate"
    birth = _birth_number(birth_date)
    phone = mobile_key(mobile) if mobile else ""
    mail = email_key(email) if email else ""
    if phone:
        keys.append("m" + phone)
    if mail:
        keys.append("e" + mail)
    if corporate:
        ident = company_id_key(company_id) if company_id else ""
        if ident:
            keys.append("c" + ident)
        if company_name and (o := name_skeleton(company_name)):
            keys.append("o" + o)
    else:
        ident = national_id_key(national_id) if national_id else ""
        if ident:
            keys.append("n" + ident)
        first, last = name_skeleton(first_name), name_skeleton(last_name)
        if first or last:
            name = f"{first}|{last}" if first < last else f"{last}|{first}"
            if birth:
                keys.append(f"y{name}|{birth // 10_000}")
            if father_name and (f := name_key(father_name)):
                keys.append(f"f{name}|{name_skeleton(f)}")
    sketch = Sketch(corporate, int(ident) if ident else 0, int(phone) if phone else 0,
                    hash(mail) if mail else 0, birth)
    return keys, sketch


def _birth_number(value: object) -> int:
    """A birth date as YYYYMMDD, read exactly as the scoring reads it; 0 when absent or unreadable."""
    day = parse_date(value) if value else None
    return day.year * 10_000 + day.month * 100 + day.day if day else 0


class PairCollector:
    """Collects the keys and sketches of rows ``0..n-1``, then gives the pairs of rows worth scoring."""

    def __init__(self) -> None:
        self._entries = array("q")
        self._corporate = bytearray()
        self._ident = array("q")
        self._mobile = array("q")
        self._email = array("q")
        self._birth = array("l")
        self.oversized_blocks = 0
        self.bounded = 0  # pairs that shared a key but could not reach the threshold

    def __len__(self) -> int:
        return len(self._corporate)

    def add(self, row: tuple[Any, ...]) -> None:
        """The next row (of ``COLUMNS``); rows are numbered 0, 1, 2 … in the order they are added."""
        index = len(self._corporate)
        if index >= MAX_ROWS:
            raise ValueError("too many customers for one scan")
        keys, sketch = block_keys(row)
        self._corporate.append(sketch.corporate)
        self._ident.append(sketch.ident)
        self._mobile.append(sketch.mobile)
        self._email.append(sketch.email)
        self._birth.append(sketch.birth)
        entries = self._entries
        for key in keys:
            tagged = ((hash(key) & _HASH_MASK) << _FAMILY_BITS) | _FAMILIES.get(key[0], 0)
            entries.append((tagged << INDEX_BITS) | index)

    def sketch(self, index: int) -> Sketch:
        return Sketch(bool(self._corporate[index]), self._ident[index], self._mobile[index], self._email[index],
                      self._birth[index])

    def pairs(self, min_score: int = 0) -> list[int]:
        """Pairs packed as ``(i << INDEX_BITS) | j`` (``i < j``, sorted) that share a key and may reach
        ``min_score``; the collected keys are released."""
        entries = sorted(self._entries)
        self._entries = array("q")
        birth = self._birth
        found: set[int] = set()
        for family, block in _blocks(entries):
            if len(block) > MAX_BLOCK:
                self.oversized_blocks += 1
                continue
            members = sorted(set(block))
            for n, i in enumerate(members):
                high = i << INDEX_BITS
                for j in members[n + 1:]:
                    if family != _UNDATED_FAMILY or birth[i] == 0 or birth[j] == 0:
                        found.add(high | j)
        kept = [pair for pair in found if score_bound(self.sketch(pair >> INDEX_BITS),
                                                      self.sketch(pair & _INDEX_MASK)) >= min_score]
        self.bounded = len(found) - len(kept)
        kept.sort()
        return kept


def unpack(pair: int) -> tuple[int, int]:
    return pair >> INDEX_BITS, pair & _INDEX_MASK


def _blocks(entries: list[int]) -> Iterator[tuple[int, list[int]]]:
    """Runs of entries with the same key hash: (family tag, row indexes); runs of one are skipped."""
    family_mask = (1 << _FAMILY_BITS) - 1
    current_key = -1
    run: list[int] = []
    for entry in entries:
        key = entry >> INDEX_BITS
        if key != current_key:
            if len(run) > 1:
                yield current_key & family_mask, run
            current_key, run = key, []
        run.append(entry & _INDEX_MASK)
    if len(run) > 1:
        yield current_key & family_mask, run
