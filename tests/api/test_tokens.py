"""Personal API tokens: made on the token page (secret shown once, only its digest kept),
revoked by their holder; expired, revoked or wrong tokens are refused with a clear sentence,
recorded, and change nothing; requests are throttled."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.models import AccountEvent, ApiToken
from compact.platform.api import token_digest
from compact.services.api_tokens import api_token_create
from tests.api.conftest import ApiWorld, bearer, make_token

PLANS = "/api/v1/plans/"


def _events(kind: str) -> list[AccountEvent]:
    return list(AccountEvent.objects.filter(kind=kind).order_by("pk"))


def test_token_page_makes_a_token_shown_once_and_keeps_only_its_digest(
    world: Any, client: Any
) -> None:
    client.force_login(world.users["board"])
    assert client.get(reverse("api_tokens")).status_code == 200
    response = client.post(reverse("api_tokens"), {"name": "Council dashboard", "expires": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("ct_") and secret in response.content.decode()
    assert token.digest == token_digest(secret) and secret not in str(token.__dict__)
    assert token.scope == "read" and token.user == world.users["board"]
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    again = client.get(reverse("api_tokens")).content.decode()
    assert secret not in again and token.prefix in again
    assert _events(AccountEvent.Kind.API_TOKEN_CREATED)[0].user == world.users["board"]
    assert client.get(PLANS, **bearer(secret)).status_code == 200


def test_token_page_refuses_a_nameless_or_duplicate_token_and_changes_nothing(
    world: Any, client: Any, settings: Any
) -> None:
    client.force_login(world.users["board"])
    blank = client.post(reverse("api_tokens"), {"name": "   ", "expires": "30"})
    assert blank.status_code == 422
    client.post(reverse("api_tokens"), {"name": "One", "expires": "never"})
    duplicate = client.post(reverse("api_tokens"), {"name": "one", "expires": "30"})
    assert duplicate.status_code == 422
    assert "You already have a token of that name." in duplicate.content.decode()
    settings.API_TOKENS_PER_PERSON = 1
    over = client.post(reverse("api_tokens"), {"name": "Two", "expires": "30"})
    assert (
        "You already keep the most tokens a person may (1): revoke one first."
        in over.content.decode()
    )
    assert list(ApiToken.objects.values_list("name", "expires_at")) == [("One", None)]


def test_revoked_token_is_refused_and_recorded(world: Any, client: Any) -> None:
    user = world.users["board"]
    secret = make_token(user, "Old script")
    token = ApiToken.objects.get()
    client.force_login(user)
    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "Token “Old script” revoked: it no longer works." in response.content.decode()
    client.logout()
    refused = client.get(PLANS, **bearer(secret))
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token has been revoked."}
    [event] = _events(AccountEvent.Kind.API_TOKEN_REFUSED)
    assert event.user == user and event.detail.startswith("revoked: ct_")
    assert _events(AccountEvent.Kind.API_TOKEN_REVOKED)[0].user == user


def test_nobody_revokes_another_persons_token(world: Any, client: Any) -> None:
    secret = make_token(world.users["board"])
    token = ApiToken.objects.get()
    client.force_login(world.users["officer"])
    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "You have no such token." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    client.logout()
    assert client.get(PLANS, **bearer(secret)).status_code == 200


def test_expired_token_is_refused_recorded_and_changes_nothing(world: Any, client: Any) -> None:
    token, secret = api_token_create(actor=world.users["officer"], name="Short", expires_in_days=30)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(PLANS, **bearer(secret))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API token expired on ")
    token.refresh_from_db()
    assert token.last_used_at is None
    [event] = _events(AccountEvent.Kind.API_TOKEN_REFUSED)
    assert event.detail.startswith("expired: ") and event.user == world.users["officer"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Basic b2ZmaWNlcjpwYXNz", "Send a personal API token as: Authorization: Bearer <token>."),
        ("Bearer", "Send a personal API token as: Authorization: Bearer <token>."),
        ("Bearer ct_not-a-token", "This API token is not valid."),
    ],
)
def test_malformed_or_unknown_credentials_are_refused(
    header: str, message: str, db: Any, client: Any
) -> None:
    response = client.get(PLANS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and response.json() == {"detail": message}


def test_disabled_account_token_is_refused(world: Any, client: Any) -> None:
    user = world.users["board"]
    secret = make_token(user)
    user.is_active = False
    user.save()
    response = client.get(PLANS, **bearer(secret))
    assert response.json() == {"detail": "The account of this API token is disabled."}


def test_token_use_is_stamped_at_most_once_a_minute(world: Any, client: Any) -> None:
    secret = make_token(world.users["board"])
    client.get(PLANS, **bearer(secret))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get(PLANS, **bearer(secret))
    assert ApiToken.objects.get().last_used_at == first


def test_visitors_are_throttled_per_address_and_token_holders_per_person(
    api_world: ApiWorld, client: Any, settings: Any
) -> None:
    settings.API_ANONYMOUS_PER_MINUTE = 2
    settings.API_TOKEN_PER_MINUTE = 3
    assert [client.get(PLANS).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get(PLANS)
    assert refused["Retry-After"]
    assert refused.json()["detail"].startswith("Too many requests: try again in ")
    headers = bearer(make_token(api_world.world.users["board"]))
    assert [client.get(PLANS, **headers).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_flood_of_wrong_tokens_is_recorded_only_up_to_the_limit(
    db: Any, client: Any, settings: Any
) -> None:
    settings.API_REFUSALS_PER_MINUTE = 2
    statuses = [client.get(PLANS, **bearer(f"ct_guess{n}")).status_code for n in range(4)]
    assert statuses == [401, 401, 429, 429]
    assert len(_events(AccountEvent.Kind.API_TOKEN_REFUSED)) == 2
