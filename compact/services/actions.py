"""The daily reminder to owners of meeting actions: ``ACTION_REMINDER_DAYS`` (7) before an open
action falls due, its owner is e-mailed once, in their language. The due date is the step, so
a second run sends nothing and a moved due date gets a reminder of its own."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.models import Action, ActionReminderSent
from compact.platform.language import text_for
from compact.services.notifications import absolute_url, send_quietly

ACTION_REMINDER_DAYS_DEFAULT = 7


def reminder_days() -> int:
    return int(getattr(settings, "ACTION_REMINDER_DAYS", ACTION_REMINDER_DAYS_DEFAULT))


def actions_to_remind(today: datetime.date) -> list[Action]:
    """Open actions due from today to ``ACTION_REMINDER_DAYS`` ahead whose owner was not yet
    reminded of this due date (one query)."""
    sent = ActionReminderSent.objects.filter(action=OuterRef("pk"), due_date=OuterRef("due_date"))
    return list(
        Action.objects.filter(
            status=Action.Status.OPEN,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=reminder_days()),
        )
        .filter(~Exists(sent))
        .select_related("owner__user", "meeting__body")
        .order_by("due_date", "pk")
    )


def _message(action: Action, email: str) -> EmailMessage:
    user = action.owner.user
    context = {
        "action": action,
        "person": action.owner,
        "link": absolute_url(reverse("compact:my_actions")),
    }
    return EmailMessage(
        text_for(
            user,
            lambda: _("Action due on %(date)s") % {"date": date_format(action.due_date, "j F Y")},
            separator=" / ",
        ),
        text_for(user, lambda: render_to_string("compact/email/action_reminder.txt", context)),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


def send_action_reminders(today: datetime.date) -> int:
    """E-mail each open action's owner before its due date, once per action and due date;
    done actions and owners without an address get nothing. Returns how many went."""
    sent = 0
    for action in actions_to_remind(today):
        owner = action.owner
        email = owner.email or (owner.user.email if owner.user else "")
        if not email:
            continue
        try:
            with transaction.atomic():
                ActionReminderSent.objects.create(
                    action=action, due_date=action.due_date, sent_to=email
                )
        except IntegrityError:  # another run got there first
            continue
        if send_quietly([_message(action, email)], what=f"action reminder {action.pk}"):
            sent += 1
        else:  # not sent: tomorrow's run tries again
            ActionReminderSent.objects.filter(action=action, due_date=action.due_date).delete()
    return sent
