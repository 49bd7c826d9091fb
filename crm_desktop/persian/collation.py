"""A sort key whose plain code-point order is Persian alphabetical order.

The key can live in an indexed TEXT column and be compared with SQLite's default
BINARY collation (UTF-8 byte order is code-point order). Order of character groups:

    space < digits 0–9 < Persian letters < Latin a–z < everything else

* Space is lowest, so «علی» < «علی اکبر» < «علیرضا».
* Persian letters follow the alphabet «ء آ ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف
  ق ک گ ل م ن و ؤ ه ی ئ»: «آ» is a letter of its own just before «ا» (as in Persian
  dictionaries, so «آرش» < «احمد»), «ء» opens the alphabet, «ؤ» follows «و» and «ئ»
  follows «ی». «أ إ ي ك ة …» never reach this table: ``normalize`` folds them first.
* Latin letters (already case-folded) come after Persian ones.
* Any other character sorts after all of these, in code-point order among themselves.

Known characters become one character each from the Private Use Area starting at
U+E000; an unknown character becomes U+F8FF followed by itself. No token is a prefix
of another, so comparing keys compares the token sequences. Keys hold no tie-breaker:
texts with the same ``normalize`` result get the same key, and the key of a prefix
is a prefix of the key, which allows range scans for prefix search.
"""

from __future__ import annotations

from crm_desktop.persian.normalize import normalize

PERSIAN_ALPHABET = "ءآابپتثجچحخدذرزژسشصضطظعغفقکگلمنوؤهیئ"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"

_BASE = 0xE000
_UNKNOWN_MARK = "\uf8ff"

_ORDER = " " + DIGITS + PERSIAN_ALPHABET + LATIN_ALPHABET
_TOKENS: dict[str, str] = {ch: chr(_BASE + rank) for rank, ch in enumerate(_ORDER)}


def _token(ch: str) -> str:
    """The key fragment of one normalized character."""
    known = _TOKENS.get(ch)
    return known if known is not None else _UNKNOWN_MARK + ch


def persian_sort_key(text: str) -> str:
    """Return a key whose binary order is the Persian alphabetical order of ``text``."""
    return "".join(_token(ch) for ch in normalize(text))
