"""Write a plan's progress spreadsheet: ``manage.py export_progress --plan PLAN --out FILE``
(PLAN: the plan's slug or id; FILE ending .xlsx or .csv). Read it back with import_progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.management.commands.import_progress import find_plan
from plans.selectors.progress import progress_sheet_file


class Command(BaseCommand):
    help = "Export a plan's rows as a progress spreadsheet (Excel .xlsx or .csv) to fill in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="The plan's slug or id.")
        parser.add_argument("--out", required=True, help="The file to write (.xlsx or .csv).")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = find_plan(str(options["plan"]))
        out = Path(options["out"])
        if out.is_dir():
            raise CommandError(
                f"--out {out} is a folder: give the name of the file to write, "
                f"e.g. {out / f'{plan.slug}-progress.xlsx'}"
            )
        suffix = out.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise CommandError(f"--out {out}: the name must end .xlsx or .csv.")
        sheet = progress_sheet_file(plan, "csv" if suffix == ".csv" else "xlsx")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(sheet.content)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}.") from exc
        self.stdout.write(f"Wrote the progress spreadsheet of {plan.slug} to {out}")
