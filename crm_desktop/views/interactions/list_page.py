"""Placeholder until this section is built (being written now)."""

from __future__ import annotations

from crm_desktop.views.section import SectionPage


class InteractionsPage(SectionPage):
    pass
