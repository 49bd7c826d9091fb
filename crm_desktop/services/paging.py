"""Keyset pages: the next page starts after the last row's sort key, never at an OFFSET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

#: The sort tuple of the last row of a page, e.g. ``(sort_key, id)``.
PageKey = tuple[str, ...]


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_key: PageKey | None

    @property
    def exhausted(self) -> bool:
        return self.next_key is None
