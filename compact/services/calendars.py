"""Calendar subscriptions: making, resetting and revoking a person's secret address."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from compact.models import CalendarFeed


@transaction.atomic
def calendar_feed_reset(*, user: Any) -> CalendarFeed:
    """Give the user a new secret address (the first, or instead of the old one, which stops
    working at once)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not _created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_revoke(*, user: Any) -> None:
    """Stop the user's address; nothing reads their calendar any more."""
    CalendarFeed.objects.filter(user=user).delete()
