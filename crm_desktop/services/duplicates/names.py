"""Persian-aware keys for comparing names and identifiers of possibly duplicate customers.

``normalize`` (the search key) already folds Arabic ي/ك/ة into Persian ی/ک/ه, digits, diacritics and
ZWNJ. For duplicates we go further:

* ``name_key``: آ/ا, hamza seats (ئ ؤ ء) and every space or ZWNJ inside a name are folded, so «علی‌رضا»,
  «عليرضا» and «علی رضا» have one key;
* ``name_skeleton``: a coarse, phonetic-ish key for blocking: letters Persian writes alike are folded
  (ث/س/ص, ذ/ز/ض/ظ, ت/ط, ح/ه, غ/ق), the long vowels ا/و/ی dropped and repeats collapsed, so «اسماعیل»
  and «اسمعیل», «مرتضی» and «مرتضا», «داوود» and «داود» meet in one block.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crm_desktop.persian import digits_only, normalize

_NAME_FOLD = str.maketrans({"آ": "ا", "ئ": "ی", "ؤ": "و", "ء": None, " ": None})
_SKELETON_FOLD = str.maketrans({
    "ث": "س", "ص": "س", "ذ": "ز", "ض": "ز", "ظ": "ز", "ط": "ت", "ح": "ه", "غ": "ق",
    "ا": None, "و": None, "ی": None,
})
_REPEATS = re.compile(r"(.)\1+")
_EMAIL_SPACES = re.compile(r"\s+")
#: Names repeat (a branch has a few thousand distinct first and last names), so their keys are cached.
_CACHE = 100_000


def name_key(text: str | None) -> str:
    """One key for the spellings of a name: Arabic/Persian letters, آ/ا, hamza, spaces and ZWNJ folded."""
    return _name_key(text) if text else ""


def name_skeleton(text: str | None) -> str:
    """A coarse key of a name for blocking: sound-alike letters folded, long vowels dropped."""
    return _name_skeleton(text) if text else ""


@lru_cache(maxsize=_CACHE)
def _name_key(text: str) -> str:
    return normalize(text).translate(_NAME_FOLD)


@lru_cache(maxsize=_CACHE)
def _name_skeleton(text: str) -> str:
    key = _name_key(text)
    if not key:
        return ""
    skeleton = _REPEATS.sub(r"\1", key.translate(_SKELETON_FOLD))
    # A name of long vowels only («آیا») keeps its key rather than vanishing.
    return skeleton or key


def national_id_key(text: str | None) -> str:
    """The ten digits of a national ID however it was typed (Persian digits, dashes, lost leading zeros)."""
    return _id_key(text, 10)


def company_id_key(text: str | None) -> str:
    """The eleven digits of a company's national ID however it was typed."""
    return _id_key(text, 11)


def _id_key(text: str | None, length: int) -> str:
    if not text:
        return ""
    if len(text) == length and text.isascii() and text.isdigit():  # as stored: skip the clean-up
        return text if len(set(text)) > 1 else ""
    digits = digits_only(text)
    if length - 2 <= len(digits) < length:
        digits = digits.zfill(length)
    if len(digits) != length or len(set(digits)) == 1:
        return ""  # not an ID at all, or a placeholder such as 0000000000
    return digits


def mobile_key(text: str | None) -> str:
    """A mobile number as «09xxxxxxxxx» from 0912…, +98912…, 0098912…, 912… or ۰۹۱۲…; empty when it is not one."""
    if not text:
        return ""
    if len(text) == 11 and text.startswith("09") and text.isascii() and text.isdigit():  # as stored
        return text if len(set(text[4:])) > 1 else ""
    digits = digits_only(text)
    if digits.startswith("0098"):
        digits = digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = digits[2:]
    digits = digits.removeprefix("0")
    if len(digits) != 10 or not digits.startswith("9") or len(set(digits[3:])) == 1:
        return ""
    return "0" + digits


def email_key(text: str | None) -> str:
    if not text:
        return ""
    value = _EMAIL_SPACES.sub("", text).lower()
    return value if "@" in value else ""


def digits_key(text: str | None) -> str:
    """Postal codes and registration numbers: their digits, in any script."""
    return digits_only(text) if text else ""
