"""A per-address rate limit for costly work that visitors who are not signed in can start (the
PDFs of a public plan, rendered in the request because there is no account to own a queued
file). Signed-in users go through the background queue instead and are not limited here.

Counts live in the shared cache, so the limit holds across app servers; the address is the one
django-axes uses for sign-in throttling (the last trusted proxy hop, TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def window_number(seconds: int) -> int:
    """Which ``seconds``-long window of the clock this is: counts start again in the next."""
    return int(time.time() // seconds)


def within_rate(request: HttpRequest, scope: str, *, limit: int, seconds: int = 60) -> bool:
    """Count this request against ``limit`` per ``seconds`` for its address; False once over."""
    address = get_client_ip_address(request) or "unknown"
    key = f"throttle:{scope}:{address}:{window_number(seconds)}"
    cache = caches["default"]
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    return count <= limit


def public_pdf_allowed(request: HttpRequest) -> bool:
    return within_rate(request, "public-pdf", limit=settings.PUBLIC_PDF_PER_MINUTE, seconds=60)


def too_many_requests(request: HttpRequest, *, retry_after: int = 60) -> HttpResponse:
    html = render_to_string("429.html", {"retry_after": retry_after}, request=request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
