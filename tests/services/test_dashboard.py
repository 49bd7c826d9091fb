"""The dashboard's figures: counted from the records, scoped by branch, refused to clerks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_desktop.persian.validators import make_national_id
from crm_desktop.services.errors import PermissionDenied
from crm_desktop.services.interactions import InteractionInput
from crm_desktop.services.records import CustomerInput
from crm_desktop.services.service_requests import RequestInput


def _customer(world, serial: str, *, segment: str = "mass", branch_id: str | None = None, actor=None) -> str:
    last_name = "کریمی" + "ابپ"[int(serial[-1]) % 3]
    data = CustomerInput(first_name="علی", last_name=last_name, national_id=make_national_id(serial),
                         segment=segment, branch_id=branch_id)
    return world.services.customers.create(actor or world.clerk, data).value.id


def test_manager_sees_own_branch_counts(world):
    services = world.services
    first = _customer(world, "001234567", segment="affluent")
    _customer(world, "001234568")
    _customer(world, "007654321", branch_id=world.other_branch_id, actor=world.other_clerk)
    services.interactions.log(world.clerk, InteractionInput(customer_id=first, channel="phone", direction="inbound",
                                                            subject="پرسش درباره وام"))
    late = services.requests.open(world.clerk, RequestInput(customer_id=first, category="complaint",
                                                            priority="high", subject="کارت مسدود")).value
    done = services.requests.open(world.clerk, RequestInput(customer_id=first, category="inquiry",
                                                            priority="normal", subject="موجودی")).value
    services.requests.transition(world.manager, done.id, "assign", assignee_id=world.clerk.user_id)
    services.requests.transition(world.clerk, done.id, "start")
    services.requests.transition(world.clerk, done.id, "resolve", resolution="پاسخ داده شد")
    services.requests.transition(world.clerk, done.id, "close", satisfaction=4)
    world.clock.advance(days=10)

    figures = services.dashboard.figures(world.manager)
    assert figures.customers == 2
    assert dict(figures.by_segment) == {"affluent": 1, "mass": 1}
    assert figures.open_requests == 1
    assert figures.overdue == 1 and late.due_at < world.clock()
    assert figures.closed_this_month == 1 and figures.closed_in_time_this_month == 1
    assert figures.in_time_share == 1.0
    assert figures.average_satisfaction == 4.0
    assert dict(figures.interactions_by_channel) == {"phone": 1}
    assert figures.month_start <= world.clock() - timedelta(days=10)

    everywhere = services.dashboard.figures(world.auditor)
    assert everywhere.customers == 3
    assert services.dashboard.figures(world.admin, branch_id=world.other_branch_id).customers == 1


def test_clerk_may_not_read_the_dashboard(world):
    with pytest.raises(PermissionDenied):
        world.services.dashboard.figures(world.clerk)
