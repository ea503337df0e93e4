"""Importing the plan from its text export and from Word, all or nothing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.shared import RGBColor

from compact.demo import DEMO_DATA_DIR
from plans import importing
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate

SEED = DEMO_DATA_DIR / "implementation-plan-update-4.txt"
BLUE = RGBColor(0x00, 0x00, 0xFF)


def build_docx(objectives: list[dict[str, Any]], *, update: str = "") -> bytes:
    """A Word plan: title, update line, then per objective a heading, statement and table.
    Cell values are strings, or lists of (text, blue) runs."""
    document = Document()
    document.add_paragraph("THE TEST COMPACT - IMPLEMENTATION PLAN 2008 -2011")
    if update:
        document.add_paragraph(update)
    for objective in objectives:
        document.add_paragraph(f"OBJECTIVE {objective['number']}")
        document.add_paragraph(objective["statement"])
        columns = objective.get("columns", 5)
        table = document.add_table(rows=0, cols=columns)
        header = table.add_row().cells
        for index, name in enumerate(importing.HEADER[:columns]):
            header[index].text = name
        for values in objective["rows"]:
            cells = table.add_row().cells
            for index, value in enumerate(values):
                paragraph = cells[index].paragraphs[0]
                runs = [(value, False)] if isinstance(value, str) else value
                for text, blue in runs:
                    run = paragraph.add_run(text)
                    if blue:
                        run.font.color.rgb = BLUE
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_seed_text_export_reads_as_seven_objectives(db: Any) -> None:
    parsed = importing.parse_text(SEED.read_text(encoding="utf-8"))
    assert [objective.number for objective in parsed.objectives] == [1, 2, 3, 4, 5, 6, 7]
    assert parsed.update_number == 4
    assert parsed.update_date == datetime.date(2009, 1, 26)
    assert parsed.period == "2008-2011"
    first_task = parsed.objectives[0].tasks[0]
    assert first_task.description.after == "Establish Compact Board"
    assert first_task.rows[0].responsibility.after == "ID"
    assert parsed.objectives[0].statement.after.startswith("Develop a “Compact Board”")
    # A row with an empty Tasks cell continues the task above.
    code_task = parsed.objectives[2].tasks[0]
    assert len(code_task.rows) == 5
    # Objective 3's statement keeps its bullet points.
    assert "· are fair and consistent;" in parsed.objectives[2].statement.after


def test_import_plan_command_loads_the_seed(world: Any) -> None:
    out = io.StringIO()
    call_command("import_plan", str(SEED), "--plan", "seed-plan", stdout=out)
    plan = ImplementationPlan.objects.get(slug="seed-plan")
    assert plan.title == "The Merthyr Tydfil Compact - Implementation Plan 2008-2011"
    assert Objective.objects.filter(plan=plan).count() == 7
    # 51 rows in the document; "Circulate the Compact document" holds six outcomes line by
    # line beside their responsibility and progress, so it becomes six rows: 51 - 1 + 6.
    assert Outcome.objects.filter(plan=plan).count() == 56
    assert list(plan.updates.values_list("number", "date")) == [(4, datetime.date(2009, 1, 26))]
    assert "56 rows" in out.getvalue()
    assert "Objective 2, table row 3: 6 outcomes written line by line" in out.getvalue()


def test_seed_circulate_task_reads_one_row_per_outcome_with_its_own_people(world: Any) -> None:
    result = importing.import_plan(
        importing.parse_text(SEED.read_text(encoding="utf-8")),
        compact=world.compact,
        actor=None,
        slug="seed-plan",
    )
    rows = Outcome.objects.filter(
        plan=result.plan, task__description="Circulate the Compact document"
    ).order_by("order")
    assert [(row.outcome, row.responsibility, row.progress) for row in rows] == [
        ("Circulate to third sector organisations", "ID", "Achieved"),
        ("Circulate to LHB colleagues / Board", "SS / MM", "Achieved"),
        ("Circulate to NHS Trust colleagues / Board", "MB", "Achieved"),
        ("Circulate to MTCBC colleagues / councillors", "BO", "Achieved"),
        ("Circulate to others e.g. AM, MP, WAG", "ID", "Achieved"),
        ("Presentation to MTCBC Leadership Group", "ID", "Achieved"),
    ]
    # Two dates for six outcomes: which is whose would be a guess, so every row keeps both.
    assert {row.timescale for row in rows} == {"August 2008\n\nSept 08"}
    assert len(result.notes) == 1
    assert "split into 6 rows" in result.notes[0]
    assert "August 2008 / Sept 08" in result.notes[0]


def test_parallel_lines_split_into_rows_with_the_timescale_line_by_line(world: Any) -> None:
    data = build_docx(
        [
            {
                "number": 1,
                "statement": "S",
                "rows": [
                    ["Tell people", "Tell A\nTell B", "May 09\nJune 09", "ID\nAH", "Done\nDone"],
                    # Outcome and responsibility line up but progress is one sentence: kept.
                    ["Review", "Draft\nAgree", "Sept 09", "ID\nAH", "Drafted in May."],
                ],
            }
        ],
    )
    result = importing.import_plan(
        importing.parse_file("plan.docx", data), compact=world.compact, actor=None, slug="par"
    )
    rows = Outcome.objects.filter(plan=result.plan).order_by("task__order", "order")
    assert [(row.outcome, row.timescale, row.responsibility) for row in rows] == [
        ("Tell A", "May 09", "ID"),
        ("Tell B", "June 09", "AH"),
        ("Draft\nAgree", "Sept 09", "ID\nAH"),
    ]
    assert len(result.notes) == 1
    assert "Objective 1, table row 2" in result.notes[0]
    assert "timescale" not in result.notes[0]


def test_docx_blue_text_becomes_the_changes_of_update_n(world: Any) -> None:
    data = build_docx(
        [
            {
                "number": 1,
                "statement": "Develop a Compact Board.",
                "rows": [
                    [
                        "Establish Compact Board",
                        "Membership agreed",
                        "December 2007",
                        "ID",
                        [("First meeting held. ", False), ("Second meeting in Feb 09.", True)],
                    ],
                    ["", "Review terms", "April 2009", "Board", ""],
                    [
                        [("Launch the Compact", True)],
                        [("Event held", True)],
                        [("July 2008", True)],
                        [("VAMT", True)],
                        "",
                    ],
                ],
            }
        ],
        update="Update 4 - Dated 26th January 2009 (Changes from previous version in blue)",
    )
    parsed = importing.parse_file("plan.docx", data)
    result = importing.import_plan(parsed, compact=world.compact, actor=None, slug="word")

    assert [update.number for update in result.updates] == [3, 4]
    update_3, update_4 = result.updates
    row = Outcome.objects.get(plan=result.plan, outcome="Membership agreed")
    assert row.progress == "First meeting held. Second meeting in Feb 09."
    as_at_3 = row.history.as_of(update_3.issued_at)
    assert as_at_3.progress == "First meeting held."
    # The all-blue task is new in Update 4: it did not exist at Update 3.
    new_row = Outcome.objects.get(plan=result.plan, outcome="Event held")
    assert not Outcome.history.filter(id=new_row.pk, history_date__lte=update_3.issued_at)
    assert Outcome.history.filter(id=new_row.pk, history_date__lte=update_4.issued_at)
    assert result.rows == 3


def test_blue_row_in_the_middle_keeps_its_place_without_moving_the_others(world: Any) -> None:
    data = build_docx(
        [
            {
                "number": 1,
                "statement": "S",
                "rows": [
                    ["Task", "First", "Nov 09", "ID", ""],
                    ["", [("Inserted", True)], [("Dec 09", True)], "", ""],
                    ["", "Last", "Jan 10", "ID", ""],
                ],
            }
        ],
        update="Update 2 - Dated 1st February 2010",
    )
    result = importing.import_plan(
        importing.parse_file("plan.docx", data), compact=world.compact, actor=None, slug="mid"
    )
    rows = Outcome.objects.filter(plan=result.plan).order_by("order")
    assert [row.outcome for row in rows] == ["First", "Inserted", "Last"]
    # "Last" was saved once: inserting the blue row did not renumber it.
    last = rows.get(outcome="Last")
    assert last.history.count() == 1


def test_docx_without_blue_text_makes_one_update(world: Any) -> None:
    data = build_docx(
        [{"number": 1, "statement": "S", "rows": [["Task", "Outcome", "Nov 09", "ID", ""]]}]
    )
    result = importing.import_plan(
        importing.parse_file("plan.docx", data), compact=world.compact, actor=None, slug="one"
    )
    assert [update.number for update in result.updates] == [1]


def test_broken_table_names_the_row_and_imports_nothing(world: Any) -> None:
    data = build_docx(
        [
            {"number": 1, "statement": "S", "rows": [["Task", "Outcome", "Nov 09", "ID", ""]]},
            {
                "number": 3,
                "statement": "T",
                "columns": 3,
                "rows": [["Task", "Outcome", "Nov 09"]] * 3,
            },
        ]
    )
    with pytest.raises(importing.PlanImportError) as raised:
        importing.parse_file("plan.docx", data)
    assert "Objective 3, table row 1: expected the header" in raised.value.messages[0]
    assert not ImplementationPlan.objects.exists()


def test_row_with_wrong_column_count_is_named(db: Any) -> None:
    document = Document()
    document.add_paragraph("OBJECTIVE 3")
    document.add_paragraph("Statement")
    table = document.add_table(rows=4, cols=5)
    for index, name in enumerate(importing.HEADER):
        table.rows[0].cells[index].text = name
    for row in table.rows[1:]:
        row.cells[0].text = "Task"
    # Table row 4 lost two cells, as when a Word row is damaged.
    broken = table.rows[3]._tr
    for cell in broken.tc_lst[-2:]:
        broken.remove(cell)
    buffer = io.BytesIO()
    document.save(buffer)

    with pytest.raises(importing.PlanImportError) as raised:
        importing.parse_file("plan.docx", buffer.getvalue())

    assert raised.value.messages == ["Objective 3, table row 4: expected 5 columns, found 3."]


def test_text_row_without_a_task_above_is_refused(db: Any) -> None:
    content = (
        "\tOBJECTIVE 1\nStatement\n\tTasks\n\tOutcomes / Indicators\n\tTimescale\n"
        "\tResponsibility\n\tProgress\n\t\n\tOutcome\n\tNov 09\n\tID\n\t\n"
    )
    with pytest.raises(importing.PlanImportError) as raised:
        importing.parse_text(content)
    assert "Objective 1, table row 2: the Tasks cell is empty" in raised.value.messages[0]


def test_text_without_header_row_is_refused(db: Any) -> None:
    with pytest.raises(importing.PlanImportError) as raised:
        importing.parse_text("\tOBJECTIVE 1\nStatement\n\tTask\n\tOutcome\n")
    assert "Objective 1: expected the table header" in raised.value.messages[0]


def test_not_a_word_file_is_refused_clearly(db: Any) -> None:
    with pytest.raises(importing.PlanImportError) as raised:
        importing.parse_file("plan.docx", b"not a zip")
    assert "could not be read as a Word" in raised.value.messages[0]


def test_existing_slug_is_refused_and_nothing_changes(world: Any) -> None:
    call_command("import_plan", str(SEED), "--plan", "seed", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_plan", str(SEED), "--plan", "seed", stdout=io.StringIO())
    assert ImplementationPlan.objects.count() == 1
    assert PlanUpdate.objects.count() == 1


def test_duplicate_objective_is_refused_before_anything_is_written(world: Any) -> None:
    block = (
        "\tOBJECTIVE 1\nStatement\n\tTasks\n\tOutcomes / Indicators\n\tTimescale\n"
        "\tResponsibility\n\tProgress\n\tTask\n\tOutcome\n\tNov 09\n\tID\n\tDone\n"
    )
    with pytest.raises(importing.PlanImportError) as raised:
        importing.parse_file("plan.txt", (block + block).encode())
    assert raised.value.messages == [
        "OBJECTIVE 1 appears twice: each objective needs its own number."
    ]


def test_a_failure_while_writing_leaves_nothing_behind(world: Any) -> None:
    block = (
        "\tOBJECTIVE 1\nStatement\n\tTasks\n\tOutcomes / Indicators\n\tTimescale\n"
        "\tResponsibility\n\tProgress\n\tTask\n\tOutcome\n\tNov 09\n\tID\n\tDone\n"
    )
    parsed = importing.parse_text(block + block)  # parse_text alone does not check numbers
    with pytest.raises(importing.PlanImportError) as raised:
        importing.import_plan(parsed, compact=world.compact, actor=None, slug="half")
    assert raised.value.messages == ["Objective 1: This plan already has an objective 1."]
    assert not ImplementationPlan.objects.exists()
    assert not Outcome.objects.exists()


def test_tracked_changes_count_as_the_updates_changes(world: Any) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    data = build_docx(
        [{"number": 1, "statement": "S", "rows": [["Task", "Outcome", "Nov 09", "ID", "Held"]]}]
    )
    document = Document(io.BytesIO(data))
    progress = document.tables[0].rows[1].cells[4].paragraphs[0]
    progress._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="AH" w:date="2009-01-20T00:00:00Z">'
            '<w:r><w:t xml:space="preserve"> in Jan 09</w:t></w:r></w:ins>'
        )
    )
    progress._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="AH" w:date="2009-01-20T00:00:00Z">'
            '<w:r><w:delText xml:space="preserve"> (draft)</w:delText></w:r></w:del>'
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = importing.parse_file("plan.docx", buffer.getvalue())

    row = parsed.objectives[0].tasks[0].rows[0]
    assert row.progress.after == "Held in Jan 09"
    assert row.progress.before == "Held (draft)"


def test_theme_blue_and_word_blue_count_but_dark_text_does_not(world: Any) -> None:
    from docx.enum.dml import MSO_THEME_COLOR

    data = build_docx(
        [{"number": 1, "statement": "S", "rows": [["Task", "Outcome", "Nov 09", "ID", ""]]}]
    )
    document = Document(io.BytesIO(data))
    paragraph = document.tables[0].rows[1].cells[4].paragraphs[0]
    paragraph.add_run("Kept. ").font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
    paragraph.add_run("Word blue. ").font.color.rgb = RGBColor(0x00, 0x70, 0xC0)
    paragraph.add_run("Theme blue.").font.color.theme_color = MSO_THEME_COLOR.ACCENT_1
    buffer = io.BytesIO()
    document.save(buffer)

    row = importing.parse_file("plan.docx", buffer.getvalue()).objectives[0].tasks[0].rows[0]

    assert row.progress.after == "Kept. Word blue. Theme blue."
    assert row.progress.before == "Kept."
