"""The register of interests: declaring, confirming, withdrawing, the officers' stale flag,
the daily reminder (once per step), and the published register of a public body."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from compact.models import Body, InterestReminderSent, Membership, Person, StandingInterest
from compact.platform import registry
from compact.platform.reminders import Reminder, run_reminders
from compact.selectors.interests import published_register, register_for_officers
from compact.services import interests as services
from tests.queries import request_queries


def _declare(world, description="Trustee of Merthyr Credit Union", **extra) -> StandingInterest:
    return services.interest_declare(
        person=world.people["board"],
        description=description,
        actor=world.users["board"],
        **extra,
    )


def _age(interest: StandingInterest, days: int) -> None:
    StandingInterest.objects.filter(pk=interest.pk).update(
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=days)
    )


def test_a_member_declares_confirms_and_withdraws_with_history(world, client_for):
    client = client_for("board")
    response = client.post(
        reverse("compact:my_interests"),
        {"description": "Trustee of Merthyr Credit Union", "private_details": "Since 2004"},
    )
    assert response.status_code == 302
    interest = StandingInterest.objects.get()
    assert interest.body is None and interest.declared_on == timezone.localdate()
    assert interest.history.get().history_user == world.users["board"]
    _age(interest, 400)
    page = client.get(reverse("compact:my_interests")).content.decode()
    assert "more than 12 months ago" in page
    client.post(reverse("compact:interests_confirm"))
    interest.refresh_from_db()
    assert interest.last_confirmed_on == timezone.localdate()
    client.post(reverse("compact:interest_withdraw", kwargs={"pk": interest.pk}))
    interest.refresh_from_db()
    assert interest.withdrawn_on == timezone.localdate()
    reasons = [h.history_change_reason for h in interest.history.order_by("history_date")]
    assert reasons == ["Interest declared", "Interests confirmed", "Interest withdrawn"]


def test_bad_declarations_are_refused_and_nothing_is_saved(world, client_for):
    other_body = Body.objects.create(
        compact=world.compact, name="Task group", slug="task", kind=Body.Kind.TASK_GROUP
    )
    with pytest.raises(ValidationError, match="Choose a body you sit on"):
        _declare(world, body=other_body)
    with pytest.raises(ValidationError, match="Describe the interest"):
        _declare(world, description="   ")
    # Not a member of any body.
    with pytest.raises(ValidationError, match="Only members of the Board"):
        services.interest_declare(
            person=world.people["officer"], description="x", actor=world.users["officer"]
        )
    # Someone else's register.
    with pytest.raises(PermissionDenied):
        services.interest_declare(
            person=world.people["board"], description="x", actor=world.users["representative"]
        )
    with pytest.raises(ValidationError, match="nothing to confirm"):
        services.interests_confirm(person=world.people["board"], actor=world.users["board"])
    assert not StandingInterest.objects.exists()


def test_someone_elses_interest_cannot_be_withdrawn(world, client_for):
    interest = _declare(world)
    response = client_for("representative").post(
        reverse("compact:interest_withdraw", kwargs={"pk": interest.pk})
    )
    assert response.status_code == 404
    interest.refresh_from_db()
    assert interest.withdrawn_on is None


def test_officers_see_stale_registers_flagged_with_private_details(world, client_for):
    fresh = Person.objects.create(full_name="Fresh Member", initials="FM")
    Membership.objects.create(body=world.board, person=fresh, start_date=datetime.date(2020, 1, 1))
    services.interest_declare(person=fresh, description="Governor of a school")
    stale = _declare(world, private_details="Wife is the treasurer")
    _age(stale, 366)
    rows = register_for_officers(timezone.localdate())
    assert [(row.person.full_name, row.overdue) for row in rows] == [
        ("Board Person", True),
        ("Fresh Member", False),
    ]
    page = client_for("officer").get(reverse("compact:interest_register")).content.decode()
    assert "Over 12 months" in page and "Wife is the treasurer" in page
    assert "1 member's register was last confirmed more than 12 months ago" in page


def test_register_pages_cost_fixed_queries(world, client_for):
    def officer_page() -> int:
        with request_queries() as captured:
            client_for("officer").get(reverse("compact:interest_register"))
        return len(captured.captured_queries)

    _declare(world)
    officer_page()
    few = officer_page()
    for number in range(4):
        person = Person.objects.create(full_name=f"Member {number}", initials=f"M{number}")
        Membership.objects.create(
            body=world.board, person=person, start_date=datetime.date(2020, 1, 1)
        )
        services.interest_declare(person=person, description=f"Interest {number}")
    assert officer_page() == few


def test_published_register_of_a_public_body_hides_private_details(world, client_for):
    _declare(world, private_details="Wife is the treasurer")
    withdrawn = _declare(world, description="Old trusteeship")
    services.interest_withdraw(interest=withdrawn)
    url = reverse("compact:body_interests", kwargs={"slug": world.board.slug})
    anonymous = client_for("anonymous")
    assert anonymous.get(url).status_code == 404  # the body is not public
    world.board.meetings_public = True
    world.board.save()
    response = anonymous.get(url)
    page = response.content.decode()
    assert "Trustee of Merthyr Credit Union" in page
    assert "Wife is the treasurer" not in page and "Old trusteeship" not in page
    with request_queries() as captured:
        anonymous.get(url)
    few = len(captured.captured_queries)
    for number in range(3):
        person = Person.objects.create(full_name=f"Member {number}", initials=f"M{number}")
        Membership.objects.create(
            body=world.board, person=person, start_date=datetime.date(2020, 1, 1)
        )
        services.interest_declare(person=person, description=f"Interest {number}")
    with request_queries() as captured:
        anonymous.get(url)
    assert len(captured.captured_queries) == few
    rows = published_register(world.board, timezone.localdate())
    assert all("private_details" in row.interests[0].get_deferred_fields() for row in rows)


# --- The reminder -------------------------------------------------------------------------


def test_reminder_goes_a_month_before_once_per_step(world):
    interest = _declare(world)
    today = timezone.localdate()
    _age(interest, 300)  # due in 65 days: not yet
    assert services.send_interest_reminders(today) == 0
    _age(interest, 340)  # due in 25 days
    assert services.send_interest_reminders(today) == 1
    assert mail.outbox[-1].to == ["board@example.org"]
    assert reverse("compact:my_interests") in mail.outbox[-1].body
    # The next day, and a second run the same day: nothing new.
    assert services.send_interest_reminders(today) == 0
    assert services.send_interest_reminders(today + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    # Confirmed, a year later the next step reminds again.
    services.interests_confirm(person=world.people["board"])
    next_year = today + datetime.timedelta(days=340)
    assert services.send_interest_reminders(next_year) == 1
    assert InterestReminderSent.objects.count() == 2


def test_reminder_skips_former_members_and_is_registered(world):
    interest = _declare(world)
    _age(interest, 400)
    Membership.objects.filter(person=world.people["board"]).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert services.send_interest_reminders(timezone.localdate()) == 0
    assert registry.get(Reminder, "compact.interests_confirm") is not None
    outcomes = run_reminders(today=timezone.localdate(), only=["compact.interests_confirm"])
    assert [(o.name, o.sent, o.error) for o in outcomes] == [("compact.interests_confirm", 0, "")]


def test_a_failed_send_is_tried_again_the_next_day(world, settings):
    interest = _declare(world)
    _age(interest, 340)
    settings.EMAIL_BACKEND = "tests.compact.test_interests.FailingBackend"
    assert services.send_interest_reminders(timezone.localdate()) == 0
    assert not InterestReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_interest_reminders(timezone.localdate()) == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise OSError("mail server down")

    def close(self):
        pass


def test_interest_pages_in_welsh(world, client_for):
    _declare(world)
    page = (
        client_for("board")
        .get(reverse("compact:my_interests"), HTTP_ACCEPT_LANGUAGE="cy")
        .content.decode()
    )
    assert "Fy nghofrestr buddiannau" in page
