"""Scheduled reminders, run together by one cron job: ``manage.py send_reminders``.

Each app registers what it needs reminding about from its ``registrations.register()``::

    registry.register(Reminder("representatives.terms_ending", send_term_ending_reminders))

A reminder's ``run`` takes ``today`` (a date) and returns how many reminders it sent.
It must be idempotent for a given day (cron may run twice), e.g. by recording what it sent.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django_tasks import task

from compact.platform import registry

logger = logging.getLogger(__name__)

ReminderFunction = Callable[[datetime.date], int]


@dataclass(frozen=True)
class ReminderOutcome:
    name: str
    sent: int = 0
    error: str = ""


@dataclass(frozen=True)
class Reminder:
    name: str
    run: ReminderFunction

    @property
    def key(self) -> str:
        return self.name


def registered_reminders() -> dict[str, ReminderFunction]:
    return {reminder.name: reminder.run for reminder in registry.items(Reminder)}


def run_reminders(*, today: datetime.date, only: list[str] | None = None) -> list[ReminderOutcome]:
    """Run every registered reminder (or those named in ``only``); one failing reminder is
    reported and does not stop the others."""
    outcomes = []
    for name, reminder in registered_reminders().items():
        if only and name not in only:
            continue
        try:
            sent = int(reminder(today))
        except Exception as exc:
            logger.exception("Reminder %s failed", name)
            outcomes.append(ReminderOutcome(name=name, error=f"{type(exc).__name__}: {exc}"))
        else:
            outcomes.append(ReminderOutcome(name=name, sent=sent))
    return outcomes


# --- In the background: ``send_reminders --enqueue`` -----------------------------------------


@task()
def run_reminder_task(*, name: str, today: str) -> int:
    """Run one reminder as a background task; returns how many it sent. A failure marks the
    task failed (the worker logs it) and does not touch the other reminders' tasks."""
    reminder = registered_reminders().get(name)
    if reminder is None:
        raise LookupError(f"No reminder called {name!r}")
    return int(reminder(datetime.date.fromisoformat(today)))


def enqueue_reminders(*, today: datetime.date, only: list[str] | None = None) -> dict[str, str]:
    """Queue one task per reminder (or those in ``only``); returns {name: task id}."""
    queued = {}
    for name in registered_reminders():
        if only and name not in only:
            continue
        result = run_reminder_task.enqueue(name=name, today=today.isoformat())
        queued[name] = str(result.id)
    return queued
