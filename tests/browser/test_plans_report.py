"""Journey: an officer records progress and issues an update; a board member reads that update
with the new words in blue, hides deleted text, and downloads the PDF with the words in blue."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pdfplumber
import pytest

from tests.browser.conftest import assert_accessible, click_and_load
from tests.plans.factories import first_row, issue, make_plan

pytestmark = pytest.mark.browser

NEW_WORDS = "Board approved the funding code"


def blue(color: Any) -> bool:
    return bool(color) and len(color) == 3 and color[2] > 0.5 and color[0] < 0.2


@pytest.mark.django_db(transaction=True)
def test_officer_issues_update_and_board_member_reads_new_words_in_blue(
    live_server: Any, page: Any, browser: Any, login: Any, world: Any
) -> None:
    plan = make_plan(world, slug="journey-plan")
    issue(plan, actor=world.users["officer"], day=datetime.date(2008, 11, 20))
    row = first_row(plan)

    # The officer records progress on a row and issues Update 2.
    login(page, world.users["officer"])
    page.goto(f"{live_server.url}/plans/rows/{row.pk}/edit/")
    page.get_by_label("Progress", exact=True).fill(f"Meetings postponed. {NEW_WORDS}.")
    click_and_load(page, page.get_by_role("button", name="Save row"))
    page.goto(f"{live_server.url}/plans/{plan.slug}/updates/issue/")
    assert NEW_WORDS in page.locator("#plan-report").inner_text()  # previewed before issuing
    page.get_by_label("Summary", exact=True).fill("Progress on the Board")
    page.get_by_role("button", name="Issue update").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.slug}/updates/2/")

    # The working draft's PDF is made in the background: its button POSTs and the status page
    # offers the file.
    page.goto(f"{live_server.url}/plans/{plan.slug}/draft/changes/")
    assert_accessible(page)
    click_and_load(page, page.get_by_role("button", name="Download PDF", exact=True))
    assert page.get_by_text("Your file is ready.").is_visible()
    assert page.get_by_role("link", name=f"Download {plan.slug}-draft.pdf").is_visible()

    # A board member opens Update 2 and finds the new words inside a blue <ins>.
    board_page = browser.new_context().new_page()
    login(board_page, world.users["board"])
    board_page.goto(f"{live_server.url}/plans/{plan.slug}/updates/")
    click_and_load(board_page, board_page.get_by_role("link", name="Update 2", exact=True))
    heading = board_page.get_by_role("heading", level=1)
    assert "Update 2 - dated" in heading.inner_text()
    assert "(Changes from previous version in blue)" in heading.inner_text()
    inserted = board_page.locator("ins", has_text="funding code")
    assert inserted.count() == 1
    assert NEW_WORDS.split()[-1] in inserted.inner_text()
    assert inserted.evaluate("node => getComputedStyle(node).color") == "rgb(11, 79, 168)"
    assert "underline" in inserted.evaluate("node => getComputedStyle(node).textDecorationLine")
    assert_accessible(board_page)

    # Deleted words are shown by default and can be hidden with the switch.
    deleted = board_page.locator(".plan-table del", has_text="held")
    assert deleted.is_visible()
    board_page.get_by_label("Show deleted text (struck through)").uncheck()
    assert not deleted.is_visible()
    assert board_page.locator(".legend del").is_visible()  # the legend keeps its example

    # The PDF has the same words, in blue.
    response = board_page.request.get(f"{live_server.url}/plans/{plan.slug}/updates/2/pdf/")
    assert response.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.body())) as document:
        chars = document.pages[0].chars
        text = "".join(char["text"] for char in chars)
        start = text.find("funding")
        assert start != -1
        assert all(blue(char["non_stroking_color"]) for char in chars[start : start + 7])
