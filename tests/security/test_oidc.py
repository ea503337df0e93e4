"""Single sign-on (issue 17) against a real OpenID Connect provider on a loopback port
(tests/security/oidc_provider.py), through the whole flow: the start page, the provider, the
callback. A person is signed in to their existing account by a verified e-mail address and
nothing else; every refusal is clear, logged in one line without token contents, and changes
nothing; axes still locks out."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from compact.platform import sso
from conftest import make_user
from tests.queries import request_queries
from tests.security.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, running_provider

pytestmark = pytest.mark.security

ORGANISATION = "Testshire Council"


@pytest.fixture
def provider(settings: Any) -> Iterator[Provider]:
    with running_provider() as running:
        settings.OIDC_ISSUER = running.issuer
        settings.OIDC_CLIENT_ID = CLIENT_ID
        settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_BUTTON_LABEL = ORGANISATION
        yield running


@pytest.fixture
def jane(world: Any, django_user_model: Any) -> Any:
    """An officer whose organisation knows her as Jane@Testshire.gov.uk."""
    user = make_user(django_user_model, "jane", "officer")
    user.email = "jane@testshire.gov.uk"
    user.save()
    return user


def verified(email: str = "Jane@Testshire.gov.uk") -> dict[str, Any]:
    return {"email": email, "email_verified": True, "name": "Jane Jones"}


def to_provider(client: Client, query: str = "") -> str:
    """The start page, then the provider: the callback address the browser is sent back to."""
    start = client.get(reverse("sso_start") + query)
    assert start.status_code == 302, start.status_code
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["Location"])
    assert back.path == reverse("sso_callback")
    return f"{back.path}?{back.query}"


def sign_in(client: Client, query: str = "") -> Any:
    return client.get(to_provider(client, query))


def snapshot(user: Any) -> tuple[Any, ...]:
    user.refresh_from_db()
    return (
        user.username,
        user.email,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        user.last_login,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def refusal_lines(caplog: Any) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("SSO sign-in re")]


def assert_refused(
    response: Any, client: Client, caplog: Any, reason: str, status: int, secrets: tuple = ()
) -> None:
    assert response.status_code == status
    assert "registration/sso_refused.html" in [t.name for t in response.templates]
    assert escape(str(sso.SsoRefused(reason).message)) in response.content.decode()
    assert SESSION_KEY not in client.session
    lines = refusal_lines(caplog)
    assert len(lines) == 1 and f"refused: {reason} " in lines[0], lines
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets:
        assert secret not in logged


# Success ------------------------------------------------------------------------------------


def test_verified_email_signs_in_to_the_matching_account_and_changes_no_role(
    provider: Provider, jane: Any, django_user_model: Any, caplog: Any
) -> None:
    provider.claims = verified()
    before = snapshot(jane)
    accounts = django_user_model.objects.count()
    client = Client()
    caplog.set_level(logging.INFO, logger="compact.sso")

    response = sign_in(client)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(jane.pk)
    assert client.session["_auth_user_backend"] == sso.BACKEND
    after = snapshot(jane)
    # Only the time of the last sign-in moved: no role, flag or permission changed.
    assert after[:5] == before[:5] and after[6:] == before[6:]
    assert django_user_model.objects.count() == accounts
    # The session works on the next page, and the person is who the provider said.
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home.context["user"] == jane
    # PKCE and the client's secret went to the token endpoint.
    (token_request,) = provider.token_requests
    assert token_request["client_secret"] == CLIENT_SECRET and token_request["code_verifier"]
    assert any(f"SSO sign-in: user {jane.pk}" in r.getMessage() for r in caplog.records)


def test_entra_domain_verified_claim_counts_as_verified(provider: Provider, jane: Any) -> None:
    provider.claims = {"email": "jane@testshire.gov.uk", "xms_edov": True}
    client = Client()
    assert sign_in(client).status_code == 302
    assert client.session[SESSION_KEY] == str(jane.pk)


def test_a_safe_next_address_is_kept_and_another_site_is_not(provider: Provider, jane: Any) -> None:
    provider.claims = verified()
    target = reverse("compact:body_list")
    response = sign_in(Client(), f"?next={target}")
    assert response["Location"] == target
    response = sign_in(Client(), "?next=https://evil.example/")
    assert response["Location"] == reverse("home")


def test_local_sign_in_still_works_with_sso_on(provider: Provider, jane: Any) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "jane", "password": "not-the-demo-password"}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(jane.pk)
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert provider.discovery_requests == 0  # a password sign-in never asks the provider


def test_discovery_is_fetched_once_and_cached(provider: Provider, jane: Any) -> None:
    provider.claims = verified()
    sign_in(Client())
    sign_in(Client())
    assert provider.discovery_requests == 1


def test_the_sign_in_page_offers_the_organisation(
    provider: Provider, world: Any, settings: Any
) -> None:
    with request_queries() as queries:
        page = Client().get(reverse("login") + "?next=/compact/bodies/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"Sign in with {ORGANISATION}" in content
    assert f'href="{reverse("sso_start")}?next=/compact/bodies/"' in content
    # Offering SSO costs no query (and never asks the provider).
    settings.OIDC_ISSUER = ""
    with request_queries() as without_sso:
        Client().get(reverse("login") + "?next=/compact/bodies/")
    assert len(queries.captured_queries) == len(without_sso.captured_queries) == 2
    assert provider.discovery_requests == 0


def test_the_button_has_a_generic_label_without_a_name(
    provider: Provider, world: Any, settings: Any
) -> None:
    settings.OIDC_BUTTON_LABEL = ""
    assert "Sign in with your organisation" in Client().get(reverse("login")).content.decode()


# SSO off ------------------------------------------------------------------------------------


def test_sso_off_hides_the_button_and_the_addresses(world: Any, settings: Any) -> None:
    settings.OIDC_ISSUER = ""
    client = Client()
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("sso_callback") + "?code=x&state=y").status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page and reverse("sso_start") not in page


# Bad tokens ---------------------------------------------------------------------------------

TOKEN_REFUSALS = [
    ("bad_signature", "bad_signature", 400),
    ("wrong_audience", "wrong_audience", 400),
    ("wrong_issuer", "wrong_issuer", 400),
    ("expired", "expired_token", 400),
    ("bad_nonce", "bad_nonce", 400),
    ("missing_nonce", "missing_nonce", 400),
    ("unsigned", "bad_algorithm", 400),
    ("shared_secret", "bad_algorithm", 400),
]


@pytest.mark.parametrize(("tamper", "reason", "status"), TOKEN_REFUSALS)
def test_a_bad_id_token_is_refused_and_changes_nothing(
    provider: Provider,
    jane: Any,
    django_user_model: Any,
    caplog: Any,
    tamper: str,
    reason: str,
    status: int,
) -> None:
    provider.claims = verified()
    provider.tamper = tamper
    before = snapshot(jane)
    accounts = django_user_model.objects.count()
    client = Client()
    callback = to_provider(client)
    code = parse_qs(urlparse(callback).query)["code"][0]
    caplog.set_level(logging.INFO)

    response = client.get(callback)

    assert_refused(response, client, caplog, reason, status, secrets=(code, "eyJ", "Jane@"))
    assert snapshot(jane) == before
    assert django_user_model.objects.count() == accounts


def test_the_refusal_page_has_a_fixed_query_count(provider: Provider, jane: Any) -> None:
    provider.claims = verified()
    provider.tamper = "wrong_audience"
    client = Client()
    callback = to_provider(client)
    with request_queries() as queries:
        response = client.get(callback)
    assert response.status_code == 400
    # The session read and saved; axes checks the address, records the failure, checks again
    # (with their savepoints); the account audit log records the failure (one insert). No user
    # is read: the token failed first.
    assert len(queries.captured_queries) == 16


# Bad state ----------------------------------------------------------------------------------


def test_a_callback_with_a_forged_state_is_refused(
    provider: Provider, jane: Any, caplog: Any
) -> None:
    provider.claims = verified()
    client = Client()
    callback = to_provider(client)
    forged = callback.replace("state=", "state=forged")
    response = client.get(forged)
    assert_refused(response, client, caplog, "bad_state", 400)
    assert provider.token_requests == []  # refused before the code was ever used


def test_a_callback_in_another_browser_is_refused(
    provider: Provider, jane: Any, caplog: Any
) -> None:
    provider.claims = verified()
    callback = to_provider(Client())
    other = Client()  # the attacker's browser, carrying the victim's code and state
    response = other.get(callback)
    assert_refused(response, other, caplog, "no_state", 400)


def test_a_callback_cannot_be_replayed(provider: Provider, jane: Any, caplog: Any) -> None:
    provider.claims = verified()
    provider.tamper = "expired"
    client = Client()
    callback = to_provider(client)
    assert client.get(callback).status_code == 400
    provider.tamper = ""
    caplog.clear()
    response = client.get(callback)
    assert_refused(response, client, caplog, "no_state", 400)


def test_a_sign_in_started_too_long_ago_is_refused(
    provider: Provider, jane: Any, caplog: Any
) -> None:
    provider.claims = verified()
    client = Client()
    callback = to_provider(client)
    session = client.session
    for entry in session[sso.STATES_SESSION_KEY].values():
        entry["added_on"] -= sso.STATE_SECONDS + 1
    session.save()
    response = client.get(callback)
    assert_refused(response, client, caplog, "expired_state", 400)


def test_the_provider_saying_no_is_refused(provider: Provider, jane: Any, caplog: Any) -> None:
    client = Client()
    callback = to_provider(client)
    state = parse_qs(urlparse(callback).query)["state"][0]
    response = client.get(reverse("sso_callback"), {"error": "access_denied", "state": state})
    assert_refused(response, client, caplog, "provider_error", 400)
    assert "provider_error access_denied" in refusal_lines(caplog)[0]


# The account --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "jane@testshire.gov.uk", "email_verified": False},
        {"email": "jane@testshire.gov.uk", "xms_edov": False},
        {"email": "jane@testshire.gov.uk", "email_verified": False, "xms_edov": True},
        {"email": "jane@testshire.gov.uk"},
        {"email_verified": True},
    ],
    ids=[
        "unverified",
        "unverified-entra",
        "explicitly-unverified",
        "no-verification-claim",
        "no-email",
    ],
)
def test_an_unverified_email_is_refused(
    provider: Provider, jane: Any, caplog: Any, claims: dict[str, Any]
) -> None:
    provider.claims = claims
    before = snapshot(jane)
    client = Client()
    response = sign_in(client)
    assert_refused(response, client, caplog, "unverified_email", 403)
    assert snapshot(jane) == before


def test_an_unknown_email_is_refused_and_no_account_is_made(
    provider: Provider, jane: Any, django_user_model: Any, caplog: Any
) -> None:
    provider.claims = verified("stranger@testshire.gov.uk")
    accounts = django_user_model.objects.count()
    client = Client()
    response = sign_in(client)
    assert_refused(response, client, caplog, "unknown_email", 403, secrets=("stranger",))
    assert django_user_model.objects.count() == accounts


def test_an_inactive_account_is_refused(provider: Provider, jane: Any, caplog: Any) -> None:
    jane.is_active = False
    jane.save()
    provider.claims = verified()
    before = snapshot(jane)
    client = Client()
    response = sign_in(client)
    assert_refused(response, client, caplog, "inactive_account", 403)
    assert snapshot(jane) == before


def test_two_accounts_with_the_email_are_refused(
    provider: Provider, jane: Any, django_user_model: Any, caplog: Any
) -> None:
    make_user(django_user_model, "jane2", None)
    django_user_model.objects.filter(username="jane2").update(email="JANE@testshire.gov.uk")
    provider.claims = verified()
    client = Client()
    response = sign_in(client)
    assert_refused(response, client, caplog, "duplicate_email", 403)


def test_an_unreachable_provider_gets_a_clear_page(world: Any, settings: Any) -> None:
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    response = Client().get(reverse("sso_start"))
    assert response.status_code == 503
    assert escape(str(sso.SsoRefused("provider_unreachable").message)) in response.content.decode()


# Lockouts -----------------------------------------------------------------------------------


def test_repeated_refusals_lock_out_the_address_even_for_a_good_token(
    provider: Provider, jane: Any
) -> None:
    provider.claims = verified()
    provider.tamper = "bad_signature"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(Client()).status_code == 400
    # The last failure allowed: axes answers with its lockout page.
    assert sign_in(Client()).status_code == settings.AXES_HTTP_RESPONSE_CODE
    provider.tamper = ""
    client = Client()
    response = sign_in(client)
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert SESSION_KEY not in client.session
    # Another address is not locked out by this one.
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert sign_in(other).status_code == 302


def test_people_without_an_account_do_not_lock_out_their_office(
    provider: Provider, jane: Any
) -> None:
    """Everyone at the council comes from one address: colleagues with no account here trying
    SSO count against themselves, not against that address."""
    for number in range(settings.AXES_FAILURE_LIMIT + 2):
        provider.claims = verified(f"colleague{number}@testshire.gov.uk")
        assert sign_in(Client()).status_code == 403
    provider.claims = verified()
    client = Client()
    assert sign_in(client).status_code == 302
    assert client.session[SESSION_KEY] == str(jane.pk)


def test_one_person_without_an_account_is_locked_out_after_repeated_tries(
    provider: Provider, jane: Any
) -> None:
    provider.claims = verified("stranger@testshire.gov.uk")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(Client()).status_code == 403
    assert sign_in(Client()).status_code == settings.AXES_HTTP_RESPONSE_CODE


def test_an_account_locked_out_by_passwords_is_not_let_in_by_sso(
    provider: Provider, jane: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "jane", "password": "wrong"})
    provider.claims = verified()
    client = Client()
    response = sign_in(client)
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert SESSION_KEY not in client.session


def test_the_button_and_the_refusal_read_in_welsh(provider: Provider, world: Any) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("login")).content.decode()
    assert f"Mewngofnodi gyda {ORGANISATION}" in page
    provider.claims = verified("stranger@testshire.gov.uk")
    refusal = sign_in(client).content.decode()
    assert "Nid ydych wedi mewngofnodi" in refusal
    assert "Nid oes cyfrif yma gyda&#x27;r cyfeiriad e-bost" in refusal
