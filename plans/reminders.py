"""Daily reminder (run by ``manage.py send_reminders``): rows that have become overdue."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from compact.platform.access import Role
from plans.models import Outcome, OverdueReminder
from plans.selectors import overdue_filter


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@transaction.atomic
def overdue_rows_remind(today: datetime.date) -> int:
    """E-mail the officers one digest of rows newly past their due date; each row and due
    date is reminded about once. Returns the number of e-mails sent (0 or 1)."""
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
        .values_list("email", flat=True)
        .distinct()
    )
    if recipients:
        lines = [
            f"- Objective {row.task.objective.number}: {_one_line(row.outcome, 120)} "
            f"(timescale: {_one_line(row.timescale) or 'none'}, responsibility: "
            f"{_one_line(row.responsibility) or 'none'})"
            for row in rows
        ]
        link = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
            "plans:plan_rows", kwargs={"slug": rows[0].plan.slug}
        )
        send_mail(
            subject=f"Implementation plan: {len(rows)} row(s) now overdue",
            message=(
                "These rows of the implementation plan have passed their due date and are "
                "not yet achieved:\n\n" + "\n".join(lines) + f"\n\nSee the rows list: {link}\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )
    OverdueReminder.objects.bulk_create(
        [OverdueReminder(outcome=row, due_date=row.due_date) for row in rows],
        ignore_conflicts=True,
    )
    return 1 if recipients else 0
