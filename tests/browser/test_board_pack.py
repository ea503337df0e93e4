"""Journey: an officer programmes a Board meeting, puts a generated paper on the agenda,
generates the pack and circulates it; a board member downloads it from the link."""

from __future__ import annotations

import re
from typing import Any

import pdfplumber
import pytest
from django.core import mail
from pypdf import PdfReader

from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform import registry
from compact.platform.pdf import html_to_pdf
from tests.browser.conftest import assert_accessible, click_and_load, follow_menu

pytestmark = pytest.mark.django_db(transaction=True)

PLAN_HTML = """<html><head><link rel="stylesheet" href="/static/css/pdf.css"></head><body>
<h1>Implementation Plan - Update 4</h1>
<p>Meetings programmed for 2009: <ins>Quarterly meeting programmed for 2009.</ins></p>
</body></html>"""


@pytest.fixture
def plan_provider() -> Any:
    """A provider as the plans app registers it, but with its own tiny report."""
    provider = PaperProvider(
        key="journey.plan",
        label="Implementation Plan - latest update (changes in blue)",
        options=lambda: [PaperOption("4", "Update 4 - 26 January 2009")],
        fingerprint=lambda value, as_of: f"plan-{value}",
        render=lambda value, as_of: RenderedPaper(title="Update 4", pdf=html_to_pdf(PLAN_HTML)),
    )
    # Only this provider: the real ones (the plan's standing update report) stay out of the way.
    with registry.overridden(provider, only=True):
        yield provider


def test_officer_builds_and_circulates_a_pack_and_a_board_member_downloads_it(
    world: Any,
    page: Any,
    live_server: Any,
    login: Any,
    plan_provider: Any,
    tmp_path: Any,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Bootstrap then skips its colour transitions, so axe never measures a button mid-fade.
    page.emulate_media(reduced_motion="reduce")
    login(page, world.users["officer"])
    follow_menu(page, "Meetings")
    assert_accessible(page)  # the programme
    page.get_by_role("link", name="Programme a meeting", exact=True).click()
    page.get_by_label("Body").select_option(label="Test Compact Board")
    page.get_by_label("Date").fill("2009-02-11")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Venue").fill("Ty Dysgu, Merthyr Tydfil")
    click_and_load(page, page.get_by_role("button", name="Save"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Test Compact Board")

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title", exact=True).fill("Implementation plan")
    page.get_by_label("Purpose").select_option(label="For discussion")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="generated report for Implementation plan").click()
    page.get_by_label("Report").select_option(label="Update 4 - 26 January 2009")
    click_and_load(page, page.get_by_role("button", name="Save"))
    assert page.get_by_role("link", name=re.compile("Update 4 - 26 January 2009")).is_visible()
    # Put the plan first, with the keyboard-usable reorder button.
    page.get_by_role("button", name="Up move Implementation plan up").click()
    first_row = page.locator("#agenda tbody tr").first
    first_row.get_by_role("rowheader", name="Implementation plan").wait_for()
    # htmx swapped the agenda in place and focus stayed on the button that was pressed.
    assert page.evaluate("document.activeElement.id").startswith("move-up-")
    page.mouse.move(0, 0)
    assert_accessible(page)

    click_and_load(page, page.get_by_role("button", name="Generate board pack"))
    # The build runs as a background task (inline in tests): its status page offers the file.
    assert page.get_by_text("Your file is ready.").is_visible()
    assert page.get_by_role("link", name=re.compile(r"Download .*\.pdf")).is_visible()
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("rowheader", name="1 (current)").wait_for()
    page.get_by_role("link", name="Circulate version 1").click()
    assert page.get_by_label("Board Person (Member)").is_checked()
    assert_accessible(page)
    click_and_load(page, page.get_by_role("button", name="Send"))
    assert page.get_by_text("Version 1 sent to 1 recipient.").is_visible()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["board-user@example.org"]
    link = re.search(r"https?://\S+/download/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)

    page.get_by_role("button", name=re.compile("Sign out")).click()
    login(page, world.users["board"])
    page.goto(f"{live_server.url}/")
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=re.compile(r"Test Compact Board, 11 Feb 2009 \(version 1\)")
        ).click()
    saved = tmp_path / "pack.pdf"
    download_info.value.save_as(saved)

    reader = PdfReader(saved)
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles[:3] == ["Cover", "Agenda", "1. Implementation plan"]
    agenda = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    assert "Agenda" in agenda and "Implementation Plan - latest update (changes in blue)" in agenda
    with pdfplumber.open(saved) as pdf:
        plan_page = next(p for p in pdf.pages if "Quarterly" in (p.extract_text() or ""))
        inserted = [c for c in plan_page.chars if c["text"] == "Q"]
        assert inserted and all(
            tuple(round(v, 2) for v in c["non_stroking_color"]) == (0.04, 0.31, 0.66)
            for c in inserted
        ), "the plan's changes are printed in blue"
