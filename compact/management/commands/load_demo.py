from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the Merthyr Tydfil demo (idempotent). Refused when DEBUG is off unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Load even though DEBUG is off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data (with known passwords) while DEBUG is off. "
                "Use --force if this really is a demonstration server."
            )
        load_demo(write=lambda line: self.stdout.write(line))
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready. Sign in as officer, board, admin or representative "
                f"with the password {DEMO_PASSWORD}."
            )
        )
