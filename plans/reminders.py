"""Daily reminder (run by ``manage.py send_reminders``): rows that have become overdue."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.platform.access import Role
from compact.platform.language import text_of
from compact.platform.mail import send_in_their_language
from plans.models import Outcome, OverdueReminder
from plans.selectors import overdue_filter


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@transaction.atomic
def overdue_rows_remind(today: datetime.date) -> int:
    """E-mail the officers one digest of rows newly past their due date; each row and due
    date is reminded about once. Returns the number of e-mails sent (one per language the
    officers read: Welsh, English, or both for those who never chose)."""
    already_reminded = OverdueReminder.objects.filter(
        outcome=OuterRef("pk"), due_date=OuterRef("due_date")
    )
    rows = list(
        Outcome.objects.filter(overdue_filter(today))
        .filter(~Exists(already_reminded))
        .select_related("task__objective", "plan")
        .order_by("plan_id", "task__objective__order", "task__order", "order", "pk")
    )
    if not rows:
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=str(Role.OFFICER))
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    sent = 0
    if recipients:
        link = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
            "plans:plan_rows", kwargs={"slug": rows[0].plan.slug}
        )

        def subject() -> str:
            return ngettext(
                "Implementation plan: %(count)s row now overdue",
                "Implementation plan: %(count)s rows now overdue",
                len(rows),
            ) % {"count": len(rows)}

        def body() -> str:
            # Each row's words in the reader's language (the other one where not translated).
            lines = [
                _("- Objective %(number)s: %(outcome)s (timescale: %(timescale)s, "
                  "responsibility: %(responsibility)s)")
                % {
                    "number": row.task.objective.number,
                    "outcome": _one_line(text_of(row, "outcome"), 120),
                    "timescale": _one_line(text_of(row, "timescale")) or _("none"),
                    "responsibility": _one_line(text_of(row, "responsibility")) or _("none"),
                }
                for row in rows
            ]  # fmt: skip
            return (
                "\n\n".join(
                    [
                        _(
                            "These rows of the implementation plan have passed their due date "
                            "and are not yet achieved:"
                        ),
                        "\n".join(lines),
                        _("See the rows list: %(link)s") % {"link": link},
                    ]
                )
                + "\n"
            )

        # Each officer in their language (both, Welsh first, for one who never chose).
        sent = send_in_their_language(recipients=recipients, subject=subject, body=body)
    OverdueReminder.objects.bulk_create(
        [OverdueReminder(outcome=row, due_date=row.due_date) for row in rows],
        ignore_conflicts=True,
    )
    return sent
