"""The Word export of an update in Welsh and bilingual (issue 14): Welsh headings and column
headers, each text's Welsh with its own changes in blue, the English where a text has no Welsh
(marked and tagged English); the English file stays as it was (and imports back)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.shared import RGBColor

from compact.platform.language import FALLBACK_MARKERS
from plans import importing, services
from plans.models import PlanUpdate
from plans.report_docx import export_docx
from plans.reports import update_comparison
from tests.plans.factories import edit_progress, first_row, issue, make_plan
from tests.plans.test_report_docx import runs_of

WELSH_HEADER = ["Tasgau", "Canlyniadau / Dangosyddion", "Amserlen", "Cyfrifoldeb", "Cynnydd"]
ENGLISH_HEADER = ["Tasks", "Outcomes / Indicators", "Timescale", "Responsibility", "Progress"]
NEW_WELSH = "Adolygwyd gan Fwrdd y Compact"


@pytest.fixture
def welsh_plan(world: Any) -> Any:
    """A public plan with Welsh title, objective, task and first row; Update 2 adds Welsh
    words to that row's progress. The second row has no Welsh."""
    plan = make_plan(world, slug="welsh-word", is_public=True, objectives=1, tasks=1, rows=2)
    plan.title_cy = "Cynllun Gweithredu'r Compact"
    plan.save()
    objective = plan.objectives.get()
    services.objective_update(
        objective=objective,
        expected_version=objective.version,
        data={"number": objective.number, "title": "Board", "title_cy": "Bwrdd",
              "statement": objective.statement, "statement_cy": "Datganiad yr amcan"},
        actor=None,
    )  # fmt: skip
    task = objective.tasks.get()
    services.task_update(
        task=task,
        expected_version=task.version,
        data={"description": task.description, "description_cy": "Sefydlu Bwrdd y Compact"},
        actor=None,
    )
    edit_progress(first_row(plan), "Meetings held.", progress_cy="Cynhaliwyd cyfarfodydd.",
                  outcome_cy="Bwrdd wedi'i sefydlu")  # fmt: skip
    issue(plan)
    edit_progress(first_row(plan), "Meetings held. Reviewed by the Compact Board.",
                  progress_cy=f"Cynhaliwyd cyfarfodydd. {NEW_WELSH}.")  # fmt: skip
    issue(plan)
    return plan


def zip_part(data: bytes, name: str = "word/document.xml") -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def word(client: Any, plan: Any, query: str = "") -> Any:
    return client.get(reverse("plans:update_word", args=[plan.slug, 2]) + query)


def test_welsh_word_file_has_welsh_headings_headers_and_texts_changes_blue(
    welsh_plan: Any, client_for: Any
) -> None:
    response = word(client_for("board"), welsh_plan, "?language=cy")
    assert response.status_code == 200
    assert 'filename="welsh-word-update-2-cy.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "Cynllun Gweithredu'r Compact"
    assert texts[1].startswith("Cynllun Gweithredu - Diweddariad 2")
    assert "AMCAN 1: Bwrdd" in texts
    assert "Datganiad yr amcan" in texts
    assert [cell.text for cell in document.tables[0].rows[0].cells] == WELSH_HEADER
    first = [cell.text for cell in document.tables[0].rows[1].cells]
    assert first[0] == "Sefydlu Bwrdd y Compact"
    assert first[1] == "Bwrdd wedi'i sefydlu"
    assert first[4] == f"Cynhaliwyd cyfarfodydd. {NEW_WELSH}."
    blue = [run for run in runs_of(document) if run.font.color.rgb == RGBColor(0, 0, 0xFF)]
    assert blue and all(run.font.underline for run in blue)
    assert NEW_WELSH in "".join(run.text for run in blue)
    # The second row has no Welsh: its English, marked, and tagged as English.
    second = document.tables[0].rows[2].cells
    assert second[4].text.endswith(FALLBACK_MARKERS["en"])
    xml = zip_part(response.content).decode()
    assert '<w:lang w:val="cy-GB"/>' in xml and '<w:lang w:val="en-GB"/>' in xml
    assert "Reviewed by the Compact Board" not in xml


def test_bilingual_word_file_is_welsh_then_english(welsh_plan: Any, client_for: Any) -> None:
    response = word(client_for("board"), welsh_plan, "?language=bilingual&deletions=1")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    assert headers == [WELSH_HEADER, ENGLISH_HEADER]
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts.index("AMCAN 1: Bwrdd") < texts.index("OBJECTIVE 1: Board")
    xml = zip_part(response.content).decode()
    assert '<w:br w:type="page"/>' in xml
    english = [cell.text for cell in document.tables[1].rows[1].cells]
    assert english[4] == "Meetings held. Reviewed by the Compact Board."


def test_english_word_file_is_unchanged_and_still_imports(welsh_plan: Any, client_for: Any) -> None:
    update = PlanUpdate.objects.select_related("plan").get(plan=welsh_plan, number=2)
    before = export_docx(update_comparison(update))  # the call every English export makes
    response = word(client_for("board"), welsh_plan, "?language=en")
    assert 'filename="welsh-word-update-2.docx"' in response["Content-Disposition"]
    assert zip_part(response.content) == zip_part(before)
    xml = zip_part(before).decode()
    assert "<w:lang" not in xml and "Cynhaliwyd" not in xml
    parsed = importing.parse_file("plan.docx", response.content)
    row = parsed.objectives[0].tasks[0].rows[0]
    assert row.progress.after == "Meetings held. Reviewed by the Compact Board."


def test_welsh_reader_gets_welsh_by_default_and_an_unknown_language_is_not_found(
    welsh_plan: Any, client: Any
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = word(client, welsh_plan)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert [cell.text for cell in document.tables[0].rows[0].cells] == WELSH_HEADER
    assert word(client, welsh_plan, "?language=fr").status_code == 404


def test_report_page_offers_the_word_file_in_the_other_languages(
    welsh_plan: Any, client_for: Any
) -> None:
    page = (
        client_for("board")
        .get(reverse("plans:update_report", args=[welsh_plan.slug, 2]))
        .content.decode()
    )
    url = reverse("plans:update_word", args=[welsh_plan.slug, 2])
    assert re.search(rf'href="{re.escape(url)}\?language=cy"', page)
    assert re.search(rf'href="{re.escape(url)}\?language=bilingual"', page)


def test_export_report_command_takes_the_language(welsh_plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "update-cy.docx"
    stdout = io.StringIO()
    call_command("export_report", plan=welsh_plan.slug, update=2, format="docx",
                 language="cy", out=str(out), stdout=stdout)  # fmt: skip
    document = Document(str(out))
    assert [cell.text for cell in document.tables[0].rows[0].cells] == WELSH_HEADER
    assert any(paragraph.text == "AMCAN 1: Bwrdd" for paragraph in document.paragraphs)
