"""Every POST without a CSRF token is refused; repeated failed logins lock out that username
from that address only, so one attacker behind the council's proxy locks nobody else out."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.access import all_cases

pytestmark = pytest.mark.security

POST_CASES = sorted(
    name for name, case in all_cases().items() if case.method == "post" or case.posts
)
PASSWORD = "not-the-demo-password"  # conftest.make_user


@pytest.mark.parametrize("url_name", POST_CASES)
def test_post_without_csrf_token_is_refused(url_name: str, world: Any) -> None:
    case = all_cases()[url_name]
    kwargs, data = case.build(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["superuser"])
    response = client.post(reverse(url_name, kwargs=kwargs) + case.query, data)
    assert response.status_code == 403, f"{url_name} accepted a POST without a CSRF token"
    assert b"CSRF" in response.content


@pytest.mark.parametrize("url_name", sorted(all_cases()))
def test_no_address_takes_a_post_without_csrf_token(url_name: str, world: Any) -> None:
    """Every URL, whatever methods its view accepts: the token is checked before the view
    runs, so even a GET-only view never sees a forged POST (and none is csrf_exempt)."""
    case = all_cases()[url_name]
    kwargs, data = case.build(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["superuser"])
    response = client.post(reverse(url_name, kwargs=kwargs) + case.query, data)
    assert response.status_code == 403 and b"CSRF" in response.content, url_name


def test_anonymous_login_post_without_csrf_token_is_refused(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "board-user", "password": PASSWORD})
    assert response.status_code == 403


def attempt(username: str, password: str, address: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_repeated_failures_lock_out_that_user_from_that_address_only(world: Any) -> None:
    proxy = "10.20.30.40"  # everyone at the council comes through one proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        refused = attempt("board-user", "wrong-guess", proxy)
        assert refused.status_code in {200, 429}
    locked = attempt("board-user", PASSWORD, proxy)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()

    colleague = attempt("officer-user", PASSWORD, proxy)
    assert colleague.status_code == 302, "another user behind the same proxy must still get in"
    elsewhere = attempt("board-user", PASSWORD, "192.0.2.10")
    assert elsewhere.status_code == 302


def test_failures_below_the_limit_do_not_lock_out(world: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("board-user", "wrong-guess", "10.20.30.40")
    assert attempt("board-user", PASSWORD, "10.20.30.40").status_code == 302
