"""Closed vocabularies of the domain, with their Persian names (glossary words)."""

from __future__ import annotations

from enum import StrEnum


class LabeledEnum(StrEnum):
    """A string enum whose members know their Persian label."""

    @property
    def label(self) -> str:
        return _LABELS[type(self), self.value]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Role(LabeledEnum):
    CLERK = "clerk"
    MANAGER = "manager"
    ADMIN = "admin"
    AUDITOR = "auditor"


class CustomerKind(LabeledEnum):
    INDIVIDUAL = "individual"
    CORPORATE = "corporate"


class Gender(LabeledEnum):
    FEMALE = "female"
    MALE = "male"


class Segment(LabeledEnum):
    MASS = "mass"
    AFFLUENT = "affluent"
    PRIVATE = "private"
    SME = "sme"
    CORPORATE = "corporate"


class LifecycleStage(LabeledEnum):
    ACQUISITION = "acquisition"
    ENHANCEMENT = "enhancement"
    RETENTION = "retention"


class KycStatus(LabeledEnum):
    VERIFIED = "verified"
    PENDING = "pending"
    EXPIRED = "expired"


class ProductKind(LabeledEnum):
    CURRENT = "current"
    SAVINGS = "savings"
    TERM_DEPOSIT = "term_deposit"
    LOAN = "loan"
    CARD = "card"
    SAFE_BOX = "safe_box"


class ProductState(LabeledEnum):
    ACTIVE = "active"
    DORMANT = "dormant"
    BLOCKED = "blocked"
    CLOSED = "closed"


class BalanceBand(LabeledEnum):
    UNDER_100M = "lt_100m"
    UNDER_1B = "lt_1b"
    UNDER_10B = "lt_10b"
    OVER_10B = "ge_10b"


class Channel(LabeledEnum):
    BRANCH = "branch"
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    WEB = "web"
    FIELD = "field"


class Direction(LabeledEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Outcome(LabeledEnum):
    ANSWERED = "answered"
    FOLLOW_UP = "follow_up"
    SALE = "sale"
    REFERRED = "referred"
    NO_ANSWER = "no_answer"


class RequestCategory(LabeledEnum):
    COMPLAINT = "complaint"
    INQUIRY = "inquiry"
    REQUEST = "request"
    SUGGESTION = "suggestion"


class Priority(LabeledEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


# Pairs, not a dict keyed by member: members of two enums with the same value («corporate» is both a kind and a
# segment) are equal strings and would share one dict entry.
LABELS: tuple[tuple[StrEnum, str], ...] = (
    (Role.CLERK, "کارمند"),
    (Role.MANAGER, "رئیس شعبه"),
    (Role.ADMIN, "مدیر سامانه"),
    (Role.AUDITOR, "بازرس"),
    (CustomerKind.INDIVIDUAL, "مشتری حقیقی"),
    (CustomerKind.CORPORATE, "مشتری حقوقی"),
    (Gender.FEMALE, "زن"),
    (Gender.MALE, "مرد"),
    (Segment.MASS, "عمومی"),
    (Segment.AFFLUENT, "ممتاز"),
    (Segment.PRIVATE, "ویژه"),
    (Segment.SME, "کسب‌وکار کوچک"),
    (Segment.CORPORATE, "شرکتی"),
    (LifecycleStage.ACQUISITION, "جذب"),
    (LifecycleStage.ENHANCEMENT, "ارتقا"),
    (LifecycleStage.RETENTION, "حفظ"),
    (KycStatus.VERIFIED, "احراز شده"),
    (KycStatus.PENDING, "در انتظار احراز"),
    (KycStatus.EXPIRED, "منقضی"),
    (ProductKind.CURRENT, "حساب جاری"),
    (ProductKind.SAVINGS, "حساب پس‌انداز"),
    (ProductKind.TERM_DEPOSIT, "سپرده مدت‌دار"),
    (ProductKind.LOAN, "تسهیلات"),
    (ProductKind.CARD, "کارت بانکی"),
    (ProductKind.SAFE_BOX, "صندوق امانات"),
    (ProductState.ACTIVE, "فعال"),
    (ProductState.DORMANT, "راکد"),
    (ProductState.BLOCKED, "مسدود"),
    (ProductState.CLOSED, "بسته"),
    (BalanceBand.UNDER_100M, "کمتر از ۱۰۰ میلیون ریال"),
    (BalanceBand.UNDER_1B, "۱۰۰ میلیون تا ۱ میلیارد ریال"),
    (BalanceBand.UNDER_10B, "۱ تا ۱۰ میلیارد ریال"),
    (BalanceBand.OVER_10B, "بیش از ۱۰ میلیارد ریال"),
    (Channel.BRANCH, "مراجعه حضوری"),
    (Channel.PHONE, "تماس تلفنی"),
    (Channel.SMS, "پیامک"),
    (Channel.EMAIL, "پست الکترونیک"),
    (Channel.WEB, "وب / اینترنت‌بانک"),
    (Channel.FIELD, "بازدید میدانی"),
    (Direction.INBOUND, "ورودی"),
    (Direction.OUTBOUND, "خروجی"),
    (Outcome.ANSWERED, "پاسخ داده شد"),
    (Outcome.FOLLOW_UP, "نیاز به پیگیری"),
    (Outcome.SALE, "فروش محصول"),
    (Outcome.REFERRED, "ارجاع به واحد دیگر"),
    (Outcome.NO_ANSWER, "بدون پاسخ"),
    (RequestCategory.COMPLAINT, "شکایت"),
    (RequestCategory.INQUIRY, "استعلام"),
    (RequestCategory.REQUEST, "درخواست"),
    (RequestCategory.SUGGESTION, "پیشنهاد"),
    (Priority.LOW, "کم"),
    (Priority.NORMAL, "عادی"),
    (Priority.HIGH, "زیاد"),
    (Priority.URGENT, "فوری"),
)
_LABELS = {(type(member), member.value): text for member, text in LABELS}
