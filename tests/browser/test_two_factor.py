"""An officer's first sign-in with two-step sign-in on, on a phone: held at enrolment, types the
key into an authenticator (here: computed), confirms with a code, sees the recovery codes once,
then reaches the dashboard; every step fits 390 px and passes axe."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import override_settings
from django_otp.oath import totp

from compact.models import RecoveryCode
from tests.browser.conftest import assert_accessible, click_and_load

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(MFA_REQUIRED=True)
def test_officer_enrols_on_first_sign_in_on_a_phone(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, world.users["officer"])
    assert "/accounts/two-step/set-up/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-step sign-in"
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    # Nothing else is reachable until enrolment is done; afterwards the page asked for opens.
    page.goto(f"{live_server.url}/compact/bodies/")
    assert "/accounts/two-step/set-up/" in page.url

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = totp(base64.b32decode(secret))
    page.get_by_label("Code from the app").fill(f"{code:06d}")
    click_and_load(page, page.get_by_role("button", name="Check the code and finish"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert page.locator("#recovery-codes li").count() == 10
    assert RecoveryCode.objects.filter(user=world.users["officer"]).count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    click_and_load(page, page.get_by_role("link", name="I have kept my codes: carry on"))
    assert page.url == f"{live_server.url}/compact/bodies/"
    page.goto(live_server.url)
    assert "/accounts/" not in page.url
