"""``manage.py backup [--out DIR]``: database and media in one checked archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.platform.backups import BackupError, create_backup, describe, read_manifest


class Command(BaseCommand):
    help = "Back up the database and the media folder into one archive with checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            default=str(Path(settings.VAR_DIR) / "backups"),
            help="Folder for the archive (default: var/backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = create_backup(out_dir=Path(options["out"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {archive} ({describe(read_manifest(archive))})")
