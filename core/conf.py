"""Typed configuration objects, filled from Django's settings at each call.

Every value comes from the one configuration surface (visage/settings/surface.py), which reads the
environment once and publishes each ``VISAGE_X`` variable as the Django setting ``VISAGE_X``. An app
declares the frozen dataclass it needs (fields named like the variables, without ``VISAGE_``) and
reads it with ``settings_object``: at call time, so ``override_settings(VISAGE_X=...)`` and
pytest-django's ``settings`` fixture apply, and with no default of its own (a setting missing from
the surface is an AttributeError, not a silent second default).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")


def settings_object(cls: type[T], *, prefix: str = "VISAGE_") -> T:
    """An instance of the dataclass ``cls``, each field from the Django setting ``prefix + FIELD``."""
    return cls(**{field.name: getattr(settings, prefix + field.name.upper()) for field in fields(cls)})


@dataclass(frozen=True)
class LoginConfig:
    """Sign-in throttling (core.logins, docs/api.md "Sign-in throttling")."""

    login_free_failures: int
    login_backoff_first_seconds: int
    login_backoff_max_seconds: int
    login_backoff_reset_seconds: int
    login_failures_per_account: tuple[int, int]
    login_known_client_days: int
    login_failures_per_client: tuple[int, int]

    @property
    def backoff(self):
        from core.ratelimit import Backoff  # imports the models: not at start-up

        return Backoff(free=self.login_free_failures, first=self.login_backoff_first_seconds,
                       longest=self.login_backoff_max_seconds, memory=self.login_backoff_reset_seconds)

    @property
    def per_account(self):
        from core.ratelimit import Limit

        return Limit(*self.login_failures_per_account)

    @property
    def per_client(self):
        from core.ratelimit import Limit

        return Limit(*self.login_failures_per_client)


@dataclass(frozen=True)
class ApiConfig:
    """Request limits and credentials of the API and the shared infrastructure."""

    max_json_bytes: int
    max_json_depth: int
    max_files_per_request: int
    api_token_seconds: int
    presigned_url_seconds: int
    trusted_proxy_hops: int  # reverse proxies that append to X-Forwarded-For (0: REMOTE_ADDR)


@dataclass(frozen=True)
class PasswordResetConfig:
    """"Forgot password?" throttling (core.password_resets)."""

    password_resets_per_address: tuple[int, int]
    password_resets_per_client: tuple[int, int]


def password_resets() -> PasswordResetConfig:
    return settings_object(PasswordResetConfig)


def login() -> LoginConfig:
    return settings_object(LoginConfig)


def api() -> ApiConfig:
    return settings_object(ApiConfig)
