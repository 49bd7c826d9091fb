"""What a write changed, so that screens redraw only what they must."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    customers: frozenset[str] = frozenset()
    interactions: frozenset[str] = frozenset()
    requests: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()
    settings: bool = False


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A write's result, what it changed, and warnings the user should see (in Persian)."""

    value: T
    changes: Changes = field(default_factory=Changes)
    warnings: tuple[str, ...] = ()
