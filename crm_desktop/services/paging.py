"""Keyset pages: the next page starts after the last row's sort key, never at an OFFSET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from crm_desktop.services.errors import InvalidInput

T = TypeVar("T")

#: The sort tuple of the last row of a page, e.g. ``(sort_key, id)``.
PageKey = tuple[str, ...]


def check_limit(limit: object, maximum: int = 1000) -> int:
    """The page size, or ``InvalidInput`` when it is not a whole number from 1 to ``maximum``."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= maximum:
        raise InvalidInput({"limit": "اندازه صفحه نامعتبر است."})
    return limit


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_key: PageKey | None

    @property
    def exhausted(self) -> bool:
        return self.next_key is None
