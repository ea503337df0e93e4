"""Every CSV and Excel export writes a cell that starts like a formula (= + - @, a tab, a
carriage return) as text, and there is one implementation of that rule:
compact.platform.spreadsheets."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from compact.platform.spreadsheets import FORMULA_PREFIXES, spreadsheet_cell
from partnerships.models import Partnership
from plans.models import Outcome
from plans.reports import export_csv, export_xlsx, update_comparison
from representatives.models import Declaration
from tests.plans.factories import issue, make_plan

pytestmark = pytest.mark.security

ROOT = Path(__file__).resolve().parents[2]
OUR_CODE = ("compact", "plans", "partnerships", "representatives", "disputes")
THE_ONE_PLACE = ROOT / "compact" / "platform" / "spreadsheets.py"
HOSTILE = [f'{prefix}=HYPERLINK("http://attacker.example","x")' for prefix in FORMULA_PREFIXES]
HOSTILE += ["=1+1", "+1+1", "-1+1", "@SUM(A1)"]


def csv_cells(content: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content)) for cell in row]


def assert_every_hostile_cell_is_text(cells: list[str]) -> None:
    for value in HOSTILE:
        assert value not in cells, f"{value!r} written as it is: a spreadsheet would run it"
        assert "'" + value in cells, f"{value!r} missing from the export"


def test_every_formula_start_is_made_text() -> None:
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_cell(f"{prefix}1+1") == f"'{prefix}1+1"
    assert spreadsheet_cell("Meetings held") == "Meetings held"
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(3) == "3"


def test_declarations_csv_makes_a_tab_equals_cell_written_to_the_database_text(
    world: Any, client_for: Any
) -> None:
    person = next(iter(world.people.values()))
    for value in HOSTILE:
        # Written straight to the database, as an old row or another tool would have left it.
        Declaration.objects.create(person=person, kind="general", interest=value)
    response = client_for("officer").get(reverse("representatives:declaration_csv"))
    assert response.status_code == 200
    assert_every_hostile_cell_is_text(csv_cells(response.content.decode()))


def test_partnerships_register_csv_makes_formulas_text(world: Any, client_for: Any) -> None:
    for number, value in enumerate(HOSTILE):
        Partnership.objects.create(
            compact=world.compact,
            name=f"Forum {number}",
            slug=f"forum-{number}",
            type="forum",
            purpose=value,
        )
    response = client_for("officer").get(reverse("partnerships:export_csv"))
    assert response.status_code == 200
    assert_every_hostile_cell_is_text(csv_cells(response.content.decode()))


def test_plan_csv_and_excel_exports_make_formulas_text(world: Any) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=len(HOSTILE))
    for row, value in zip(Outcome.objects.filter(plan=plan).order_by("order"), HOSTILE,
                          strict=True):  # fmt: skip
        row.progress = value
        row.save()
    update = issue(plan)
    comparison = update_comparison(update)

    assert_every_hostile_cell_is_text(csv_cells(export_csv(comparison)))
    sheet = load_workbook(io.BytesIO(export_xlsx(comparison))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert_every_hostile_cell_is_text([str(value) for value in values if value is not None])
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


# A second implementation of the rule: the old helpers' names, a tuple or string of the
# formula characters, or a quote glued to a cell, anywhere but the one place.
SECOND_IMPLEMENTATION = re.compile(
    r"_FORMULA_START|def _cell\b"
    r"|[\"']=[\"']\s*,\s*[\"']\+[\"']"  # ("=", "+", ...
    r"|[\"']=\+-@"  # "=+-@"
    r"|[\"']'[\"']\s*\+"  # "'" + value
)
CSV_WRITER = re.compile(r"\bcsv\.(writer|DictWriter)\(")


def our_python_files() -> list[Path]:
    files = [path for folder in OUR_CODE for path in (ROOT / folder).rglob("*.py")]
    return [path for path in files if "migrations" not in path.parts]


def test_formula_escaping_exists_once_and_every_csv_goes_through_it() -> None:
    assert THE_ONE_PLACE.exists()
    copies = []
    writers = []
    excel_without_escaping = []
    for path in our_python_files():
        if path == THE_ONE_PLACE:
            continue
        text = path.read_text()
        relative = path.relative_to(ROOT)
        copies += [f"{relative}: {match.group()}" for match in SECOND_IMPLEMENTATION.finditer(text)]
        writers += [f"{relative}: {match.group()}" for match in CSV_WRITER.finditer(text)]
        if "openpyxl" in text and "spreadsheet_cell" not in text:
            excel_without_escaping.append(str(relative))
    assert not copies, f"a second formula escaper: use compact.platform.spreadsheets ({copies})"
    assert not writers, f"CSV written without compact.platform.spreadsheets: {writers}"
    assert not excel_without_escaping, f"Excel cells not escaped: {excel_without_escaping}"
