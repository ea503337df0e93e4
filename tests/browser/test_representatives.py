"""A person signs up, an administrator approves, an officer runs a round through every step to
the appointment, and the new representative signs the Code of Conduct and declares an interest;
the board member then reads the Representatives' report."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from representatives.models import Appointment, Declaration, SignUp
from tests.browser.conftest import assert_accessible, click_and_load
from tests.representatives.factories import conduct_version, network, place

pytestmark = pytest.mark.browser


def _link(message: Any) -> str:
    return re.search(r"(http://\S+)", message.body).group(1)


def _step(page: Any, name: str) -> None:
    click_and_load(page, page.get_by_role("link", name=name))


def _submit(page: Any, name: str = "Save") -> None:
    click_and_load(page, page.get_by_role("button", name=name, exact=True))


def test_sign_up_to_appointment_to_signed_code_and_declaration(
    page: Any, live_server: Any, login: Any, world: Any
) -> None:
    cache.clear()
    the_place = place(world, "local-service-board", title="Third-sector representative")
    forum = network(world, "health-care-forum")
    conduct_version(world)
    today = timezone.localdate().isoformat()
    base = live_server.url

    # A person signs up without an account and confirms the address from the email.
    page.goto(f"{base}/representatives/sign-up/")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia Williams")
    page.get_by_label("Organisation").fill("Testshire Carers")
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Areas of interest").fill("Carers and older people")
    page.get_by_label("I agree that VAMT may hold").check()
    _submit(page, "Sign up")
    assert page.get_by_role("heading", name="Thank you for signing up").is_visible()
    page.goto(_link(mail.outbox[-1]))
    assert page.get_by_role("heading", name="Your email address is confirmed").is_visible()
    signup = SignUp.objects.get()

    # An administrator approves it.
    login(page, world.users["administrator"])
    page.goto(f"{base}/representatives/sign-ups/{signup.pk}/")
    assert_accessible(page)
    click_and_load(page, page.get_by_role("button", name="Approve"))
    assert page.get_by_text("Approved; a set-password link has been emailed.").is_visible()
    set_password_link = _link(mail.outbox[-1])

    # An officer runs the round through every step.
    page.context.clear_cookies()
    login(page, world.users["officer"])
    page.goto(f"{base}/representatives/rounds/new/")
    page.get_by_label("Place").select_option(str(the_place.pk))
    _submit(page)
    _step(page, "1. Agree the timetable")
    page.get_by_label("Agreed with").select_option(str(world.public_org.pk))
    for label in ("Agreed on", "Nominations close on", "Election on", "Appointment on"):
        page.get_by_label(label).fill(today)
    _submit(page)
    _step(page, "2. Record the canvass")
    page.get_by_label(forum.name).check()
    page.get_by_label("Date").fill(today)
    _submit(page)
    _step(page, "3. Receive a nomination")
    page.get_by_label("Nominee (person)").select_option(label="Nia Williams")
    page.get_by_label("Nominated by").fill("Testshire carers forum")
    _submit(page)
    _step(page, "Check eligibility")
    page.get_by_label("Nomination", exact=False).first.select_option(label="Nia Williams")
    page.get_by_label("Eligible?").select_option("yes")
    _submit(page)
    _step(page, "4. Open the election")
    page.get_by_label("Constituency").select_option(str(forum.pk))
    page.get_by_label("Election opened on").fill(today)
    _submit(page)
    _step(page, "Declare the result")
    page.get_by_label("Result declared on").fill(today)
    _submit(page)
    assert page.get_by_text("Uncontested").first.is_visible()
    _step(page, "5. Inform the statutory body")
    assert page.get_by_role("heading", name="Draft email to the statutory body").is_visible()
    assert_accessible(page)
    page.get_by_label("Sent to").fill("Chief Executive, Testshire Council")
    page.get_by_label("Sent on").fill(today)
    _submit(page)
    _step(page, "Make the appointment")
    page.get_by_label("Appoint").select_option(label="Nia Williams")
    page.get_by_label("Term starts").fill(today)
    _submit(page)
    appointment = Appointment.objects.get()
    assert appointment.person.full_name == "Nia Williams"
    assert page.get_by_text("Appointment made").first.is_visible()
    assert_accessible(page)

    # The new representative sets a password, signs the code and declares an interest.
    page.context.clear_cookies()
    page.goto(set_password_link)  # goto waits for the page it ends on (after the redirect)
    page.locator("#id_new_password1").fill("A-long-new-password-42")
    page.locator("#id_new_password2").fill("A-long-new-password-42")
    click_and_load(page, page.get_by_role("button", name="Set password"))
    login(page, appointment.person.user, password="A-long-new-password-42")
    page.goto(f"{base}/representatives/code-of-conduct/")
    assert_accessible(page)
    page.get_by_label("On behalf of partnership").select_option(str(appointment.partnership_id))
    page.get_by_label("Signed: type your full name").fill("Nia Williams")
    page.get_by_label("I have read the Code of Conduct and Agreement above").check()
    _submit(page, "Sign")
    assert page.get_by_role("heading", name="Signed Code of Conduct and Agreement").is_visible()
    page.goto(f"{base}/representatives/declarations/new/")
    page.get_by_label("The interest").fill("Trustee of Testshire Carers, which receives grants.")
    _submit(page)
    assert page.get_by_role("heading", name="My representation").is_visible()
    assert Declaration.objects.get().person == appointment.person

    # The board member reads the Representatives' report.
    page.context.clear_cookies()
    login(page, world.users["board"])
    page.goto(f"{base}/representatives/report/")
    assert_accessible(page)
    assert page.get_by_text("Nia Williams").first.is_visible()
