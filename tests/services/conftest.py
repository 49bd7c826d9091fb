"""Fixtures shared by the service tests."""

from tests.services.test_report_figures import history  # noqa: F401  (the seeded three-month history)
