"""Search-key normalization for Persian (and mixed) text.

``normalize`` is built to be idempotent by construction:

1. one ``str.translate`` table handles every Arabic/Persian special case; its values
   were iterated to a fixed point when the table was built, so they hold no key of it;
2. ``str.casefold`` then folds Latin (and other) case; its output never contains a
   key of the table and is stable under a second casefold;
3. ``str.split``/``join`` folds every whitespace run to one space and strips.

``tests/persian/test_normalize.py`` checks these facts for every code point.
"""

from __future__ import annotations

import unicodedata

from crm_desktop.persian.digits import ARABIC_DIGITS, ASCII_DIGITS, PERSIAN_DIGITS

PERSIAN_YEH = "ی"  # U+06CC
PERSIAN_KEHEH = "ک"  # U+06A9
ZWNJ = "\u200c"

# Arabic letter forms folded into their Persian (or plain) counterparts.
_LETTERS: dict[str, str] = {
    "ي": PERSIAN_YEH,  # U+064A ARABIC YEH
    "ى": PERSIAN_YEH,  # U+0649 ALEF MAKSURA
    "ك": PERSIAN_KEHEH,  # U+0643 ARABIC KAF
    "ڪ": PERSIAN_KEHEH,  # U+06AA SWASH KAF
    "ة": "ه",  # U+0629 TEH MARBUTA
    "ۀ": "ه",  # U+06C0 HEH WITH YEH ABOVE (ezafe)
    "ھ": "ه",  # U+06BE HEH DOACHASHMEE
    "أ": "ا",  # U+0623 ALEF WITH HAMZA ABOVE
    "إ": "ا",  # U+0625 ALEF WITH HAMZA BELOW
    "ٱ": "ا",  # U+0671 ALEF WASLA
    # «آ» (U+0622) is kept: Persian writes it as a letter of its own.
}

# Invisible characters that separate words: each becomes a space.
ZERO_WIDTH_SEPARATORS: frozenset[str] = frozenset(
    [
        "\u200b",  # ZERO WIDTH SPACE
        ZWNJ,  # ZERO WIDTH NON-JOINER
        "\u200d",  # ZERO WIDTH JOINER
        "\u200e",  # LEFT-TO-RIGHT MARK
        "\u200f",  # RIGHT-TO-LEFT MARK
        "\u061c",  # ARABIC LETTER MARK
        "\u2060",  # WORD JOINER
        "\ufeff",  # ZERO WIDTH NO-BREAK SPACE / BOM
        *(chr(cp) for cp in range(0x202A, 0x202F)),  # bidi embeddings and overrides
        *(chr(cp) for cp in range(0x2066, 0x206A)),  # bidi isolates
    ]
)

# Marks removed outright: harakat, superscript alef, tatweel, soft hyphen.
_REMOVED: frozenset[str] = frozenset([*(chr(cp) for cp in range(0x064B, 0x0660)), "\u0670", "\u0640", "\u00ad"])

# Arabic presentation forms (A and B), folded to base letters through NFKC.
_PRESENTATION_RANGES = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))


def _base_map(ch: str) -> str:
    """One pass of the per-character rules (before case folding)."""
    if ch in ZERO_WIDTH_SEPARATORS:
        return " "
    if ch in _REMOVED:
        return ""
    if ch in _LETTERS:
        return _LETTERS[ch]
    if ch in PERSIAN_DIGITS:
        return ASCII_DIGITS[PERSIAN_DIGITS.index(ch)]
    if ch in ARABIC_DIGITS:
        return ASCII_DIGITS[ARABIC_DIGITS.index(ch)]
    if any(ord(ch) in r for r in _PRESENTATION_RANGES):
        return unicodedata.normalize("NFKC", ch)
    return ch


def _fixed_point(ch: str) -> str:
    """Apply ``_base_map`` to ``ch`` and its output until nothing changes."""
    current = ch
    while True:
        following = "".join(_base_map(c) for c in current)
        if following == current:
            return current
        current = following


def _build_table() -> dict[int, str]:
    sources = [
        *ZERO_WIDTH_SEPARATORS,
        *_REMOVED,
        *_LETTERS,
        *PERSIAN_DIGITS,
        *ARABIC_DIGITS,
        *(chr(cp) for r in _PRESENTATION_RANGES for cp in r),
    ]
    table: dict[int, str] = {}
    for ch in sources:
        mapped = _fixed_point(ch)
        if mapped != ch:
            table[ord(ch)] = mapped
    return table


_TABLE = _build_table()


def normalize(text: str) -> str:
    """Return the search key of ``text``.

    Arabic ي ى ك ة أ إ become Persian ی ک ه ا (آ stays), digits become Latin, diacritics
    and tatweel vanish, ZWNJ and other invisible separators become spaces, case is folded,
    whitespace runs become one space and the ends are stripped. Idempotent.
    """
    return " ".join(text.translate(_TABLE).casefold().split())
