"""The account audit log: sign-in, failure, sign-out and password change each leave one event
with the client's address; the page is administrators-only, escapes user text and has a fixed
number of queries; the CSV export makes formulas text; a password change ends the person's
other sessions and keeps this one."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from compact.models import AccountEvent
from compact.platform.audit import record_account_event
from tests.queries import request_queries

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PASSWORD = "not-the-demo-password"
ADDRESS = "203.0.113.7"


def person(world: Any, role: str = "board") -> Any:
    user = world.users[role]
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client: Client, user: Any, password: str = PASSWORD) -> Any:
    return client.post(
        reverse("login"),
        {"username": user.username, "password": password},
        REMOTE_ADDR=ADDRESS,
    )


def test_a_sign_in_leaves_one_event_with_the_address(world: Any, client: Client):
    user = person(world)
    sign_in(client, user)
    events = AccountEvent.objects.filter(kind=AccountEvent.Kind.SIGN_IN)
    assert [(e.user, e.username, e.address) for e in events] == [(user, user.username, ADDRESS)]


def test_a_wrong_password_leaves_one_failure_event(world: Any, client: Client):
    user = person(world)
    response = sign_in(client, user, password="wrong-password")
    assert response.status_code == 200
    events = list(AccountEvent.objects.all())
    assert [(e.kind, e.user, e.username, e.address) for e in events] == [
        (AccountEvent.Kind.SIGN_IN_FAILED, user, user.username, ADDRESS)
    ]


def test_a_failure_for_an_unknown_name_keeps_the_name_tried(world: Any, client: Client):
    client.post(reverse("login"), {"username": "nobody-here", "password": "x"}, REMOTE_ADDR=ADDRESS)
    event = AccountEvent.objects.get()
    assert (event.kind, event.user, event.username) == (
        AccountEvent.Kind.SIGN_IN_FAILED,
        None,
        "nobody-here",
    )


def test_sign_out_leaves_one_event(world: Any, client: Client):
    user = person(world)
    sign_in(client, user)
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)
    events = AccountEvent.objects.filter(kind=AccountEvent.Kind.SIGN_OUT)
    assert [(e.user, e.address) for e in events] == [(user, ADDRESS)]


def test_a_password_change_is_recorded_and_ends_other_sessions(world: Any, client: Client):
    user = person(world)
    elsewhere = Client()
    sign_in(elsewhere, user)
    sign_in(client, user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-77",
            "new_password2": "a-new-long-passphrase-77",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    events = AccountEvent.objects.filter(kind=AccountEvent.Kind.PASSWORD_CHANGED)
    assert [(e.user, e.address) for e in events] == [(user, ADDRESS)]
    assert "1 other sessions ended" in events[0].detail
    # This session is kept; the other one is signed out.
    assert client.get(reverse("home")).context["user"].is_authenticated is True
    assert elsewhere.get(reverse("home")).context["user"].is_authenticated is False


def test_the_audit_page_is_for_administrators_only(world: Any, client_for: Any):
    for role in ("board", "officer"):
        assert client_for(role).get(reverse("account_audit")).status_code == 403
        assert client_for(role).get(reverse("account_audit_csv")).status_code == 403
    assert client_for("administrator").get(reverse("account_audit")).status_code == 200


def test_the_audit_page_escapes_user_text_and_filters(world: Any, client_for: Any):
    record_account_event(
        AccountEvent.Kind.SIGN_IN_FAILED, username="<script>alert(1)</script>", detail="<b>x</b>"
    )
    record_account_event(AccountEvent.Kind.SIGN_OUT, user=world.users["board"])
    client = client_for("administrator")
    page = client.get(reverse("account_audit")).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    filtered = client.get(reverse("account_audit"), {"kind": "sign_out"})
    assert [e.kind for e in filtered.context["page"].object_list] == ["sign_out"]
    by_person = client.get(reverse("account_audit"), {"person": world.users["board"].username})
    assert [e.username for e in by_person.context["page"].object_list] == [
        world.users["board"].username
    ]


def test_the_csv_export_makes_formulas_text(world: Any, client_for: Any):
    record_account_event(
        AccountEvent.Kind.SIGN_IN_FAILED, username="=HYPERLINK(1)", detail="+cmd|' /C calc'!A0"
    )
    response = client_for("administrator").get(reverse("account_audit_csv"))
    assert response.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(response.content.decode())) for c in row]
    assert "=HYPERLINK(1)" not in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_audit_page_has_a_fixed_number_of_queries(world: Any, client_for: Any):
    client = client_for("administrator")
    record_account_event(AccountEvent.Kind.SIGN_OUT, user=world.users["board"])
    client.get(reverse("account_audit"))
    with request_queries() as few:
        client.get(reverse("account_audit"))
    for _ in range(30):
        record_account_event(AccountEvent.Kind.SIGN_IN, user=world.users["officer"])
    with request_queries() as more:
        response = client.get(reverse("account_audit"))
    assert response.status_code == 200
    assert len(more) == len(few)


def test_the_role_service_records_an_event(world: Any):
    from compact.platform.roles import set_roles

    administrator = world.users["administrator"]
    set_roles(
        actor=administrator, user=world.users["board"], roles=[], reason="Left", procedure=True
    )
    assert AccountEvent.objects.filter(
        kind=AccountEvent.Kind.ROLE_CHANGED, user=world.users["board"]
    ).exists()


FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"


def test_my_sessions_lists_own_sessions_and_the_button_ends_the_others(world: Any, client: Client):
    user = person(world)
    elsewhere = Client(HTTP_USER_AGENT=FIREFOX)
    sign_in(elsewhere, user)
    other = Client()
    sign_in(other, person(world, "officer"))
    sign_in(client, user)
    page = client.get(reverse("my_sessions"))
    assert page.status_code == 200
    listed = page.context["sessions"]
    assert len(listed) == 2 and listed[0].current
    assert {s.address for s in listed} == {ADDRESS}
    assert "Firefox on Linux" in {s.browser for s in listed}
    response = client.post(reverse("my_sessions_end_others"), REMOTE_ADDR=ADDRESS)
    assert response["Location"] == reverse("my_sessions")
    assert client.get(reverse("home")).context["user"].is_authenticated is True
    assert elsewhere.get(reverse("home")).context["user"].is_authenticated is False
    # Someone else's session is untouched.
    assert other.get(reverse("home")).context["user"].is_authenticated is True
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.SESSIONS_ENDED)
    assert (event.user, event.address) == (user, ADDRESS)


def test_ending_other_sessions_needs_post_and_csrf(world: Any):
    user = person(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(reverse("my_sessions_end_others")).status_code == 405
    assert client.post(reverse("my_sessions_end_others")).status_code == 403
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.SESSIONS_ENDED).exists()


def test_last_seen_is_written_at_most_once_a_minute(world: Any, client: Client):
    import datetime

    from django.contrib.sessions.models import Session

    from compact.platform import sessions

    user = person(world)
    sign_in(client, user)
    key = client.session.session_key

    def seen() -> str:
        return Session.objects.get(session_key=key).get_decoded()[sessions.SEEN]

    first = seen()
    client.get(reverse("my_notifications"))
    assert seen() == first
    # A minute on: written once more.
    store = client.session
    earlier = datetime.datetime.fromisoformat(first) - datetime.timedelta(seconds=61)
    store[sessions.SEEN] = earlier.isoformat()
    store.save()
    client.get(reverse("my_notifications"))
    refreshed = seen()
    assert refreshed > first
    client.get(reverse("my_notifications"))
    assert seen() == refreshed
