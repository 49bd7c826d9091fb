"""Service settings, read from the environment by the CLI (``CRM_SERVER_*``) or built by tests."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from argon2 import PasswordHasher

from crm_desktop.sync.protocol import TOKEN_TTL_S


@dataclass(frozen=True)
class Settings:
    database_url: str
    #: HMAC key of the access tokens (HS256). Every instance behind a load balancer needs the same one.
    token_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    token_ttl_s: int = TOKEN_TTL_S
    registration_code_ttl_s: int = 24 * 3600
    pool_size: int = 10
    #: Push transactions running at once in one process (more only add lock, CPU and GIL contention).
    concurrent_pushes: int = 4
    hasher: PasswordHasher = field(default_factory=PasswordHasher)

    @classmethod
    def from_env(cls) -> Settings:
        url = os.environ.get("CRM_SERVER_DATABASE_URL") or os.environ.get("DATABASE_URL")
        if not url:
            raise SystemExit("CRM_SERVER_DATABASE_URL (or DATABASE_URL) is not set")
        secret = os.environ.get("CRM_SERVER_TOKEN_SECRET")
        kwargs: dict[str, object] = {"database_url": url}
        if secret:
            kwargs["token_secret"] = secret
        if os.environ.get("CRM_SERVER_CONCURRENT_PUSHES"):
            kwargs["concurrent_pushes"] = int(os.environ["CRM_SERVER_CONCURRENT_PUSHES"])
        if os.environ.get("CRM_SERVER_POOL_SIZE"):
            kwargs["pool_size"] = int(os.environ["CRM_SERVER_POOL_SIZE"])
        return cls(**kwargs)  # type: ignore[arg-type]
