"""A Board member finds "My notifications" in the menu on a phone, chooses the weekly digest,
and the page fits 390 px without sideways scrolling and passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from compact.models import NotificationPreference
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_board_member_chooses_the_weekly_digest_on_a_phone(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, world.users["board"])
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My notifications").click()
    # Waits for the new page: the old one is already loaded, so a load-state wait returns at once.
    expect(page.get_by_role("heading", level=1)).to_have_text("My notifications")
    assert page.get_by_label("Each time (an e-mail for every update or pack)").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_label("A weekly digest (one e-mail a week listing them)").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Your notification choice is saved.")).to_be_visible()
    assert page.get_by_label("A weekly digest (one e-mail a week listing them)").is_checked()
    assert NotificationPreference.objects.get(user=world.users["board"]).frequency == "weekly"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
