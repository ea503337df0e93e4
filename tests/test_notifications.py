"""E-mail notifications to the Board: issuing a plan update and circulating a board pack tell
each Board member as they chose (each time, a weekly digest, or none), after commit, without
ever breaking the issuing when the mail server fails."""

from __future__ import annotations

import datetime
import logging
import re
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from compact.models import DigestItem, Membership, Notification, NotificationPreference
from compact.platform.reminders import registered_reminders
from compact.services.meetings import agenda_item_add
from compact.services.notifications import notification_preference_set, send_weekly_digests
from compact.services.packs import board_pack_build, board_pack_circulate
from conftest import make_user
from plans import services as plan_services
from plans.models import PlanUpdate
from plans.selectors.reports import issue_state
from tests.compact.factories import MembershipFactory, PersonFactory, make_meeting
from tests.plans.factories import make_plan

MONDAY = datetime.date(2026, 11, 30)
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def open(self) -> bool:
        raise smtplib.SMTPConnectError(421, "mail server down")

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("mail server down")


@pytest.fixture
def second_board(world: Any, django_user_model: Any) -> Any:
    """Another Board member, sitting on the Board too."""
    user = make_user(django_user_model, "board-two", "board")
    person = PersonFactory(
        full_name="Second Board Person",
        initials="SB",
        organisation=world.public_org,
        email="board-two@example.org",
        user=user,
    )
    MembershipFactory(
        body=world.board,
        person=person,
        role=Membership.Role.MEMBER,
        start_date=datetime.date(2020, 1, 1),
    )
    return user


def _choose(user: Any, frequency: str) -> None:
    notification_preference_set(user=user, frequency=frequency, actor=user)


def _issue(world: Any, capture: Any, *, summary: str = "Objective 1 rows updated.") -> Any:
    plan = world.extra.get("plan") or make_plan(world, objectives=0)
    world.extra["plan"] = plan
    with capture(execute=True):
        return plan_services.plan_update_issue(
            plan=plan,
            actor=world.users["officer"],
            date=datetime.date(2026, 11, 20),
            summary=summary,
        )


def _to(address: str) -> list[Any]:
    return [message for message in mail.outbox if address in message.to]


def test_issuing_an_update_emails_each_board_member_by_default_in_text_and_html(
    world: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://compact.example.org"
    update = _issue(world, django_capture_on_commit_callbacks, summary=HOSTILE)
    [message] = _to("board-user@example.org")
    link = f"https://compact.example.org/plans/{update.plan.slug}/updates/{update.number}/"
    assert f"Update {update.number} issued" in message.subject
    assert link in message.body
    assert HOSTILE in message.body  # plain text carries the text as written
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert reverse("my_notifications") in message.body
    # Only Board members: the officer, the representative and the administrator get nothing.
    assert [m.to for m in mail.outbox] == [["board-user@example.org"]]


def test_nothing_is_sent_when_the_issue_rolls_back(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = make_plan(world, objectives=0)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_update_issue(
            plan=plan, actor=world.users["officer"], date=datetime.date(2026, 11, 20)
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        plan_services.plan_update_issue(
            plan=plan, actor=world.users["officer"], date=datetime.date(2020, 1, 1)
        )
    assert mail.outbox == []


def test_none_sends_nothing_and_weekly_waits_for_the_digest(
    world: Any, second_board: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(world.users["board"], NotificationPreference.Frequency.NONE)
    _choose(second_board, NotificationPreference.Frequency.WEEKLY)
    _issue(world, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert DigestItem.objects.filter(user=second_board, digest__isnull=True).count() == 1
    assert not DigestItem.objects.filter(user=world.users["board"]).exists()


def test_the_weekly_digest_is_sent_once_a_week_and_never_twice(
    world: Any, second_board: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://compact.example.org"
    _choose(second_board, NotificationPreference.Frequency.WEEKLY)
    first = _issue(world, django_capture_on_commit_callbacks, summary=HOSTILE)
    second = _issue(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    assert send_weekly_digests(MONDAY) == 1
    [digest] = mail.outbox
    assert digest.to == ["board-two@example.org"]
    assert "weekly digest (2 items)" in digest.subject
    for update in (first, second):
        assert f"/updates/{update.number}/" in digest.body
    html = digest.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html

    # Cron runs again the same day, and the next day: the same digest never goes twice.
    assert send_weekly_digests(MONDAY) == 0
    assert send_weekly_digests(MONDAY + datetime.timedelta(days=1)) == 0
    # Something new mid-week waits for next week's digest, which lists only the new thing.
    third = _issue(world, django_capture_on_commit_callbacks)
    assert send_weekly_digests(MONDAY + datetime.timedelta(days=3)) == 0
    assert send_weekly_digests(MONDAY + datetime.timedelta(days=7)) == 1
    digests = _to("board-two@example.org")
    assert f"/updates/{third.number}/" in digests[-1].body
    assert f"/updates/{first.number}/" not in digests[-1].body
    # A week with nothing new sends nothing.
    assert send_weekly_digests(MONDAY + datetime.timedelta(days=14)) == 0
    assert len(_to("board-two@example.org")) == 2


def test_a_failed_digest_send_is_retried_on_the_next_run(
    world: Any, second_board: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    _choose(second_board, NotificationPreference.Frequency.WEEKLY)
    _issue(world, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingBackend"
    with pytest.raises(RuntimeError, match="failed for users"):
        send_weekly_digests(MONDAY)
    assert DigestItem.objects.filter(user=second_board, digest__isnull=True).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert send_weekly_digests(MONDAY + datetime.timedelta(days=1)) == 1
    assert len(mail.outbox) == 1


def test_the_digest_runs_with_the_other_reminders(
    world: Any, second_board: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert "compact.weekly_digest" in registered_reminders()
    _choose(second_board, NotificationPreference.Frequency.WEEKLY)
    _issue(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    call_command("send_reminders", "--only", "compact.weekly_digest", "--date", str(MONDAY))
    call_command("send_reminders", "--only", "compact.weekly_digest", "--date", str(MONDAY))
    assert [m.to for m in mail.outbox] == [["board-two@example.org"]]


def test_a_mail_server_failure_does_not_stop_issuing_through_the_page(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any, settings: Any,
    caplog: Any,
) -> None:  # fmt: skip
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingBackend"
    plan = make_plan(world, objectives=0)
    client = client_for("officer")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("plans:update_issue", kwargs={"slug": plan.slug}),
            {
                "date": "2026-11-20",
                "summary": "Issued while the mail server is down",
                "state": issue_state(plan),
            },
        )
    assert response.status_code == 302
    assert PlanUpdate.objects.filter(plan=plan, number=1).exists()
    assert "Could not reach the mail server" in caplog.text


def test_issuing_through_the_page_notifies_like_the_service(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = make_plan(world, objectives=0)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("officer").post(
            reverse("plans:update_issue", kwargs={"slug": plan.slug}),
            {"date": "2026-11-20", "summary": "From the page", "state": issue_state(plan)},
        )
    assert [m.to for m in mail.outbox] == [["board-user@example.org"]]
    assert Notification.objects.filter(kind="plans.update_issued").count() == 1


# --- Board packs ----------------------------------------------------------------------------


@pytest.fixture
def pack(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = make_meeting(world.board)
    agenda_item_add(meeting=meeting, title="Any other business")
    built, _new = board_pack_build(meeting=meeting)
    return built


def _link(version: Any) -> str:
    return "https://compact.example.org" + version.get_absolute_url()


def test_circulating_a_pack_tells_board_members_not_sent_it_directly(
    world: Any, second_board: Any, pack: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        board_pack_circulate(
            pack=pack, recipients=[world.users["board"]], link_for=_link, actor=None
        )
    # The chosen recipient gets the circulation e-mail only, not a second notification.
    assert len(_to("board-user@example.org")) == 1
    [notice] = _to("board-two@example.org")
    assert "Board pack" in notice.subject
    assert reverse("compact:pack_download", kwargs={"pk": pack.pk}) in notice.body
    # Circulating the same version to more people does not notify the Board again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        board_pack_circulate(pack=pack, recipients=[second_board], link_for=_link, actor=None)
    assert [m.to for m in mail.outbox] == [["board-two@example.org"]]
    assert "is ready" in mail.outbox[0].body  # the circulation e-mail itself


def test_a_board_member_who_may_not_open_the_pack_is_not_told(
    world: Any, django_user_model: Any, pack: Any, django_capture_on_commit_callbacks: Any
) -> None:
    outsider = make_user(django_user_model, "board-elsewhere", "board")  # not on this body
    with django_capture_on_commit_callbacks(execute=True):
        board_pack_circulate(
            pack=pack, recipients=[world.users["board"]], link_for=_link, actor=None
        )
    assert not _to(outsider.email)


def test_circulating_still_succeeds_when_the_mail_server_is_down(
    world: Any, pack: Any, settings: Any, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingBackend"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        sent = board_pack_circulate(
            pack=pack, recipients=[world.users["board"]], link_for=_link, actor=None
        )
    assert len(sent) == 1 and sent[0].pk
    assert "Could not reach the mail server" in caplog.text


# --- My notifications ---------------------------------------------------------------------


def test_my_notifications_page_shows_and_saves_the_choice(world: Any, client_for: Any) -> None:
    client = client_for("board")
    home = client.get(reverse("home"))
    assert reverse("my_notifications") in home.content.decode()
    page = client.get(reverse("my_notifications"))
    content = page.content.decode()
    assert page.status_code == 200
    [each] = re.findall(r'<input[^>]*value="each"[^>]*>', content)
    assert "checked" in each
    for label in ("Each time", "A weekly digest", "None"):
        assert label in content
    response = client.post(reverse("my_notifications"), {"frequency": "weekly"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.users["board"])
    assert preference.frequency == "weekly"
    assert preference.history.first().history_user == world.users["board"]
    assert "Your notification choice is saved." in client.get(response.url).content.decode()


def test_a_bad_choice_is_refused_clearly_and_changes_nothing(world: Any, client_for: Any) -> None:
    client = client_for("board")
    response = client.post(reverse("my_notifications"), {"frequency": "hourly"})
    assert response.status_code == 200
    assert "Choose one of the options shown." in response.content.decode()
    assert not NotificationPreference.objects.filter(user=world.users["board"]).exists()


def test_nobody_can_set_someone_elses_choice(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        notification_preference_set(
            user=world.users["board"], frequency="none", actor=world.users["officer"]
        )
    assert not NotificationPreference.objects.exists()


def test_leaving_weekly_drops_what_waited_for_the_digest(
    world: Any, second_board: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(second_board, NotificationPreference.Frequency.WEEKLY)
    _issue(world, django_capture_on_commit_callbacks)
    _choose(second_board, NotificationPreference.Frequency.NONE)
    mail.outbox.clear()
    assert send_weekly_digests(MONDAY) == 0
    assert mail.outbox == []


def test_issuing_in_the_admin_goes_through_the_service_and_notifies(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = make_plan(world, objectives=0)
    client = client_for("superuser")
    add = reverse("admin:plans_planupdate_add")
    assert client.get(add).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add, {"plan": plan.pk, "date": "2026-11-20", "summary": "Issued in the admin"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    update = PlanUpdate.objects.get(plan=plan)
    assert update.number == 1 and update.issued_by == world.users["superuser"]
    assert [m.to for m in mail.outbox] == [["board-user@example.org"]]
    # The service's rule holds in the admin too: no date before the previous update.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(add, {"plan": plan.pk, "date": "2020-01-01", "summary": ""})
    assert refused.status_code == 200
    assert "cannot be before the previous update" in refused.content.decode()
    assert PlanUpdate.objects.filter(plan=plan).count() == 1 and mail.outbox == []
