"""The selection round state machine: every step allowed in order, refused out of order."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from representatives import services
from representatives.models import Appointment, Nomination, RoundEvent, SelectionRound
from tests.representatives.factories import days, network, person, place, round_at

S = SelectionRound.Status


def officer(world):
    return world.users["officer"]


def test_full_round_records_each_step_dated_and_attributed(world):
    done = round_at(world, "appointed")
    steps = list(RoundEvent.objects.filter(round=done.round).values_list("step", flat=True))
    assert steps == [
        S.OPENED,
        S.TIMETABLE_AGREED,
        S.CANVASSING,
        S.ELECTION,
        S.RESULT_DECLARED,
        S.BODY_INFORMED,
        S.COMPLETED,
    ]
    assert all(e.recorded_by == officer(world) for e in done.round.events.all())
    appointment = Appointment.objects.get(round=done.round)
    assert appointment.person == world.people["representative"]
    assert appointment.status == Appointment.Status.INDUCTION
    assert done.round.uncontested


@pytest.mark.parametrize(
    ("at", "step"),
    [
        ("opened", "canvass"),
        ("opened", "election"),
        ("opened", "inform"),
        ("timetable", "timetable"),
        ("timetable", "election"),
        ("canvass", "declare"),
        ("canvass", "inform"),
        ("nominated", "appoint"),
        ("election", "inform"),
        ("election", "canvass"),
        ("declared", "votes"),
        ("declared", "appoint"),
        ("informed", "inform"),
        ("informed", "timetable"),
    ],
)
def test_out_of_order_step_is_refused_and_nothing_changes(world, at, step):
    state = round_at(world, at)
    r = state.round
    before = (r.status, r.events.count())
    forum = network(world)
    nomination = state.nominations[0] if state.nominations else None
    actions = {
        "timetable": lambda: services.round_agree_timetable(
            selection_round=r,
            statutory_body=world.public_org,
            nominations_close_on=days(1),
            election_on=days(2),
            appointment_on=days(3),
            agreed_on=days(0),
            actor=officer(world),
        ),
        "canvass": lambda: services.round_canvass(
            selection_round=r,
            channels=[forum],
            wider_membership=False,
            canvassed_on=days(0),
            actor=officer(world),
        ),
        "election": lambda: services.round_open_election(
            selection_round=r, constituency=forum, opened_on=days(0), actor=officer(world)
        ),
        "votes": lambda: services.election_record_votes(
            selection_round=r, votes={nomination.pk: 3}, actor=officer(world)
        ),
        "declare": lambda: services.election_declare_result(
            selection_round=r, declared_on=days(0), actor=officer(world)
        ),
        "inform": lambda: services.round_inform_statutory_body(
            selection_round=r, recipient="Someone", sent_on=days(0), actor=officer(world)
        ),
        "appoint": lambda: services.appointment_make(
            selection_round=r, nomination=nomination, term_start=days(0), actor=officer(world)
        ),
    }
    with pytest.raises(ValidationError) as refused:
        actions[step]()
    message = " ".join(refused.value.messages)
    assert "Cannot" in message or "closed" in message
    r.refresh_from_db()
    assert (r.status, r.events.count()) == before


def test_refusal_names_the_next_step(world):
    r = round_at(world, "opened").round
    with pytest.raises(ValidationError, match="The next step is to agree the timetable"):
        services.round_canvass(
            selection_round=r,
            channels=[network(world)],
            wider_membership=False,
            canvassed_on=days(0),
            actor=officer(world),
        )


def test_timetable_dates_must_run_in_order(world):
    r = round_at(world, "opened").round
    with pytest.raises(ValidationError, match="run in order"):
        services.round_agree_timetable(
            selection_round=r,
            statutory_body=world.public_org,
            nominations_close_on=days(10),
            election_on=days(5),
            appointment_on=days(20),
            agreed_on=days(0),
            actor=officer(world),
        )


def test_timetable_is_agreed_with_a_statutory_body(world):
    r = round_at(world, "opened").round
    with pytest.raises(ValidationError, match="public-sector"):
        services.round_agree_timetable(
            selection_round=r,
            statutory_body=world.third_org,
            nominations_close_on=days(1),
            election_on=days(2),
            appointment_on=days(3),
            agreed_on=days(0),
            actor=officer(world),
        )


def test_canvass_needs_a_channel_and_only_networks(world):
    r = round_at(world, "timetable").round
    with pytest.raises(ValidationError, match="wider membership"):
        services.round_canvass(
            selection_round=r,
            channels=[],
            wider_membership=False,
            canvassed_on=days(0),
            actor=officer(world),
        )
    with pytest.raises(ValidationError, match="networks and fora"):
        services.round_canvass(
            selection_round=r,
            channels=[world.board],
            wider_membership=False,
            canvassed_on=days(0),
            actor=officer(world),
        )


def test_nomination_after_the_closing_date_is_refused(world):
    r = round_at(world, "canvass").round
    late = r.nominations_close_on
    with pytest.raises(ValidationError, match="Nominations closed on"):
        services.nomination_add(
            selection_round=r,
            person=world.people["representative"],
            nominated_by="Late",
            received_on=late + datetime.timedelta(1),
            actor=officer(world),
        )
    assert not r.nominations.exists()


def test_nomination_refused_once_the_election_is_open(world):
    r = round_at(world, "election").round
    with pytest.raises(ValidationError, match="Cannot receive a nomination"):
        services.nomination_add(
            selection_round=r,
            person=person(world, "Late Comer"),
            nominated_by="x",
            received_on=days(-25),
            actor=officer(world),
        )


def test_election_needs_every_nominee_checked(world):
    r = round_at(world, "canvass").round
    r.nominations_close_on = days(-1)
    r.save()
    services.nomination_add(
        selection_round=r,
        person=world.people["representative"],
        nominated_by="x",
        received_on=days(-2),
        actor=officer(world),
    )
    with pytest.raises(ValidationError, match="Check the eligibility"):
        services.round_open_election(
            selection_round=r, constituency=network(world), opened_on=days(0), actor=officer(world)
        )


def test_election_cannot_open_before_nominations_close(world):
    r = round_at(world, "nominated").round  # closes in 10 days
    with pytest.raises(ValidationError, match="Nominations stay open"):
        services.round_open_election(
            selection_round=r, constituency=network(world), opened_on=days(0), actor=officer(world)
        )


def test_contested_election_elects_most_votes(world):
    rivals = [world.people["representative"], person(world, "Dai Rival")]
    state = round_at(world, "declared", nominees=rivals, votes=[12, 7])
    winner, loser = state.nominations
    assert winner.elected and not loser.elected
    assert not state.round.uncontested


def test_contested_election_needs_all_votes(world):
    rivals = [world.people["representative"], person(world, "Dai Rival")]
    state = round_at(world, "election", nominees=rivals)
    with pytest.raises(ValidationError, match="Record the votes"):
        services.election_declare_result(
            selection_round=state.round, declared_on=days(0), actor=officer(world)
        )


def test_tie_needs_a_recorded_decision(world):
    rivals = [world.people["representative"], person(world, "Dai Rival")]
    state = round_at(world, "election", nominees=rivals, votes=[5, 5])
    with pytest.raises(ValidationError, match="tie on 5 votes"):
        services.election_declare_result(
            selection_round=state.round, declared_on=days(0), actor=officer(world)
        )
    with pytest.raises(ValidationError, match="how the tie was resolved"):
        services.election_declare_result(
            selection_round=state.round,
            declared_on=days(0),
            tie_winners=[state.nominations[1]],
            actor=officer(world),
        )
    services.election_declare_result(
        selection_round=state.round,
        declared_on=days(0),
        tie_winners=[state.nominations[1]],
        tie_decision="Drawn by lot at the forum meeting",
        actor=officer(world),
    )
    state.round.refresh_from_db()
    assert state.round.tie_decision == "Drawn by lot at the forum meeting"
    assert Nomination.objects.get(pk=state.nominations[1].pk).elected


def test_votes_in_a_closed_election_are_refused(world):
    state = round_at(world, "declared")
    with pytest.raises(ValidationError, match="The election is closed"):
        services.election_record_votes(
            selection_round=state.round, votes={state.nominations[0].pk: 99}, actor=officer(world)
        )
    assert Nomination.objects.get(pk=state.nominations[0].pk).votes is None


def test_withdrawn_nominee_does_not_stand(world):
    rivals = [world.people["representative"], person(world, "Dai Rival")]
    state = round_at(world, "election", nominees=rivals)
    services.nomination_withdraw(nomination=state.nominations[1], actor=officer(world))
    services.election_declare_result(
        selection_round=state.round, declared_on=days(0), actor=officer(world)
    )
    state.round.refresh_from_db()
    assert state.round.uncontested
    with pytest.raises(ValidationError):
        services.nomination_withdraw(nomination=state.nominations[0], actor=officer(world))


def test_ineligible_nominee_needs_a_reason(world):
    r = round_at(world, "canvass").round
    n = services.nomination_add(
        selection_round=r,
        person=world.people["representative"],
        nominated_by="x",
        received_on=days(-1),
        actor=officer(world),
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.nomination_check_eligibility(
            nomination=n, eligible=False, note="", actor=officer(world)
        )


def test_inform_emails_the_pdf_letter_and_records_the_date(world):
    state = round_at(world, "declared")
    mail.outbox.clear()
    services.round_inform_statutory_body(
        selection_round=state.round,
        recipient="Chief Executive",
        email="ceo@council.example",
        sent_on=days(-1),
        actor=officer(world),
    )
    state.round.refresh_from_db()
    assert state.round.letter_sent_on == days(-1)
    assert mail.outbox[0].to == ["ceo@council.example"]
    _name, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_appointing_someone_not_elected_is_refused(world):
    rivals = [world.people["representative"], person(world, "Dai Rival")]
    state = round_at(world, "informed", nominees=rivals, votes=[12, 7])
    with pytest.raises(ValidationError, match="Dai Rival was not elected"):
        services.appointment_make(
            selection_round=state.round,
            nomination=state.nominations[1],
            term_start=days(0),
            actor=officer(world),
        )
    assert not Appointment.objects.exists()


def test_second_active_holder_of_one_holder_place_is_refused(world):
    the_place = place(world, "csp")
    round_at(world, "appointed", the_place=the_place)
    other = person(world, "Second Holder")
    # A direct link for the same place would be a second holder.
    with pytest.raises(ValidationError, match="already has 1 active holder"):
        services.direct_link_record(
            place=the_place,
            person=other,
            informed_by=world.public_org,
            informed_on=days(-2),
            invited_on=days(-1),
            term_start=days(0),
            actor=officer(world),
        )


def test_place_is_free_again_once_the_appointment_ends(world):
    the_place = place(world, "csp")
    first = round_at(world, "appointed", the_place=the_place)
    services.appointment_end(
        appointment=first.round.appointments.get(), ended_on=days(0), actor=officer(world)
    )
    appointment = services.direct_link_record(
        place=the_place,
        person=person(world, "Next Holder"),
        informed_by=world.public_org,
        informed_on=days(-2),
        invited_on=days(-1),
        term_start=days(0),
        actor=officer(world),
    )
    assert appointment.round.process == SelectionRound.Process.DIRECT_LINK
    assert appointment.invited_on == days(-1)


def test_deputy_needs_a_place_with_a_deputy_and_can_see_the_holder(world, client):
    the_place = place(world, "lsb2", has_deputy=True)
    deputy_person = person(world, "Deputy Dee")
    state = round_at(
        world,
        "appointed",
        the_place=the_place,
        nominees=[world.people["representative"], deputy_person],
        votes=[10, 4],
    )
    holder = state.round.appointments.get()
    deputy = services.appointment_make(
        selection_round=state.round,
        nomination=state.nominations[1],
        term_start=days(0),
        deputy_of=holder,
        actor=officer(world),
    )
    assert deputy.deputy_of == holder
    client.force_login(world.users["representative"])
    response = client.get(deputy.get_absolute_url())
    assert response.status_code == 200
    assert "Deputy Dee" in response.content.decode()


def test_membership_process_runs_request_circulate_choose_appoint(world):
    the_place = place(world, "hsc", kind="specialist")
    r = services.round_open(
        place=the_place, process=SelectionRound.Process.MEMBERSHIP, actor=officer(world)
    )
    assert r.status == S.REQUESTED
    with pytest.raises(ValidationError, match="follows the membership"):
        services.round_agree_timetable(
            selection_round=r,
            statutory_body=world.public_org,
            nominations_close_on=days(1),
            election_on=days(2),
            appointment_on=days(3),
            agreed_on=days(0),
            actor=officer(world),
        )
    services.round_membership_circulate(
        selection_round=r,
        channels=[network(world)],
        wider_membership=True,
        circulated_on=days(0),
        actor=officer(world),
    )
    interest = services.nomination_add(
        selection_round=r,
        person=person(world, "Keen Member"),
        nominated_by="Self",
        actor=officer(world),
    )
    services.round_membership_choose(
        selection_round=r, nomination=interest, informed_on=days(0), actor=officer(world)
    )
    appointment = services.appointment_make(
        selection_round=r, nomination=interest, term_start=days(0), actor=officer(world)
    )
    r.refresh_from_db()
    assert r.status == S.COMPLETED
    assert appointment.person.full_name == "Keen Member"


def test_only_one_round_per_place_at_a_time(world):
    the_place = place(world)
    services.round_open(place=the_place, actor=officer(world))
    with pytest.raises(ValidationError, match="already in progress"):
        services.round_open(place=the_place, actor=officer(world))


def test_cancelled_round_needs_a_reason_and_stops(world):
    r = round_at(world, "canvass").round
    with pytest.raises(ValidationError):
        services.round_cancel(selection_round=r, reason="", actor=officer(world))
    services.round_cancel(selection_round=r, reason="Partnership wound up", actor=officer(world))
    with pytest.raises(ValidationError, match="Cancelled"):
        services.nomination_add(
            selection_round=r,
            person=world.people["representative"],
            nominated_by="x",
            actor=officer(world),
        )


@pytest.mark.parametrize("role", ["representative", "board", "administrator"])
def test_only_officers_run_rounds(world, role):
    with pytest.raises(PermissionDenied):
        services.round_open(place=place(world), actor=world.users[role])


def test_induction_completes_only_with_every_item_and_a_signed_code(world):
    from tests.representatives.factories import conduct_version

    version = conduct_version(world)
    appointment = round_at(world, "appointed").round.appointments.get()
    with pytest.raises(ValidationError, match="Induction is not complete"):
        services.appointment_induction_complete(appointment=appointment, actor=officer(world))
    services.appointment_induction_record(
        appointment=appointment, items=services.INDUCTION_ITEMS, actor=officer(world)
    )
    with pytest.raises(ValidationError, match="code of conduct signed"):
        services.appointment_induction_complete(appointment=appointment, actor=officer(world))
    services.conduct_sign(
        version=version,
        partnership=appointment.partnership,
        typed_name=appointment.person.full_name,
        actor=world.users["representative"],
    )
    services.appointment_induction_complete(appointment=appointment, actor=officer(world))
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ACTIVE
