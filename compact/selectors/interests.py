"""Reads for the register of interests: a person's own register, the officers' view of every
member with stale registers flagged, and a public body's published register. Fixed queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from compact.models import Body, Membership, Person, StandingInterest


def interests_of(person: Person) -> list[StandingInterest]:
    """A person's current interests (one query)."""
    return list(
        StandingInterest.objects.filter(person=person, withdrawn_on=None)
        .select_related("body")
        .order_by("declared_on", "pk")
    )


@dataclass
class MemberRegister:
    person: Person
    bodies: list[str] = field(default_factory=list)
    interests: list[StandingInterest] = field(default_factory=list)
    overdue: bool = False

    @property
    def last_confirmed_on(self) -> datetime.date | None:
        return min((i.last_confirmed_on for i in self.interests), default=None)


def _current_memberships(today: datetime.date) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "person__organisation", "body")
    )


def register_for_officers(today: datetime.date) -> list[MemberRegister]:
    """Every current member of any body with their interests; those with an interest last
    confirmed more than 12 months ago are flagged ``overdue`` and listed first. Two queries."""
    rows: dict[int, MemberRegister] = {}
    for membership in _current_memberships(today).order_by("person__full_name", "body__name"):
        row = rows.setdefault(membership.person_id, MemberRegister(person=membership.person))
        if membership.body.name not in row.bodies:
            row.bodies.append(membership.body.name)
    for interest in (
        StandingInterest.objects.filter(person_id__in=rows, withdrawn_on=None)
        .select_related("body")
        .order_by("declared_on", "pk")
    ):
        row = rows[interest.person_id]
        row.interests.append(interest)
        row.overdue = row.overdue or interest.is_overdue(today)
    return sorted(rows.values(), key=lambda row: (not row.overdue, row.person.full_name))


def published_register(body: Body, today: datetime.date) -> list[MemberRegister]:
    """The register shown with a body: its current members and their interests for this body
    or for all bodies, without private details (the template shows only the description).
    Two queries."""
    rows: dict[int, MemberRegister] = {}
    for membership in (
        _current_memberships(today).filter(body=body).order_by("person__full_name", "pk")
    ):
        rows.setdefault(membership.person_id, MemberRegister(person=membership.person))
    for interest in (
        StandingInterest.objects.filter(person_id__in=rows, withdrawn_on=None)
        .filter(Q(body__isnull=True) | Q(body=body))
        .order_by("declared_on", "pk")
        .only("pk", "person_id", "body_id", "description", "declared_on", "last_confirmed_on")
    ):
        rows[interest.person_id].interests.append(interest)
    return list(rows.values())
