"""The public home page: a visitor learns what the Compact is, reads its public plan, sees the
Board's coming meetings and finds how to become a representative or raise a concern."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.models import Meeting
from tests.plans.factories import issue, make_plan


def test_visitor_gets_the_public_home_page_not_the_sign_in_page(world: Any, client: Any) -> None:
    world.compact.summary = "An agreement <b>between</b> the sectors."
    world.compact.contact_email = "compact@example.org"
    world.compact.save()
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Test Compact" in page
    assert "An agreement &lt;b&gt;between&lt;/b&gt; the sectors." in page
    assert reverse("representatives:signup") in page
    assert reverse("compact:contact") in page
    contact = client.get(reverse("compact:contact")).content.decode()
    assert "compact@example.org" in contact


def test_public_home_lists_public_plans_updates_and_public_bodies_meetings(
    world: Any, client: Any
) -> None:
    public_plan = make_plan(world, slug="public-plan", is_public=True)
    issue(public_plan, day=datetime.date(2009, 1, 26), summary="January update")
    hidden = make_plan(world, slug="hidden-plan")
    issue(hidden, day=datetime.date(2009, 1, 26))
    soon = timezone.localdate() + datetime.timedelta(days=14)
    world.board.meetings_public = True
    world.board.save()
    Meeting.objects.create(
        body=world.board,
        date=soon,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue="Civic Centre",
    )
    page = client.get("/").content.decode()
    assert reverse("plans:update_report", args=["public-plan", 1]) in page
    assert "January update" in page
    assert "hidden-plan" not in page
    assert "Civic Centre" in page and f"{soon:%B}" in page


def test_meetings_of_a_body_not_marked_public_stay_off_the_home_page(
    world: Any, client: Any
) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=14)
    Meeting.objects.create(
        body=world.board,
        date=soon,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue="Private room",
    )
    assert "Private room" not in client.get("/").content.decode()


def test_visitors_menu_leads_to_the_sign_up_form_and_signed_in_people_keep_the_dashboard(
    world: Any, client_for: Any
) -> None:
    page = client_for("anonymous").get("/").content.decode()
    menu = page.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert "Become a representative" in menu and "Raise a concern" in menu
    dashboard = client_for("board").get("/").content.decode()
    assert "Dashboard" in dashboard and "Become a representative" not in dashboard


@pytest.mark.parametrize("role", ["officer", "administrator"])
def test_officers_and_administrators_edit_the_compacts_description(
    world: Any, client_for: Any, role: str
) -> None:
    client = client_for(role)
    response = client.post(
        reverse("compact:compact_edit"),
        {"name": "Testshire Compact", "area": "Testshire", "summary": "What it is."},
    )
    assert response.status_code == 302
    world.compact.refresh_from_db()
    assert world.compact.name == "Testshire Compact" and world.compact.summary == "What it is."
    assert world.compact.history.first().history_user == world.users[role]


def test_a_bad_contact_email_is_refused_and_changes_nothing(world: Any, client_for: Any) -> None:
    response = client_for("officer").post(
        reverse("compact:compact_edit"),
        {"name": "Changed", "area": "Testshire", "summary": "", "contact_email": "not an email"},
    )
    assert (
        response.status_code == 200 and "Enter a valid email address" in response.content.decode()
    )
    world.compact.refresh_from_db()
    assert world.compact.name == "Test Compact"
