"""Issuing an update is idempotent per previewed draft (a double click or two officers at once
issue one update, never a second empty one), and an update's date stays within a sensible
window (a far-future date would block every later update)."""

from __future__ import annotations

import datetime
import re
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import PlanUpdate
from plans.selectors.reports import issue_state
from tests.plans.factories import edit_progress, first_row, issue, make_plan

pytestmark = pytest.mark.security

STATE = re.compile(r'name="state" value="([^"]*)"')


def issue_page_state(client: Any, plan: Any) -> str:
    page = client.get(reverse("plans:update_issue", args=[plan.slug])).content.decode()
    found = STATE.search(page)
    assert found, "the issue form carries the state it previews"
    return found.group(1).replace("&#x27;", "'").replace("&quot;", '"')


def test_double_click_on_issue_issues_one_update_and_lands_on_it(
    world: Any, client_for: Any
) -> None:
    plan = make_plan(world)
    issue(plan, day=datetime.date(2009, 1, 26))
    edit_progress(first_row(plan), "Progress for the March meeting")
    client = client_for("officer")
    form = {"date": timezone.localdate().isoformat(), "summary": "March",
            "state": issue_page_state(client, plan)}  # fmt: skip
    url = reverse("plans:update_issue", args=[plan.slug])

    first = client.post(url, form)
    second = client.post(url, form, follow=True)

    assert first.status_code == 302
    assert PlanUpdate.objects.filter(plan=plan).count() == 2
    assert second.redirect_chain[-1][0] == reverse(
        "plans:update_report", kwargs={"slug": plan.slug, "number": 2}
    )
    assert "Update 2 was issued at" in second.content.decode()
    assert "it was not issued again" in second.content.decode()


def test_issue_page_refuses_when_the_plan_was_edited_after_the_preview(
    world: Any, client_for: Any
) -> None:
    plan = make_plan(world)
    issue(plan, day=datetime.date(2009, 1, 26))
    edit_progress(first_row(plan), "Previewed progress")
    client = client_for("officer")
    state = issue_page_state(client, plan)
    edit_progress(first_row(plan), "Edited by someone else after the preview")

    response = client.post(
        reverse("plans:update_issue", args=[plan.slug]),
        {"date": timezone.localdate().isoformat(), "state": state},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The plan was edited while you were on this page" in page
    assert "Edited by someone else after the preview" in page  # the fresh preview
    assert PlanUpdate.objects.filter(plan=plan).count() == 1
    # The page now carries the new state: issuing from it works.
    again = client.post(
        reverse("plans:update_issue", args=[plan.slug]),
        {"date": timezone.localdate().isoformat(), "state": STATE.search(page).group(1)},
    )
    assert again.status_code == 302
    assert PlanUpdate.objects.filter(plan=plan).count() == 2


def test_issue_page_refuses_an_update_with_nothing_changed(world: Any, client_for: Any) -> None:
    plan = make_plan(world)
    issue(plan, day=datetime.date(2009, 1, 26))
    client = client_for("officer")
    preview = client.get(reverse("plans:update_issue", args=[plan.slug])).content.decode()
    assert "Nothing has changed since Update 1" in preview

    response = client.post(
        reverse("plans:update_issue", args=[plan.slug]),
        {"date": timezone.localdate().isoformat(), "state": issue_state(plan)},
    )

    assert response.status_code == 200
    assert "Nothing has changed since Update 1 was issued" in response.content.decode()
    assert PlanUpdate.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_the_same_moment_issue_one_update(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    plan = make_plan(world)
    issue(plan, day=datetime.date(2009, 1, 26))
    edit_progress(first_row(plan), "Progress for the meeting")
    state = issue_state(plan)
    officer = world.users["officer"]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def issue_now() -> None:
        try:
            barrier.wait()
            services.plan_update_issue(
                plan=plan, actor=officer, date=timezone.localdate(), expected_state=state
            )
            outcomes.append("issued")
        except services.AlreadyIssued as refused:
            outcomes.append(f"refused, already Update {refused.update.number}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["issued", "refused, already Update 2"]
    assert list(PlanUpdate.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]


# --- dates --------------------------------------------------------------------------------


def test_far_future_update_date_is_refused_with_a_clear_message(
    world: Any, client_for: Any
) -> None:
    plan = make_plan(world)
    client = client_for("officer")

    response = client.post(
        reverse("plans:update_issue", args=[plan.slug]),
        {"date": "9999-12-31", "state": issue_page_state(client, plan)},
    )

    assert response.status_code == 200
    assert "cannot be more than a year ahead" in response.content.decode()
    assert not PlanUpdate.objects.filter(plan=plan).exists()
    # A date later this year is fine, and the next update may still be dated today.
    within = timezone.localdate() + datetime.timedelta(days=365)
    services.plan_update_issue(plan=plan, actor=None, date=within)
    with pytest.raises(ValidationError, match="more than a year ahead"):
        services.plan_update_issue(plan=plan, actor=None, date=within + datetime.timedelta(days=1))


def test_far_future_date_is_refused_by_the_model_too(world: Any) -> None:
    """The admin and any other writer go through full_clean, not only the service."""
    plan = make_plan(world)
    update = PlanUpdate(
        plan=plan, number=1, date=datetime.date(9999, 12, 31), issued_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="more than a year ahead"):
        update.full_clean()
