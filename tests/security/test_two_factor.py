"""Two-step sign-in: required for officers, administrators and anyone who can see a dispute,
optional for the rest; wrong, replayed and used codes refused, logged and locked out like
passwords; recovery codes hashed; an administrator's reset recorded and e-mailed; a change of
second factor signs the person out everywhere else."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from compact.models import RecoveryCode, SecondFactorChange
from compact.services import two_factor as services
from tests.queries import request_queries

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PASSWORD = "not-the-demo-password"
LOGGER = "compact.services.two_factor"
mfa_on = override_settings(MFA_REQUIRED=True)


def code_now(device: TOTPDevice) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def sign_in(client: Client, user: Any) -> Any:
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Enrol through the service; the time step it used is forgotten, so a test can use the
    current code again at the code step."""
    device = services.enrolment_device(actor=user)
    codes = services.enrolment_confirm(actor=user, code=code_now(device), session_key=None)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device, codes


@mfa_on
def test_an_officer_is_sent_to_enrolment_and_reaches_nothing_else(world: Any, client: Client):
    response = sign_in(client, world.users["officer"])
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two_factor_enrol"))
    for url in (
        reverse("compact:body_list"),
        reverse("disputes:list"),
        reverse("two_factor_account"),
        reverse("password_change"),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_enrol")), url
    # A POST is held too (no next: the target is the page, not the action).
    refused = client.post(reverse("password_change"), {})
    assert refused["Location"] == reverse("two_factor_enrol")
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200
    assert b"<svg" in page.content
    assert b"<script" not in page.content.split(b"<main")[-1].split(b"</main>")[0]


@mfa_on
@pytest.mark.parametrize("role", ["administrator", "superuser"])
def test_administrators_and_superusers_must_enrol(world: Any, client: Client, role: str):
    sign_in(client, world.users[role])
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_enrol"))


@mfa_on
def test_a_plain_board_member_is_not_asked_and_may_enrol(world: Any, client: Client):
    sign_in(client, world.users["board"])
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("two_factor_account")).status_code == 200
    assert client.get(reverse("two_factor_enrol")).status_code == 200


@mfa_on
@pytest.mark.parametrize("part", ["raiser", "contact", "panel"])
def test_someone_who_can_see_a_dispute_must_enrol(world: Any, client: Client, part: str):
    from tests.disputes.factories import dispute_world

    dw = dispute_world(world)
    sign_in(client, dw.users[part])
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_enrol"))
    unrelated = Client()
    sign_in(unrelated, dw.users["unrelated"])
    assert unrelated.get(reverse("home")).status_code == 200


@mfa_on
def test_enrolment_confirms_the_app_shows_codes_once_and_lets_the_officer_in(
    world: Any, client: Client
):
    user = world.users["officer"]
    sign_in(client, user)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    wrong = client.post(reverse("two_factor_enrol"), {"code": "000000", "next": "/"})
    assert b"That code is not right" in wrong.content
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    response = client.post(reverse("two_factor_enrol"), {"code": code_now(device), "next": "/"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    codes = list(RecoveryCode.objects.filter(user=user))
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert SecondFactorChange.objects.filter(
        user=user, action=SecondFactorChange.Action.ENROLLED
    ).exists()
    assert client.get(reverse("home")).status_code == 200
    # Enrolled: the secret is not shown again (changing it takes an administrator's reset).
    assert client.get(reverse("two_factor_enrol"))["Location"] == reverse("two_factor_account")


@mfa_on
def test_an_enrolled_person_gets_the_code_step_after_the_password(world: Any, client: Client):
    user = world.users["officer"]
    device, _ = enrol(user)
    sign_in(client, user)
    held = client.get(reverse("compact:body_list"))
    assert held["Location"] == reverse("two_factor_verify") + "?next=%2Fcompact%2Fbodies%2F"
    # Enrolled and unverified: enrolment again (replacing the factor) is refused.
    assert client.get(reverse("two_factor_enrol"))["Location"] == reverse("two_factor_verify")
    response = client.post(
        reverse("two_factor_verify"), {"code": code_now(device), "next": "/compact/bodies/"}
    )
    assert response["Location"] == "/compact/bodies/"
    assert client.get(reverse("compact:body_list")).status_code == 200


@mfa_on
def test_the_code_step_does_not_redirect_off_the_site(world: Any, client: Client):
    user = world.users["officer"]
    device, _ = enrol(user)
    sign_in(client, user)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_now(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@mfa_on
def test_a_wrong_code_is_refused_logged_and_changes_nothing(
    world: Any, client: Client, caplog: Any
):
    user = world.users["officer"]
    device, _ = enrol(user)
    sign_in(client, user)
    right = code_now(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert any(
        "wrong-code" in r.getMessage() and user.username in r.getMessage() for r in caplog.records
    )
    device.refresh_from_db()
    assert device.last_t == -1
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


@mfa_on
def test_a_replayed_code_is_refused_and_logged(world: Any, caplog: Any):
    user = world.users["officer"]
    device, _ = enrol(user)
    first, second = Client(), Client()
    sign_in(first, user)
    sign_in(second, user)
    code = code_now(device)
    assert first.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    device.refresh_from_db()
    used_step = device.last_t
    if code_now(device) != code:  # the step turned over between the two: try next step's twice
        pytest.skip("time step changed mid-test")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = second.post(reverse("two_factor_verify"), {"code": code})
    assert response.status_code == 200
    assert b"That code has already been used" in response.content
    assert any("replayed-code" in r.getMessage() for r in caplog.records)
    device.refresh_from_db()
    assert device.last_t == used_step
    assert second.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


@mfa_on
def test_a_recovery_code_works_once(world: Any, caplog: Any):
    user = world.users["officer"]
    _, codes = enrol(user)
    first, second = Client(), Client()
    sign_in(first, user)
    response = first.post(reverse("two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert b"recovery code" in response.content  # the warning: how many are left
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    sign_in(second, user)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        refused = second.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert b"That recovery code has already been used" in refused.content
    assert any("used-recovery-code" in r.getMessage() for r in caplog.records)
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    assert second.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    # Another, unused code still works.
    assert second.post(reverse("two_factor_verify"), {"code": codes[1]}).status_code == 302


@mfa_on
@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_codes_lock_the_code_step_like_passwords(world: Any, client: Client):
    user = world.users["officer"]
    device, _ = enrol(user)
    sign_in(client, user)
    right = code_now(device)
    wrong = f"{(int(right) + 7) % 1_000_000:06d}"
    for _ in range(4):
        assert client.post(reverse("two_factor_verify"), {"code": wrong}).status_code == 200
    locked = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert locked.status_code == 429
    assert b"Too many wrong codes" in locked.content
    # Locked: even the right code (or a new session) gets nowhere until the cool-off ends.
    assert client.post(reverse("two_factor_verify"), {"code": right}).status_code == 429
    other = Client()
    sign_in(other, user)
    assert other.get(reverse("two_factor_verify")).status_code == 429
    assert other.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def test_recovery_codes_are_stored_hashed(world: Any):
    user = world.users["officer"]
    _, codes = enrol(user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT salt, code_hash FROM compact_recoverycode")
        stored = " ".join(" ".join(row) for row in cursor.fetchall())
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored
    assert len(set(RecoveryCode.objects.values_list("code_hash", flat=True))) == 10


def test_regenerated_recovery_codes_replace_the_old_ones(world: Any, client: Client):
    user = world.users["officer"]
    _, old = enrol(user)
    client.force_login(user)
    page = client.post(reverse("two_factor_account"))
    assert page.status_code == 200
    new = page.context["codes"]
    assert set(new).isdisjoint(old) and len(new) == 10
    with pytest.raises(Exception, match="not right"):
        services.code_check(user=user, code=old[0])
    assert services.code_check(user=user, code=new[0]).by_recovery_code
    assert SecondFactorChange.objects.filter(
        user=user, action=SecondFactorChange.Action.CODES_REGENERATED
    ).exists()


def test_an_administrator_resets_a_second_factor_recorded_and_emailed(world: Any, client: Client):
    person = world.users["officer"]
    enrol(person)
    elsewhere = Client()
    elsewhere.force_login(person)
    client.force_login(world.users["administrator"])
    url = reverse("two_factor_reset", kwargs={"user_id": person.pk})
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and TOTPDevice.objects.filter(user=person).exists()
    response = client.post(url, {"reason": "Lost their phone"})
    assert response["Location"] == reverse("two_factor_people")
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not RecoveryCode.objects.filter(user=person).exists()
    record = SecondFactorChange.objects.get(user=person, action=SecondFactorChange.Action.RESET)
    assert record.changed_by == world.users["administrator"]
    assert record.reason == "Lost their phone"
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "reset" in mail.outbox[0].subject
    assert "Lost their phone" in mail.outbox[0].body
    # Signed out everywhere.
    assert elsewhere.get(reverse("home")).context["user"].is_authenticated is False


def test_an_administrator_may_not_reset_a_superuser(world: Any, client: Client):
    target = world.users["superuser"]
    enrol(target)
    client.force_login(world.users["administrator"])
    url = reverse("two_factor_reset", kwargs={"user_id": target.pk})
    client.post(url, {"reason": "Because"})
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    assert not SecondFactorChange.objects.filter(action=SecondFactorChange.Action.RESET).exists()
    assert mail.outbox == []


def test_changing_the_second_factor_ends_the_other_sessions(world: Any, client: Client):
    user = world.users["board"]
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    client.force_login(world.users["officer"])  # somebody else's session survives
    assert Session.objects.count() == 3
    here.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user)
    here.post(reverse("two_factor_enrol"), {"code": code_now(device)})
    assert Session.objects.count() == 2
    assert here.get(reverse("two_factor_account")).status_code == 200
    assert elsewhere.get(reverse("two_factor_account"))["Location"].startswith(reverse("login"))
    assert client.get(reverse("two_factor_account")).status_code == 200


@mfa_on
def test_a_half_signed_in_session_may_sign_out_and_switch_language(world: Any, client: Client):
    sign_in(client, world.users["officer"])
    assert client.post(reverse("set_language"), {"language": "cy", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("two_factor_account"))["Location"].startswith(reverse("login"))


def test_the_administrators_list_has_a_fixed_number_of_queries(world: Any, client: Client):
    client.force_login(world.users["administrator"])
    client.get(reverse("two_factor_people"))
    with request_queries() as few:
        client.get(reverse("two_factor_people"))
    enrol(world.users["officer"])
    enrol(world.users["board"])
    services.second_factor_reset(
        actor=world.users["administrator"], user=world.users["board"], reason="Test"
    )
    with request_queries() as more:
        response = client.get(reverse("two_factor_people"))
    assert response.status_code == 200
    assert len(more) == len(few)


def test_a_code_check_waits_for_nothing_between_tries(world: Any):
    """django-otp's own growing delay is off: our lockout counts instead."""
    user = world.users["officer"]
    device, _ = enrol(user)
    with pytest.raises(Exception, match="not right"):
        services.code_check(user=user, code="000000" if code_now(device) != "000000" else "111111")
    start = time.monotonic()
    assert not services.code_check(user=user, code=code_now(device)).by_recovery_code
    assert time.monotonic() - start < 1


def test_check_deploy_warns_when_two_step_sign_in_is_off() -> None:
    import subprocess
    import sys

    from tests.security.test_production_settings import ROOT, production_environment

    def check(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=production_environment(ALLOWED_HOSTS="compact.example.org", **extra),
            capture_output=True,
            text=True,
        )

    off = check(MFA_REQUIRED="0")
    assert off.returncode != 0
    assert "compact.W002" in off.stderr + off.stdout
    assert check().returncode == 0


def test_the_demo_officer_is_asked_to_enrol_at_first_sign_in(settings: Any, client: Client):
    from django.core.management import call_command

    from compact.demo import DEMO_PASSWORD

    # One way of overriding per test: the settings fixture (mixing it with override_settings
    # would leave MFA_REQUIRED on for the tests after this one).
    settings.DEBUG = True
    settings.MFA_REQUIRED = True
    call_command("load_demo")
    client.post(reverse("login"), {"username": "officer", "password": DEMO_PASSWORD})
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_enrol"))
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "board", "password": DEMO_PASSWORD})
    assert client.get(reverse("home")).status_code == 200  # the demo Board member may choose


@mfa_on
def test_the_sign_in_steps_have_a_fixed_number_of_queries(world: Any, client: Client):
    officer, board = world.users["officer"], world.users["board"]
    enrol(board)
    sign_in(client, officer)
    with request_queries() as enrolment:
        assert client.get(reverse("two_factor_enrol")).status_code == 200
    other = Client()
    sign_in(other, board)
    with request_queries() as code_step:
        assert other.get(reverse("two_factor_verify")).status_code == 200
    # Session, user, device, (roles), the page; whoever the person is.
    assert len(enrolment) == 7
    assert len(code_step) == 7
