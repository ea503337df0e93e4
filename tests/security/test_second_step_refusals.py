"""The second step's refusals in the account audit log: a wrong code, a replayed code and a used
recovery code are each refused with their own message, kept as a "second step failed" event
with the client's address (through the trusted proxy, as for passwords), counted towards the
lockout, and change nothing. Passing, and every change of second factor, is kept with the
address too; changing it ends the person's other sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from compact.models import AccountEvent, RecoveryCode
from compact.services import two_factor as services
from tests.security.test_two_factor import code_now, enrol, sign_in

pytestmark = [pytest.mark.security, pytest.mark.django_db]

ADDRESS = "203.0.113.44"
PROXY = "10.0.0.5"
Kind = AccountEvent.Kind
mfa_on = override_settings(MFA_REQUIRED=True)


def verify(client: Client, code: str, **extra: Any) -> Any:
    return client.post(reverse("two_factor_verify"), {"code": code}, REMOTE_ADDR=ADDRESS, **extra)


def failures(user: Any) -> list[tuple[str, str | None]]:
    return [
        (event.detail, event.address)
        for event in AccountEvent.objects.filter(user=user, kind=Kind.SECOND_FACTOR_FAILED)
    ]


def state(user: Any) -> tuple[Any, ...]:
    """Everything a refused code must leave as it was."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    used = sorted(
        RecoveryCode.objects.filter(user=user, used_at__isnull=False).values_list("pk", flat=True)
    )
    return device.last_t, device.key, RecoveryCode.objects.filter(user=user).count(), used


def held_at_the_code_step(client: Client) -> bool:
    return client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def other_code(device: TOTPDevice) -> str:
    return f"{(int(code_now(device)) + 7) % 1_000_000:06d}"


@mfa_on
def test_a_wrong_code_is_kept_with_the_address_and_changes_nothing(world: Any, client: Client):
    user = world.users["officer"]
    device, _ = enrol(user)
    sign_in(client, user)
    before = state(user)
    response = verify(client, other_code(device))
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert failures(user) == [("wrong-code", ADDRESS)]
    assert state(user) == before
    assert services.is_locked(user) is False
    assert held_at_the_code_step(client)


@mfa_on
def test_a_replayed_code_is_kept_with_the_address_and_changes_nothing(world: Any):
    user = world.users["officer"]
    device, _ = enrol(user)
    first, second = Client(), Client()
    sign_in(first, user)
    sign_in(second, user)
    code = code_now(device)
    assert verify(first, code).status_code == 302
    before = state(user)
    # The same code again, from another session (even if the app has moved on to the next
    # code meanwhile: the step it belongs to is used).
    response = verify(second, code)
    assert response.status_code == 200
    assert "That code has already been used" in response.content.decode()
    assert failures(user) == [("replayed-code", ADDRESS)]
    assert state(user) == before
    assert held_at_the_code_step(second)


@mfa_on
def test_a_used_recovery_code_is_kept_with_the_address_and_changes_nothing(world: Any):
    user = world.users["officer"]
    _, codes = enrol(user)
    first, second = Client(), Client()
    sign_in(first, user)
    assert verify(first, codes[0]).status_code == 302
    sign_in(second, user)
    before = state(user)
    response = verify(second, codes[0])
    assert response.status_code == 200
    assert "That recovery code has already been used" in response.content.decode()
    assert failures(user) == [("used-recovery-code", ADDRESS)]
    assert state(user) == before
    assert held_at_the_code_step(second)


@mfa_on
@override_settings(AXES_FAILURE_LIMIT=3)
@pytest.mark.parametrize("refusal", ["replayed-code", "used-recovery-code", "mixed"])
def test_replayed_and_used_codes_count_towards_the_lockout(world: Any, refusal: str):
    user = world.users["officer"]
    device, codes = enrol(user)
    first, second = Client(), Client()
    sign_in(first, user)
    assert verify(first, codes[0]).status_code == 302  # a recovery code, now used
    sign_in(second, user)
    code = code_now(device)
    services.code_check(user=user, code=code)  # the current code, now used (its step is taken)
    tries = {
        "replayed-code": [code, code, code],
        "used-recovery-code": [codes[0], codes[0], codes[0]],
        "mixed": [code, codes[0], other_code(device)],
    }[refusal]
    for attempt in tries[:-1]:
        assert verify(second, attempt).status_code == 200
    before = state(user)
    locked = verify(second, tries[-1])
    assert locked.status_code == 429
    assert services.is_locked(user)
    # Locked: even an unused recovery code gets nowhere, and nothing is spent.
    assert verify(second, codes[1]).status_code == 429
    assert state(user) == before
    assert held_at_the_code_step(second)
    assert len(failures(user)) == 3


@mfa_on
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_address_is_the_clients_behind_the_proxy(world: Any, client: Client):
    user = world.users["officer"]
    device, _ = enrol(user)
    sign_in(client, user)
    forwarded = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.99, {ADDRESS}"}
    client.post(reverse("two_factor_verify"), {"code": other_code(device)}, **forwarded)
    client.post(reverse("two_factor_verify"), {"code": code_now(device)}, **forwarded)
    kept = {
        event.kind: event.address
        for event in AccountEvent.objects.filter(
            user=user, kind__in=[Kind.SECOND_FACTOR_FAILED, Kind.SECOND_FACTOR_PASSED]
        )
    }
    assert kept == {Kind.SECOND_FACTOR_FAILED: ADDRESS, Kind.SECOND_FACTOR_PASSED: ADDRESS}


@mfa_on
def test_a_wrong_code_at_enrolment_is_kept_with_the_address(world: Any, client: Client):
    user = world.users["officer"]
    sign_in(client, user)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        reverse("two_factor_enrol"), {"code": other_code(device)}, REMOTE_ADDR=ADDRESS
    )
    assert "That code is not right" in response.content.decode()
    assert failures(user) == [("wrong-code", ADDRESS)]
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not RecoveryCode.objects.filter(user=user).exists()
    client.post(reverse("two_factor_enrol"), {"code": code_now(device)}, REMOTE_ADDR=ADDRESS)
    changed = AccountEvent.objects.get(user=user, kind=Kind.SECOND_FACTOR_CHANGED)
    assert changed.address == ADDRESS and changed.detail.startswith("enrolled by")


def test_new_recovery_codes_are_kept_with_the_address_and_end_the_other_sessions(world: Any):
    user = world.users["board"]
    enrol(user)
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    response = here.post(reverse("two_factor_account"), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    changed = AccountEvent.objects.filter(user=user, kind=Kind.SECOND_FACTOR_CHANGED).first()
    assert changed.address == ADDRESS and changed.detail.startswith("regenerated by")
    assert here.get(reverse("two_factor_account")).status_code == 200
    assert elsewhere.get(reverse("two_factor_account"))["Location"].startswith(reverse("login"))


def test_an_administrators_reset_is_kept_with_their_address(world: Any, client_for: Any):
    person = world.users["officer"]
    enrol(person)
    client = client_for("administrator")
    url = reverse("two_factor_reset", kwargs={"user_id": person.pk})
    client.post(url, {"reason": "Lost phone"}, REMOTE_ADDR=ADDRESS)
    event = AccountEvent.objects.get(
        user=person, kind=Kind.SECOND_FACTOR_CHANGED, detail__startswith="reset"
    )
    assert event.address == ADDRESS
    assert event.detail == f"reset by {world.users['administrator'].username}: Lost phone"
