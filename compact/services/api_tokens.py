"""Personal API tokens: made, named and revoked by their holder; each change is recorded in the
account audit log. The secret is returned once, by :func:`api_token_create`, and never kept."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import AccountEvent, ApiToken
from compact.platform.api import SHOWN_CHARACTERS, new_token_secret, token_digest
from compact.platform.audit import record_account_event

# The expiries a holder may choose, in days (None: never expires).
EXPIRY_DAYS: tuple[int | None, ...] = (30, 90, 365, None)


def api_token_create(
    *, actor: Any, name: str, expires_in_days: int | None, request: Any = None
) -> tuple[ApiToken, str]:
    """Make a read-only token for the actor; returns the token and its secret (shown once)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Sign in to make an API token."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you can tell it apart.")})
    if expires_in_days not in EXPIRY_DAYS:
        raise ValidationError({"expires_in_days": _("Choose one of the expiry periods offered.")})
    now = timezone.now()
    with transaction.atomic():
        # The holder's row is locked so two requests at once cannot pass the limit together.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        live = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).exclude(
            expires_at__lte=now
        )
        if live.count() >= settings.API_TOKENS_PER_PERSON:
            raise ValidationError(
                _("You already keep the most tokens a person may (%(count)d): revoke one first.")
                % {"count": settings.API_TOKENS_PER_PERSON}
            )
        if live.filter(name__iexact=name).exists():
            raise ValidationError({"name": _("You already have a token of that name.")})
        secret = new_token_secret()
        token = ApiToken(
            user=actor,
            name=name,
            prefix=secret[:SHOWN_CHARACTERS],
            digest=token_digest(secret),
            scope=ApiToken.Scope.READ,
            created_at=now,
            expires_at=now + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
        )
        token.full_clean()
        token.save()
        record_account_event(
            AccountEvent.Kind.API_TOKEN_CREATED,
            user=actor,
            request=request,
            detail=f"{token.prefix}… ({token.name})",
        )
    return token, secret


def api_token_revoke(*, actor: Any, token_id: int, request: Any = None) -> ApiToken:
    """Revoke one of the actor's own tokens; it is refused from then on (recorded)."""
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .filter(pk=token_id, user_id=getattr(actor, "pk", None))
            .first()
        )
        if token is None:
            raise PermissionDenied(_("You have no such token."))
        if token.revoked_at is not None:
            raise ValidationError(_("This token was already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_account_event(
            AccountEvent.Kind.API_TOKEN_REVOKED,
            user=actor,
            request=request,
            detail=f"{token.prefix}… ({token.name})",
        )
    return token
