"""The update call journey in the browser: from the next Board meeting's page an officer opens
a call; the contributor follows the e-mail's link to *My rows* and proposes progress; the
officer reviews it (changes in blue), accepts it, closes the call and issues the next update,
whose report shows the change in blue, and the row's history names the contributor."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from compact.services.meetings import meeting_create
from tests.plans.factories import issue
from tests.plans.factories_calls import call_plan

pytestmark = pytest.mark.django_db(transaction=True)

NEW_WORDS = "Terms agreed at the Board in March"


def _click(page: Any, name: str, role: str = "link") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()


def test_officer_opens_a_call_contributor_answers_officer_accepts_and_issues(
    world: Any, page: Any, live_server: Any, login: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    data = call_plan(world)
    plan, row = data["call_plan"], data["call_rows"][0]
    issue(plan, actor=world.users["officer"], day=timezone.localdate())
    meeting = meeting_create(
        body=world.board,
        date=timezone.localdate() + datetime.timedelta(days=42),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue="Ty Dysgu",
        actor=world.users["officer"],
    )
    mail.outbox.clear()
    page.set_viewport_size({"width": 1280, "height": 900})

    # The officer opens the call from the meeting's page: the deadline is offered.
    login(page, world.users["officer"])
    page.goto(live_server.url + meeting.get_absolute_url())
    _click(page, "Open an update call")
    deadline = meeting.date - datetime.timedelta(weeks=3)
    assert page.get_by_label("Deadline").input_value() == deadline.isoformat()
    page.get_by_label("Message to contributors", exact=True).fill("Progress before the Board.")
    _click(page, "Open the call and e-mail the contributors", role="button")
    assert "0 of 3 rows answered" in page.locator("#completeness").inner_text()

    # The contributor follows their e-mail's link and proposes progress for their row.
    email = next(m for m in mail.outbox if m.to == ["contributor@example.org"])
    link = re.search(r"https?://\S+/plans/calls/\d+/mine/", email.body).group(0)
    page.context.clear_cookies()
    login(page, world.users["contributor"])
    page.goto(link)
    section = page.locator(f"#row-{row.pk}")
    section.get_by_label("Progress", exact=True).fill(f"Drafted. {NEW_WORDS}.")
    section.get_by_label("Status").select_option("achieved")
    with page.expect_navigation():
        section.get_by_role("button", name=re.compile("Send my progress")).click()
    assert "1 of 2 rows answered" in page.locator("#my-progress").inner_text()
    row.refresh_from_db()
    assert NEW_WORDS not in row.progress  # nothing changes until an officer accepts

    # The officer reviews it: the new words in blue against the current text; accepts.
    page.context.clear_cookies()
    login(page, world.users["officer"])
    page.goto(live_server.url + reverse("plans:call_detail", args=[email_call_id(link)]))
    assert "1 of 3 rows answered" in page.locator("#completeness").inner_text()
    inserted = page.locator("ins", has_text="Terms agreed")
    assert inserted.first.evaluate("node => getComputedStyle(node).color") == "rgb(11, 79, 168)"
    _click(page, "Review Contributor Person")
    _click(page, "Accept into the plan", role="button")
    _click(page, "Close the call", role="button")
    _click(page, "Issue Update 2")
    page.get_by_label("Summary", exact=True).fill("Progress from the contributors")
    _click(page, "Issue update", role="button")
    page.wait_for_url(f"{live_server.url}/plans/{plan.slug}/updates/2/")
    report_ins = page.locator("ins", has_text="Terms agreed")
    assert report_ins.count() >= 1
    assert report_ins.first.evaluate("node => getComputedStyle(node).color") == "rgb(11, 79, 168)"

    # The row's history names the contributor and the officer who accepted.
    page.goto(live_server.url + reverse("plans:item_history", args=["row", row.pk]))
    history = page.locator("table").inner_text()
    assert "Progress from Contributor Person" in history
    assert "accepted by" in history


def email_call_id(link: str) -> int:
    return int(re.search(r"/calls/(\d+)/mine/", link).group(1))
