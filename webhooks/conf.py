"""Webhooks' typed configuration (docs/webhooks.md); the values and their defaults come from the
configuration surface (visage/settings/surface.py), read at call time."""
from __future__ import annotations

from dataclasses import dataclass

from core.conf import settings_object


@dataclass(frozen=True)
class WebhooksConfig:
    webhooks_allow_private: bool  # private/loopback/link-local targets (SSRF) allowed
    webhooks_require_https: bool
    webhooks_per_studio: int
    webhook_log_days: int
    webhook_timeout_seconds: int  # connect and read timeout of one attempt
    webhook_backoff_seconds: list[float]  # waits after attempts 1..n


def webhooks() -> WebhooksConfig:
    return settings_object(WebhooksConfig)
