"""The stage rules: every allowed move works for the right people, every other move is refused
with a clear message and changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from disputes import procedure, services
from disputes.models import Dispute, StageRecord
from disputes.procedure import Actor, Closure, Stage
from tests.compact.factories import MembershipFactory
from tests.disputes.factories import base_world, move, raise_dispute

PATHS = {
    Stage.INFORMAL: [],
    Stage.MEDIATION: [Stage.MEDIATION],
    Stage.SCRUTINY: [Stage.MEDIATION, Stage.SCRUTINY],
    Stage.ESCALATION: [Stage.MEDIATION, Stage.SCRUTINY, Stage.ESCALATION],
    Stage.CLOSED: [Stage.CLOSED],
}
ALL_PAIRS = [(s, t) for s in Stage.values for t in Stage.values if s != t]


def at_stage(dw: Any, stage: str) -> Dispute:
    dispute = raise_dispute(dw)
    services.dispute_panel_assign(
        dispute=dispute, people=[dw.people["panel"]], actor=dw.world.users["officer"]
    )
    for step in PATHS[stage]:
        move(dw, dispute, step, on=timezone.localdate() - datetime.timedelta(days=10))
    dispute.refresh_from_db()
    assert dispute.stage == stage
    return dispute


@pytest.fixture
def dw(world: Any) -> Any:
    return base_world(world)


@pytest.mark.parametrize(("source", "target"), sorted(procedure.TRANSITIONS))
def test_allowed_move_is_recorded_dated_attributed_with_reason(dw, source, target) -> None:
    dispute = at_stage(dw, source)
    officer = dw.world.users["officer"]

    record = move(dw, dispute, target, reason="Because the procedure says so.")

    dispute.refresh_from_db()
    assert dispute.stage == target
    assert record.from_stage == source
    assert record.moved_by == officer
    assert record.reason == "Because the procedure says so."
    assert record.started_on == timezone.localdate()
    assert record.backwards == procedure.TRANSITIONS[(source, target)].backwards
    previous = dispute.stages.exclude(pk=record.pk).order_by("-started_on", "-pk").first()
    assert previous.ended_on == timezone.localdate()
    assert dispute.stages.filter(ended_on__isnull=True).count() == 1
    if target != Stage.CLOSED:
        assert record.due_on == timezone.localdate() + datetime.timedelta(
            days=procedure.target_days(target)
        )


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALL_PAIRS if pair not in procedure.TRANSITIONS]
)
def test_move_outside_the_procedure_is_refused_and_changes_nothing(dw, source, target) -> None:
    dispute = at_stage(dw, source)
    records = StageRecord.objects.filter(dispute=dispute).count()

    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, target)

    assert "The procedure does not allow moving a dispute from" in str(refused.value)
    dispute.refresh_from_db()
    assert dispute.stage == source
    assert StageRecord.objects.filter(dispute=dispute).count() == records


ROLE_OF_ACTOR = {Actor.OFFICER: "officer", Actor.PANEL: "panel", Actor.RAISER: "raiser"}


@pytest.mark.parametrize(("source", "target"), sorted(procedure.TRANSITIONS))
def test_only_the_actors_the_procedure_names_may_make_a_move(dw, source, target) -> None:
    allowed = {ROLE_OF_ACTOR[a] for a in procedure.TRANSITIONS[(source, target)].actors}
    outcomes = {}
    for who in ("officer", "panel", "raiser", "contact", "board"):
        dispute = at_stage(dw, source)
        # The raiser may only withdraw; anyone else closing decides the outcome.
        closure = Closure.WITHDRAWN if who == "raiser" else Closure.RESOLVED
        try:
            move(dw, dispute, target, actor=dw.user(who), closure=closure)
        except PermissionDenied:
            outcomes[who] = "refused"
        else:
            dispute.refresh_from_db()
            outcomes[who] = "moved" if dispute.stage == target else "unchanged"

    assert outcomes == {who: "moved" if who in allowed else "refused" for who in outcomes}


def test_moving_backwards_without_a_reason_is_refused(dw) -> None:
    dispute = at_stage(dw, Stage.SCRUTINY)

    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.MEDIATION, reason="  ")

    assert refused.value.message_dict["reason"] == [
        "Moving a dispute back to an earlier stage needs a reason."
    ]
    dispute.refresh_from_db()
    assert dispute.stage == Stage.SCRUTINY


def test_moving_forwards_without_a_reason_is_refused(dw) -> None:
    dispute = at_stage(dw, Stage.INFORMAL)
    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.MEDIATION, reason="")
    assert refused.value.message_dict["reason"] == ["Give the reason for this move."]


def test_closing_without_an_outcome_is_refused_and_nothing_changes(dw) -> None:
    dispute = at_stage(dw, Stage.MEDIATION)
    records = dispute.stages.count()

    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.CLOSED, outcome="   ")

    assert refused.value.message_dict["outcome"] == [
        "A dispute cannot be closed without an outcome."
    ]
    dispute.refresh_from_db()
    assert dispute.stage == Stage.MEDIATION
    assert dispute.closed_on is None
    assert dispute.stages.count() == records


def test_closing_without_saying_how_is_refused(dw) -> None:
    dispute = at_stage(dw, Stage.INFORMAL)
    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.CLOSED, closure="")
    assert "closure" in refused.value.message_dict


def test_closing_records_outcome_actions_and_lessons(dw) -> None:
    dispute = at_stage(dw, Stage.SCRUTINY)
    move(
        dw,
        dispute,
        Stage.CLOSED,
        actor=dw.users["panel"],
        closure=Closure.NOT_UPHELD,
        outcome="The council did consult.",
        agreed_actions="Share minutes.",
        lessons_learned="Keep records of invitations.",
    )
    dispute.refresh_from_db()
    assert (dispute.closure, dispute.outcome) == (Closure.NOT_UPHELD, "The council did consult.")
    assert dispute.agreed_actions == "Share minutes."
    assert dispute.lessons_learned == "Keep records of invitations."
    assert dispute.closed_on == timezone.localdate()


def test_the_raiser_can_withdraw_but_not_resolve(dw) -> None:
    dispute = at_stage(dw, Stage.INFORMAL)
    with pytest.raises(PermissionDenied, match="withdraw"):
        move(dw, dispute, Stage.CLOSED, actor=dw.users["raiser"], closure=Closure.RESOLVED)
    move(dw, dispute, Stage.CLOSED, actor=dw.users["raiser"], closure=Closure.WITHDRAWN)
    dispute.refresh_from_db()
    assert dispute.closure == Closure.WITHDRAWN


def test_reopening_clears_the_closure_but_keeps_it_in_history(dw) -> None:
    dispute = at_stage(dw, Stage.CLOSED)
    move(dw, dispute, Stage.INFORMAL, reason="New evidence came to light.")
    dispute.refresh_from_db()
    assert dispute.stage == Stage.INFORMAL and dispute.closed_on is None
    assert dispute.history.filter(stage=Stage.CLOSED).exists()


def test_a_move_dated_in_the_future_or_before_the_stage_began_is_refused(dw) -> None:
    dispute = at_stage(dw, Stage.INFORMAL)
    with pytest.raises(ValidationError, match="future"):
        move(dw, dispute, Stage.MEDIATION, on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="before"):
        move(dw, dispute, Stage.MEDIATION, on=dispute.raised_on - datetime.timedelta(days=1))


def test_mediation_needs_a_named_mediator(dw) -> None:
    dispute = at_stage(dw, Stage.INFORMAL)
    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.MEDIATION, mediator_name=" ")
    assert refused.value.message_dict["mediator_name"] == ["Name the mediator."]


def test_referral_with_a_panel_member_from_a_party_organisation_is_refused(dw) -> None:
    dispute = at_stage(dw, Stage.MEDIATION)

    conflicted = dw.people["contact"]  # works for the organisation the concern is about
    MembershipFactory(body=dw.scrutiny, person=conflicted, start_date=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.SCRUTINY, panel=[dw.people["panel"], conflicted])

    assert refused.value.message_dict["panel"] == [
        "Colin Contact belongs to TC, a party to this dispute, and cannot sit on its panel."
    ]
    dispute.refresh_from_db()
    assert dispute.stage == Stage.MEDIATION
    assert not dispute.panel.filter(person=conflicted).exists()


def test_referral_with_a_panel_member_who_declared_an_interest_is_refused(dw) -> None:
    dispute = at_stage(dw, Stage.MEDIATION)
    services.interest_declare(
        dispute=dispute,
        person=dw.people["panel"],
        interest="My sister chairs the group.",
        actor=dw.world.users["officer"],
    )
    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.SCRUTINY, panel=[dw.people["panel"]])
    assert "has declared an interest in this dispute" in refused.value.message_dict["panel"][0]


def test_panel_must_be_current_members_of_the_scrutiny_body(dw) -> None:
    dispute = at_stage(dw, Stage.MEDIATION)
    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.SCRUTINY, panel=[dw.people["unrelated"]])
    assert refused.value.message_dict["panel"] == [
        "Una Unrelated is not a current member of the scrutiny body."
    ]
    with pytest.raises(ValidationError) as refused:
        move(dw, dispute, Stage.SCRUTINY, panel=[])
    assert "at least one member" in refused.value.message_dict["panel"][0]


def test_declaring_an_interest_takes_a_panel_member_off_the_panel(dw) -> None:
    dispute = at_stage(dw, Stage.SCRUTINY)
    services.interest_declare(
        dispute=dispute,
        person=dw.people["panel"],
        interest="I used to work there.",
        actor=dw.users["panel"],
    )
    assert not dispute.panel.exists()


def test_stage_target_days_can_be_configured(settings) -> None:
    settings.DISPUTES_STAGE_TARGET_DAYS = {"informal": 10}
    assert procedure.target_days(Stage.INFORMAL) == 10
    assert procedure.target_days(Stage.MEDIATION) == 42
    assert procedure.target_days(Stage.CLOSED) is None


def test_mediation_sessions_are_dated_within_the_mediation(dw) -> None:
    dispute = at_stage(dw, Stage.MEDIATION)
    record = dispute.stages.get(ended_on__isnull=True)
    officer = dw.world.users["officer"]
    services.mediation_session_add(
        record=record, held_on=timezone.localdate(), notes="Met.", actor=officer
    )
    with pytest.raises(ValidationError, match="before"):
        services.mediation_session_add(
            record=record,
            held_on=record.started_on - datetime.timedelta(days=1),
            notes="",
            actor=officer,
        )
    assert record.sessions.count() == 1


def test_every_move_is_in_the_history_with_who_and_why(dw) -> None:
    dispute = at_stage(dw, Stage.INFORMAL)
    move(dw, dispute, Stage.MEDIATION, reason="Talks stalled.")
    latest = dispute.history.latest("history_date")
    assert latest.history_user == dw.world.users["officer"]
    assert "Talks stalled." in latest.history_change_reason
