"""Behind nginx every request comes from nginx's address. Sign-in lockouts, the public PDF
quota and the sign-up limit must count the real client (the entry TRUSTED_PROXY_COUNT places
from the right of X-Forwarded-For), never the proxy, and never an entry the client wrote."""

from __future__ import annotations

import datetime
import sys
import threading
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from compact.models import RateCount
from compact.platform.throttle import client_address, rate_allows
from compact.settings.base import cache_from_url
from representatives.models import SignUp
from tests.plans.factories import issue, make_plan

pytestmark = pytest.mark.security

NGINX = "127.0.0.1"
ALYS, BRYN, CERI = "203.0.113.10", "198.51.100.20", "192.0.2.30"
PASSWORD = "not-the-demo-password"  # conftest.make_user


@pytest.fixture
def behind_nginx(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1


def via_nginx(forwarded_for: str) -> Client:
    """A visitor whose request nginx passed on, X-Forwarded-For as nginx sent it."""
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)


def sign_in(client: Client, username: str, password: str) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def lock_out(client: Client, username: str) -> None:
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong-guess")


@pytest.mark.parametrize(
    ("hops", "remote", "forwarded", "expected"),
    [
        (0, NGINX, ALYS, NGINX),  # no proxy trusted: the header is anyone's to send
        (1, NGINX, ALYS, ALYS),
        (1, NGINX, f"{BRYN}, {ALYS}", ALYS),  # Alys wrote Bryn's address herself
        (1, NGINX, f"{BRYN},{CERI} ,  {ALYS}", ALYS),
        (2, NGINX, f"{BRYN}, {ALYS}, 10.0.0.5", ALYS),  # a load balancer, then nginx
        (1, NGINX, "", NGINX),  # straight to the app server (a health probe)
        (1, NGINX, "not-an-address", NGINX),
        (1, NGINX, "2001:DB8::0001", "2001:db8::1"),
    ],
)
def test_client_address_trusts_only_the_entries_the_proxies_wrote(
    settings: Any, hops: int, remote: str, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_request_made_in_code_has_no_address(settings: Any) -> None:
    """Stored as NULL by django-axes (PostgreSQL's inet column refuses a made-up word)."""
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(HttpRequest()) is None


def test_lockout_behind_the_proxy_locks_that_client_only(world: Any, behind_nginx: None) -> None:
    alys = via_nginx(ALYS)
    lock_out(alys, "board-user")
    locked = alys.post(reverse("login"), {"username": "board-user", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()

    assert sign_in(via_nginx(BRYN), "board-user", PASSWORD) == 302, (
        "a guesser at one address locked the account for everyone behind the proxy"
    )


def test_a_forged_forwarded_header_neither_escapes_nor_causes_a_lockout(
    world: Any, behind_nginx: None
) -> None:
    lock_out(via_nginx(ALYS), "board-user")
    # Alys puts Bryn's address first; nginx adds hers: still Alys, still locked.
    assert sign_in(via_nginx(f"{BRYN}, {ALYS}"), "board-user", PASSWORD) == 429
    # Ceri guesses while claiming to be Bryn: Ceri is locked, Bryn is not.
    lock_out(via_nginx(f"{BRYN}, {CERI}"), "officer-user")
    assert sign_in(via_nginx(CERI), "officer-user", PASSWORD) == 429
    assert sign_in(via_nginx(BRYN), "officer-user", PASSWORD) == 302


def test_without_a_trusted_proxy_the_header_cannot_dodge_a_lockout(world: Any) -> None:
    assert django_settings.TRUSTED_PROXY_COUNT == 0
    lock_out(Client(REMOTE_ADDR=ALYS, HTTP_X_FORWARDED_FOR=BRYN), "board-user")
    fresh_header = Client(REMOTE_ADDR=ALYS, HTTP_X_FORWARDED_FOR=CERI)
    assert sign_in(fresh_header, "board-user", PASSWORD) == 429


def test_the_public_pdf_quota_is_per_client_behind_the_proxy(
    world: Any, settings: Any, behind_nginx: None
) -> None:
    settings.PUBLIC_PDF_PER_MINUTE = 1
    plan = make_plan(world, objectives=1, tasks=1, rows=1, is_public=True)
    issue(plan)
    url = reverse("plans:progress_pdf", args=[plan.slug])

    assert via_nginx(ALYS).get(url).status_code == 200
    assert via_nginx(ALYS).get(url).status_code == 429
    assert via_nginx(f"{BRYN}, {ALYS}").get(url).status_code == 429, "forged entry obeyed"
    assert via_nginx(BRYN).get(url).status_code == 200, "one visitor used up everyone's quota"


def signup_data(email: str) -> dict[str, str]:
    return {
        "full_name": "Nia Williams",
        "organisation_name": "Testshire Carers",
        "email": email,
        "interest": "either",
        "interests": "Carers",
        "consent": "on",
    }


def test_the_signup_limit_is_per_client_behind_the_proxy(
    world: Any, settings: Any, behind_nginx: None
) -> None:
    settings.REPRESENTATIVES_SIGNUPS_PER_HOUR = 2
    url = reverse("representatives:signup")
    alys = via_nginx(ALYS)
    assert [alys.post(url, signup_data(f"a{n}@example.org")).status_code for n in range(3)] == [
        302,
        302,
        429,
    ]
    assert via_nginx(BRYN).post(url, signup_data("bryn@example.org")).status_code == 302
    assert SignUp.objects.count() == 3


def test_one_inbox_gets_a_few_confirmation_emails_whatever_the_address(
    world: Any, settings: Any, behind_nginx: None
) -> None:
    settings.REPRESENTATIVES_SIGNUPS_PER_EMAIL_PER_DAY = 2
    url = reverse("representatives:signup")
    statuses = [
        via_nginx(address).post(url, signup_data("Victim@Example.org ")).status_code
        for address in (ALYS, BRYN, CERI)
    ]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_signups_never_pass_the_limit(world: Any, settings: Any) -> None:
    """Twelve sign-ups at once from one client, limit 5: five e-mails, never more."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL); SQLite writes one at a time")
    # The cache production runs with (DEBUG off): the database cache, shared by all workers.
    settings.CACHES = {"default": cache_from_url("db://security_test_cache")}
    call_command("createcachetable")
    settings.REPRESENTATIVES_SIGNUPS_PER_HOUR = 5
    url = reverse("representatives:signup")
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def sign_up(number: int) -> None:
        try:
            client = Client(REMOTE_ADDR=ALYS)
            barrier.wait()
            statuses.append(client.post(url, signup_data(f"n{number}@example.org")).status_code)
        finally:
            connections.close_all()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so a read-then-write race shows
    try:
        threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert SignUp.objects.count() == 5
    assert len(mail.outbox) == 5
    assert sorted(statuses) == [302] * 5 + [429] * 7


def test_a_count_starts_again_when_its_window_has_passed_and_old_rows_go(db: Any) -> None:
    assert [rate_allows(scope="demo", client=ALYS, limit=2, seconds=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    RateCount.objects.filter(client=ALYS).update(
        window_start=timezone.now() - datetime.timedelta(seconds=61)
    )
    assert rate_allows(scope="demo", client=ALYS, limit=2, seconds=60)
    long_gone = RateCount.objects.create(
        scope="demo", client=CERI, window_start=timezone.now() - datetime.timedelta(days=3)
    )
    rate_allows(scope="demo", client=BRYN, limit=2, seconds=60)
    assert not RateCount.objects.filter(pk=long_gone.pk).exists()
    assert set(RateCount.objects.values_list("client", flat=True)) == {ALYS, BRYN}
