"""Reads for the progress spreadsheet: the plan's rows as the sheet's lines (one query) and the
file itself, in Excel or CSV (see :mod:`plans.progress_sheet`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone

from compact.platform.language import text_of
from plans import progress_sheet
from plans.models import ImplementationPlan, Outcome

Format = Literal["xlsx", "csv"]


@dataclass(frozen=True)
class SheetFile:
    content: bytes
    filename: str
    content_type: str


def progress_sheet_rows(
    plan: ImplementationPlan, *, outcomes: QuerySet[Outcome] | None = None
) -> list[list[Any]]:
    """One line per row of the plan (or of ``outcomes``, a narrower set of its rows), in the
    plan's order, in HEADER order; statuses as labels in the reader's language. One query."""
    queryset = (outcomes if outcomes is not None else Outcome.objects.all()).filter(plan=plan)
    labels = dict(Outcome.Status.choices)
    lines = []
    for row in queryset.select_related("task__objective").order_by(
        "task__objective__order", "task__objective_id", "task__order", "task_id", "order", "id"
    ):
        objective = row.task.objective
        heading = text_of(objective, "title") or text_of(objective, "statement")
        lines.append(
            [
                row.pk,
                row.version,
                f"{objective.number}. {heading}",
                text_of(row.task, "description"),
                row.outcome,
                row.timescale,
                row.responsibility,
                row.progress,
                str(labels.get(row.status, row.status)),
                row.outcome_cy,
                row.timescale_cy,
                row.responsibility_cy,
                row.progress_cy,
            ]
        )
    return lines


def progress_sheet_file(
    plan: ImplementationPlan, fmt: Format, *, outcomes: QuerySet[Outcome] | None = None
) -> SheetFile:
    """The progress spreadsheet of the plan as a file to download. One query."""
    rows = progress_sheet_rows(plan, outcomes=outcomes)
    filename = f"{plan.slug}-progress-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        return SheetFile(progress_sheet.write_csv(rows), filename, progress_sheet.CSV_CONTENT_TYPE)
    statuses = [str(label) for _, label in Outcome.Status.choices]
    content = progress_sheet.write_xlsx(rows, statuses=statuses, title=plan.slug)
    return SheetFile(content, filename, progress_sheet.XLSX_CONTENT_TYPE)
