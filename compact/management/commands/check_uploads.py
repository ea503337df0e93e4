"""Run every stored upload through today's upload check, to find what older, weaker checks
let in (PDFs with scripts, HTML named .pdf, oversized terms of reference).

    python manage.py check_uploads          # lists each stored upload the check refuses now

Nothing is changed or deleted: an officer decides what to replace. Exits with status 1 when any
file is refused, so it can run from cron or after an upgrade.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compact.platform.uploads import DOCUMENTS, EVIDENCE, PAPERS, Kind, check_upload

# Where people's files are kept, named by label so the ground floor imports no upper app.
UPLOADS: dict[tuple[str, str], tuple[Kind, ...]] = {
    ("compact.Paper", "file"): PAPERS,
    ("compact.CodeDocumentVersion", "file"): PAPERS,
    ("partnerships.Partnership", "terms_of_reference"): DOCUMENTS,
    ("disputes.SupportingDocument", "file"): EVIDENCE,
}


class Command(BaseCommand):
    help = "List stored uploads that today's upload check would refuse (changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        checked = refused = 0
        for (label, field), kinds in UPLOADS.items():
            try:
                model = apps.get_model(label)
            except LookupError:  # that app is not installed here
                continue
            for row in model._default_manager.exclude(**{field: ""}).iterator():
                stored = getattr(row, field)
                checked += 1
                problem = _problem(stored, kinds)
                if problem:
                    refused += 1
                    self.stdout.write(f"{label} {row.pk} {field} {stored.name}: {problem}")
        self.stdout.write(f"{checked} stored uploads checked, {refused} would be refused today.")
        if refused:
            raise CommandError(f"{refused} stored upload(s) would be refused today.")


def _problem(stored: Any, kinds: tuple[Kind, ...]) -> str:
    try:
        with stored.open("rb") as handle:
            check_upload(handle, kinds=kinds)
    except FileNotFoundError:
        return "missing from storage"
    except ValidationError as error:
        return " ".join(error.messages)
    return ""
