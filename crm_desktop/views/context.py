"""What every screen needs, handed down in constructors (never looked up in globals)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from crm_desktop.config import UserSettings
from crm_desktop.services import Services
from crm_desktop.services.actor import Actor
from crm_desktop.views.change_bus import ChangeBus
from crm_desktop.views.errors import Messages
from crm_desktop.views.tasks import TaskRunner


@dataclass
class AppContext:
    services: Services
    runner: TaskRunner
    bus: ChangeBus
    actor: Actor
    settings: UserSettings
    db_path: Path
    messages: Messages

    def with_actor(self, actor: Actor) -> AppContext:
        return replace(self, actor=actor)
