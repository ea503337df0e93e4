"""An administrator, on a phone, finds a disabled account from the menu and enables it again
with a reason; the page fits 390 px, passes axe, and reads in Welsh."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from compact.models import AccountEvent
from tests.browser.conftest import assert_accessible, click_and_load, follow_menu
from tests.compact.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_enables_a_disabled_account_on_a_phone(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    person = UserFactory(
        username="a-very-long-username-pasted-from-a-council-directory-export",
        first_name="Angharad",
        last_name="Llewellyn-Prytherch",
        is_active=False,
    )
    UserFactory(username="gone", is_active=False)
    login(page, world.users["administrator"])
    follow_menu(page, "Disabled accounts")  # in the menu (wide screen: not collapsed)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Disabled accounts"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    item = page.locator("li").filter(has_text=person.username)
    item.get_by_label("Reason (optional)").fill("Back from leave")
    with page.expect_navigation():
        item.get_by_role("button", name=f"Enable again {person.username}").click()
    assert "is enabled again" in page.locator(".alert").first.inner_text()
    assert get_user_model().objects.get(pk=person.pk).is_active
    event = AccountEvent.objects.get(user=person, kind=AccountEvent.Kind.ACCOUNT_ENABLED)
    assert event.detail.endswith("Back from leave")
    assert page.locator("main li").filter(has_text=person.username).count() == 0

    # In Welsh.
    click_and_load(page, page.get_by_role("button", name="Cymraeg"))
    assert page.get_by_role("heading", level=1).inner_text() == "Cyfrifon wedi'u hanalluogi"
    assert page.get_by_role("button", name="Galluogi eto gone").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
