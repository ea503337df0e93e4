"""The update's report as a Board paper: cover block, tagged PDF, no half-empty pages."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from compact.demo import load_demo
from plans import services
from plans.demo import PLAN_SLUG
from plans.models import PlanUpdate
from plans.reports import update_report_pdf
from plans.selectors.reports import issue_state
from tests.plans.factories import edit_progress, first_row, issue, make_plan


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def page_fills(pdf: bytes) -> list[float]:
    """How far down each page the content reaches, as a share of the area between the running
    header band and the footer band (0 = empty, 1 = full)."""
    fills = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            top, bottom = page.height * 0.09, page.height * 0.93
            lowest = [
                item["bottom"]
                for item in page.chars + page.rects + page.lines
                if top < item["top"] and item["bottom"] < bottom
            ]
            fills.append((max(lowest) - top) / (bottom - top) if lowest else 0.0)
    return fills


@pytest.fixture
def two_updates(world: Any) -> PlanUpdate:
    plan = make_plan(world, objectives=2, tasks=2, rows=2)
    issue(plan, actor=world.users["officer"])
    edit_progress(first_row(plan), "Edited for Update 2")
    return issue(plan, actor=world.users["officer"])


def test_update_pdf_is_a_board_paper_with_purpose_and_recommendation(
    two_updates: PlanUpdate,
) -> None:
    text = pdf_text(update_report_pdf(two_updates))
    assert "Paper to the Compact Board" in text
    assert "Purpose" in text and "Recommendation" in text
    assert "To inform the Board of progress against the Implementation Plan since Update 1." in (
        text.replace("\n", " ")
    )
    assert "The Board is asked to note the progress and agree the changes." in text
    assert two_updates.issued_by.get_full_name() in text


def test_pdf_is_tagged_with_language_and_title_and_prints_no_screen_reader_text(
    two_updates: PlanUpdate,
) -> None:
    pdf = update_report_pdf(two_updates)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata.title.startswith("Update 2 - dated")
    # The tables' hidden captions are for screen readers on the web page only. Read every
    # character of the text layer: a clipped 1px caption's letters scatter over the lines.
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        letters = "".join(char["text"] for page in document.pages for char in page.chars)
    letters = "".join(letters.split())
    assert "Tasksofobjective" not in letters
    assert "Aboutthispaper" not in letters
    assert "Objective1" in letters


def test_editing_the_purpose_keeps_the_report_and_records_who_and_why(
    two_updates: PlanUpdate, world: Any
) -> None:
    before = pdf_text(update_report_pdf(two_updates))
    update = services.plan_update_paper_edit(
        update=two_updates,
        actor=world.users["officer"],
        purpose="To seek the Board's view on Objective 2.",
        recommendation="The Board is asked to agree the new timescales.",
        expected=(two_updates.paper_purpose, two_updates.paper_recommendation),
    )
    after = pdf_text(update_report_pdf(update))
    assert "To seek the Board's view on Objective 2." in after
    assert "To inform the Board" not in after
    # The frozen report below the cover is unchanged.
    assert before.split("Report\n", 1)[1] == after.split("Report\n", 1)[1]
    newest = update.history.order_by("-history_date").first()
    assert newest.history_user == world.users["officer"]
    assert newest.history_change_reason == "Board paper: purpose and recommendation edited"
    assert newest.purpose == "To seek the Board's view on Objective 2."


def test_a_concurrent_edit_of_the_paper_is_refused_and_changes_nothing(
    two_updates: PlanUpdate, world: Any
) -> None:
    start = (two_updates.paper_purpose, two_updates.paper_recommendation)
    services.plan_update_paper_edit(
        update=two_updates, actor=world.users["officer"], purpose="First", recommendation="R",
        expected=start,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.plan_update_paper_edit(
            update=two_updates, actor=world.users["officer"], purpose="Second",
            recommendation="R", expected=start,
        )  # fmt: skip
    assert PlanUpdate.objects.get(pk=two_updates.pk).purpose == "First"


def test_officer_edits_the_paper_on_its_page_and_the_report_shows_it(
    two_updates: PlanUpdate, client_for: Any
) -> None:
    officer = client_for("officer")
    url = reverse("plans:update_paper_edit", args=[two_updates.plan.slug, 2])
    page = officer.get(url).content.decode()
    assert "Since Update 1." not in page and "since Update 1." in page
    response = officer.post(
        url,
        {
            "purpose": "To report <b>progress</b>.",
            "recommendation": "",
            "original_purpose": two_updates.paper_purpose,
            "original_recommendation": two_updates.paper_recommendation,
        },
    )
    assert response.status_code == 400  # the recommendation may not be empty
    assert PlanUpdate.objects.get(pk=two_updates.pk).purpose == two_updates.paper_purpose
    response = officer.post(
        url,
        {
            "purpose": "To report <b>progress</b>.",
            "recommendation": "To note.",
            "original_purpose": two_updates.paper_purpose,
            "original_recommendation": two_updates.paper_recommendation,
        },
    )
    assert response.status_code == 302
    report = officer.get(reverse("plans:update_report", args=[two_updates.plan.slug, 2]))
    html = report.content.decode()
    assert "To report &lt;b&gt;progress&lt;/b&gt;." in html
    assert "Edit the purpose and recommendation" in html


def test_issuing_sets_the_purpose_and_recommendation(world: Any, client_for: Any) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    response = client_for("officer").post(
        reverse("plans:update_issue", args=[plan.slug]),
        {
            "date": "2026-01-05",
            "summary": "",
            "purpose": "Why",
            "recommendation": "What",
            "state": issue_state(plan),
        },
    )
    assert response.status_code == 302
    update = plan.updates.get()
    assert (update.purpose, update.recommendation) == ("Why", "What")


def test_demo_update_report_leaves_no_page_half_empty(db: Any) -> None:
    load_demo()
    update = PlanUpdate.objects.get(plan__slug=PLAN_SLUG, number=4)
    pdf = update_report_pdf(update)
    fills = page_fills(pdf)
    assert len(fills) >= 8
    # Rows taller than ~40% of a page may break, so a row pushed to the next page never
    # leaves more than that empty: every page but the last is over half full.
    assert min(fills[:-1]) > 0.5, fills
    text = pdf_text(pdf)
    assert "Circulate to LHB colleagues / Board" in text
