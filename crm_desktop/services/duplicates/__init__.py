"""Persian-aware duplicate customers: blocking keys, a 0–100 score with Persian reasons, groups, dismissals.

``DuplicateService`` is the entry point (scan a branch, warn while typing, remember "not a duplicate");
``names`` holds the name and identifier keys, ``blocking`` the candidate pairs, ``scoring`` the score,
``scan`` and ``similar`` the reads.
"""

from __future__ import annotations

from crm_desktop.services.duplicates.finder import DEFAULT_MIN_SCORE, DuplicateService
from crm_desktop.services.duplicates.records import (
    DuplicateGroup,
    DuplicatePair,
    DuplicateRecord,
    DuplicateScan,
    SimilarCustomer,
)

__all__ = [
    "DEFAULT_MIN_SCORE",
    "DuplicateGroup",
    "DuplicatePair",
    "DuplicateRecord",
    "DuplicateScan",
    "DuplicateService",
    "SimilarCustomer",
]
