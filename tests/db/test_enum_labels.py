"""Every enum member has its own Persian label, even when two enums share a value."""

from __future__ import annotations

from crm_desktop.models import enums


def test_corporate_kind_and_corporate_segment_keep_their_own_labels() -> None:
    assert enums.CustomerKind.CORPORATE.label == "مشتری حقوقی"
    assert enums.Segment.CORPORATE.label == "شرکتی"


def test_every_member_of_every_labeled_enum_has_a_persian_label() -> None:
    labeled = [e for e in vars(enums).values()
               if isinstance(e, type) and issubclass(e, enums.LabeledEnum) and e is not enums.LabeledEnum]
    assert len(labeled) >= 10
    for enum in labeled:
        for member in enum:
            assert any("\u0600" <= ch <= "\u06ff" for ch in member.label), member
