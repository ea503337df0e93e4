"""A Board member makes an API token on a phone: the page fits 390 px and passes axe, the
token is shown once and works against the API; the API reference page fits too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.browser.conftest import assert_accessible, click_and_load
from tests.browser.test_phone_width import OFFENDERS_JS

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page: Any) -> None:
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, page.evaluate(OFFENDERS_JS)


def test_board_member_makes_an_api_token_on_a_phone(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, world.users["board"])
    page.goto(f"{live_server.url}/accounts/notifications/")
    click_and_load(
        page, page.get_by_role("link", name="API tokens: let a program read what you may read")
    )
    assert page.get_by_role("heading", level=1).inner_text() == "API tokens"
    page.get_by_label("Name").fill("Council dashboard")
    page.get_by_label("Expires").select_option("30")
    click_and_load(page, page.get_by_role("button", name="Make the token"))
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("ct_")
    assert page.get_by_role("cell", name="Council dashboard", exact=True).is_visible()
    _fits(page)
    assert_accessible(page)
    answer = Client().get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200

    click_and_load(page, page.get_by_role("button", name="Revoke Council dashboard"))
    assert page.get_by_text("Token “Council dashboard” revoked: it no longer works.").is_visible()
    assert secret not in page.content()
    _fits(page)


def test_api_reference_fits_a_phone(db: Any, page: Any, live_server: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/api/v1/docs/")
    assert page.get_by_role("heading", level=1).inner_text() == "API reference"
    _fits(page)
    assert_accessible(page)
