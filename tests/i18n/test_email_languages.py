"""Every e-mail the project sends goes in its recipient's language (their profile), or in both,
Welsh first, where that is unknown (issue 14, e-mails). Subjects included."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from compact.models import NotificationPreference
from compact.platform.access import Role
from compact.platform.reminders import run_reminders
from compact.platform.roles import set_roles
from plans import services as plan_services
from representatives import services as representative_services
from tests.compact.factories import UserFactory
from tests.disputes.factories import dispute_world
from tests.plans.factories import make_objective, make_plan, make_row, make_task
from tests.representatives.factories import days, round_at

pytestmark = pytest.mark.django_db


def chooses(user: Any, language: str) -> Any:
    NotificationPreference.objects.update_or_create(user=user, defaults={"language": language})
    return user


def to(address: str) -> Any:
    [message] = [message for message in mail.outbox if address in message.to]
    return message


def test_overdue_rows_reminder_in_each_officers_language_or_both(world: Any) -> None:
    welsh_officer = chooses(world.users["officer"], "cy")
    unknown = UserFactory(username="second-officer", role="officer")
    task = make_task(make_objective(make_plan(world, objectives=0), number=1, title="Board"))
    row = make_row(task, outcome="Membership agreed", timescale="December 2008")
    row.outcome_cy = "Aelodaeth wedi'i chytuno"
    row.save()

    run_reminders(today=datetime.date(2009, 3, 1), only=["plans.overdue_rows"])

    welsh = to(welsh_officer.email)
    assert welsh.to == [welsh_officer.email]  # one message per language, not everyone's
    assert welsh.subject == "Cynllun gweithredu: 1 rhes bellach yn hwyr"
    assert "Aelodaeth wedi'i chytuno" in welsh.body and "Membership agreed" not in welsh.body
    assert "overdue" not in welsh.body
    both = to(unknown.email)
    assert both.subject == (
        "Cynllun gweithredu: 1 rhes bellach yn hwyr / Implementation plan: 1 row now overdue"
    )
    assert both.body.index("Aelodaeth") < both.body.index("Membership agreed")


def test_update_notification_subject_is_in_the_board_members_language(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    member = chooses(world.users["board"], "cy")
    plan = make_plan(world, objectives=0)
    plan.title_cy = "Cynllun y Compact"
    plan.save()
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_update_issue(
            plan=plan, actor=world.users["officer"], date=datetime.date(2026, 11, 20), summary=""
        )
    message = to(member.email)
    assert message.subject == "Cynllun y Compact: cyhoeddwyd Diweddariad 1 (20 Tachwedd 2026)"
    assert "Cynllun y Compact" in message.body and "November" not in message.body
    html, _mimetype = message.alternatives[0]
    assert "Cynllun y Compact" in html


def test_roles_changed_e_mail_in_the_persons_language(world: Any) -> None:
    user = chooses(world.users["representative"], "cy")
    set_roles(user=user, roles=[str(Role.REPRESENTATIVE), str(Role.BOARD)], actor=None)
    message = to(user.email)
    assert message.subject == "Mae eich rolau yn y Compact Tracker wedi newid"


def test_sign_up_confirmation_to_an_address_with_no_account_is_in_both_welsh_first(
    world: Any, client: Any
) -> None:
    client.post(
        reverse("representatives:signup"),
        {
            "full_name": "Nia Williams",
            "organisation_name": "Testshire Carers",
            "email": "nia@example.org",
            "interest": "either",
            "interests": "Carers",
            "consent": "on",
        },
    )
    message = to("nia@example.org")
    assert message.subject.startswith("Cadarnhewch eich cyfeiriad e-bost")
    assert message.subject.endswith(
        "Please confirm your email address - third-sector representatives"
    )
    assert message.body.index("----") > 0


def test_letter_to_a_statutory_body_is_bilingual_with_a_bilingual_pdf(world: Any) -> None:
    state = round_at(world, "declared")
    mail.outbox.clear()
    representative_services.round_inform_statutory_body(
        selection_round=state.round,
        recipient="Chief Executive",
        email="ceo@council.example",
        sent_on=days(-1),
        actor=world.users["officer"],
    )
    message = to("ceo@council.example")
    assert message.subject.startswith("Cynrychiolydd") and " / Third-sector representative" in (
        message.subject
    )
    name, content, _mimetype = message.attachments[0]
    assert name == "representative-letter-bilingual.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert text.index("Cynrychiolydd") < text.index("Third-sector representative")


def test_letter_to_an_address_of_someone_who_chose_welsh_is_welsh(world: Any) -> None:
    state = round_at(world, "declared")
    chooses(world.users["administrator"], "cy")
    mail.outbox.clear()
    representative_services.round_inform_statutory_body(
        selection_round=state.round,
        recipient="Administrator",
        email=world.users["administrator"].email,
        sent_on=days(-1),
        actor=world.users["officer"],
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Cynrychiolydd") and " / " not in message.subject
    assert message.attachments[0][0] == "representative-letter-cy.pdf"


def test_dispute_reminder_names_the_stage_in_the_readers_language(world: Any) -> None:
    dw = dispute_world(world)
    chooses(world.users["officer"], "cy")
    overdue = dw.disputes["informal"]
    call_command("send_dispute_reminders", verbosity=0)
    message = next(m for m in mail.outbox if world.users["officer"].email in m.to)
    assert (
        message.subject == f"Mae anghydfod {overdue.reference} yn hwyr yn y cam Datrys anffurfiol"
    )
    assert "Informal resolution" not in message.body


def test_password_reset_goes_in_the_account_holders_language(world: Any, client: Any) -> None:
    user = world.users["board"]
    user.set_password("a-long-password-1")
    user.save()
    chooses(user, "cy")
    client.post(reverse("password_reset"), {"email": user.email})  # asked from an English page
    message = to(user.email)
    assert "Password reset" not in message.subject and "----" not in message.body
