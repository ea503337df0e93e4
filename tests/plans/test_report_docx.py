"""The Word (.docx) export of an update's report: the Board's familiar table, read back by
``import_plan`` into the same plan and the same two updates."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import RGBColor

from compact.demo import load_demo
from compact.models import Compact
from plans import importing
from plans.demo import PLAN_SLUG
from plans.diffing import PlanChanges
from plans.models import ImplementationPlan, PlanUpdate
from plans.report_docx import DOCX_CONTENT_TYPE, clean, export_docx
from plans.reports import update_comparison
from tests.plans.factories import edit_progress, first_row, issue, make_plan, store_unvalidated


def outline(changes: PlanChanges) -> list[Any]:
    """The report's changes without the database ids: every item's kind and every field's
    old and new text, in the report's order."""

    def fields(change: Any) -> dict[str, tuple[str, str]]:
        # The English only: the Word document is the English plan (importing fills English).
        return {
            name: (str(field.old), str(field.new))
            for name, field in change.fields.items()
            if not name.endswith("_cy")
        }

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


# --- the file itself ------------------------------------------------------------------------

OLD_WORDS = "Meetings held in the spring"
NEW_WORDS = "reviewed by the Compact Board"


@pytest.fixture
def edited_plan(world: Any) -> Any:
    """A public plan whose Update 2 replaces words of a row's progress."""
    plan = make_plan(world, slug="word-plan", is_public=True, objectives=2, tasks=2, rows=2)
    edit_progress(first_row(plan), f"{OLD_WORDS}.")
    issue(plan)
    edit_progress(first_row(plan), f"Meetings {NEW_WORDS}.\nNext: April.")
    issue(plan)
    return plan


def runs_of(document: Any) -> list[Any]:
    return [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    ]


def test_board_downloads_update_as_landscape_word_table_with_changes_blue_and_underlined(
    edited_plan: Any, client_for: Any
) -> None:
    url = reverse("plans:update_word", args=[edited_plan.slug, 2])
    response = client_for("board").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert 'filename="word-plan-update-2.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == edited_plan.title
    assert texts[1].startswith("Implementation Plan - Update 2 - dated ")
    assert [text for text in texts if text.startswith("OBJECTIVE")] == [
        "OBJECTIVE 1",
        "OBJECTIVE 2",
    ]
    assert len(document.tables) == 2
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header == ["Tasks", "Outcomes / Indicators", "Timescale", "Responsibility", "Progress"]
    runs = runs_of(document)
    blue = [run for run in runs if run.font.color.rgb == RGBColor(0, 0, 0xFF)]
    assert all(run.font.underline for run in blue)
    assert "".join(run.text for run in blue) == "reviewed byCompact Board.\nNext: April"
    unchanged = [run for run in runs if run.text == "Meetings "]
    assert unchanged and all(run.font.color.rgb is None for run in unchanged)
    # Without the option, the words removed are not in the file.
    assert OLD_WORDS not in response.content.decode("latin-1")
    assert b"w:del " not in zip_part(response.content)


def zip_part(data: bytes, name: str = "word/document.xml") -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def test_deletions_option_keeps_removed_words_struck_through_and_still_imports(
    edited_plan: Any, client_for: Any, world: Any
) -> None:
    url = reverse("plans:update_word", args=[edited_plan.slug, 2])
    data = client_for("board").get(url + "?deletions=1").content
    xml = zip_part(data).decode()
    deletions = re.findall(r"<w:del .*?</w:del>", xml)
    assert deletions and all("<w:strike/>" in deletion for deletion in deletions)
    deleted = re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", "".join(deletions))
    assert "".join(deleted) == "held inspring"
    # Word's tracked deletion: the importer reads it as text of the previous update only.
    parsed = importing.parse_file("plan.docx", data)
    row = parsed.objectives[0].tasks[0].rows[0]
    assert row.progress.before == f"{OLD_WORDS}."
    assert row.progress.after == f"Meetings {NEW_WORDS}.\nNext: April."


def test_control_characters_are_stripped_and_the_file_opens(world: Any) -> None:
    plan = make_plan(world, slug="bell-plan", objectives=1, tasks=1, rows=1)
    issue(plan)
    # Text saved before cells refused control characters (PostgreSQL stores no NUL at all).
    store_unvalidated(first_row(plan), progress="Bell\x07 and null\x1b, tab\tkept\r\nnext line")
    update = issue(plan)
    update.plan = plan
    data = export_docx(update_comparison(update))
    document = Document(io.BytesIO(data))
    progress_cell = document.tables[0].rows[1].cells[4]
    assert progress_cell.text == "Bell and null, tab\tkept\nnext line"
    assert clean("a\x0bb\ufffe\x7f\x00c") == "abc"


def test_the_renderer_only_reads_the_comparison_it_is_given(
    edited_plan: Any, django_assert_num_queries: Any
) -> None:
    update = PlanUpdate.objects.select_related("plan").get(plan=edited_plan, number=2)
    comparison = update_comparison(update)
    assert comparison.changes.has_changes  # the selector's work: snapshots read and compared
    with django_assert_num_queries(0):
        export_docx(comparison, show_deletions=True)


def test_export_report_command_writes_word(edited_plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "update.docx"
    stdout = io.StringIO()
    call_command("export_report", plan=edited_plan.slug, update=2, format="docx", out=str(out),
                 deletions=True, stdout=stdout)  # fmt: skip
    assert "Wrote DOCX of Update 2" in stdout.getvalue()
    assert b"<w:del " in zip_part(out.read_bytes())
    with pytest.raises(CommandError, match="--deletions is for --format docx only"):
        call_command("export_report", plan=edited_plan.slug, update=2, format="csv",
                     out=str(tmp_path / "u.csv"), deletions=True)  # fmt: skip
    assert not (tmp_path / "u.csv").exists()


def test_private_plan_word_download_is_not_found_for_a_visitor(world: Any, client: Any) -> None:
    plan = make_plan(world, slug="private-word", is_public=False, objectives=1, tasks=1, rows=1)
    issue(plan)
    response = client.get(reverse("plans:update_word", args=[plan.slug, 1]))
    assert response.status_code == 404
