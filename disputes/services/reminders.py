"""Overdue reminders: one e-mail per stage that has passed its target date."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.platform.access import Role
from compact.platform.history import save_with_history
from compact.platform.mail import send_in_their_language
from disputes.models import (
    PanelMember,
    StageRecord,
)
from disputes.procedure import Stage
from disputes.selectors import overdue_stages

logger = logging.getLogger("disputes.services")


def dispute_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the disputes officers (and the panel, for stages before it) once about each stage
    that has passed its target date. Running it again sends nothing new."""
    today = today or timezone.localdate()
    officers = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=str(Role.OFFICER))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    sent = 0
    for overdue in overdue_stages(today=today):
        with transaction.atomic():
            record = (
                StageRecord.objects.select_for_update()
                .filter(
                    dispute_id=overdue.dispute_id,
                    ended_on__isnull=True,
                    reminder_sent_on__isnull=True,
                )
                .first()
            )
            if record is None:
                continue
            recipients = set(officers)
            if record.stage in (Stage.SCRUTINY, Stage.ESCALATION):
                recipients |= set(
                    PanelMember.objects.filter(dispute_id=record.dispute_id)
                    .exclude(person__email="")
                    .values_list("person__email", flat=True)
                )
            if not recipients:
                logger.warning("No one to remind about overdue dispute %s", overdue.reference)
                continue
            context = {
                "overdue": overdue,
                "url": f"{getattr(settings, 'SITE_URL', '')}"
                + reverse("disputes:detail", kwargs={"pk": overdue.dispute_id}),
            }
            # Subject and body carry the reference and stage only: e-mail is not the place for
            # a confidential dispute's names and details.
            # Each in their language: the stage is named from its stored value in it.
            send_in_their_language(
                recipients=sorted(recipients),
                subject=lambda overdue=overdue: (
                    _("Dispute %(ref)s is overdue at %(stage)s")
                    % {"ref": overdue.reference, "stage": overdue.stage}
                ),
                body=lambda context=context: render_to_string(
                    "disputes/email/overdue_reminder.txt", context
                ),
            )
            record.reminder_sent_on = today
            save_with_history(record, actor=None, reason="Overdue reminder sent", clean=False)
            sent += 1
    return sent
