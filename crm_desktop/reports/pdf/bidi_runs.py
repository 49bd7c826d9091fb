"""Unicode bidi for one line of a right-to-left document: level runs in visual order.

The levels come from python-bidi's implementation of the Unicode bidi algorithm
(rules X1–I2); what is left here is rule L1 for trailing spaces and the L2
reordering of whole runs (not characters), because each run is shaped on its own
by harfbuzz in its own direction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bidi import algorithm

# Bidi classes that can give a character a level other than the paragraph's (1).
_NOT_PLAIN_RTL = frozenset({"L", "EN", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_WHITESPACE = frozenset({"WS", "S", "B", "BN"})  # BN is skipped over, then follows its neighbour


@dataclass(frozen=True)
class Run:
    """``text[start:end]`` at one bidi level; odd levels run right to left."""

    start: int
    end: int
    level: int

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


def levels(text: str, base_level: int = 1) -> list[int]:
    """The resolved embedding level of every character of ``text`` (rules X1–I2 and L1)."""
    if not any(unicodedata.bidirectional(ch) in _NOT_PLAIN_RTL for ch in text):
        return [base_level] * len(text) if base_level == 1 else _resolve(text, base_level)
    return _resolve(text, base_level)


def _resolve(text: str, base_level: int) -> list[int]:
    storage = algorithm.get_empty_storage()
    storage["base_level"] = base_level
    storage["base_dir"] = ("L", "R")[base_level]
    algorithm.get_embedding_levels(text, storage)
    chars = list(storage["chars"])
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    kept = {id(ch) for ch in storage["chars"]}
    result: list[int | None] = [ch["level"] if id(ch) in kept else None for ch in chars]
    # Characters removed by rule X9 (ZWNJ, embedding controls) take their neighbour's level.
    for i in range(len(result)):
        if result[i] is None and i > 0:
            result[i] = result[i - 1]
    for i in range(len(result) - 1, -1, -1):
        if result[i] is None:
            result[i] = result[i + 1] if i + 1 < len(result) else base_level
    resolved = [level if level is not None else base_level for level in result]
    # L1: whitespace at the end of the line goes back to the paragraph level.
    i = len(text) - 1
    while i >= 0 and unicodedata.bidirectional(text[i]) in _WHITESPACE:
        resolved[i] = base_level
        i -= 1
    # A character the algorithm ignores (ZWNJ) rides with the one before it, so it never forms a run alone.
    for i in range(1, len(text)):
        if unicodedata.bidirectional(text[i]) == "BN":
            resolved[i] = resolved[i - 1]
    return resolved


@lru_cache(maxsize=65536)
def visual_runs(text: str, base_level: int = 1) -> tuple[Run, ...]:
    """The level runs of ``text``, left to right as they are shown (rule L2 on runs)."""
    if not text:
        return ()
    per_char = levels(text, base_level)
    runs: list[Run] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or per_char[i] != per_char[start]:
            runs.append(Run(start, i, per_char[start]))
            start = i
    highest = max(run.level for run in runs)
    lowest_odd = min((run.level for run in runs if run.level % 2), default=highest + 1)
    if lowest_odd % 2 == 0:
        lowest_odd += 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i].level >= level:
                j = i
                while j < len(runs) and runs[j].level >= level:
                    j += 1
                runs[i:j] = runs[i:j][::-1]
                i = j
            else:
                i += 1
    return tuple(runs)
