"""The update call journey of issue 15 with the demo: an officer opens a call; the three demo
contributors answer from their own accounts (alys and sian in the browser form, julie by
downloading her rows, editing the file and uploading it); the officer accepts each proposal in
the review queue, closes the call and issues the next update, whose report shows the changes in
blue; each row's history names its contributor."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from compact.demo import DEMO_PASSWORD
from plans.demo import PLAN_SLUG
from plans.models import (
    CallRequest,
    ImplementationPlan,
    Outcome,
    PlanUpdate,
    Proposal,
    UpdateCall,
)
from tests.browser.conftest import click_and_load

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = {
    "alys": "Volunteers trained in April",
    "sian": "Health board signed the protocol",
    "julie": "Council adopted the funding code",
}


def _go(page: Any, locator: Any) -> None:
    """Click and wait for the page it leads to (its load event)."""
    click_and_load(page, locator, wait_until="load")


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    _go(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def _own_rows(call: Any) -> dict[str, Outcome]:
    """For each demo contributor, a row of the call asked of them, a different row each."""
    asked: dict[int, set[str]] = {}
    for outcome_id, username in CallRequest.objects.filter(call=call).values_list(
        "outcome_id", "person__user__username"
    ):
        asked.setdefault(outcome_id, set()).add(username)
    chosen: dict[str, Outcome] = {}
    taken: set[int] = set()
    for username in ANSWERS:
        pk = min(pk for pk, who in asked.items() if username in who and pk not in taken)
        taken.add(pk)
        chosen[username] = Outcome.objects.get(pk=pk)
    return chosen


def test_three_demo_contributors_answer_and_the_officer_issues_the_update(
    page: Any, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DEBUG = True  # the demo refuses to load otherwise
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    settings.SITE_URL = live_server.url
    plan = ImplementationPlan.objects.get(slug=PLAN_SLUG)
    officer = get_user_model().objects.get(username="officer")
    officer.set_password(DEMO_PASSWORD)
    officer.save()
    next_number = PlanUpdate.objects.filter(plan=plan).order_by("-number").first().number + 1
    page.set_viewport_size({"width": 1280, "height": 900})

    # The officer opens the call.
    _sign_in(page, live_server, "officer")
    page.goto(live_server.url + reverse("plans:call_open", args=[plan.slug]))
    deadline = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Deadline").fill(deadline.isoformat())
    page.get_by_label("Message to contributors", exact=True).fill("Progress before the Board.")
    _go(page, page.get_by_role("button", name="Open the call and e-mail the contributors"))
    expect(page.locator("#completeness")).to_contain_text("0 of")
    call = UpdateCall.objects.get(plan=plan)
    rows = _own_rows(call)
    mine_url = live_server.url + reverse("plans:my_rows", args=[call.pk])

    # alys and sian answer in the browser form.
    for username in ("alys", "sian"):
        row = rows[username]
        _sign_in(page, live_server, username)
        page.goto(mine_url)
        section = page.locator(f"#row-{row.pk}")
        section.get_by_label("Progress", exact=True).fill(ANSWERS[username])
        _go(page, section.get_by_role("button", name="Send my progress"))
        expect(page.locator(f"#row-{row.pk}")).to_contain_text("Your proposal:")

    # julie downloads her rows, edits the file and uploads it.
    row = rows["julie"]
    _sign_in(page, live_server, "julie")
    page.goto(mine_url)
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download my rows (Excel)").click()
    path = tmp_path / "julie.xlsx"
    waiting.value.save_as(path)
    book = load_workbook(path)
    header = [cell.value for cell in book.active[1]]
    ids = [line[0] for line in book.active.iter_rows(min_row=2, values_only=True) if line[0]]
    assert row.pk in [int(pk) for pk in ids]
    assert rows["alys"].pk not in [int(pk) for pk in ids]  # only julie's rows
    line = [int(pk) for pk in ids].index(row.pk) + 2
    book.active.cell(row=line, column=header.index("Progress") + 1).value = ANSWERS["julie"]
    book.save(path)
    _go(page, page.get_by_role("link", name="Upload my rows"))
    page.get_by_label("Progress spreadsheet").set_input_files(str(path))
    _go(page, page.get_by_role("button", name="Upload my proposals"))
    expect(page.get_by_role("status").filter(has_text="Proposals saved: 1;")).to_be_visible()

    # Nothing in the plan changed yet.
    for username, row in rows.items():
        row.refresh_from_db()
        assert ANSWERS[username] not in row.progress
    assert Proposal.objects.filter(call=call).count() == 3

    # The officer accepts the three proposals, closes the call and issues the next update.
    _sign_in(page, live_server, "officer")
    queue = live_server.url + reverse("plans:call_detail", args=[call.pk])
    for proposal in Proposal.objects.filter(call=call).select_related("person"):
        page.goto(queue)
        _go(page, page.get_by_role("link", name=f"Review {proposal.person.full_name}", exact=True))
        expect(page.locator("ins").first).to_be_visible()
        _go(page, page.get_by_role("button", name="Accept into the plan"))
        expect(page.locator("#completeness")).to_be_visible()
    assert set(Proposal.objects.filter(call=call).values_list("state", flat=True)) == {"accepted"}
    _go(page, page.get_by_role("button", name="Close the call"))
    _go(page, page.get_by_role("link", name=f"Issue Update {next_number}"))
    page.get_by_label("Summary", exact=True).fill("Progress from the contributors")
    _go(page, page.get_by_role("button", name="Issue update", exact=True))
    page.wait_for_url(f"{live_server.url}/plans/{plan.slug}/updates/{next_number}/")

    # The report shows each contributor's words in blue.
    # (a word diff: words the row already had stay plain, so look for each answer's first word)
    for words in ANSWERS.values():
        inserted = page.locator("ins", has_text=words.split()[0])
        expect(inserted.first).to_be_visible()
        color = inserted.first.evaluate("node => getComputedStyle(node).color")
        assert color == "rgb(11, 79, 168)"

    # Each row's history names its contributor and the officer who accepted.
    for row in rows.values():
        proposal = Proposal.objects.select_related("person").get(call=call, outcome=row)
        page.goto(live_server.url + reverse("plans:item_history", args=["row", row.pk]))
        history = page.locator("table")
        expect(history).to_contain_text(f"Progress from {proposal.person.full_name}")
        expect(history).to_contain_text("accepted by")
