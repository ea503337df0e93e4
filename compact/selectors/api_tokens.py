"""Reads of personal API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from compact.models import ApiToken


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The person's tokens, newest first, revoked and expired ones included (one query)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
