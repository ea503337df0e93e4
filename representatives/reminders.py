"""Term-end reminders to officers, sent once per appointment and term end."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.platform.access import Role
from compact.platform.mail import send_in_their_language
from representatives import selectors
from representatives.models import TermEndReminder


def officer_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    officers = users.filter(groups__name=str(Role.OFFICER)).values_list("email", flat=True)
    return sorted(set(officers))


def send_term_end_reminders(
    *, today: datetime.date | None = None, site_url: str = ""
) -> list[TermEndReminder]:
    """Email officers about each current term ending within 90 days, once per term end."""
    recipients = officer_emails()
    if not recipients:
        return []
    site_url = site_url or getattr(settings, "SITE_URL", "")
    sent = []
    for appointment in selectors.appointments_ending(today=today):
        if TermEndReminder.objects.filter(
            appointment=appointment, term_end=appointment.term_end
        ).exists():
            continue
        try:
            with transaction.atomic():
                reminder = TermEndReminder.objects.create(
                    appointment=appointment,
                    term_end=appointment.term_end,
                    recipients=", ".join(recipients),
                )
                context = {
                    "appointment": appointment,
                    "link": site_url.rstrip("/") + appointment.get_absolute_url(),
                }
                # Each officer in their language; the month too.
                send_in_their_language(
                    recipients=recipients,
                    subject=lambda appointment=appointment: (
                        _("Term ending %(date)s: %(person)s, %(partnership)s")
                        % {
                            "date": date_format(appointment.term_end, "d F Y"),
                            "person": appointment.person,
                            "partnership": appointment.partnership,
                        }
                    ),
                    body=lambda context=context: render_to_string(
                        "representatives/email/term_reminder.txt", context
                    ),
                )
        except IntegrityError:
            continue  # another run recorded it first
        sent.append(reminder)
    return sent
