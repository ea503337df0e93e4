"""Write an update's report to a file: ``manage.py export_report --plan PLAN --update N
--format pdf|html|csv|xlsx|docx --out FILE`` (PLAN: the plan's slug or id; ``--deletions``:
the Word file keeps deleted words struck through; ``--language cy|en|bilingual``: of the PDF
or the Word file). Used for scheduled
circulation and by scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.platform.pdf.languages import PAPER_LANGUAGES
from compact.platform.pdf.limits import pdf_time_limit
from plans.models import ImplementationPlan, PlanUpdate
from plans.report_docx import export_docx
from plans.reports import (
    export_csv,
    export_xlsx,
    render_report_html,
    update_comparison,
    update_report_pdf,
)

FORMATS = ("pdf", "html", "csv", "xlsx", "docx")


class Command(BaseCommand):
    help = "Export the report of a plan update (changes from the previous update marked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="The plan's slug or id.")
        parser.add_argument("--update", required=True, type=int, help="The update number.")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument(
            "--language",
            choices=PAPER_LANGUAGES,
            default=None,
            help=(
                "For --format pdf and docx: cy, en or bilingual (Welsh first); default: English "
                "(the only Word file import_plan reads back)."
            ),
        )
        parser.add_argument(
            "--deletions",
            action="store_true",
            help="docx only: keep the words removed since the previous update, struck through.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = str(options["plan"])
        plans = ImplementationPlan.objects.filter(slug=reference)
        if reference.isdigit():
            plans = plans | ImplementationPlan.objects.filter(pk=int(reference))
        plan = plans.first()
        if plan is None:
            raise CommandError(f"No plan with slug or id {reference!r}.")
        try:
            update = PlanUpdate.objects.get(plan=plan, number=options["update"])
        except PlanUpdate.DoesNotExist:
            numbers = list(plan.updates.values_list("number", flat=True))
            raise CommandError(
                f"Plan {plan.slug!r} has no update {options['update']}; it has {numbers}."
            ) from None
        update.plan = plan
        fmt = options["format"]
        if options["deletions"] and fmt != "docx":
            raise CommandError("--deletions is for --format docx only.")
        if Path(options["out"]).is_dir():  # before the (slow) rendering
            raise CommandError(
                f"--out {options['out']} is a folder: give the name of the file to write, "
                f"e.g. {Path(options['out']) / f'{plan.slug}-update-{update.number}.{fmt}'}"
            )
        if fmt == "pdf":
            # A command is not a request: it gets the background worker's limit.
            with pdf_time_limit(settings.PDF_BACKGROUND_TIMEOUT_SECONDS):
                content: bytes = update_report_pdf(update, options.get("language") or "en")
        elif fmt == "html":
            content = render_report_html(update_comparison(update)).encode()
        elif fmt == "csv":
            content = export_csv(update_comparison(update)).encode()
        elif fmt == "docx":
            content = export_docx(
                update_comparison(update),
                show_deletions=options["deletions"],
                language=options.get("language") or "en",
            )
        else:
            content = export_xlsx(update_comparison(update))
        out = Path(options["out"])
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}.") from exc
        self.stdout.write(f"Wrote {fmt.upper()} of {update} ({len(content)} bytes) to {out}")
