"""Telling the Board by e-mail when a plan update is issued or a board pack is circulated.

Each person chooses (on "My notifications"): an e-mail each time (the default), a weekly
digest, or none. The issuing services call :func:`notify_board` inside their transaction:

* "each time": one e-mail per person, sent only once the transaction has committed (nobody
  gets a link to something that was rolled back), and a mail server that fails is logged, never
  raised, so issuing or circulating still succeeds;
* "weekly": the notification waits as a :class:`DigestItem` until the weekly digest
  (:func:`send_weekly_digests`, a registered reminder run by ``manage.py send_reminders``)
  collects it; each person gets at most one digest a week, never the same one twice;
* "none": nothing.

``compact`` knows nothing of plans: the caller passes the subject, summary, link and who may
see the thing (``audience``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compact.models import DigestItem, Notification, NotificationPreference, WeeklyDigest
from compact.platform.access import Role
from compact.platform.history import save_with_history
from compact.platform.language import ENGLISH, WELSH, html_for, text_for, text_of

logger = logging.getLogger(__name__)

Frequency = NotificationPreference.Frequency
# The weekday (Monday 0) from which the week's digest goes out; a later run the same week
# catches up if cron missed that day or the mail server was down.
DIGEST_WEEKDAY_DEFAULT = 0


def _one_line(text: str, limit: int = 200) -> str:
    """Header-safe: e-mail subjects are one line (user text may hold line breaks)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def absolute_url(path: str) -> str:
    """A link for an e-mail: ``SITE_URL`` + the site path."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def frequency_of(user: Any) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.frequency if preference else Frequency.EACH_TIME


@transaction.atomic
def notification_preference_set(*, user: Any, frequency: str, actor: Any) -> NotificationPreference:
    """Record how ``user`` wants to be told. Only the person themselves (or a superuser) may.
    Leaving "weekly" drops what was waiting for the digest: they chose not to get it."""
    if actor is None or not (actor.pk == user.pk or actor.is_superuser):
        raise PermissionDenied(_("You can only change your own notification choice."))
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose one of the options shown.")})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user
    )
    if preference.frequency != frequency or _created:
        if preference.frequency == Frequency.WEEKLY and frequency != Frequency.WEEKLY:
            DigestItem.objects.filter(user=user, digest__isnull=True).delete()
        preference.frequency = frequency
        preference.changed_at = timezone.now()
        save_with_history(preference, actor=actor, reason="Changed on My notifications")
    return preference


def board_members() -> list[Any]:
    """Active Board members with an e-mail address (the audience before object rules)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=str(Role.BOARD))
        .exclude(email="")
        .select_related("notification_preference")
        .order_by("pk")
        .distinct()
    )


def _frequency(user: Any) -> str:
    try:
        return user.notification_preference.frequency
    except NotificationPreference.DoesNotExist:
        return Frequency.EACH_TIME


def _message(user: Any, notification: Notification) -> EmailMessage:
    context = {
        "user": user,
        "notification": notification,
        "link": absolute_url(notification.path),
        "preferences_link": absolute_url(reverse("my_notifications")),
    }
    message = EmailMultiAlternatives(
        subject=_one_line(
            text_for(user, lambda: text_of(notification, "subject"), separator=" / ")
        ),
        body=text_for(user, lambda: render_to_string("compact/email/notification.txt", context)),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(
        html_for(user, lambda: render_to_string("compact/email/notification.html", context)),
        "text/html",
    )
    return message


def send_quietly(messages: list[EmailMessage], *, what: str) -> int:
    """Send e-mails, logging (never raising) a failing mail server: the change they announce
    is already committed and must stand. Returns how many went."""
    if not messages:
        return 0
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        logger.exception("Could not reach the mail server to send %s", what)
        return 0
    try:
        for message in messages:
            message.connection = connection
            try:
                sent += message.send()
            except Exception:
                logger.exception("Could not send %s to %s", what, ", ".join(message.to))
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Mail server connection did not close cleanly")
    return sent


def notify_board(
    *,
    kind: str,
    key: str,
    subject: str | Callable[[], str],
    path: str,
    summary: str = "",
    summary_cy: str = "",
    audience: Callable[[Any], bool] | None = None,
    already_told: Iterable[int] = (),
) -> Notification | None:
    """Tell each Board member who may see it (``audience``) about one thing, as they chose.
    Call inside the transaction that makes the thing; returns None if it was told before.
    ``subject``: a function making it in the active language, so it is kept in English and
    Welsh and each reader gets theirs (a plain string is kept as it is). ``already_told``: user
    ids who were just sent it directly (e.g. a pack's recipients); they get no second e-mail
    now (the weekly digest still lists it)."""
    if Notification.objects.filter(kind=kind, key=key).exists():
        return None
    if callable(subject):
        with translation.override(ENGLISH):
            english = subject()
        with translation.override(WELSH):
            welsh = subject()
    else:
        english, welsh = subject, ""
    notification = Notification(
        kind=kind,
        key=key[:100],
        subject=_one_line(english, 300),
        subject_cy=_one_line(welsh, 300) if welsh != english else "",
        summary=summary,
        summary_cy=summary_cy,
        path=path,
    )
    notification.full_clean()
    notification.save()
    skip = set(already_told)
    messages = []
    waiting = []
    for user in board_members():
        if audience is not None and not audience(user):
            continue
        frequency = _frequency(user)
        if frequency == Frequency.EACH_TIME and user.pk not in skip:
            messages.append(_message(user, notification))
        elif frequency == Frequency.WEEKLY:
            waiting.append(DigestItem(notification=notification, user=user))
    DigestItem.objects.bulk_create(waiting, ignore_conflicts=True)
    if messages:
        what = f"notification {kind} {key}"
        transaction.on_commit(lambda: send_quietly(messages, what=what))
    return notification


# --- The weekly digest (a registered reminder) --------------------------------------------


def _digest_weekday() -> int:
    return int(getattr(settings, "NOTIFICATION_DIGEST_WEEKDAY", DIGEST_WEEKDAY_DEFAULT))


def _send_one_digest(user: Any, week_start: datetime.date) -> int:
    """One person's digest for the week: recorded and sent in one transaction, so a failed
    send leaves the items waiting for the next run and a second run sends nothing."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = WeeklyDigest.objects.create(user=user, week_start=week_start)
        except IntegrityError:
            return 0  # already sent (or found empty) this week
        items = list(
            DigestItem.objects.select_for_update()
            .filter(user=user, digest__isnull=True)
            .select_related("notification")
            .order_by("notification__created_at", "notification_id")
        )
        if not items:
            return 0
        DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(digest=digest)
        digest.items = len(items)
        digest.save(update_fields=["items"])
        notifications = [item.notification for item in items]
        context = {
            "user": user,
            "notifications": [{"item": n, "link": absolute_url(n.path)} for n in notifications],
            "week_start": week_start,
            "preferences_link": absolute_url(reverse("my_notifications")),
        }
        message = EmailMultiAlternatives(
            subject=text_for(
                user,
                lambda: (
                    _("Compact Tracker: your weekly digest (%(count)s items)")
                    % {"count": len(items)}
                ),
                separator=" / ",
            ),
            body=text_for(user, lambda: render_to_string("compact/email/digest.txt", context)),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(
            html_for(user, lambda: render_to_string("compact/email/digest.html", context)),
            "text/html",
        )
        # Raising here rolls the record back: the items wait for the next run.
        message.send()
    return 1


def send_weekly_digests(today: datetime.date) -> int:
    """Send this week's digest to everyone who chose "weekly" and has not had it yet (from the
    configured weekday on). Safe to run any number of times. Returns e-mails sent."""
    if today.weekday() < _digest_weekday():
        return 0
    week_start = today - datetime.timedelta(days=today.weekday())
    weekly = (
        get_user_model()
        .objects.filter(
            is_active=True,
            notification_preference__frequency=Frequency.WEEKLY,
        )
        .exclude(email="")
        .exclude(weekly_digests__week_start=week_start)
        .order_by("pk")
    )
    sent = 0
    failures = []
    for user in weekly:
        try:
            sent += _send_one_digest(user, week_start)
        except Exception as exc:
            logger.exception("Weekly digest for user %s failed", user.pk)
            failures.append(f"{user.pk}: {type(exc).__name__}")
    if failures:
        # Reported to the reminders run (cron mails it); the others were still sent.
        raise RuntimeError(f"{sent} digest(s) sent; failed for users {', '.join(failures)}")
    return sent
