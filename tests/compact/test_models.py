"""Rules of the core model: bad data is refused with a clear message and changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from compact.models import Membership, Person
from compact.services import membership_create, membership_end

START = datetime.date(2024, 1, 1)


def test_membership_ending_before_it_starts_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        membership_create(
            body=world.board,
            person=world.people["officer"],
            start_date=START,
            end_date=START - datetime.timedelta(days=1),
        )

    assert "The end date cannot be before the start date." in str(refused.value)
    assert not Membership.objects.filter(person=world.people["officer"]).exists()


def test_a_second_active_chair_is_refused_naming_the_current_one(world: Any) -> None:
    membership_create(
        body=world.board, person=world.people["officer"], role="chair", start_date=START
    )

    with pytest.raises(ValidationError) as refused:
        membership_create(
            body=world.board,
            person=world.people["administrator"],
            role="chair",
            start_date=START + datetime.timedelta(days=30),
        )

    message = str(refused.value)
    assert "already has a chair" in message and "Officer Person" in message
    assert world.board.memberships.filter(role="chair").count() == 1


def test_a_new_chair_may_start_after_the_previous_chair_ends(world: Any) -> None:
    first = membership_create(
        body=world.board, person=world.people["officer"], role="chair", start_date=START
    )
    membership_end(membership=first, end_date=datetime.date(2024, 12, 31))

    second = membership_create(
        body=world.board,
        person=world.people["administrator"],
        role="chair",
        start_date=datetime.date(2025, 1, 1),
    )

    assert second.pk and not first.is_active(datetime.date(2025, 6, 1))
    assert second.is_active(datetime.date(2025, 6, 1))


def test_membership_changes_are_recorded_with_who_and_why(world: Any) -> None:
    actor = world.users["administrator"]
    membership = membership_create(
        body=world.board,
        person=world.people["officer"],
        start_date=START,
        actor=actor,
        reason="Appointed at the April meeting",
    )

    record = membership.history.latest()
    assert record.history_user == actor
    assert record.history_change_reason == "Appointed at the April meeting"


def test_initials_are_unique_among_people(world: Any) -> None:
    duplicate = Person(full_name="Someone Else", initials="X1")
    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert "Another person already has these initials." in str(refused.value)
