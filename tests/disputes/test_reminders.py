"""Overdue stages are reminded by e-mail, once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.disputes.factories import dispute_world


def test_reminders_go_once_per_overdue_stage_without_confidential_details(world: Any) -> None:
    dw = dispute_world(world)
    overdue = dw.disputes["informal"]  # raised 60 days ago, due after 28

    call_command("send_dispute_reminders", verbosity=0)

    subjects = [message.subject for message in mail.outbox]
    assert any(overdue.reference in subject for subject in subjects)
    message = next(m for m in mail.outbox if overdue.reference in m.subject)
    assert "officer-user@example.org" in message.to
    assert overdue.subject not in message.body
    assert "Rowena" not in message.body
    sent = len(mail.outbox)

    call_command("send_dispute_reminders", verbosity=0)

    assert len(mail.outbox) == sent


def test_stages_not_yet_due_get_no_reminder(world: Any) -> None:
    dw = dispute_world(world)
    call_command("send_dispute_reminders", verbosity=0)
    references = " ".join(message.subject for message in mail.outbox)
    assert dw.disputes["mediation"].reference not in references  # mediation began today
    assert dw.disputes["closed"].reference not in references


def test_a_new_overdue_stage_gets_its_own_reminder(world: Any) -> None:
    from disputes.selectors import overdue_stages
    from disputes.services import dispute_reminders_send

    dispute_world(world)
    later = timezone.localdate() + datetime.timedelta(days=60)
    first = dispute_reminders_send()
    assert dispute_reminders_send(today=later) == len(overdue_stages(today=later)) - first
