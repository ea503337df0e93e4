"""People approved from a sign-up have no password until they set one; once their e-mail was
confirmed, the ordinary "forgot your password" e-mail reaches them. Anyone else without a
usable password still gets nothing (and the page says the same either way)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from representatives import services

pytestmark = pytest.mark.security

NEW_PASSWORD = "Merthyr-Carers-2026"


def _approved_signup(world: Any, email: str = "nia@example.org") -> Any:
    cache.clear()  # the sign-up form's rate limit
    signup = services.signup_submit(
        full_name="Nia Williams",
        organisation_name="Testshire Carers",
        email=email,
        interests="Carers and older people",
        consent=True,
        site_url="http://testserver/",
    )
    signup = services.signup_confirm(token=services.signup_token(signup))
    return services.signup_approve(
        signup=signup, actor=world.users["administrator"], site_url="http://testserver/"
    )


def _request_reset(client: Client, email: str) -> Any:
    mail.outbox.clear()
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    return response


def test_approved_signup_resets_password_and_signs_in(world: Any) -> None:
    signup = _approved_signup(world)
    user = signup.person.user
    assert not user.has_usable_password()
    client = Client()
    _request_reset(client, "NIA@example.org")
    assert [message.to for message in mail.outbox] == [["nia@example.org"]]
    link = re.search(r"https?://[^\s]+/accounts/password/reset/[^\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = link.group(0).split("testserver", 1)[1]
    # The link swaps its token for the session and redirects to the set-password form.
    form = client.get(path, follow=True)
    assert form.status_code == 200
    assert b'name="new_password1"' in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    signed_in = Client().post(
        reverse("login"), {"username": user.username, "password": NEW_PASSWORD}, follow=True
    )
    assert signed_in.context["user"].is_authenticated
    assert signed_in.context["user"].pk == user.pk


def test_a_used_link_does_not_work_twice(world: Any) -> None:
    _approved_signup(world)
    client = Client()
    _request_reset(client, "nia@example.org")
    path = re.search(r"/accounts/password/reset/[^\s]+/", mail.outbox[0].body).group(0)
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    again = Client().get(path, follow=True)
    assert b'name="new_password1"' not in again.content


def test_account_without_password_or_confirmed_email_gets_no_reset(
    world: Any, django_user_model: Any
) -> None:
    user = django_user_model.objects.create_user(username="closed", email="closed@example.org")
    user.set_unusable_password()
    user.save()
    _request_reset(Client(), "closed@example.org")
    assert mail.outbox == []


def test_changed_address_is_not_vouched_for_by_the_old_confirmation(world: Any) -> None:
    user = _approved_signup(world).person.user
    get_user_model().objects.filter(pk=user.pk).update(email="elsewhere@example.com")
    _request_reset(Client(), "elsewhere@example.com")
    assert mail.outbox == []
