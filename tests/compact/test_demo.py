"""The Merthyr Tydfil demo loads, twice, and the demo logins work."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compact.demo import DEMO_PASSWORD
from compact.models import Body, Membership, Organisation, Person


@pytest.mark.django_db
def test_demo_is_refused_when_debug_is_off(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")


@pytest.mark.django_db
def test_demo_loads_idempotently_with_the_plans_people(settings: Any, client: Any) -> None:
    settings.DEBUG = True
    call_command("load_demo")
    counts = [m.objects.count() for m in (Organisation, Person, Body, Membership)]

    call_command("load_demo")

    assert [m.objects.count() for m in (Organisation, Person, Body, Membership)] == counts
    assert set(Person.objects.exclude(initials="").values_list("initials", flat=True)) >= {
        "ID",
        "AH",
        "SS",
        "MM",
        "MB",
        "BO",
        "JS",
        "CD",
        "GR",
    }
    assert Organisation.objects.filter(short_name__in=["MTCBC", "LHB", "VAMT", "WAG"]).count() == 4
    board = Body.objects.get(slug="compact-board")
    assert board.expected_meetings_per_year == 4
    assert board.memberships.filter(role="observer", person__organisation__short_name="Police")
    for username in ("officer", "board", "admin", "representative", "alys", "sian", "julie"):
        client.post("/accounts/logout/")
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302 and response["Location"] == "/", username
        assert client.get("/").context["user"].username == username


@pytest.mark.django_db
def test_demo_visitor_reads_the_public_plan_and_finds_the_sign_up(
    settings: Any, client: Any
) -> None:
    settings.DEBUG = True
    call_command("load_demo")
    page = client.get("/").content.decode()
    assert "The Merthyr Tydfil Compact" in page
    assert "/plans/implementation-plan-2008-2011/updates/4/" in page
    assert "/representatives/sign-up/" in page
    contact = client.get("/compact/contact/").content.decode()
    assert "compact@vamt.example.org" in contact
