"""The other half of the newcomer journey, following links only: an officer signs in from the
menu, goes from the dashboard to the plan, edits a row and issues the next update; every Board
member who chose "each time" is e-mailed a link to it. The officer marks the next Board
meeting's agenda final (which builds the pack). A Board member, on a phone, follows the
e-mail's link to read the update with the changes in blue, then goes from the dashboard to the
next meeting and downloads its board pack. Only `/` is typed (and the e-mail's link followed)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from compact.models import DigestItem, NotificationPreference
from compact.services.meetings import agenda_item_add, meeting_create
from conftest import make_user
from plans.models import Outcome
from tests.browser.conftest import TEST_PASSWORD, click_and_load
from tests.plans.factories import issue, make_plan

pytestmark = pytest.mark.django_db(transaction=True)

NEW_WORDS = "Terms of reference agreed by the Board"


def _fits_the_screen(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"sideways scrolling on {page.url}: {width}px"


def _click(page: Any, name: str | re.Pattern, role: str = "link") -> None:
    click_and_load(page, page.get_by_role(role, name=name, exact=isinstance(name, str)).first)


def _sign_in_from_the_menu(page: Any, live_server: Any, user: Any) -> None:
    page.goto(f"{live_server.url}/")
    _fits_the_screen(page)
    if not page.get_by_role("link", name="Sign in", exact=True).first.is_visible():
        page.get_by_role("button", name="Toggle navigation").click()
    _click(page, "Sign in")
    _fits_the_screen(page)
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(TEST_PASSWORD)
    _click(page, "Sign in", role="button")


def test_officer_issues_an_update_and_a_board_member_reads_it_and_gets_the_pack(
    world: Any, page: Any, live_server: Any, django_user_model: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url  # the address e-mails link to, as deploy sets it
    page.emulate_media(reduced_motion="reduce")
    plan = make_plan(world, slug="journey-plan", objectives=1, tasks=1, rows=2)
    issue(plan, actor=world.users["officer"], day=datetime.date(2008, 11, 20))
    # Two more Board members: one keeps the default ("each time"), one chose the weekly digest.
    make_user(django_user_model, "second-board", "board")
    weekly = make_user(django_user_model, "weekly-board", "board")
    NotificationPreference.objects.create(user=weekly, frequency="weekly")
    # The next Board meeting, programmed, its agenda not yet final.
    meeting = meeting_create(
        body=world.board,
        date=timezone.localdate() + datetime.timedelta(days=14),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue="Ty Dysgu",
        actor=world.users["officer"],
    )
    agenda_item_add(meeting=meeting, title="Implementation plan", actor=world.users["officer"])
    mail.outbox.clear()
    officer = world.users["officer"]

    # The officer signs in from the menu and follows the dashboard to the plan.
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in_from_the_menu(page, live_server, officer)
    _click(page, plan.title)
    assert page.get_by_role("heading", level=1).inner_text().startswith(plan.title)
    row = Outcome.objects.filter(plan=plan).order_by("order").first()
    page.locator(f"#row-{row.pk}").get_by_role("link", name=f"Edit row: {row.outcome}").click()
    page.get_by_label("Progress", exact=True).fill(f"Meetings held. {NEW_WORDS}.")
    page.get_by_label("Reason for change").fill("Board minutes")
    page.get_by_role("button", name="Save row").click()
    page.locator(f"#row-{row.pk}").get_by_text(NEW_WORDS).wait_for()
    _click(page, "Issue an update")
    assert NEW_WORDS in page.locator("#plan-report").inner_text()  # previewed before issuing
    page.get_by_label("Summary", exact=True).fill("Board terms agreed")
    _click(page, "Issue update", role="button")
    page.wait_for_url(f"{live_server.url}/plans/{plan.slug}/updates/2/")

    # Every Board member who chose "each time" has an e-mail with a link to the report.
    report_path = f"/plans/{plan.slug}/updates/2/"
    told = {tuple(m.to) for m in mail.outbox if report_path in m.body}
    assert told == {("board-user@example.org",), ("second-board@example.org",)}, told
    assert DigestItem.objects.filter(user=weekly, digest__isnull=True).count() == 1
    email = next(m for m in mail.outbox if m.to == ["board-user@example.org"])
    found = re.search(rf"https?://\S+{re.escape(report_path)}", email.body)
    assert found, email.body
    link = found.group(0)

    # The officer goes back to the dashboard, to the meeting, and marks its agenda final.
    _click(page, "Dashboard")
    meeting_link = f"Test Compact Board, {meeting.date:%-d %b %Y}"
    _click(page, meeting_link)
    _click(page, "Agenda is final: prepare the pack", role="button")
    page.get_by_role("link", name="Download version 1 (PDF)").wait_for()
    page.context.clear_cookies()

    # A Board member on a phone signs in, then follows the e-mail's link.
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in_from_the_menu(page, live_server, world.users["board"])
    _fits_the_screen(page)
    page.goto(link)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "Update 2" in heading and "(Changes from previous version in blue)" in heading
    inserted = page.locator("ins", has_text="Terms of reference")
    assert inserted.count() == 1
    assert inserted.evaluate("node => getComputedStyle(node).color") == "rgb(11, 79, 168)"
    _fits_the_screen(page)

    # ... then from the dashboard to the next Board meeting, and downloads its pack.
    page.goto(f"{live_server.url}/")
    _fits_the_screen(page)
    _click(page, meeting_link)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Test Compact Board")
    _fits_the_screen(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download version 1 (PDF)").click()
    saved = tmp_path / "pack.pdf"
    download_info.value.save_as(saved)
    titles = [entry.title for entry in PdfReader(saved).outline if not isinstance(entry, list)]
    assert "1. Implementation Plan - latest update (changes in blue)" in titles, titles
