"""Meetings: the programme, overlaps, standing items, agenda order, minutes and actions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.models import Action, AgendaItem, Body, Membership, Minutes, Paper, RotationRule
from compact.selectors.meetings import carried_forward_actions, programme, rotations_due
from compact.services.meetings import (
    action_add,
    action_complete,
    agenda_item_add,
    agenda_item_move,
    minutes_approve,
    minutes_save,
)
from compact.services.minutes import minutes_circulate
from tests.compact.factories import BodyFactory, MembershipFactory, ReportProvider, make_meeting

NOV = datetime.date(2008, 11, 19)
FEB = datetime.date(2009, 2, 11)
APR = datetime.date(2009, 4, 22)


def test_overlapping_meeting_of_the_same_body_is_refused_with_the_clash_named(world):
    make_meeting(world.board, date=FEB, start=datetime.time(10), end=datetime.time(12))
    with pytest.raises(ValidationError) as refused:
        make_meeting(world.board, date=FEB, start=datetime.time(11, 30), end=datetime.time(13))
    assert "already has a meeting on 11 February 2009 from 10:00 to 12:00" in str(refused.value)
    assert world.board.meetings.count() == 1


def test_back_to_back_and_other_bodies_meetings_are_allowed(world):
    other = BodyFactory(
        compact=world.compact, name="Officers", slug="officers", kind="officers_group"
    )
    make_meeting(world.board, date=FEB, start=datetime.time(10), end=datetime.time(12))
    make_meeting(world.board, date=FEB, start=datetime.time(12), end=datetime.time(13))
    make_meeting(other, date=FEB, start=datetime.time(10), end=datetime.time(12))
    assert world.board.meetings.count() == 2


def test_meeting_must_end_after_it_starts(world):
    with pytest.raises(ValidationError, match="must end after it starts"):
        make_meeting(world.board, start=datetime.time(12), end=datetime.time(10))


def test_new_board_meeting_gets_standing_provider_paper_and_wag_digest(world):
    with ReportProvider(key="tests.plan", label="Plan update", standing=True):
        meeting = make_meeting(world.board)
    titles = [item.title for item in meeting.items.order_by("position")]
    assert titles == ["Plan update", "WAG policy digest"]
    plan_paper = meeting.items.get(title="Plan update").papers.get()
    assert (plan_paper.kind, plan_paper.provider_key, plan_paper.provider_value) == (
        Paper.Kind.GENERATED,
        "tests.plan",
        "latest",
    )
    assert meeting.items.get(title="WAG policy digest").papers.get().kind == Paper.Kind.WRITTEN


def test_standing_papers_are_not_added_to_bodies_of_other_kinds(world):
    forum = BodyFactory(compact=world.compact, name="Forum", slug="forum", kind="network")
    with ReportProvider(key="tests.plan", label="Plan update", standing=True):
        meeting = make_meeting(forum)
    assert meeting.items.count() == 0


def test_programme_warns_when_a_body_has_too_few_meetings_in_a_year(world):
    for date in (FEB, APR, datetime.date(2009, 7, 15)):
        make_meeting(world.board, date=date)
    entry = programme(bodies=Body.objects.filter(pk=world.board.pk), today=FEB)[0]
    assert [m.date for m in entry.meetings] == [FEB, APR, datetime.date(2009, 7, 15)]
    assert entry.warnings == [
        "2009: only 3 meetings programmed; Test Compact Board should meet at least 4 times a year."
    ]
    make_meeting(world.board, date=datetime.date(2009, 11, 18))
    assert programme(bodies=Body.objects.filter(pk=world.board.pk), today=FEB)[0].warnings == []
    # A year with one meeting, and the current year with none, read as such.
    next_year = programme(
        bodies=Body.objects.filter(pk=world.board.pk), today=datetime.date(2011, 3, 1)
    )[0].warnings
    assert next_year == [
        "2011: no meetings programmed; Test Compact Board should meet at least 4 times a year."
    ]
    make_meeting(world.board, date=datetime.date(2011, 5, 4))
    assert programme(
        bodies=Body.objects.filter(pk=world.board.pk), today=datetime.date(2011, 3, 1)
    )[0].warnings == [
        "2011: only 1 meeting programmed; Test Compact Board should meet at least 4 times a year."
    ]


def test_agenda_items_move_up_and_down_and_stay_numbered(world):
    group = BodyFactory(compact=world.compact, name="Group", slug="group", kind="task_group")
    meeting = make_meeting(group)
    first, second, third = (
        agenda_item_add(meeting=meeting, title=title) for title in ("Welcome", "Minutes", "Plan")
    )
    agenda_item_move(item=third, direction="up")
    agenda_item_move(item=first, direction="up")  # already first: stays
    order = list(meeting.items.order_by("position").values_list("title", "position"))
    assert order == [("Welcome", 1), ("Plan", 2), ("Minutes", 3)]
    assert second.history.count() == 2  # added, then moved down by the swap


def test_board_member_cannot_prepare_meetings(world):
    with pytest.raises(PermissionDenied):
        make_meeting(world.board, actor=world.users["board"])


def test_minutes_are_drafted_then_approved_at_the_next_meeting_and_frozen(world):
    november = make_meeting(world.board, date=NOV)
    february = make_meeting(world.board, date=FEB)
    officer = world.users["officer"]
    minutes = minutes_save(meeting=november, text="Draft one", actor=officer)
    minutes = minutes_save(meeting=november, text="Draft two", actor=officer)
    assert (minutes.status, minutes.version) == (Minutes.Status.DRAFT, 2)
    minutes = minutes_circulate(minutes=minutes, actor=officer)

    approved = minutes_approve(minutes=minutes, actor=officer)

    assert approved.status == Minutes.Status.APPROVED
    assert approved.approved_at_meeting == february
    with pytest.raises(ValidationError, match="frozen: they cannot be edited"):
        minutes_save(meeting=november, text="Sneaky change", actor=officer)
    assert Minutes.objects.get(pk=minutes.pk).text == "Draft two"
    with pytest.raises(
        ValidationError, match="already approved at the meeting of 11 February 2009"
    ):
        minutes_approve(minutes=approved, actor=officer)


def test_minutes_cannot_be_approved_at_an_earlier_meeting_or_before_a_next_one_exists(world):
    november = make_meeting(world.board, date=NOV)
    minutes = minutes_circulate(minutes=minutes_save(meeting=november, text="Draft"))
    with pytest.raises(ValidationError, match="programme it first"):
        minutes_approve(minutes=minutes)
    earlier = make_meeting(world.board, date=datetime.date(2008, 9, 10))
    with pytest.raises(ValidationError, match="later meeting of the same body"):
        minutes_approve(minutes=minutes, at_meeting=earlier)


def test_minutes_are_not_drafted_before_the_meeting(world):
    future = make_meeting(world.board, date=datetime.date.today() + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="after the meeting"):
        minutes_save(meeting=future, text="Too early")


def test_open_actions_are_carried_forward_until_done(world):
    november = make_meeting(world.board, date=NOV)
    february = make_meeting(world.board, date=FEB)
    april = make_meeting(world.board, date=APR)
    owner = world.people["officer"]
    letter = action_add(meeting=november, description="Write to the Police", owner=owner)
    circulate = action_add(meeting=november, description="Circulate the code", owner=owner)
    action_complete(action=circulate, completed_on=datetime.date(2009, 1, 5))

    assert [a.description for a in carried_forward_actions(february)] == ["Write to the Police"]
    action_complete(action=letter, completed_on=datetime.date(2009, 3, 1))
    assert [a.description for a in carried_forward_actions(february)] == ["Write to the Police"]
    assert carried_forward_actions(april) == []
    with pytest.raises(ValidationError, match="already done"):
        action_complete(action=letter)
    assert Action.objects.get(pk=letter.pk).completed_on == datetime.date(2009, 3, 1)


def test_action_must_arise_from_an_item_of_its_own_meeting(world):
    november = make_meeting(world.board, date=NOV)
    february = make_meeting(world.board, date=FEB)
    item = AgendaItem.objects.create(meeting=february, title="Plan", position=1)
    with pytest.raises(ValidationError, match="same meeting"):
        action_add(meeting=november, item=item, description="x", owner=world.people["officer"])


def test_rotation_is_due_twelve_months_after_the_chair_started(world):
    RotationRule.objects.create(body=world.board, rotate_after_months=12)
    MembershipFactory(
        body=world.board,
        person=world.people["officer"],
        role=Membership.Role.CHAIR,
        start_date=datetime.date(2008, 4, 1),
    )
    assert rotations_due(today=datetime.date(2008, 12, 1)) == []
    due = rotations_due(today=datetime.date(2009, 3, 1))
    assert [(d.membership.person, d.due_on) for d in due] == [
        (world.people["officer"], datetime.date(2009, 4, 1))
    ]


def test_minutes_saved_at_a_stale_version_raise_a_conflict_and_change_nothing(world):
    from compact.platform.locking import EditConflict

    november = make_meeting(world.board, date=NOV)
    officer = world.users["officer"]
    minutes_save(meeting=november, text="Draft one", actor=officer)
    minutes_save(meeting=november, text="Draft two", expected_version=1, actor=officer)
    with pytest.raises(EditConflict) as caught:
        minutes_save(meeting=november, text="Lost edit", expected_version=1, actor=officer)
    assert caught.value.current_version == 2 and caught.value.current == {"text": "Draft two"}
    assert Minutes.objects.get(meeting=november).text == "Draft two"
