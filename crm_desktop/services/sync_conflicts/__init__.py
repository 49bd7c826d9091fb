"""The sync inbox: conflicts that need a person and changes the server refused (see ``service``)."""

from __future__ import annotations

from crm_desktop.services.sync_conflicts.service import PENDING, ConflictCard, ParkedChange, SyncConflictService

__all__ = ["PENDING", "ConflictCard", "ParkedChange", "SyncConflictService"]
