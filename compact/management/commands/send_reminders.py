"""Run every registered reminder once (terms ending, overdue rows, dispute deadlines).

Meant for cron, once a day::

    15 7 * * *  compact  cd /srv/compact-tracker && .venv/bin/python manage.py send_reminders

``--enqueue`` puts one task per reminder on the background queue instead, for the worker
(``manage.py db_worker``) to run; cron then only needs the database, not the mail server.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from compact.platform.reminders import enqueue_reminders, registered_reminders, run_reminders


class Command(BaseCommand):
    help = "Send every registered reminder (for a daily cron job) and report how many went out."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--only", action="append", default=[], help="Run only this reminder (repeatable)."
        )
        parser.add_argument("--list", action="store_true", help="List the reminders and stop.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue each reminder as a background task for the worker instead of running it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for name in registered_reminders():
                self.stdout.write(name)
            return
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        else:
            today = timezone.localdate()
        unknown = set(options["only"]) - registered_reminders().keys()
        if unknown:
            raise CommandError(f"No reminder called: {', '.join(sorted(unknown))}")
        if options["enqueue"]:
            queued = enqueue_reminders(today=today, only=options["only"] or None)
            for name, task_id in queued.items():
                self.stdout.write(f"{name}: queued (task {task_id})")
            self.stdout.write(f"{len(queued)} reminder(s) queued for {today.isoformat()}.")
            return
        outcomes = run_reminders(today=today, only=options["only"] or None)
        total = 0
        for outcome in outcomes:
            if outcome.error:
                self.stderr.write(f"{outcome.name}: FAILED ({outcome.error})")
            else:
                total += outcome.sent
                self.stdout.write(f"{outcome.name}: {outcome.sent} sent")
        failed = [outcome.name for outcome in outcomes if outcome.error]
        self.stdout.write(
            f"{len(outcomes)} reminder(s) run for {today.isoformat()}, {total} sent, "
            f"{len(failed)} failed."
        )
        if failed:
            raise CommandError(f"Reminders failed: {', '.join(failed)}")
