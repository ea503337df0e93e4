"""Update calls end to end through the services: who is asked, one e-mail each in their
language, proposals that change nothing, acceptance through the row editor's service with
both names in the history, conflicts as three-way merges, returns, closing and reminders."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compact.platform.access import Role, has_role
from compact.platform.language import remember_language
from plans.models import CallReminder, CallRequest, Outcome, Proposal
from plans.services import calls
from tests.plans.factories import edit_progress
from tests.plans.factories_calls import call_plan, open_sample_call, sample_proposal


def _today() -> datetime.date:
    return timezone.localdate()


def test_opening_a_call_asks_each_named_person_once_and_makes_contributor_accounts(
    world: Any,
) -> None:
    call = open_sample_call(world)

    asked = set(CallRequest.objects.filter(call=call).values_list("person__full_name", flat=True))
    assert asked == {"Contributor Person", "Other Person"}
    assert len(mail.outbox) == 2  # one e-mail per contributor, not one per row
    other = world.extra["other_person"]
    other.refresh_from_db()
    assert other.user is not None and has_role(other.user, Role.CONTRIBUTOR)
    to_other = next(m for m in mail.outbox if m.to == ["other@example.org"])
    assert f"/plans/calls/{call.pk}/mine/" in to_other.body
    assert "/reset/" in to_other.body  # a new account: set a password first


def test_call_e_mail_is_in_the_contributors_language(world: Any) -> None:
    remember_language(world.users["contributor"], "cy")
    open_sample_call(world)

    to_contributor = next(m for m in mail.outbox if m.to == ["contributor@example.org"])
    assert "Annwyl Contributor Person" in to_contributor.body
    assert "Dear" not in to_contributor.body


def test_an_existing_board_member_keeps_their_role_and_becomes_a_contributor(
    world: Any,
) -> None:
    data = call_plan(world)
    row = data["call_rows"][2]
    from plans.services.contributors import row_contributors_confirm

    row_contributors_confirm(
        objective=row.task.objective,
        links={row.pk: ([world.people["board"]], [])},
        actor=world.users["officer"],
    )
    open_sample_call(world)

    board = world.users["board"]
    board.__dict__.pop("_compact_roles", None)
    assert has_role(board, Role.BOARD) and has_role(board, Role.CONTRIBUTOR)


def test_organisation_lead_contacts_answer_for_its_rows(world: Any) -> None:
    data = call_plan(world)
    row = data["call_rows"][2]
    world.public_org.lead_contacts.add(world.people["administrator"])
    from plans.services.contributors import row_contributors_confirm

    row_contributors_confirm(
        objective=row.task.objective,
        links={row.pk: ([], [world.public_org])},
        actor=world.users["officer"],
    )
    call = open_sample_call(world)

    assert CallRequest.objects.filter(
        call=call, outcome=row, person=world.people["administrator"]
    ).exists()


def test_a_second_open_call_and_a_past_deadline_are_refused(world: Any) -> None:
    data = call_plan(world)
    with pytest.raises(ValidationError, match="after today"):
        calls.open_call(
            plan=data["call_plan"], deadline=_today(), message="", actor=world.users["officer"]
        )
    open_sample_call(world)
    with pytest.raises(ValidationError, match="already has an open update call"):
        calls.open_call(
            plan=data["call_plan"],
            deadline=_today() + datetime.timedelta(days=5),
            message="",
            actor=world.users["officer"],
        )


def test_only_officers_open_calls(world: Any) -> None:
    data = call_plan(world)
    with pytest.raises(PermissionDenied):
        calls.open_call(
            plan=data["call_plan"],
            deadline=_today() + datetime.timedelta(days=5),
            message="",
            actor=world.users["contributor"],
        )


def test_a_proposal_changes_nothing_in_the_plan_and_can_be_revised(world: Any) -> None:
    proposal = sample_proposal(world)
    row = Outcome.objects.get(pk=proposal.outcome_id)
    assert (row.progress, row.status, row.version) == ("Drafted", "not_started", 1)

    revised = calls.propose(
        call=proposal.call,
        row=row,
        user=world.users["contributor"],
        fields={"progress": "Agreed at the Board", "status": "achieved"},
        note="",
        base_version=row.version,
    )
    assert revised.pk == proposal.pk
    assert revised.progress == "Agreed at the Board"
    assert Proposal.objects.count() == 1


def test_a_contributor_cannot_propose_for_a_row_not_asked_of_them(world: Any) -> None:
    call = open_sample_call(world)
    not_mine = world.extra["call_rows"][2]
    with pytest.raises(PermissionDenied):
        calls.propose(
            call=call,
            row=not_mine,
            user=world.users["contributor"],
            fields={"progress": "x"},
            note="",
            base_version=not_mine.version,
        )
    assert not Proposal.objects.exists()


def test_after_the_deadline_proposals_are_read_only(world: Any) -> None:
    proposal = sample_proposal(world)
    call = proposal.call
    call.deadline = _today() - datetime.timedelta(days=1)
    call.save()
    with pytest.raises(ValidationError, match="can no longer be changed"):
        calls.propose(
            call=call,
            row=proposal.outcome,
            user=world.users["contributor"],
            fields={"progress": "Late"},
            note="",
            base_version=proposal.outcome.version,
        )
    proposal.refresh_from_db()
    assert proposal.progress == "Drafted and agreed by the Board"


def test_a_status_outside_the_list_is_refused(world: Any) -> None:
    call = open_sample_call(world)
    row = world.extra["call_rows"][0]
    with pytest.raises(ValidationError):
        calls.propose(
            call=call,
            row=row,
            user=world.users["contributor"],
            fields={"status": "finished"},
            note="",
            base_version=row.version,
        )
    assert not Proposal.objects.exists()


def test_accepting_applies_through_the_row_service_naming_contributor_and_officer(
    world: Any,
) -> None:
    proposal = sample_proposal(world)
    officer = world.users["officer"]

    row = calls.accept(proposal=proposal, actor=officer)

    assert (row.progress, row.status, row.version) == (
        "Drafted and agreed by the Board",
        "achieved",
        2,
    )
    latest = row.history.first()
    assert latest.history_user == officer
    assert "Contributor Person" in latest.history_change_reason
    assert "Officer" in latest.history_change_reason or officer.username in (
        latest.history_change_reason
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == (Proposal.State.ACCEPTED, officer)


def test_edit_then_accept_applies_the_officers_text(world: Any) -> None:
    proposal = sample_proposal(world)
    row = calls.accept(
        proposal=proposal,
        actor=world.users["officer"],
        fields={**proposal.values(), "progress": "Agreed by the Board in May"},
        expected_version=proposal.outcome.version,
    )
    assert row.progress == "Agreed by the Board in May"
    assert "edited and accepted" in row.history.first().history_change_reason


def test_a_row_changed_since_is_a_conflict_and_never_applied_blindly(world: Any) -> None:
    proposal = sample_proposal(world)
    row = edit_progress(proposal.outcome, "Drafted", timescale="March 2009")  # officer's edit

    with pytest.raises(calls.ProposalConflict) as raised:
        calls.accept(proposal=proposal, actor=world.users["officer"])

    row.refresh_from_db()
    assert row.progress == "Drafted" and row.status == "not_started"
    merge = raised.value.merge
    # Progress and status changed by the contributor only, timescale by the officer only:
    # the merge keeps both, nothing to choose.
    assert merge.merged["progress"] == "Drafted and agreed by the Board"
    assert merge.merged["timescale"] == "March 2009"
    assert merge.conflicts == []
    # Accepting the merged values against the row as it is now applies both sides.
    saved = calls.accept(
        proposal=proposal,
        actor=world.users["officer"],
        fields=merge.merged,
        expected_version=raised.value.current_version,
    )
    assert (saved.progress, saved.timescale) == ("Drafted and agreed by the Board", "March 2009")


def test_a_field_changed_on_both_sides_is_flagged(world: Any) -> None:
    proposal = sample_proposal(world)
    edit_progress(proposal.outcome, "Officer's own progress")
    merge = calls.proposal_merge(proposal, Outcome.objects.get(pk=proposal.outcome_id))
    assert merge is not None and merge.conflicts == ["progress"]


def test_returning_needs_a_comment_and_tells_the_contributor(world: Any) -> None:
    proposal = sample_proposal(world)
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        calls.return_proposal(proposal=proposal, actor=world.users["officer"], comment=" ")

    calls.return_proposal(
        proposal=proposal, actor=world.users["officer"], comment="Which Board meeting?"
    )

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.RETURNED
    assert mail.outbox[0].to == ["contributor@example.org"]
    assert "Which Board meeting?" in mail.outbox[0].body


def test_closing_stops_answers(world: Any) -> None:
    proposal = sample_proposal(world)
    calls.close_call(call=proposal.call, actor=world.users["officer"])
    with pytest.raises(ValidationError):
        calls.propose(
            call=proposal.call,
            row=proposal.outcome,
            user=world.users["contributor"],
            fields={"progress": "After closing"},
            note="",
            base_version=proposal.outcome.version,
        )


def test_reminders_go_once_at_7_and_once_at_2_days_to_those_who_have_not_answered(
    world: Any,
) -> None:
    call = open_sample_call(world, days=21)
    sample_proposal(world)  # the contributor answered; Other Person has not
    mail.outbox.clear()
    deadline = call.deadline

    assert calls.call_reminders_send(deadline - datetime.timedelta(days=8)) == 0
    assert calls.call_reminders_send(deadline - datetime.timedelta(days=7)) == 1
    assert mail.outbox[-1].to == ["other@example.org"]
    # Cron runs again the same day and the following days: nothing more until 2 days before.
    assert calls.call_reminders_send(deadline - datetime.timedelta(days=7)) == 0
    assert calls.call_reminders_send(deadline - datetime.timedelta(days=5)) == 0
    assert calls.call_reminders_send(deadline - datetime.timedelta(days=2)) == 1
    assert calls.call_reminders_send(deadline - datetime.timedelta(days=1)) == 0
    assert calls.call_reminders_send(deadline) == 0
    assert CallReminder.objects.filter(call=call).count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_demo_contributors_are_asked_when_the_officer_opens_a_call(settings: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from plans.demo import PLAN_SLUG
    from plans.models import ImplementationPlan

    settings.DEBUG = True
    call_command("load_demo")
    officer = get_user_model().objects.get(username="officer")

    opened = calls.open_call(
        plan=ImplementationPlan.objects.get(slug=PLAN_SLUG),
        deadline=_today() + datetime.timedelta(days=21),
        message="",
        actor=officer,
    )

    asked = {person.user.username for person in opened.asked if person.user is not None}
    assert {"alys", "sian", "julie"} <= asked
    for username in ("alys", "sian", "julie"):
        user = get_user_model().objects.get(username=username)
        assert has_role(user, Role.CONTRIBUTOR)
        assert CallRequest.objects.filter(call=opened.call, person__user=user).exists()
