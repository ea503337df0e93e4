"""The Word (.docx) export of an update's report: the Board's familiar table, read back by
``import_plan`` into the same plan and the same two updates."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from compact.demo import load_demo
from compact.models import Compact
from plans import importing
from plans.demo import PLAN_SLUG
from plans.diffing import PlanChanges
from plans.models import ImplementationPlan, PlanUpdate
from plans.report_docx import clean, export_docx
from plans.reports import update_comparison
from tests.plans.factories_reports import edit_progress, first_row, issue, make_plan


def outline(changes: PlanChanges) -> list[Any]:
    """The report's changes without the database ids: every item's kind and every field's
    old and new text, in the report's order."""

    def fields(change: Any) -> dict[str, tuple[str, str]]:
        return {name: (str(field.old), str(field.new)) for name, field in change.fields.items()}

    return [
        (
            str(objective.kind),
            fields(objective),
            [
                (
                    str(task.kind),
                    fields(task),
                    [(str(row.kind), fields(row)) for row in task.rows],
                )
                for task in objective.tasks
            ],
        )
        for objective in changes.objectives
    ]


def rows_texts(update: PlanUpdate) -> list[tuple[str, ...]]:
    snapshot = update_comparison(update).snapshot
    return [
        (str(objective.number), objective.statement, task.description, row.outcome,
         row.timescale, row.responsibility, row.progress, row.status)
        for objective in snapshot.objectives
        for task in objective.tasks
        for row in task.rows
    ]  # fmt: skip


def demo_update(number: int) -> PlanUpdate:
    plan = ImplementationPlan.objects.select_related("compact").get(slug=PLAN_SLUG)
    update = plan.updates.get(number=number)
    update.plan = plan
    return update


@pytest.mark.django_db(transaction=True)
def test_demo_update_4_as_word_imports_back_as_the_same_plan_and_updates(
    tmp_path: Path,
) -> None:
    load_demo()
    update_4 = demo_update(4)
    comparison = update_comparison(update_4)
    expected_changes = outline(comparison.changes)
    expected_rows = {number: rows_texts(demo_update(number)) for number in (3, 4)}
    title, update_3_date = update_4.plan.title, demo_update(3).date
    assert comparison.changes.has_changes

    started = time.perf_counter()
    data = export_docx(comparison)
    seconds = time.perf_counter() - started
    print(f"\nUpdate 4 as .docx: {seconds:.3f} s, {len(data):,} bytes")
    path = tmp_path / "update-4.docx"
    path.write_bytes(data)

    # An empty database, then the command an officer would run.
    call_command("flush", "--no-input", verbosity=0)
    Compact.objects.create(name="Merthyr Tydfil Compact", slug="merthyr", area="Merthyr")
    out = io.StringIO()
    call_command(
        "import_plan", str(path), "--plan", "imported",
        "--previous-date", update_3_date.isoformat(), stdout=out,
    )  # fmt: skip
    plan = ImplementationPlan.objects.select_related("compact").get(slug="imported")
    assert plan.title == title
    assert list(plan.updates.order_by("number").values_list("number", "date")) == [
        (3, update_3_date),
        (4, update_4.date),
    ]
    imported = {}
    for number in (3, 4):
        update = plan.updates.get(number=number)
        update.plan = plan
        imported[number] = update
    assert {number: rows_texts(update) for number, update in imported.items()} == expected_rows
    assert outline(update_comparison(imported[4]).changes) == expected_changes
