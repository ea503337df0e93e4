"""Accounts nobody uses: the person is told by e-mail, then the account is disabled; an
administrator can enable it again. Every step is kept in the account audit log.

Run once a day by ``manage.py send_reminders`` (the ``compact.inactive_accounts`` reminder).
With ``ACCOUNT_INACTIVE_DAYS`` days of limit and ``ACCOUNT_INACTIVE_NOTICE_DAYS`` of notice:

* an account unused for (limit - notice) days gets one notice (an ``inactive_notice`` event);
  a person with no e-mail address cannot be told, and the event says so;
* it is disabled once it is unused for the whole limit *and* the notice is as old as the notice
  period, so nobody is disabled with less notice than promised, even on the first run;
* using the account after the notice (signing in, or a session seen) clears the notice; an
  administrator enabling it again starts the count afresh.

Superusers are never disabled (they are the way back in, and only the command line could
enable one again), nor is the last active Administrator: that one is kept, and logged.
Every step locks the account's row and checks again, so two runs at once do each thing once.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import AccountEvent
from compact.platform.access import Role, has_role
from compact.platform.audit import record_account_event
from compact.platform.language import text_for
from compact.platform.mfa import end_other_sessions
from compact.platform.roles import may_manage_user
from compact.selectors.accounts import AccountUse, accounts_unused_since, active_administrator_ids
from compact.services.notifications import absolute_url, send_quietly

logger = logging.getLogger(__name__)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _kept_administrator(unused: list[AccountUse]) -> int | None:
    """The Administrator not to disable: the most recently used one, when every active
    Administrator is among the unused accounts."""
    administrators = [account for account in unused if account.is_administrator]
    active = active_administrator_ids() if administrators else set()
    if not active or not active <= {account.user.pk for account in administrators}:
        return None
    kept = max(administrators, key=lambda account: (account.last_used, account.user.pk))
    return kept.user.pk


def _still_unused(account: AccountUse) -> Any | None:
    """The account's row, locked, if it is still active and nobody signed in since we looked."""
    locked = (
        get_user_model().objects.select_for_update().filter(pk=account.user.pk, is_active=True)
    ).first()
    if locked is None or locked.last_login != account.user.last_login:
        return None
    return locked


def _notice_message(user: Any, *, disable_on: datetime.date, last_used: datetime.date) -> Any:
    context = {
        "user": user,
        "disable_on": disable_on,
        "last_used": last_used,
        "link": absolute_url(reverse("login")),
    }
    return EmailMessage(
        text_for(user, lambda: _("Your Compact Tracker account will be disabled"), separator=" / "),
        text_for(
            user, lambda: render_to_string("compact/email/account_inactive_notice.txt", context)
        ),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


def _notice(account: AccountUse, *, disable_on: datetime.date) -> bool:
    """Tell the person once, in their language; recorded only if the e-mail went (a mail
    server that is down is tried again at the next run)."""
    last_used = timezone.localdate(account.last_used)
    with transaction.atomic():
        user = _still_unused(account)
        if user is None:
            return False
        if AccountEvent.objects.filter(
            user=user, kind=AccountEvent.Kind.INACTIVE_NOTICE, when__gt=account.last_used
        ).exists():
            return False  # another run told them a moment ago
        if user.email:
            message = _notice_message(user, disable_on=disable_on, last_used=last_used)
            if not send_quietly([message], what=f"inactive account notice {user.pk}"):
                return False
            detail = f"e-mailed; unused since {last_used}; to be disabled on {disable_on}"
        else:
            detail = f"no e-mail address; unused since {last_used}; to be disabled on {disable_on}"
        record_account_event(AccountEvent.Kind.INACTIVE_NOTICE, user=user, detail=detail)
    logger.info("Told %s their unused account will be disabled", user.get_username())
    return True


def _disable(account: AccountUse) -> bool:
    with transaction.atomic():
        user = _still_unused(account)
        if user is None:
            return False
        user.is_active = False
        user.save(update_fields=["is_active"])
        noticed = timezone.localdate(account.noticed_at) if account.noticed_at else None
        record_account_event(
            AccountEvent.Kind.ACCOUNT_DISABLED,
            user=user,
            detail=f"unused since {timezone.localdate(account.last_used)}; told on {noticed}",
        )
        # No session to end: one seen within the limit would have counted as use (and a
        # session of an inactive account is refused by the authentication backend anyway).
    logger.warning("Disabled %s: unused since %s", user.get_username(), account.last_used)
    return True


def inactive_accounts_disable(today: datetime.date) -> int:
    """Tell the people whose accounts are nearly unused for ``ACCOUNT_INACTIVE_DAYS``, once,
    and disable those told at least ``ACCOUNT_INACTIVE_NOTICE_DAYS`` ago. Returns how many
    were told or disabled; running again the same day does nothing new."""
    limit = settings.ACCOUNT_INACTIVE_DAYS
    if limit <= 0:
        return 0
    notice_days = min(settings.ACCOUNT_INACTIVE_NOTICE_DAYS, limit)
    # Unused on every day up to and including this one: due a notice.
    notice_from = today - datetime.timedelta(days=limit - notice_days)
    unused = accounts_unused_since(_start_of(notice_from + datetime.timedelta(days=1)))
    kept = _kept_administrator(unused)
    done = 0
    for account in unused:
        if account.user.pk == kept:
            logger.warning(
                "Kept %s although unused since %s: the last active administrator",
                account.user.get_username(),
                account.last_used,
            )
            continue
        if account.noticed_at is None:
            disable_on = today + datetime.timedelta(days=notice_days)
            done += _notice(account, disable_on=disable_on)
            continue
        unused_long_enough = timezone.localdate(account.last_used) + datetime.timedelta(days=limit)
        told_long_enough = timezone.localdate(account.noticed_at) + datetime.timedelta(
            days=notice_days
        )
        if max(unused_long_enough, told_long_enough) <= today:
            done += _disable(account)
    return done


def may_set_active(actor: Any, user: Any, *, active: bool) -> bool:
    """Administrators enable anyone's account but a superuser's (enabling gives the actor no
    access to it, like a second-factor reset); disabling one by hand needs the right to manage
    the account (``may_manage_user``). Never one's own."""
    if not getattr(actor, "is_authenticated", False) or actor.pk == user.pk:
        return False
    if not (actor.is_superuser or has_role(actor, Role.ADMINISTRATOR)):
        return False
    if active:
        return actor.is_superuser or not user.is_superuser
    return may_manage_user(actor, user)


@transaction.atomic
def account_active_set(
    *, actor: Any, user: Any, active: bool, reason: str = "", address: str | None = None
) -> Any:
    """Enable (or disable) an account by hand (see :func:`may_set_active`). Recorded, with the
    actor and the reason; enabling starts the count of unused days afresh, disabling ends the
    person's sessions."""
    if not may_set_active(actor, user, active=active):
        raise PermissionDenied(
            _("You may not enable or disable the account of %(user)s.")
            % {"user": user.get_username()}
        )
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    if locked.is_active == active:
        already = _("That account is already enabled.")
        if not active:
            already = _("That account is already disabled.")
        raise ValidationError(already)
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    user.is_active = active
    by = actor.get_username()
    reason = " ".join(reason.split())
    detail = f"by {by}: {reason}" if reason else f"by {by}"
    kind = AccountEvent.Kind.ACCOUNT_ENABLED if active else AccountEvent.Kind.ACCOUNT_DISABLED
    record_account_event(kind, user=locked, address=address, detail=detail)
    if not active:
        end_other_sessions(locked)
    logger.warning("%s %s %s", "Enabled" if active else "Disabled", locked.get_username(), detail)
    return locked
