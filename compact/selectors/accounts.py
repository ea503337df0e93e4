"""Reads about accounts: which active accounts nobody has used lately, and whether their
owners have been told that they will be disabled."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, OuterRef, Q

from compact.models import AccountEvent
from compact.platform.access import Role
from compact.platform.sessions import last_seen_by_user


@dataclass(frozen=True)
class AccountUse:
    """An active account and when it was last used."""

    user: Any
    last_used: datetime.datetime
    # When the person was told it will be disabled, if that was after its last use (a sign-in
    # since the notice clears it).
    noticed_at: datetime.datetime | None
    is_administrator: bool


def last_used(user: Any, *, seen: datetime.datetime | None, enabled_at: Any) -> datetime.datetime:
    """An account's last use: its last sign-in (or when it was made, if never), the last time
    one of its sessions was seen (a session can outlive many days of use without a new
    sign-in), or when an administrator last enabled it again, whichever is latest."""
    moments = [user.last_login or user.date_joined, seen, enabled_at]
    return max(moment for moment in moments if moment is not None)


def accounts_unused_since(cutoff: datetime.datetime) -> list[AccountUse]:
    """Active accounts, superusers aside, not used since ``cutoff``, oldest use first (two
    queries: the accounts, and every session once)."""
    kinds = AccountEvent.Kind
    # A cheap first cut in the database (last sign-in); sessions and re-enabling refine it.
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .annotate(
            enabled_at=Max(
                "account_events__when", filter=Q(account_events__kind=kinds.ACCOUNT_ENABLED)
            ),
            noticed_at=Max(
                "account_events__when", filter=Q(account_events__kind=kinds.INACTIVE_NOTICE)
            ),
            is_administrator=Exists(
                get_user_model().groups.through.objects.filter(
                    user_id=OuterRef("pk"), group__name=str(Role.ADMINISTRATOR)
                )
            ),
        )
        .order_by("pk")
    )
    candidates = list(candidates)
    if not candidates:
        return []
    seen = last_seen_by_user()
    found = []
    for user in candidates:
        used = last_used(user, seen=seen.get(str(user.pk)), enabled_at=user.enabled_at)
        if used >= cutoff:
            continue
        noticed = user.noticed_at if user.noticed_at and user.noticed_at > used else None
        found.append(
            AccountUse(
                user=user,
                last_used=used,
                noticed_at=noticed,
                is_administrator=user.is_administrator,
            )
        )
    found.sort(key=lambda account: (account.last_used, account.user.pk))
    return found


def active_administrator_ids() -> set[int]:
    """Ids of the active accounts holding the Administrator role (one query)."""
    return set(
        get_user_model()
        .objects.filter(is_active=True, groups__name=str(Role.ADMINISTRATOR))
        .values_list("pk", flat=True)
    )
