"""One cron command runs every registered reminder and reports what it sent."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from compact.platform import registry, reminders


@pytest.fixture
def only_these_reminders() -> Any:
    with registry.overridden(hidden=(reminders.Reminder,)):
        yield {}


def test_send_reminders_runs_each_registered_reminder_and_reports_counts(
    only_these_reminders: dict[str, Any],
) -> None:
    seen: list[datetime.date] = []

    def terms_ending(today: datetime.date) -> int:
        seen.append(today)
        mail.send_mail("Your term ends soon", "…", None, ["rep@example.org"])
        return 1

    registry.register(reminders.Reminder("representatives.terms_ending", terms_ending))
    registry.register(reminders.Reminder("plans.overdue_rows", lambda today: 0))
    out = StringIO()
    call_command("send_reminders", "--date", "2009-01-26", stdout=out)
    assert seen == [datetime.date(2009, 1, 26)]
    assert len(mail.outbox) == 1
    assert "representatives.terms_ending: 1 sent" in out.getvalue()
    assert "plans.overdue_rows: 0 sent" in out.getvalue()
    assert "2 reminder(s) run for 2009-01-26, 1 sent, 0 failed." in out.getvalue()


def test_one_failing_reminder_does_not_stop_the_others_but_fails_the_run(
    only_these_reminders: dict[str, Any],
) -> None:
    registry.register(reminders.Reminder("disputes.deadlines", lambda today: 1 / 0))
    registry.register(reminders.Reminder("plans.overdue_rows", lambda today: 3))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"disputes\.deadlines"):
        call_command("send_reminders", stdout=out, stderr=err)
    assert "plans.overdue_rows: 3 sent" in out.getvalue()
    assert "disputes.deadlines: FAILED (ZeroDivisionError" in err.getvalue()


def test_unknown_reminder_name_is_refused(only_these_reminders: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="No reminder called: nope"):
        call_command("send_reminders", "--only", "nope")


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_enqueue_queues_one_task_per_reminder_and_the_worker_sends_them(
    only_these_reminders: dict[str, Any], settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    seen: list[datetime.date] = []

    def terms_ending(today: datetime.date) -> int:
        seen.append(today)
        mail.send_mail("Your term ends soon", "…", None, ["rep@example.org"])
        return 1

    registry.register(reminders.Reminder("representatives.terms_ending", terms_ending))
    registry.register(reminders.Reminder("plans.overdue_rows", lambda today: 0))
    out = StringIO()
    call_command("send_reminders", "--enqueue", "--date", "2009-01-26", stdout=out)
    assert "representatives.terms_ending: queued (task " in out.getvalue()
    assert "2 reminder(s) queued for 2009-01-26." in out.getvalue()
    assert seen == [] and mail.outbox == [], "nothing is sent until the worker runs"
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert seen == [datetime.date(2009, 1, 26)]
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_enqueue_with_the_inline_backend_sends_at_once(
    only_these_reminders: dict[str, Any],
) -> None:
    ran: list[datetime.date] = []
    registry.register(
        reminders.Reminder("plans.overdue_rows", lambda today: ran.append(today) or 0)
    )
    out = StringIO()
    call_command(
        "send_reminders",
        "--enqueue",
        "--only",
        "plans.overdue_rows",
        "--date",
        "2009-02-11",
        stdout=out,
    )
    assert "1 reminder(s) queued" in out.getvalue()
    assert ran == [datetime.date(2009, 2, 11)]
