"""The progress spreadsheet: download the plan's rows, edit them in Excel or as CSV, upload them
back. All or nothing; stale lines merged from the version they were downloaded at."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from plans import services
from plans.models import Outcome
from plans.progress_sheet import HEADER
from plans.selectors.progress import progress_sheet_file
from plans.services.progress import ProgressImportError, RowChange, import_progress
from tests.plans.factories import make_objective, make_plan, make_row, make_task
from tests.queries import request_queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def plan(world: Any) -> Any:
    plan = make_plan(world, objectives=0)
    task = make_task(make_objective(plan, number=1, statement="Develop a Compact Board."))
    make_row(task, outcome="Membership agreed", timescale="Dec 07", progress="Drafted")
    make_row(task, outcome="Terms of reference", timescale="Sept 08", progress="- to do")
    return plan


def rows_of(plan: Any) -> list[Outcome]:
    return list(Outcome.objects.filter(plan=plan).order_by("order", "id"))


def workbook(plan: Any) -> Any:
    return load_workbook(io.BytesIO(progress_sheet_file(plan, "xlsx").content))


def upload(book: Any, name: str = "progress.xlsx") -> SimpleUploadedFile:
    output = io.BytesIO()
    book.save(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type=XLSX)


def column(book: Any, name: str) -> int:
    return [cell.value for cell in book.active[1]].index(name) + 1


def set_cell(book: Any, line: int, name: str, value: Any) -> None:
    book.active.cell(row=line, column=column(book, name)).value = value


def refused(plan: Any, world: Any, file: Any) -> list[tuple[int | None, str, str]]:
    before = [(row.pk, row.version, row.progress, row.status) for row in rows_of(plan)]
    with pytest.raises(ProgressImportError) as caught:
        import_progress(file, plan, world.users["officer"])
    after = [(row.pk, row.version, row.progress, row.status) for row in rows_of(plan)]
    assert after == before  # nothing changed
    return [(problem.row, problem.column, problem.message) for problem in caught.value.problems]


# --- the download -------------------------------------------------------------------------


def test_download_has_the_header_versions_status_list_and_locked_context(plan: Any) -> None:
    book = workbook(plan)
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == list(HEADER)
    assert HEADER[:9] == ("Row ID", "Version", "Objective", "Task", "Outcomes / Indicators",
                          "Timescale", "Responsibility", "Progress", "Status")  # fmt: skip
    assert "Progress (Cymraeg)" in HEADER
    first = rows_of(plan)[0]
    assert [cell.value for cell in sheet[2]][:9] == [
        first.pk, 1, "1. Develop a Compact Board.", "Establish Compact Board",
        "Membership agreed", "Dec 07", None, "Drafted", "Not started",
    ]  # fmt: skip
    # A cell that starts like a formula is written as text.
    assert sheet.cell(row=3, column=column(book, "Progress")).value == "'- to do"
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "list" and "In progress" in validation.formula1
    assert str(validation.sqref) == "I2:I3"
    assert sheet.protection.sheet
    assert sheet.cell(row=2, column=1).protection.locked
    assert not sheet.cell(row=2, column=column(book, "Progress")).protection.locked


def test_officer_downloads_the_sheet_in_a_fixed_number_of_queries(
    client_for: Any, plan: Any
) -> None:
    client = client_for("officer")
    url = reverse("plans:progress_sheet", args=[plan.slug, "xlsx"])
    with request_queries() as small:
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f"{plan.slug}-progress-" in response["Content-Disposition"]
    task = Outcome.objects.filter(plan=plan).first().task
    for number in range(20):
        make_row(task, outcome=f"More {number}")
    with request_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) <= 7
    csv_response = client.get(reverse("plans:progress_sheet", args=[plan.slug, "csv"]))
    assert csv_response.content.startswith("\ufeffRow ID,Version".encode())
    assert client.get(reverse("plans:progress_sheet", args=[plan.slug, "pdf"])).status_code == 404


def test_plan_page_offers_the_spreadsheet(client_for: Any, plan: Any) -> None:
    page = client_for("officer").get(reverse("plans:plan_detail", args=[plan.slug]))
    assert reverse("plans:progress_sheet", args=[plan.slug, "xlsx"]) in page.content.decode()
    assert reverse("plans:progress_upload", args=[plan.slug]) in page.content.decode()


# --- the round trip -----------------------------------------------------------------------


def test_round_trip_without_edits_changes_nothing(world: Any, plan: Any) -> None:
    before = [(row.version, row.progress) for row in rows_of(plan)]
    result = import_progress(upload(workbook(plan)), plan, world.users["officer"])
    assert (result.changes, result.unchanged) == ([], 2)
    assert [(row.version, row.progress) for row in rows_of(plan)] == before
    csv_file = SimpleUploadedFile("p.csv", progress_sheet_file(plan, "csv").content)
    assert import_progress(csv_file, plan, world.users["officer"]).unchanged == 2


def test_edits_are_applied_through_the_row_service_with_history(world: Any, plan: Any) -> None:
    book = workbook(plan)
    set_cell(book, 2, "Progress", "=Meeting held")  # typed as text in Excel: no formula
    book.active.cell(row=2, column=column(book, "Progress")).data_type = "s"
    set_cell(book, 2, "Status", "In progress")
    set_cell(book, 3, "Progress (Cymraeg)", "Cyfarfod wedi'i gynnal")
    set_cell(book, 3, "Responsibility", "VAMT (ID)")

    result = import_progress(upload(book), plan, world.users["officer"], reason="March Board")

    first, second = rows_of(plan)
    assert (first.progress, first.status, first.version) == ("=Meeting held", "in_progress", 2)
    assert (second.progress, second.progress_cy, second.version) == (
        "- to do", "Cyfarfod wedi'i gynnal", 2)  # fmt: skip
    assert second.responsibility == "VAMT (ID)"
    record = first.history.first()
    assert record.history_user == world.users["officer"]
    assert record.history_change_reason == "March Board"
    assert len(result.changes) == 2 and result.unchanged == 0


def test_csv_round_trip_applies_edits_and_unescapes_formulas(world: Any, plan: Any) -> None:
    lines = list(
        csv.reader(io.StringIO(progress_sheet_file(plan, "csv").content.decode("utf-8-sig")))
    )
    lines[1][HEADER.index("Progress")] = "'=SUM(A1:A2) is not run"
    lines[2][HEADER.index("Status")] = "Wedi'i gyflawni"  # the Welsh label is understood
    output = io.StringIO()
    csv.writer(output).writerows(lines)
    file = SimpleUploadedFile("progress.csv", output.getvalue().encode())

    import_progress(file, plan, world.users["officer"])

    first, second = rows_of(plan)
    assert first.progress == "=SUM(A1:A2) is not run"
    assert second.status == "achieved" and second.progress == "- to do"


# --- refusals -----------------------------------------------------------------------------


def test_every_problem_is_listed_with_row_and_column_and_nothing_changes(
    world: Any, plan: Any
) -> None:
    other = make_plan(world, objectives=0, slug="other-plan")
    foreign = make_row(make_task(make_objective(other)), outcome="Elsewhere")
    book = workbook(plan)
    set_cell(book, 2, "Progress", "Fine edit")  # valid, still not applied
    set_cell(book, 2, "Status", "Nearly done")
    set_cell(book, 3, "Timescale", "x" * 10_001)
    set_cell(book, 3, "Version", "two")
    sheet = book.active
    sheet.append([999_999, 1, "", "", "", "", "", "", "Not started"])
    sheet.append([foreign.pk, 1, "", "", "", "", "", "", "Not started"])
    sheet.append([rows_of(plan)[0].pk, 1, "", "", "", "", "", "Again", "Not started"])
    sheet.append(["abc", 1, "", "", "", "", "", "", "Not started"])
    sheet.cell(row=7, column=column(book, "Progress")).value = "=1+1"

    problems = refused(plan, world, upload(book))

    places = [(row, name) for row, name, _message in problems]
    assert places == [
        (2, "Status"),
        (3, "Timescale"),
        (3, "Version"),
        (4, "Row ID"),
        (5, "Row ID"),
        (6, "Row ID"),
        (7, "Progress"),
        (7, "Row ID"),
    ]
    messages = {(row, name): message for row, name, message in problems}
    assert "“Nearly done” is not a status" in messages[(2, "Status")]
    assert "10,001 characters" in messages[(3, "Timescale")]
    assert "not in this plan" in messages[(4, "Row ID")]
    assert "another plan" in messages[(5, "Row ID")]
    assert "also on row 2" in messages[(6, "Row ID")]
    assert "formula" in messages[(7, "Progress")]


def test_a_missing_header_column_refuses_the_sheet(world: Any, plan: Any) -> None:
    book = workbook(plan)
    book.active.delete_cols(column(book, "Status"))
    assert refused(plan, world, upload(book)) == [
        (1, "Status", "this column is missing; download a fresh spreadsheet.")
    ]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("progress.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
        ("progress.xlsx", b"", "damaged"),
        ("progress.pdf", b"%PDF-1.4", "Only Excel (.xlsx) and CSV (.csv)"),
        ("progress.csv", b"", "no header row"),
    ],
)
def test_a_damaged_or_foreign_file_is_refused(
    world: Any, plan: Any, name: str, content: bytes, says: str
) -> None:
    [(row, _column, message)] = refused(plan, world, SimpleUploadedFile(name, content))
    assert row is None or row == 1
    assert says in message


def test_a_zip_that_is_no_workbook_is_refused(world: Any, plan: Any) -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "hi")
    [(_row, _column, message)] = refused(
        plan, world, SimpleUploadedFile("p.xlsx", output.getvalue())
    )
    assert "cannot be read as an Excel workbook" in message


# --- stale lines: the three-way merge -----------------------------------------------------


def test_stale_line_with_edits_where_someone_else_changed_the_same_cell_is_refused(
    world: Any, plan: Any
) -> None:
    book = workbook(plan)
    first = rows_of(plan)[0]
    services.outcome_update(outcome=first, expected_version=1, data={"progress": "Alys"},
                            actor=world.users["officer"])  # fmt: skip
    set_cell(book, 2, "Progress", "Iolo")

    problems = refused(plan, world, upload(book))

    assert [(row, name) for row, name, _message in problems] == [(2, "Progress")]
    assert "version 1, now 2" in problems[0][2]
    assert rows_of(plan)[0].progress == "Alys"


def test_stale_line_merges_cells_the_other_person_did_not_change(world: Any, plan: Any) -> None:
    """Alys changed the timescale after the download; the sheet changed only the status (and
    still holds the old timescale). The import keeps Alys's timescale and applies the status."""
    book = workbook(plan)
    first, second = rows_of(plan)
    services.outcome_update(outcome=first, expected_version=1, data={"timescale": "March 2008"},
                            actor=world.users["officer"])  # fmt: skip
    services.outcome_update(outcome=second, expected_version=1, data={"progress": "Done"},
                            actor=world.users["officer"])  # fmt: skip
    set_cell(book, 2, "Status", "In progress")

    result = import_progress(upload(book), plan, world.users["officer"])

    first, second = rows_of(plan)
    assert (first.timescale, first.status, first.version) == ("March 2008", "in_progress", 3)
    # Unedited and stale: fine, and Alys's progress is not reverted to the sheet's old text.
    assert (second.progress, second.version) == ("Done", 2)
    assert (len(result.changes), result.merged, result.unchanged) == (1, 1, 1)


def test_stale_line_edited_to_the_current_text_is_fine(world: Any, plan: Any) -> None:
    book = workbook(plan)
    first = rows_of(plan)[0]
    services.outcome_update(outcome=first, expected_version=1, data={"progress": "Agreed"},
                            actor=None)  # fmt: skip
    set_cell(book, 2, "Progress", "Agreed")
    result = import_progress(upload(book), plan, world.users["officer"])
    assert (result.changes, result.unchanged) == ([], 2)


# --- who may import; the contributors' seam -----------------------------------------------


def test_only_officers_apply_a_sheet(world: Any, plan: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_progress(upload(workbook(plan)), plan, world.users["board"])


def test_on_row_receives_each_validated_change_and_may_refuse_one(world: Any, plan: Any) -> None:
    book = workbook(plan)
    set_cell(book, 2, "Progress", "Proposed progress")
    set_cell(book, 3, "Status", "Achieved")
    seen: list[RowChange] = []

    import_progress(upload(book), plan, world.users["board"], on_row=seen.append)

    assert [(change.row, change.fields) for change in seen] == [
        (2, {"progress": "Proposed progress"}),
        (3, {"status": "achieved"}),
    ]
    assert seen[0].base_version == seen[0].current_version == 1
    assert [row.version for row in rows_of(plan)] == [1, 1]  # on_row decided: nothing applied

    def refuse_second(change: RowChange) -> None:
        services.outcome_update(outcome=change.outcome, expected_version=1,
                                data=change.fields, actor=None)  # fmt: skip
        if change.row == 3:
            raise ValidationError("You do not answer for this row.")

    with pytest.raises(ProgressImportError) as caught:
        import_progress(upload(book), plan, world.users["board"], on_row=refuse_second)
    assert [str(problem) for problem in caught.value.problems] == [
        "Row 3, Row ID: You do not answer for this row."
    ]
    assert [row.version for row in rows_of(plan)] == [1, 1]  # the first row's write undone


def test_editable_narrows_the_columns_a_line_may_change(world: Any, plan: Any) -> None:
    book = workbook(plan)
    set_cell(book, 2, "Progress", "Proposed")
    set_cell(book, 3, "Outcomes / Indicators", "Rewritten outcome")
    seen: list[RowChange] = []
    with pytest.raises(ProgressImportError) as caught:
        import_progress(upload(book), plan, world.users["board"], on_row=seen.append,
                        editable={"progress", "status", "timescale"})  # fmt: skip
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "Outcomes / Indicators")]
    assert seen == []


# --- the browser page and the commands ----------------------------------------------------


def test_upload_page_applies_a_sheet_and_lists_problems(client_for: Any, plan: Any) -> None:
    client = client_for("officer")
    url = reverse("plans:progress_upload", args=[plan.slug])
    assert client.get(url).status_code == 200
    book = workbook(plan)
    set_cell(book, 2, "Status", "Bogus <b>")
    page = client.post(url, {"file": upload(book)})
    assert page.status_code == 422
    text = page.content.decode()
    assert "1 problem. Nothing was changed." in text
    assert "“Bogus &lt;b&gt;” is not a status" in text
    set_cell(book, 2, "Status", "Achieved")
    done = client.post(url, {"file": upload(book), "reason": "Board"})
    assert done.status_code == 302
    assert rows_of(plan)[0].status == "achieved"
    wrong = client.post(url, {"file": SimpleUploadedFile("p.docx", b"PK")})
    assert "Only Excel (.xlsx) and CSV (.csv)" in wrong.content.decode()


def test_commands_export_and_import_the_sheet(world: Any, plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "progress.xlsx"
    call_command("export_progress", "--plan", plan.slug, "--out", str(out), stdout=io.StringIO())
    book = load_workbook(out)
    set_cell(book, 2, "Progress", "From the command line")
    book.save(out)
    said = io.StringIO()
    call_command("import_progress", str(out), "--plan", str(plan.pk), "--user",
                 world.users["officer"].username, stdout=said)  # fmt: skip
    assert "1 rows changed" in said.getvalue()
    assert rows_of(plan)[0].progress == "From the command line"
    set_cell(book, 2, "Status", "Soon")
    book.save(out)
    with pytest.raises(CommandError, match="Row 2, Status"):
        call_command("import_progress", str(out), "--plan", plan.slug, "--user",
                     world.users["officer"].username)  # fmt: skip
    with pytest.raises(CommandError, match="Only officers"):
        call_command("import_progress", str(out), "--plan", plan.slug, "--user",
                     world.users["board"].username)  # fmt: skip
    csv_out = tmp_path / "progress.csv"
    call_command(
        "export_progress", "--plan", plan.slug, "--out", str(csv_out), stdout=io.StringIO()
    )
    assert csv_out.read_text(encoding="utf-8-sig").startswith("Row ID,Version,Objective")
