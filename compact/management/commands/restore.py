"""``manage.py restore ARCHIVE --yes``: replace the database and media with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.platform.backups import BackupError, describe, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`. Replaces ALL data; needs --yes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar archive written by `manage.py backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Really replace the database and media folder."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            manifest = read_manifest(archive)
            if not options["yes"]:
                raise CommandError(
                    f"This replaces the whole database and media folder with {archive.name} "
                    f"({describe(manifest)}). It is restored and checked beside the current data "
                    "first; the current data are kept. Stop the app servers and workers, then "
                    "run again with --yes."
                )
            report = restore_backup(archive_path=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {report.archive.name} ({report.engine}, made {report.created_at}): "
            f"{report.tables_checked} tables match the manifest's row counts, "
            f"{report.media_files} media files."
        )
        for what, kept in (
            ("database", report.previous_database),
            ("media", report.previous_media),
        ):
            if kept:
                self.stdout.write(
                    f"The previous {what} is kept as {kept}; remove it when satisfied."
                )
