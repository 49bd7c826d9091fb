"""HTTP errors of the service: a status, a stable code (``protocol.ErrorCode``) and a Persian message."""

from __future__ import annotations

from typing import Any

from crm_desktop.errors import CrmError
from crm_desktop.sync.protocol import ErrorCode

MESSAGES: dict[str, str] = {
    ErrorCode.EPOCH_MISMATCH: "سرور از نسخهٔ پشتیبان بازگردانی شده است؛ همگام‌سازی از نو آغاز می‌شود.",
    ErrorCode.OP_ID_REUSE: "شمارهٔ تغییری که پیش‌تر ارسال شده بود با محتوای دیگری دوباره آمده است.",
    ErrorCode.GAP: "ترتیب تغییرهای ارسالی گسسته است؛ از شمارهٔ مورد انتظار دوباره ارسال کنید.",
    ErrorCode.UPGRADE_REQUIRED: "نسخهٔ این برنامه برای همگام‌سازی قدیمی است؛ آن را به‌روز کنید.",
    ErrorCode.RESYNC_REQUIRED: "داده‌های این دستگاه باید از نو از سرور دریافت شود.",
    ErrorCode.DEVICE_REVOKED: "دسترسی این دستگاه به سرور لغو شده است.",
    ErrorCode.BAD_CREDENTIALS: "نام کاربری یا گذرواژه درست نیست.",
    ErrorCode.DEVICE_CREDENTIAL: "ثبت این دستگاه در سرور همگام‌سازی دیگر معتبر نیست (اعتبارنامهٔ دستگاه پذیرفته نشد)؛"
                                 " مدیر سامانه باید آن را دوباره ثبت کند.",
    ErrorCode.TOKEN_INVALID: "نشست همگام‌سازی منقضی یا نامعتبر است؛ دوباره وارد شوید.",
    ErrorCode.FORBIDDEN: "این کاربر در شعبهٔ این دستگاه اجازهٔ همگام‌سازی ندارد.",
    ErrorCode.BAD_CODE: "کد ثبت دستگاه نادرست، منقضی یا پیش‌تر استفاده شده است.",
    ErrorCode.DEVICE_MISMATCH: "شناسهٔ دستگاه در درخواست با نشست همخوانی ندارد.",
    ErrorCode.INVALID: "درخواست همگام‌سازی نامعتبر است.",
    ErrorCode.TOO_LARGE: "بستهٔ تغییرها بزرگ‌تر از حد مجاز است.",
    ErrorCode.BUSY: "سرور موقتاً پاسخ نمی‌دهد؛ کمی بعد دوباره تلاش می‌شود.",
}

STATUS: dict[str, int] = {
    ErrorCode.EPOCH_MISMATCH: 409,
    ErrorCode.OP_ID_REUSE: 409,
    ErrorCode.GAP: 422,
    ErrorCode.UPGRADE_REQUIRED: 426,
    ErrorCode.RESYNC_REQUIRED: 410,
    ErrorCode.DEVICE_REVOKED: 401,
    ErrorCode.BAD_CREDENTIALS: 401,
    ErrorCode.DEVICE_CREDENTIAL: 401,
    ErrorCode.TOKEN_INVALID: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.BAD_CODE: 403,
    ErrorCode.DEVICE_MISMATCH: 403,
    ErrorCode.INVALID: 422,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.BUSY: 503,
}


class ApiError(CrmError):
    """An error answer: ``{"code", "message", **extra}`` with the status of its code."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(MESSAGES[code], code=code)
        self.status = STATUS[code]
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.extra}
