"""An officer uploads an edited progress spreadsheet from a phone: a wrong sheet is listed
problem by problem and changes nothing; the corrected sheet is applied."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from plans.models import Outcome
from plans.selectors.progress import progress_sheet_file
from tests.browser.conftest import assert_accessible
from tests.plans.factories import make_objective, make_plan, make_row, make_task

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(plan: Any, status: str) -> dict[str, Any]:
    book = load_workbook(io.BytesIO(progress_sheet_file(plan, "xlsx").content))
    header = [cell.value for cell in book.active[1]]
    book.active.cell(row=2, column=header.index("Status") + 1).value = status
    book.active.cell(row=2, column=header.index("Progress") + 1).value = "Board met in March"
    output = io.BytesIO()
    book.save(output)
    return {"name": "progress.xlsx", "mimeType": XLSX, "buffer": output.getvalue()}


def test_officer_uploads_a_progress_spreadsheet_at_phone_width(
    world: Any, browser: Any, live_server: Any, login: Any
) -> None:
    plan = make_plan(world, objectives=0)
    row = make_row(make_task(make_objective(plan)), progress="Drafted")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, world.users["officer"])
    page.goto(f"{live_server.url}/plans/{plan.slug}/")
    page.get_by_role("link", name="Upload a progress spreadsheet").click()
    page.get_by_role("heading", name="Upload a progress spreadsheet").wait_for()

    page.get_by_label("Progress spreadsheet").set_input_files(_sheet(plan, "Nearly there"))
    page.get_by_role("button", name="Upload and apply").click()

    page.get_by_text("1 problem. Nothing was changed.").wait_for()
    assert page.get_by_role("cell", name="Status", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    assert Outcome.objects.get(pk=row.pk).version == 1

    page.get_by_label("Progress spreadsheet").set_input_files(_sheet(plan, "In progress"))
    page.get_by_role("button", name="Upload and apply").click()
    page.get_by_text("Spreadsheet imported: 1 rows changed").wait_for()
    row.refresh_from_db()
    assert (row.progress, row.status, row.version) == ("Board met in March", "in_progress", 2)
