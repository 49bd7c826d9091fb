"""The 360° header: the customer's name and key facts as chips (IDs, mobile, branch, KYC, segment, stage)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from crm_desktop.models.enums import CustomerKind, KycStatus
from crm_desktop.persian import format_number, to_persian_digits
from crm_desktop.services.records import CustomerProfile
from crm_desktop.views.customers.details import field_value


class ProfileHeader(QFrame):
    """Name, kind and the facts a clerk needs at a glance; duplicate warnings under them."""

    CHIPS = ("identity", "mobile", "branch", "kyc", "segment", "lifecycle", "open_requests")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileHeader")
        self.name = QLabel()
        self.name.setObjectName("pageTitle")
        self.kind = self._chip("kind")
        self.chips: dict[str, QLabel] = {key: self._chip(key) for key in self.CHIPS}
        self.warnings = QLabel()
        self.warnings.setObjectName("profileWarnings")
        self.warnings.setProperty("role", "chip-warn")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        top = QHBoxLayout()
        top.addWidget(self.name)
        top.addWidget(self.kind)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        # Two rows of chips, so that the header fits beside the navigation on a laptop screen.
        for keys in (("identity", "mobile", "branch"), ("kyc", "segment", "lifecycle", "open_requests")):
            facts = QHBoxLayout()
            facts.setSpacing(6)
            for key in keys:
                facts.addWidget(self.chips[key])
            facts.addStretch(1)
            layout.addLayout(facts)
        layout.addWidget(self.warnings)

    def _chip(self, key: str) -> QLabel:
        chip = QLabel()
        chip.setObjectName(f"chip_{key}")
        chip.setProperty("role", "chip")
        return chip

    def set_profile(self, profile: CustomerProfile) -> None:
        c = profile.customer
        self.name.setText(c.display_name)
        self.kind.setText(field_value("kind", c.kind))
        if c.kind == CustomerKind.CORPORATE:
            identity = self.tr("Company national ID: {0}").format(to_persian_digits(c.company_id or "—"))
        else:
            identity = self.tr("National ID: {0}").format(to_persian_digits(c.national_id or "—"))
        texts = {
            "identity": identity,
            "mobile": self.tr("Mobile: {0}").format(to_persian_digits(c.mobile or "—")),
            "branch": self.tr("Branch: {0}").format(f"{to_persian_digits(c.branch_code)} — {c.branch_name}"),
            "kyc": self.tr("KYC: {0}").format(field_value("kyc_status", c.kyc_status)),
            "segment": self.tr("Segment: {0}").format(field_value("segment", c.segment)),
            "lifecycle": self.tr("Lifecycle stage: {0}").format(field_value("lifecycle_stage", c.lifecycle_stage)),
            "open_requests": self.tr("Open requests: {0}").format(format_number(profile.open_request_count)),
        }
        warn = {"kyc": c.kyc_status != KycStatus.VERIFIED, "open_requests": profile.open_request_count > 0}
        for key, chip in self.chips.items():
            chip.setText(texts[key])
            role = "chip-warn" if warn.get(key) else "chip"
            if chip.property("role") != role:
                chip.setProperty("role", role)
                chip.style().unpolish(chip)
                chip.style().polish(chip)
        self.chips["mobile"].setVisible(bool(c.mobile))

    def set_warnings(self, warnings: list[str]) -> None:
        self.warnings.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))
