"""Use cases of the CRM, behind one facade. No Qt here: views call these, nothing lower.

Every write validates its input, checks the actor's permission, and commits
fully or not at all; errors are ``CrmError`` subclasses with Persian messages.
"""

from __future__ import annotations

from argon2 import PasswordHasher

from crm_desktop.db import Database
from crm_desktop.models import utc_now
from crm_desktop.services.audit import AuditService
from crm_desktop.services.base import Clock
from crm_desktop.services.calendar import CalendarService
from crm_desktop.services.customer_search import CustomerSearch
from crm_desktop.services.customers import CustomerService
from crm_desktop.services.dashboard import DashboardService
from crm_desktop.services.duplicates import DuplicateService
from crm_desktop.services.exports import ExportService
from crm_desktop.services.importing import ImportService
from crm_desktop.services.interactions import InteractionService
from crm_desktop.services.maintenance import MaintenanceService
from crm_desktop.services.merge import MergeService
from crm_desktop.services.reports import ReportService
from crm_desktop.services.service_requests import ServiceRequestService
from crm_desktop.services.sync_conflicts import SyncConflictService
from crm_desktop.services.sync_state import SyncStateService
from crm_desktop.services.users import UserService


class Services:
    """Everything the app can do with one database."""

    def __init__(self, db: Database, *, clock: Clock = utc_now, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.customers = CustomerService(db, clock)
        self.search = CustomerSearch(db, clock)
        self.interactions = InteractionService(db, clock)
        self.requests = ServiceRequestService(db, clock)
        self.calendar = CalendarService(db, clock)
        self.users = UserService(db, clock, hasher)
        self.audit = AuditService(db, clock)
        self.sync_state = SyncStateService(db, clock)
        self.sync_conflicts = SyncConflictService(db, clock)
        self.maintenance = MaintenanceService(db, clock)
        self.dashboard = DashboardService(db, clock)
        self.reports = ReportService(db, clock)
        self.exports = ExportService(db, clock)
        self.merge = MergeService(db, clock)
        self.duplicates = DuplicateService(db, clock)
        self.imports = ImportService(db, clock)


__all__ = ["Services"]
