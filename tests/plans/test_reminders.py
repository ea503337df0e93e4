"""The daily reminder tells officers once about rows that have become overdue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail

from compact.platform.reminders import run_reminders
from plans import services
from tests.plans.factories import make_objective, make_plan, make_row, make_task

TODAY = datetime.date(2009, 3, 1)


def test_overdue_rows_are_reminded_once_and_again_when_the_due_date_moves(world: Any) -> None:
    task = make_task(make_objective(make_plan(world, objectives=0), number=1, title="Board"))
    overdue = make_row(task, outcome="Membership agreed", timescale="December 2008")
    make_row(task, outcome="Terms agreed", timescale="December 2008", status="achieved")
    make_row(task, outcome="Later work", timescale="June 2009")

    first = run_reminders(today=TODAY, only=["plans.overdue_rows"])
    second = run_reminders(today=TODAY, only=["plans.overdue_rows"])

    assert [outcome.sent for outcome in first + second] == [1, 0]
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Membership agreed" in body and "Terms agreed" not in body
    assert "Later work" not in body
    assert mail.outbox[0].to == [world.users["officer"].email]

    overdue.refresh_from_db()
    services.outcome_update(
        outcome=overdue,
        expected_version=overdue.version,
        data={"timescale": "January 2009"},
        actor=world.users["officer"],
        reason="Slipped a month",
    )
    third = run_reminders(today=TODAY, only=["plans.overdue_rows"])

    assert third[0].sent == 1 and len(mail.outbox) == 2
