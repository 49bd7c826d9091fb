"""SQLAlchemy 2.x typed entities. No queries and no sessions live here."""

from crm_desktop.models.base import Base, SyncedMixin, new_id, utc_now
from crm_desktop.models.branch import Branch, LoginState, User
from crm_desktop.models.customer import Customer
from crm_desktop.models.dedupe import DuplicateDismissal
from crm_desktop.models.interaction import Interaction
from crm_desktop.models.journal import AccessLogEntry, AppMeta, JournalEntry, SyncContext
from crm_desktop.models.product import Product
from crm_desktop.models.service_request import (
    Holiday,
    RequestSequence,
    RequestStatusChange,
    ServiceRequest,
    Setting,
    SlaPolicyRow,
)
from crm_desktop.models.sync_local import LocalConflict, RejectedOp, SyncRowVersion, SyncStateEntry

#: Business tables that are journaled and synced, in dependency order.
SYNCED_MODELS: tuple[type[SyncedMixin], ...] = (
    Branch,
    User,
    Customer,
    Product,
    Interaction,
    ServiceRequest,
    RequestStatusChange,
    SlaPolicyRow,
    Holiday,
    Setting,
    DuplicateDismissal,
)

__all__ = [
    "SYNCED_MODELS",
    "AccessLogEntry",
    "AppMeta",
    "Base",
    "Branch",
    "Customer",
    "DuplicateDismissal",
    "Holiday",
    "Interaction",
    "JournalEntry",
    "LocalConflict",
    "LoginState",
    "Product",
    "RejectedOp",
    "RequestSequence",
    "RequestStatusChange",
    "ServiceRequest",
    "Setting",
    "SlaPolicyRow",
    "SyncContext",
    "SyncRowVersion",
    "SyncStateEntry",
    "SyncedMixin",
    "User",
    "new_id",
    "utc_now",
]
