from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.models import Meeting
from compact.platform.pdf.languages import PAPER_LANGUAGES
from compact.platform.pdf.limits import pdf_time_limit
from compact.services.packs import board_pack_build


class Command(BaseCommand):
    help = "Write a meeting's board pack (built or taken from the cache) to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", type=int, required=True, help="The meeting's id.")
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--language",
            choices=PAPER_LANGUAGES,
            default=None,
            help="cy, en or bilingual (Welsh first); default: the newest version's language.",
        )

    def handle(
        self, *args: Any, meeting: int, out: str, language: str | None = None, **options: Any
    ) -> None:
        found = Meeting.objects.select_related("body__compact").filter(pk=meeting).first()
        if found is None:
            raise CommandError(f"There is no meeting with id {meeting}.")
        # A command is not a request: it gets the background worker's limit.
        with pdf_time_limit(settings.PDF_BACKGROUND_TIMEOUT_SECONDS):
            pack, built = board_pack_build(meeting=found, language=language)
        with pack.file.open("rb") as handle:
            Path(out).write_bytes(handle.read())
        state = f"built in {pack.build_seconds:.2f} s" if built else "unchanged, from the cache"
        self.stdout.write(
            self.style.SUCCESS(
                f"{found}: pack version {pack.version}, {pack.page_count} pages ({state}) -> {out}"
            )
        )
        for problem in filter(None, pack.problems.splitlines()):
            self.stderr.write(f"Left out: {problem}")
