"""Who is calling a service: the signed-in user, their role and branch."""

from __future__ import annotations

from dataclasses import dataclass

from crm_desktop.models.enums import Role


@dataclass(frozen=True)
class Actor:
    user_id: str
    username: str
    full_name: str
    role: Role
    branch_id: str
    branch_code: str

    @property
    def sees_all_branches(self) -> bool:
        return self.role in (Role.ADMIN, Role.AUDITOR)
