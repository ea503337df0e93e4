"""manage.py import_partnerships FILE: add an existing list of partnerships to the register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.models import Compact
from compact.selectors import compact_current
from partnerships.spreadsheets import ImportFailed, partnerships_import


class Command(BaseCommand):
    help = (
        "Import partnerships from a CSV file (all-or-nothing; errors name their row). "
        "Columns as in docs/partnerships.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--compact", help="Slug of the Compact (default: the only one).")
        parser.add_argument("--user", help="Username recorded in the history as the importer.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        if options["compact"]:
            compact = Compact.objects.filter(slug=options["compact"]).first()
        else:
            compact = compact_current()
        if compact is None:
            raise CommandError("No such Compact: load or create it first.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}")
        try:
            created = partnerships_import(compact=compact, content=path.read_bytes(), actor=actor)
        except PermissionDenied as exc:
            raise CommandError(f"{actor} may not change the partnerships register.") from exc
        except ImportFailed as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {len(created)} partnerships."))
