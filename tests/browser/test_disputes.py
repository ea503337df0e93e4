"""Journey: a representative raises a concern about a commitment, an officer moves it through
mediation to the scrutiny body, the panel closes it, and the Board sees only the counts."""

from __future__ import annotations

import re
from typing import Any

import pytest

from disputes.models import Dispute
from tests.browser.conftest import assert_accessible, click_and_load, follow_menu
from tests.disputes.factories import base_world

pytestmark = pytest.mark.browser


def new_page(browser: Any) -> Any:
    """A fresh context (no cookies) per person, failing fast rather than waiting 30 s."""
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    return page


def test_concern_goes_from_representative_through_mediation_and_panel_to_board_counts(
    transactional_db: Any, world: Any, live_server: Any, browser: Any, login: Any
) -> None:
    dw = base_world(world)
    url = live_server.url

    # A representative raises a concern about a numbered commitment.
    page = new_page(browser)
    login(page, world.users["representative"])
    page.goto(f"{url}/disputes/")
    click_and_load(page, page.get_by_role("link", name="Raise a concern"))
    assert_accessible(page)
    page.get_by_label("Subject").fill("Left out of the Gurnos steering group")
    page.get_by_label("Testshire Council (TC)").check()
    page.get_by_label("Named contacts at those organisations").select_option(
        label="Colin Contact (TC)"
    )
    page.get_by_label("Which commitment do you say was breached?").select_option(
        index=1  # Public sector organisations 2, after All parties 7 in the code's order
    )
    page.get_by_label("What happened?").fill("The council met without inviting us.")
    page.get_by_label("What outcome are you seeking?").fill("A seat on the group.")
    page.get_by_role("button", name="Raise the concern").click()
    page.get_by_text("Your concern has been recorded as").wait_for()
    dispute_url = page.url
    assert page.locator("#dispute-stage").inner_text().startswith("Informal resolution")
    assert_accessible(page)
    page.context.close()

    # The officer moves it to mediation, then refers it to the scrutiny body.
    page = new_page(browser)
    login(page, world.users["officer"])
    page.goto(dispute_url)
    assert_accessible(page)
    page.get_by_role("link", name="Move to mediation").click()
    page.get_by_label("Mediator").fill("Meg Mediator")
    page.get_by_label("Reason").fill("The parties could not agree informally.")
    page.get_by_role("button", name="Move to mediation").click()
    page.get_by_text("is now at: Mediation").wait_for()
    click_and_load(page, page.get_by_role("link", name="Refer to the scrutiny body"))
    assert_accessible(page)
    page.get_by_label("Reason").fill("No agreement in mediation.")
    page.get_by_label(re.compile("Penny Panel")).check()
    page.get_by_role("button", name="Refer to the scrutiny body").click()
    page.get_by_text("is now at: Referred to the scrutiny body").wait_for()
    page.context.close()

    # The panel member (a scrutiny body member) closes it.
    page = new_page(browser)
    login(page, dw.users["panel"])
    page.goto(f"{url}/disputes/")
    page.get_by_role("link", name=re.compile(r"DR-\d+")).click()
    page.get_by_role("link", name="Close").click()
    page.get_by_label("Closed as").select_option(label="Resolved")
    page.get_by_label("Outcome", exact=True).fill("The council added a third-sector seat.")
    page.get_by_label("Lessons learned").fill("Check the code when setting up groups.")
    page.get_by_label("Reason").fill("Panel decision.")
    page.get_by_role("button", name="Close").click()
    page.get_by_text("is now at: Closed").wait_for()
    assert "Resolved" in page.locator("#dispute-stage").inner_text()
    page.context.close()

    # The Board member sees the counts, and nothing of the dispute itself.
    page = new_page(browser)
    login(page, world.users["board"])
    follow_menu(page, "Disputes monitoring")
    body = page.locator("main").inner_text()
    assert re.search(r"Closed\s+1", body)
    assert "Resolved\t1" in body or re.search(r"Resolved\s+1", body)
    for secret in ("Gurnos", "Colin Contact", "Testshire Council", "Representative Person"):
        assert secret not in body
    assert_accessible(page)
    response = page.goto(dispute_url)
    assert response.status == 404
    page.goto(f"{url}/disputes/")
    assert "Left out of the Gurnos steering group" not in page.locator("main").inner_text()
    page.context.close()

    dispute = Dispute.objects.get()
    assert [record.stage for record in dispute.stages.order_by("pk")] == [
        "informal",
        "mediation",
        "scrutiny",
        "closed",
    ]
