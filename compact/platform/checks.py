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
