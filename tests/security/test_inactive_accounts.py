"""Accounts nobody uses: told once by e-mail (in their language), disabled after the notice
period, never a superuser or the last active Administrator; a sign-in after the notice clears
it; an administrator enables an account again (recorded); running twice does nothing new."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from compact.models import AccountEvent
from compact.platform.language import remember_language
from compact.services.accounts import account_active_set, inactive_accounts_disable
from compact.services.two_factor import second_factor_reset
from tests.compact.factories import TEST_PASSWORD, UserFactory
from tests.queries import request_queries

pytestmark = [pytest.mark.security, pytest.mark.django_db]

ADDRESS = "198.51.100.23"
Kind = AccountEvent.Kind
limits = override_settings(ACCOUNT_INACTIVE_DAYS=365, ACCOUNT_INACTIVE_NOTICE_DAYS=14)


def unused_for(user: Any, days: int) -> Any:
    """The account was last signed in ``days`` ago (and made before that)."""
    then = timezone.now() - datetime.timedelta(days=days)
    get_user_model().objects.filter(pk=user.pk).update(
        last_login=then, date_joined=then - datetime.timedelta(days=1)
    )
    user.refresh_from_db()
    return user


def events(user: Any, kind: str) -> list[AccountEvent]:
    return list(AccountEvent.objects.filter(user=user, kind=kind))


def signs_in(client: Client, user: Any) -> bool:
    client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    return "_auth_user_id" in client.session


def run(days_from_now: int = 0) -> int:
    return inactive_accounts_disable(timezone.localdate() + datetime.timedelta(days=days_from_now))


@limits
def test_an_unused_account_is_told_once_then_disabled_after_the_notice(world: Any):
    person = unused_for(world.users["board"], 400)
    today = timezone.localdate()
    assert run() == 1
    assert [message.to for message in mail.outbox] == [[person.email]]
    disable_on = today + datetime.timedelta(days=14)
    assert f"{disable_on:%-d %B %Y}" in mail.outbox[0].body
    [notice] = events(person, Kind.INACTIVE_NOTICE)
    assert f"to be disabled on {disable_on}" in notice.detail
    # The same day again, and every day of the notice: nothing new.
    for day in (0, 0, 1, 13):
        assert run(day) == 0
    assert len(mail.outbox) == 1
    person.refresh_from_db()
    assert person.is_active
    # The notice has run its course: disabled, once.
    assert run(14) == 1
    person.refresh_from_db()
    assert not person.is_active
    [disabled] = events(person, Kind.ACCOUNT_DISABLED)
    assert "unused since" in disabled.detail and f"told on {today}" in disabled.detail
    assert run(14) == 0 and run(30) == 0
    assert len(events(person, Kind.INACTIVE_NOTICE)) == 1
    assert len(events(person, Kind.ACCOUNT_DISABLED)) == 1
    assert len(mail.outbox) == 1
    # A disabled account cannot sign in.
    assert not signs_in(Client(), person)


@limits
def test_the_notice_is_in_the_persons_language(world: Any):
    person = unused_for(world.users["board"], 360)
    remember_language(person, "cy")
    assert run() == 1
    [message] = mail.outbox
    assert " / " not in message.subject  # Welsh only: the person chose it
    assert "analluogi" in message.subject
    assert "has not been used since" not in message.body
    assert "heb ei ddefnyddio ers" in message.body


@limits
def test_an_account_long_past_the_limit_still_gets_the_whole_notice(world: Any):
    person = unused_for(world.users["board"], 900)
    assert run() == 1  # told, not disabled, on the first run
    assert run(13) == 0
    person.refresh_from_db()
    assert person.is_active
    assert run(14) == 1
    person.refresh_from_db()
    assert not person.is_active


@limits
def test_recently_used_accounts_are_untouched(world: Any):
    unused_for(world.users["board"], 350)  # one day short of being told
    unused_for(world.users["officer"], 30)
    assert run() == 0
    assert run() == 0
    assert mail.outbox == []
    assert not AccountEvent.objects.filter(
        kind__in=[Kind.INACTIVE_NOTICE, Kind.ACCOUNT_DISABLED]
    ).exists()
    assert get_user_model().objects.filter(is_active=False).count() == 0


@limits
def test_a_session_still_in_use_counts_as_use(world: Any):
    person = world.users["board"]
    client = Client()
    client.force_login(person)  # the session notes when it was last seen
    unused_for(person, 400)  # the last sign-in was long ago, but the session is used today
    assert run() == 0
    assert mail.outbox == []


@limits
def test_signing_in_after_the_notice_clears_it(world: Any):
    person = unused_for(world.users["board"], 400)
    assert run() == 1
    client = Client()
    assert signs_in(client, person)
    assert run(14) == 0
    person.refresh_from_db()
    assert person.is_active
    # Unused for a year again (the old notice before that sign-in): a new notice, and only
    # then disabling.
    client.logout()
    AccountEvent.objects.filter(kind=Kind.INACTIVE_NOTICE).update(
        when=timezone.now() - datetime.timedelta(days=500)
    )
    unused_for(person, 400)
    assert run() == 1
    assert len(events(person, Kind.INACTIVE_NOTICE)) == 2
    assert run(13) == 0
    assert run(14) == 1


@limits
def test_superusers_and_the_last_active_administrator_are_never_disabled(world: Any):
    superuser = unused_for(world.users["superuser"], 800)
    administrator = unused_for(world.users["administrator"], 800)
    for day in (0, 14, 30):
        run(day)
    superuser.refresh_from_db()
    administrator.refresh_from_db()
    assert superuser.is_active and administrator.is_active
    assert not AccountEvent.objects.filter(user__in=[superuser, administrator]).exists()
    # With another Administrator in use, the unused one is told and disabled as anyone.
    UserFactory(username="second-admin", role="administrator")
    assert run(40) == 1
    assert run(54) == 1
    administrator.refresh_from_db()
    assert not administrator.is_active


@limits
def test_someone_without_an_email_address_is_noted_and_disabled_after_the_notice(world: Any):
    person = unused_for(world.users["representative"], 400)
    get_user_model().objects.filter(pk=person.pk).update(email="")
    assert run() == 1
    assert mail.outbox == []
    [notice] = events(person, Kind.INACTIVE_NOTICE)
    assert notice.detail.startswith("no e-mail address")
    assert run(14) == 1
    person.refresh_from_db()
    assert not person.is_active


@limits
def test_a_mail_server_that_is_down_means_no_notice_and_a_try_the_next_day(
    world: Any, settings: Any
):
    person = unused_for(world.users["board"], 400)
    settings.EMAIL_BACKEND = "tests.compact.test_interests.FailingBackend"
    assert run() == 0
    assert not events(person, Kind.INACTIVE_NOTICE)
    assert run(14) == 0  # never told: never disabled
    person.refresh_from_db()
    assert person.is_active
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(15) == 1
    assert len(mail.outbox) == 1


@override_settings(ACCOUNT_INACTIVE_DAYS=0)
def test_zero_days_turns_it_off(world: Any):
    unused_for(world.users["board"], 5000)
    assert run() == 0 and run(400) == 0
    assert mail.outbox == []


@limits
def test_the_daily_reminders_command_runs_it(world: Any):
    unused_for(world.users["board"], 400)
    out = io.StringIO()
    call_command("send_reminders", "--only", "compact.inactive_accounts", stdout=out)
    assert "compact.inactive_accounts: 1 sent" in out.getvalue()
    out = io.StringIO()
    call_command("send_reminders", "--only", "compact.inactive_accounts", stdout=out)
    assert "compact.inactive_accounts: 0 sent" in out.getvalue()


@limits
def test_finding_unused_accounts_costs_the_same_however_many(
    world: Any, django_assert_num_queries: Any
):
    from compact.selectors.accounts import accounts_unused_since

    cutoff = timezone.now() - datetime.timedelta(days=100)
    unused_for(world.users["board"], 400)
    with django_assert_num_queries(2):
        assert len(accounts_unused_since(cutoff)) == 1
    for role in ("officer", "representative"):
        unused_for(world.users[role], 400)
    with django_assert_num_queries(2):
        assert len(accounts_unused_since(cutoff)) == 3


# --- Enabling again -----------------------------------------------------------------------


def disabled(world: Any, role: str = "board") -> Any:
    person = world.users[role]
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    person.refresh_from_db()
    return person


@limits
def test_an_administrator_enables_an_account_again_recorded(world: Any, client_for: Any):
    person = unused_for(world.users["board"], 400)
    run()
    run(14)
    person.refresh_from_db()
    assert not person.is_active
    client = client_for("administrator")
    page = client.get(reverse("accounts_disabled"))
    assert page.status_code == 200
    assert person.username in page.content.decode()
    response = client.post(
        reverse("accounts_disabled"),
        {"user_id": person.pk, "reason": "Back from leave"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response["Location"] == reverse("accounts_disabled")
    person.refresh_from_db()
    assert person.is_active
    [enabled] = events(person, Kind.ACCOUNT_ENABLED)
    assert enabled.address == ADDRESS
    assert enabled.detail == f"by {world.users['administrator'].username}: Back from leave"
    # Enabling starts the count afresh: not told or disabled again the next days.
    assert run(15) == 0 and run(30) == 0
    person.refresh_from_db()
    assert person.is_active
    assert signs_in(Client(), person)


def test_enabling_refuses_bad_input_and_changes_nothing(world: Any, client_for: Any):
    person = disabled(world)
    client = client_for("administrator")
    url = reverse("accounts_disabled")
    for data, message in (
        ({"user_id": "x"}, "Choose an account from the list"),
        ({"user_id": 999999}, "There is no such account."),
        ({"user_id": world.users["officer"].pk}, "That account is already enabled."),
        ({"user_id": person.pk, "reason": "x" * 201}, "Choose an account from the list"),
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    person.refresh_from_db()
    assert not person.is_active
    assert not events(person, Kind.ACCOUNT_ENABLED)


def test_only_administrators_enable_and_never_a_superuser_unless_superusers(
    world: Any, client_for: Any
):
    person = disabled(world, "representative")
    for role in ("board", "officer"):
        client = client_for(role)
        assert client.post(reverse("accounts_disabled"), {"user_id": person.pk}).status_code == 403
    person.refresh_from_db()
    assert not person.is_active
    superuser = disabled(world, "superuser")
    with pytest.raises(PermissionDenied):
        account_active_set(
            actor=world.users["administrator"], user=superuser, active=True, reason=""
        )
    superuser.refresh_from_db()
    assert not superuser.is_active
    other_superuser = UserFactory(username="root-2", is_superuser=True, is_staff=True)
    account_active_set(actor=other_superuser, user=superuser, active=True)
    superuser.refresh_from_db()
    assert superuser.is_active


def test_the_admin_site_records_disabling_and_enabling(world: Any, client_for: Any):
    from tests.security.test_roles import _change_url, _user_form_data

    person = UserFactory(username="no-roles")  # an Administrator may manage an account with no role
    elsewhere = Client()
    elsewhere.force_login(person)
    client = client_for("administrator")
    response = client.post(_change_url(person), _user_form_data(person, is_active=""))
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    [event] = events(person, Kind.ACCOUNT_DISABLED)
    assert event.detail == f"by {world.users['administrator'].username}: Admin site"
    assert elsewhere.get(reverse("home")).context["user"].is_authenticated is False
    # Enabled again from the list's action, recorded.
    # A disabled superuser in the same selection is left for a superuser to enable.
    superuser = disabled(world, "superuser")
    changelist = reverse("admin:auth_user_changelist")
    selected = [str(person.pk), str(superuser.pk)]
    client.post(changelist, {"action": "enable_accounts", "_selected_action": selected})
    person.refresh_from_db()
    superuser.refresh_from_db()
    assert person.is_active and not superuser.is_active
    assert len(events(person, Kind.ACCOUNT_ENABLED)) == 1
    assert not events(superuser, Kind.ACCOUNT_ENABLED)


def test_the_disabled_accounts_page_has_a_fixed_number_of_queries(world: Any, client_for: Any):
    client = client_for("administrator")
    disabled(world)
    client.get(reverse("accounts_disabled"))
    with request_queries() as few:
        client.get(reverse("accounts_disabled"))
    for role in ("representative", "officer"):
        disabled(world, role)
    with request_queries() as more:
        response = client.get(reverse("accounts_disabled"))
    assert len(response.context["people"]) == 3
    assert len(more) == len(few)


def test_the_audit_export_has_the_account_kinds(world: Any, client_for: Any):
    administrator = world.users["administrator"]
    person = UserFactory(username="no-roles")
    account_active_set(actor=administrator, user=person, active=False, reason="Left")
    account_active_set(actor=administrator, user=person, active=True, reason="Back")
    second_factor_reset(actor=administrator, user=world.users["board"], reason="Lost phone")
    from compact.platform.audit import record_account_event

    record_account_event(Kind.INACTIVE_NOTICE, user=person, detail="e-mailed")
    response = client_for("administrator").get(reverse("account_audit_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    kinds = {row[2] for row in rows[1:]}
    assert {
        str(Kind.ACCOUNT_DISABLED.label),
        str(Kind.ACCOUNT_ENABLED.label),
        str(Kind.INACTIVE_NOTICE.label),
        str(Kind.SECOND_FACTOR_CHANGED.label),
    } <= kinds
    assert any("reset by" in row[4] and "Lost phone" in row[4] for row in rows[1:])
