"""Who the client is, and how often it may do costly or abusable things.

:func:`client_address` is the one answer to "which address is this request from?": django-axes
keys sign-in lockouts on it (``AXES_CLIENT_IP_CALLABLE``) and every rate limit here counts
against it. Behind nginx, ``REMOTE_ADDR`` is nginx itself, so counting that would put every
visitor in one bucket: one attacker could lock an account for everybody, and the public PDF
quota would be shared by the whole county.

:func:`rate_allows` counts with a row lock in the database (:class:`compact.models.RateCount`),
so a limit of 5 means 5 across every gunicorn worker and app server, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from compact.models.throttle import RateCount

# Rows whose window started this long ago are removed when a new client starts counting; longer
# than the longest window (sign-ups per e-mail address: a day), so no live count is lost.
STALE_AFTER = datetime.timedelta(days=2)


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, as the last ``TRUSTED_PROXY_COUNT`` proxies saw it; None
    when the request has none (one made in code, like the test client's ``force_login``).

    Each trusted proxy appends the address it received the request from to ``X-Forwarded-For``
    (or, like our nginx, replaces the header with it), so the client is the entry that many
    places from the right. Entries further left were written by the client and are never
    believed. With ``TRUSTED_PROXY_COUNT = 0`` the header is ignored altogether: anyone can
    send one.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote  # came to the app server directly (a health probe from inside)
    # Fewer entries than proxies: a proxy nearer the client was bypassed; the first entry is
    # still one a trusted proxy wrote.
    chosen = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _address(chosen) or remote


def rate_allows(*, scope: str, client: str, limit: int, seconds: int) -> bool:
    """Count one more ``scope`` for ``client``; False once more than ``limit`` fall within
    ``seconds`` of the window's first. Atomic: the row is locked until the transaction ends."""
    now = timezone.now()
    with transaction.atomic():
        row, created = RateCount.objects.select_for_update().get_or_create(
            scope=scope, client=client[:100], defaults={"window_start": now, "count": 0}
        )
        if created:
            # Only rows nobody holds: waiting here for another request's row could deadlock.
            stale = list(
                RateCount.objects.select_for_update(skip_locked=True)
                .filter(window_start__lt=now - STALE_AFTER)
                .values_list("pk", flat=True)[:500]
            )
            RateCount.objects.filter(pk__in=stale).delete()
        if row.window_start + datetime.timedelta(seconds=seconds) <= now:
            row.window_start, row.count = now, 0
        row.count += 1
        row.save(update_fields=["window_start", "count"])
    return row.count <= limit


def rate_used(*, scope: str, client: str, seconds: int) -> int:
    """How many ``scope`` the client has used in its current window (counts nothing)."""
    row = RateCount.objects.filter(scope=scope, client=client[:100]).first()
    if row is None or row.window_start + datetime.timedelta(seconds=seconds) <= timezone.now():
        return 0
    return row.count


def rate_forget(*, scope: str, client: str) -> None:
    """Start the client's count of ``scope`` again (a success after failures)."""
    RateCount.objects.filter(scope=scope, client=client[:100]).delete()


def within_rate(request: HttpRequest, scope: str, *, limit: int, seconds: int = 60) -> bool:
    """Count this request against ``limit`` per ``seconds`` for its client; False once over."""
    client = client_address(request) or "unknown"
    return rate_allows(scope=scope, client=client, limit=limit, seconds=seconds)


def hashed(value: str) -> str:
    """A key for counting by something personal (an e-mail address) without storing it."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]


def public_pdf_allowed(request: HttpRequest) -> bool:
    """PDFs of a public plan rendered for visitors who are not signed in, per client."""
    return within_rate(request, "public-pdf", limit=settings.PUBLIC_PDF_PER_MINUTE, seconds=60)


def too_many_requests(request: HttpRequest, *, retry_after: int = 60) -> HttpResponse:
    html = render_to_string("429.html", {"retry_after": retry_after}, request=request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
