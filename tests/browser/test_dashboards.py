"""Each role signs in through the real form, reaches its dashboard, and the page passes axe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["officer", "board", "administrator", "representative"])
def test_role_signs_in_and_reaches_an_accessible_dashboard(
    role: str, world: Any, page: Any, live_server: Any, login: Any
) -> None:
    login(page, world.users[role])

    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).inner_text() == world.compact.name
    assert page.get_by_role("button", name=f"Sign out ({world.users[role].username})").is_visible()
    assert_accessible(page)


def test_login_page_is_accessible_and_rejects_a_wrong_password(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)

    login(page, world.users["officer"], password="wrong-password")

    assert "/accounts/login/" in page.url
    assert page.get_by_text("Please enter a correct username and password").is_visible()
