"""A Board member switches to Cymraeg from the header, on a phone too: the same page comes back
in Welsh, it passes axe in Welsh, and the choice follows them to their next sign-in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, click_and_load

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_board_member_reads_the_dashboard_in_welsh_on_a_phone(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    user = world.users["board"]
    login(page, user)
    page.goto(f"{live_server.url}/")

    switch = page.get_by_role("button", name="Cymraeg")
    assert switch.is_visible()  # outside the collapsed menu: no need to open it on a phone
    click_and_load(page, switch)

    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("link", name="Neidio i'r prif gynnwys").count() == 1
    assert page.get_by_role("button", name="English").get_attribute("lang") == "en"
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the Welsh dashboard is {width}px wide on a 390px phone"

    # Another device: the stored choice is applied at sign-in.
    page.context.clear_cookies()
    login(page, user)
    assert page.locator("html").get_attribute("lang") == "cy"

    click_and_load(page, page.get_by_role("button", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
