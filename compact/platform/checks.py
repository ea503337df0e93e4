"""Deployment checks (`manage.py check --deploy`) for settings Django itself cannot judge
(registered by ``compact.registrations``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning


def check_proxy_count(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Behind a proxy with no proxy trusted, every visitor has the proxy's address."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.TRUSTED_PROXY_COUNT == 0:
        return [
            Warning(
                "BEHIND_PROXY is on but TRUSTED_PROXY_COUNT is 0: every visitor counts as the "
                "proxy, so one person guessing passwords locks the account for everyone and "
                "all visitors share one rate limit.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the app "
                "(1 for nginx).",
                id="compact.W001",
            )
        ]
    return []


def check_second_factor(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Two-step sign-in turned off is for development only."""
    if not settings.MFA_REQUIRED:
        return [
            Warning(
                "MFA_REQUIRED is off: officers, administrators and people who can see disputes "
                "sign in with a password alone.",
                hint="Remove MFA_REQUIRED=0 from the environment (it is on by default).",
                id="compact.W002",
            )
        ]
    return []
