"""Rendering of change reports as HTML, PDF, CSV and Excel, shared by the views, the
``export_report`` command and the board-pack paper provider.

One template (templates/plans/update_report.html) makes both the page and the PDF: the
``for_pdf`` flag switches its base template. An issued update never changes, so its PDF is kept
(PlanUpdate.cached_pdf) under a key naming the code and template version it came from.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.platform.language import WELSH, marked_text
from compact.platform.pdf.languages import BILINGUAL, pages_numbered, paper_language, render_in
from compact.platform.spreadsheets import csv_text, spreadsheet_cell
from plans.cache_keys import (
    REPORT_CHANGES_CACHE_SECONDS,
    REPORT_CHANGES_TEMPLATE,
    REPORT_TEMPLATE,
    report_changes_key,
    update_pdf_key,
    update_pdf_store,
)
from plans.diffing import ObjectiveChange, RowChange, TaskChange
from plans.models import ImplementationPlan, PlanUpdate
from plans.report_pdf import RenderStats, report_html_to_pdf
from plans.selectors.reports import (
    PlanComparison,
    plan_comparison,
    previous_update,
)


def format_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class ReportKind:
    """What a report is: its heading and whether it is a frozen, issued update."""

    heading: str
    since_label: str  # "Update 3", "the start"
    issued: bool


def describe(comparison: PlanComparison) -> ReportKind:
    since = comparison.since
    since_label = _("Update %(number)s") % {"number": since.number} if since else _("the start")
    until = comparison.until
    if until is None:
        if since is None:
            heading = _("Working draft (not issued)")
        else:
            heading = _("Working draft - changes since Update %(number)s (not issued)") % {
                "number": since.number
            }
        return ReportKind(heading, since_label, issued=False)
    dated = _("Update %(number)s - dated %(date)s") % {
        "number": until.number,
        "date": format_date(until.date),
    }
    if since is None or since.number == until.number - 1:
        heading = _("%(update)s (Changes from previous version in blue)") % {"update": dated}
    else:
        heading = _("%(update)s (Changes since Update %(since)s in blue)") % {
            "update": dated,
            "since": since.number,
        }
    return ReportKind(heading, since_label, issued=True)


def report_frame(
    comparison: PlanComparison, *, changes_only: bool = False, for_pdf: bool = False
) -> dict[str, Any]:
    """The report's context without the changes themselves (which cost the snapshots)."""
    kind = describe(comparison)
    until, since = comparison.until, comparison.since
    # An update's own report (against the one before it) is a Board paper with a cover.
    is_paper = until is not None and (since is None or since.number == until.number - 1)
    return {
        "paper": until if is_paper else None,
        "plan": comparison.plan,
        "since": comparison.since,
        "until": comparison.until,
        "changes_only": changes_only,
        "heading": kind.heading,
        "since_label": kind.since_label,
        "issued": kind.issued,
        "for_pdf": for_pdf,
        "base_template": "pdf/base.html" if for_pdf else "base.html",
        "section_mark": "<!--compact:section-->" if for_pdf else "",
    }


def report_context(
    comparison: PlanComparison, *, changes_only: bool = False, for_pdf: bool = False
) -> dict[str, Any]:
    changes = comparison.changes
    return {
        **report_frame(comparison, changes_only=changes_only, for_pdf=for_pdf),
        "changes": changes,
        "objectives": changes.changed_only() if changes_only else changes.objectives,
    }


def render_report_html(
    comparison: PlanComparison,
    *,
    request: HttpRequest | None = None,
    changes_only: bool = False,
    for_pdf: bool = False,
    extra: dict[str, Any] | None = None,
) -> str:
    if not for_pdf:
        context = report_frame(comparison, changes_only=changes_only)
        context["report_changes"] = _cached_report_changes(comparison, changes_only)
    else:
        context = report_context(comparison, changes_only=changes_only, for_pdf=for_pdf)
    context.update(extra or {})
    return render_to_string(REPORT_TEMPLATE, context, request=None if for_pdf else request)


def _cached_report_changes(comparison: PlanComparison, changes_only: bool) -> str:
    """The legend and tables of a report, rendered once per language and kept in the cache
    (compressed: a 2,400-row report is 1.2 MB of HTML, about 100 kB zipped); a hit reads no
    snapshot. Between two issued updates only the template and code version can change it
    (the issue times in the key keep a reused id, a deleted update, from finding an old entry);
    the working draft is keyed by the state of the plan's history as well, which every save
    and deletion moves on (three small queries instead of the snapshot and the diff)."""
    key = report_changes_key(comparison, changes_only=changes_only)
    stored = caches["default"].get(key)
    if isinstance(stored, bytes):
        return mark_safe(zlib.decompress(stored).decode())  # our own rendering, below
    html = render_to_string(
        REPORT_CHANGES_TEMPLATE, report_context(comparison, changes_only=changes_only)
    )
    caches["default"].set(key, zlib.compress(html.encode(), 1), REPORT_CHANGES_CACHE_SECONDS)
    return mark_safe(html)  # rendered by the template engine, which escaped it


def render_report_pdf(
    comparison: PlanComparison,
    *,
    changes_only: bool = False,
    parallel: bool | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[bytes, RenderStats]:
    html = render_report_html(comparison, changes_only=changes_only, for_pdf=True, extra=extra)
    return report_html_to_pdf(html, parallel=parallel)


def update_comparison(update: PlanUpdate) -> PlanComparison:
    """Update N against Update N-1 (or against nothing, for the first update)."""
    return plan_comparison(plan=update.plan, since=previous_update(update), until=update)


def update_report_pdf(update: PlanUpdate, language: str | None = None) -> bytes:
    """The PDF of an issued update's report in Welsh, English or both (the reader's language
    when not given), rendered once per language and then served from storage: the English one
    on the update itself, the Welsh and the bilingual ones beside it in the default storage,
    named by the same key and the language."""
    code = paper_language(language)
    key = update_pdf_key(update)
    if code == BILINGUAL:
        # Rendered afresh rather than joined from the kept Welsh and English files: those
        # carry their own page numbers, the joined document numbers its pages through.
        return _stored_update_pdf(
            update,
            key,
            code,
            lambda: _standalone(
                lambda: render_in(
                    BILINGUAL, lambda: render_report_pdf(update_comparison(update))[0]
                )
            ),
        )
    with translation.override(code), pages_numbered(by_caller=False):
        if code == WELSH:
            return _stored_update_pdf(
                update, key, code, lambda: render_report_pdf(update_comparison(update))[0]
            )
        return _english_update_pdf(update, key)


def _standalone(render: Callable[[], bytes]) -> bytes:
    """A PDF kept to be served on its own: numbered, even when asked for inside a pack."""
    with pages_numbered(by_caller=False):
        return render()


def _english_update_pdf(update: PlanUpdate, key: str) -> bytes:
    if update.cached_pdf and update.cached_pdf_key == key:
        try:
            with update.cached_pdf.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            pass
    pdf, _stats = render_report_pdf(update_comparison(update))
    old_name = update.cached_pdf.name if update.cached_pdf else ""
    name_hash = hashlib.sha256(key.encode()).hexdigest()[:12]
    update.cached_pdf.save(
        f"plan-{update.plan_id}-update-{update.number}-{name_hash}.pdf",
        ContentFile(pdf),
        save=False,
    )
    update.cached_pdf_key = key
    # Only the cache fields change: bookkeeping, not a change of the paper for its history.
    update.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        update.save(update_fields=["cached_pdf", "cached_pdf_key"])
    finally:
        del update.skip_history_when_saving  # type: ignore[attr-defined]
    if old_name and old_name != update.cached_pdf.name:
        update.cached_pdf.storage.delete(old_name)
    return pdf


def _stored_update_pdf(
    update: PlanUpdate, key: str, language: str, render: Callable[[], bytes]
) -> bytes:
    name_hash = hashlib.sha256(key.encode()).hexdigest()[:12]
    path = (
        f"{update_pdf_store(language)}/{update.plan_id}/"
        f"update-{update.number}-{language}-{name_hash}.pdf"
    )
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return stored.read()
    pdf = render()
    default_storage.save(path, ContentFile(pdf))
    return pdf


def pdf_filename(plan: ImplementationPlan, label: str) -> str:
    return f"{plan.slug}-{label}.pdf"


# --- CSV and Excel --------------------------------------------------------------------------

EXPORT_HEADER = (
    gettext_lazy("Objective"), gettext_lazy("Task"), gettext_lazy("Outcomes / Indicators"),
    gettext_lazy("Timescale"), gettext_lazy("Responsibility"), gettext_lazy("Progress"),
    gettext_lazy("Status"), gettext_lazy("Change"),
)  # fmt: skip


def export_header() -> list[str]:
    """The columns' names in the reader's language."""
    return [str(name) for name in EXPORT_HEADER]


def _change_label(change: RowChange | TaskChange | ObjectiveChange) -> str:
    if change.is_added:
        return _("New")
    if change.is_removed:
        return _("Removed")
    labels = []
    if change.fields_changed:
        labels.append(_("Changed"))
    if change.moved:
        labels.append(
            _("Moved from Objective %(number)s") % {"number": change.moved_from}
            if change.moved_from
            else _("Moved")
        )
    return "; ".join(labels)


def export_rows(comparison: PlanComparison) -> list[list[str]]:
    """The report as flat rows: one per outcome row, with the change it carries; texts in the
    reader's language (the other one, marked, where it is missing)."""
    rows = []
    for objective_change in comparison.changes.objectives:
        objective = objective_change.item
        for task_change in objective_change.tasks:
            task = task_change.item
            for row_change in task_change.rows:
                row = row_change.item
                label = _change_label(row_change) or _change_label(task_change)
                if objective_change.is_added or objective_change.is_removed:
                    label = _change_label(objective_change)
                rows.append(
                    [
                        str(objective.label),
                        marked_text(task, "description"),
                        marked_text(row, "outcome"),
                        marked_text(row, "timescale"),
                        marked_text(row, "responsibility"),
                        marked_text(row, "progress"),
                        row.status,
                        label,
                    ]
                )
    return rows


# Open data (the API's CSV and JSON of an issued update): fixed English column names and both
# languages side by side, so a program reads the same columns whoever asks.
OPEN_DATA_COLUMNS = (
    "objective", "objective_title", "objective_title_cy", "task", "task_cy",
    "outcome", "outcome_cy", "timescale", "timescale_cy", "responsibility",
    "responsibility_cy", "progress", "progress_cy", "status", "change", "moved",
)  # fmt: skip


def _open_data_change(
    objective: ObjectiveChange, task: TaskChange, row: RowChange
) -> tuple[str, bool]:
    """The change a row carries: its own, else its task's or objective's when that one was
    added or removed as a whole (as the CSV export labels it)."""
    for whole in (objective, task):
        if whole.is_added or whole.is_removed:
            return whole.kind.value, row.moved
    return row.kind.value, row.moved


def open_data_rows(comparison: PlanComparison) -> list[list[str]]:
    """The report as flat rows in both languages, one per outcome row, each with its change
    from the update before (added, removed, changed, moved, unchanged) as data, not words."""
    rows = []
    for objective_change in comparison.changes.objectives:
        objective = objective_change.item
        for task_change in objective_change.tasks:
            task = task_change.item
            for row_change in task_change.rows:
                row = row_change.item
                change, moved = _open_data_change(objective_change, task_change, row_change)
                rows.append(
                    [
                        str(objective.label), objective.title, objective.title_cy,
                        task.description, task.description_cy, row.outcome, row.outcome_cy,
                        row.timescale, row.timescale_cy, row.responsibility,
                        row.responsibility_cy, row.progress, row.progress_cy, row.status,
                        change, "yes" if moved else "no",
                    ]
                )  # fmt: skip
    return rows


def export_csv(comparison: PlanComparison) -> str:
    return csv_text([export_header(), *export_rows(comparison)])


def export_xlsx(comparison: PlanComparison, *, title: str = "Plan") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31] or "Plan"
    sheet.append(export_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(comparison):
        sheet.append([spreadsheet_cell(value) for value in row])
    widths = (10, 40, 40, 16, 20, 60, 14, 20)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
