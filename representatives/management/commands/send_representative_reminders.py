"""Email officers about representatives' terms ending within 90 days (safe to run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from representatives.reminders import send_term_end_reminders


class Command(BaseCommand):
    help = "Email officers once about each representative's term ending within 90 days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site-url", default="", help="Base URL for links in the email.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_term_end_reminders(site_url=options["site_url"])
        self.stdout.write(f"{len(sent)} reminder(s) sent.")
