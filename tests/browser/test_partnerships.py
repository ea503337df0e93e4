"""Journey: an officer adds a partnership with two places and marks its checklist; a board
member then finds it in the compliance matrix."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible, click_and_load, follow_menu
from tests.partnerships.factories import code_commitments, make_partnership, make_place, publish

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_officer_adds_partnership_with_places_and_checklist_board_sees_it_in_matrix(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    commitments = code_commitments(world.compact)
    terms = commitments[("all", 2)]
    outset = commitments[("public", 2)]

    login(page, world.users["officer"])
    follow_menu(page, "Partnerships")
    assert_accessible(page)
    page.get_by_role("link", name="Add a partnership").click()
    page.locator("#id_name").fill("Older People's Joint Commissioning Group")
    page.locator("#id_type").select_option("planning")
    page.locator("#id_lead_body").select_option(label="TC")
    page.locator("#id_meeting_frequency").fill("Monthly")
    assert_accessible(page)
    click_and_load(page, page.get_by_role("button", name="Save"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Older People's Joint Commissioning Group"
    )

    for kind, number in (("elected", "2"), ("vamt_staff", "1")):
        page.get_by_role("link", name="Add a place").click()
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_number_of_places").fill(number)
        click_and_load(page, page.get_by_role("button", name="Save"))
    places = page.get_by_role("table", name="Third-sector places")
    assert places.get_by_role("rowheader", name="Elected third-sector representative").is_visible()
    assert places.get_by_role(
        "rowheader", name="VAMT staff in a supporting or specialist role"
    ).is_visible()
    assert places.get_by_text("2 vacant").is_visible()

    click_and_load(page, page.get_by_role("link", name="Update the checklist"))
    assert_accessible(page)
    page.locator(f"#id_status_{terms.pk}").select_option("met")
    page.locator(f"#id_evidence_{terms.pk}").fill("Terms of reference, paragraph 2")
    page.locator(f"#id_checked_on_{terms.pk}").fill("2009-03-01")
    page.locator(f"#id_status_{outset.pk}").select_option("not_met")
    page.locator(f"#id_checked_on_{outset.pk}").fill("2009-03-01")
    click_and_load(page, page.get_by_role("button", name="Save the checklist"))
    assert page.get_by_text("Checklist saved.").is_visible()
    assert page.get_by_text("Terms of reference, paragraph 2").is_visible()

    page.get_by_role("button", name="Sign out (officer-user)").click()
    login(page, world.users["board"])
    follow_menu(page, "Code compliance")
    row = page.get_by_role("row", name="Older People's Joint Commissioning Group")
    row.get_by_text("Met", exact=False).first.wait_for()
    assert row.get_by_text("Not met").is_visible()
    assert_accessible(page)

    # The board paper is made in the background (inline in tests): the button POSTs, the
    # status page offers the file and links back to the matrix.
    click_and_load(page, page.get_by_role("button", name="Download the board paper (PDF)"))
    assert page.get_by_text("Your file is ready.").is_visible()
    assert page.get_by_role(
        "link", name=re.compile(r"Download compliance-matrix-.*\.pdf")
    ).is_visible()
    assert_accessible(page)
    click_and_load(page, page.get_by_role("link", name="Back to the compliance matrix"))
    assert page.get_by_role("heading", level=1).inner_text().endswith("compliance matrix")

    # An old link or bookmark to the PDF only offers it: nothing is made until the button.
    page.goto(live_server.url + reverse("partnerships:matrix_pdf"))
    assert page.get_by_role("heading", level=1, name="Compliance matrix (PDF)").is_visible()
    assert_accessible(page)
    click_and_load(page, page.get_by_role("button", name="Make the PDF"))
    assert page.get_by_text("Your file is ready.").is_visible()


def test_public_register_is_accessible_to_anonymous_visitors(
    world: Any, page: Any, live_server: Any
) -> None:
    publish(world.compact)
    make_place(make_partnership(world.compact, "Local Service Board"), number_of_places=2)
    page.goto(f"{live_server.url}/partnerships/public/")
    assert page.get_by_role("heading", name="Local Service Board").is_visible()
    assert page.get_by_text("2 places vacant").is_visible()
    assert_accessible(page)
