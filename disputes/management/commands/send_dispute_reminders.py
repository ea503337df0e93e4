from typing import Any

from django.core.management.base import BaseCommand

from disputes.services import dispute_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the disputes officers (and the panel) about dispute stages past their target "
        "date. Each overdue stage is reminded once, so running it daily is safe."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = dispute_reminders_send()
        self.stdout.write(f"{sent} overdue reminder(s) sent.")
