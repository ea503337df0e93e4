"""A newcomer finds the sign-up form from the public home page on a phone, without typing an
address; an administrator then approves the sign-up and puts it forward to an open round,
following links only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from representatives.models import Nomination, SignUp
from tests.browser.conftest import TEST_PASSWORD, assert_accessible, click_and_load
from tests.representatives.factories import round_at

pytestmark = pytest.mark.browser


def _fits_the_screen(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"sideways scrolling: {width}px"


def _click(page: Any, name: str, role: str = "link") -> None:
    click_and_load(page, page.get_by_role(role, name=name, exact=True).first)


def test_visitor_signs_up_from_the_home_page_and_an_administrator_puts_it_forward(
    page: Any, live_server: Any, world: Any
) -> None:
    cache.clear()
    world.compact.summary = "The agreement between the public and third sectors in Testshire."
    world.compact.save()
    open_round = round_at(world, "canvass").round
    page.set_viewport_size({"width": 390, "height": 844})

    # A visitor opens the site's address and finds how to become a representative.
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Test Compact").is_visible()
    assert page.get_by_text("The agreement between the public and third sectors").is_visible()
    _fits_the_screen(page)
    assert_accessible(page)
    _click(page, "How to raise a concern")
    assert page.get_by_role("heading", name="Raise a question or a concern").is_visible()
    _fits_the_screen(page)
    _click(page, "Back to the home page")
    _click(page, "Sign up as a representative")
    _fits_the_screen(page)
    page.get_by_label("Full name").fill("Nia Williams")
    page.get_by_label("Organisation").fill("Testshire Carers")
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Areas of interest").fill("Carers and older people")
    page.get_by_label("I agree that VAMT may hold").check()
    _click(page, "Sign up", role="button")
    assert page.get_by_role("heading", name="Thank you for signing up").is_visible()
    # The confirmation link arrives by email; following it is still following a link.
    page.goto(re.search(r"(http://\S+)", mail.outbox[-1].body).group(1))
    assert page.get_by_role("heading", name="Your email address is confirmed").is_visible()
    signup = SignUp.objects.get(email="nia@example.org")

    # The administrator signs in from the menu and follows the dashboard to the sign-up.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    _click(page, "Sign in")
    page.get_by_label("Username").fill(world.users["administrator"].get_username())
    page.get_by_label("Password").fill(TEST_PASSWORD)
    _click(page, "Sign in", role="button")
    _click(page, "Nia Williams")
    _click(page, "Approve", role="button")
    assert page.get_by_text("Approved; a set-password link has been emailed.").is_visible()

    # ... and puts it forward to the open round, then follows the link to the round.
    page.get_by_label("Open round").select_option(str(open_round.pk))
    page.get_by_label("Nominated by").fill("Testshire carers forum")
    _click(page, "Put forward", role="button")
    assert page.get_by_text("Put forward to a selection round").first.is_visible()
    assert page.get_by_text("Waiting for a decision").count() == 0
    click_and_load(page, page.get_by_role("link", name=str(open_round)))
    assert page.url.endswith(open_round.get_absolute_url())
    row = page.get_by_role("row").filter(has_text="Nia Williams")
    assert "Testshire Carers" in row.inner_text()
    assert_accessible(page)
    nomination = Nomination.objects.get(round=open_round)
    assert nomination.signup == signup and nomination.organisation.name == "Testshire Carers"
