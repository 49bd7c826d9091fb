"""Plain records the sync loop hands to the window: the signed-in clerk's credentials and the loop's state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from crm_desktop.services.changes import Changes


class ClerkCredentials:
    """The signed-in clerk's username and password, kept in memory only while signed in.

    The server's token is issued for the clerk (design §6), so the loop needs them; ``clear()`` at sign-out
    drops the password (Python cannot wipe a string, but nothing keeps a reference after that).
    """

    def __init__(self, username: str, password: str) -> None:
        self.username, self._password = username, password

    @property
    def password(self) -> str:
        return self._password

    @property
    def cleared(self) -> bool:
        return not self._password

    def clear(self) -> None:
        self._password = ""

    def __repr__(self) -> str:  # never print the password into a log
        return f"ClerkCredentials({self.username!r}, ***)"


class Phase(Enum):
    IDLE = "idle"  # waiting for the next round
    SYNCING = "syncing"
    RETRYING = "retrying"  # the last round failed; the retry timer runs
    HALTED = "halted"  # refused for good (wrong password, revoked desk...): waits for "sync now"
    STOPPED = "stopped"  # signed out, locked or closed


@dataclass(frozen=True)
class LoopState:
    phase: Phase = Phase.STOPPED
    error: str = ""  # the Persian reason of the last failure
    retry_in_s: float | None = None  # seconds to the next try after a failure


#: Tables whose rows feed a screen, and how a row names what changed: (Changes field, data column or "pk").
_ROUTES: dict[str, tuple[tuple[str, str], ...]] = {
    "customer": (("customers", "pk"),),
    "product": (("customers", "customer_id"),),
    "interaction": (("interactions", "pk"), ("customers", "customer_id")),
    "service_request": (("requests", "pk"), ("customers", "customer_id")),
    "request_status_change": (("requests", "request_id"),),
    "duplicate_dismissal": (("customers", "customer_a"), ("customers", "customer_b")),
    "app_user": (("users", "pk"),),
}
_SETTINGS_TABLES = frozenset({"branch", "sla_policy", "holiday", "setting"})


@dataclass
class Touched:
    """What the server sent in one round (push checkpoints and pull pages), gathered as ``Changes``."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in
                                                              ("customers", "interactions", "requests", "users")})
    settings: bool = False

    def add(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            tbl = str(row.get("tbl", ""))
            if tbl in _SETTINGS_TABLES:
                self.settings = True
            data = row.get("data") or {}
            for kind, column in _ROUTES.get(tbl, ()):
                value = row.get("pk") if column == "pk" else data.get(column)
                if value:
                    self.ids[kind].add(str(value))

    def changes(self) -> Changes:
        return Changes(customers=frozenset(self.ids["customers"]), interactions=frozenset(self.ids["interactions"]),
                       requests=frozenset(self.ids["requests"]), users=frozenset(self.ids["users"]),
                       settings=self.settings)
