"""Columns computed from others, the same on the desk and on the server.

The desk's journal leaves the customer's display name and search keys out (they derive from the
name fields), so the server recomputes them after every merge with exactly this function.
``crm_desktop.services.customer_fields.derived_keys`` should delegate here (one implementation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crm_desktop.persian import normalize, persian_sort_key


def customer_keys(row: Mapping[str, Any]) -> dict[str, Any]:
    """Display name, Persian sort key and normalized search keys of a customer row."""
    if row.get("kind") == "corporate":
        display = row.get("company_name") or ""
        return {"display_name": display, "sort_key": persian_sort_key(display), "name_key": normalize(display),
                "first_key": None, "last_key": None, "org_key": normalize(display)}
    first, last = row.get("first_name") or "", row.get("last_name") or ""
    display = f"{first} {last}"
    return {"display_name": display, "sort_key": persian_sort_key(f"{last} {first}"), "name_key": normalize(display),
            "first_key": normalize(first), "last_key": normalize(last), "org_key": None}


#: table -> function giving the derived columns from the whole (post-merge) row.
DERIVED: dict[str, Any] = {"customer": customer_keys}
