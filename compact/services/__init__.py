"""Writes to the core model: one function per domain operation, each in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from compact.models import Body, Compact, Membership, Organisation, Person
from compact.platform.access import Role, require_role
from compact.platform.history import save_with_history


@transaction.atomic
def membership_create(
    *,
    body: Body,
    person: Person,
    role: str = Membership.Role.MEMBER,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    organisation: Organisation | None = None,
    actor: Any = None,
    reason: str = "",
) -> Membership:
    """Seat a person on a body; a second chair for the same period is refused."""
    # Lock the body's memberships so two simultaneous appointments cannot both pass the check.
    list(Membership.objects.select_for_update().filter(body=body, role=role))
    membership = Membership(
        body=body,
        person=person,
        role=role,
        start_date=start_date,
        end_date=end_date,
        organisation=organisation or person.organisation,
    )
    save_with_history(membership, actor=actor, reason=reason or "Membership created")
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: datetime.date, actor: Any = None, reason: str = ""
) -> Membership:
    """End a membership on a date (not before it started)."""
    membership.end_date = end_date
    save_with_history(membership, actor=actor, reason=reason or "Membership ended")
    return membership


@transaction.atomic
def compact_update(
    *,
    compact: Compact,
    actor: Any,
    name: str,
    area: str,
    summary: str,
    contact_email: str = "",
    contact_details: str = "",
    name_cy: str | None = None,
    area_cy: str | None = None,
    summary_cy: str | None = None,
    contact_details_cy: str | None = None,
) -> Compact:
    """Officers and administrators keep what the public home page says about the Compact, in
    English and Welsh (a Welsh text given as None stays as it was)."""
    require_role(
        actor,
        Role.OFFICER,
        Role.ADMINISTRATOR,
        message="Only officers and administrators edit the Compact's description.",
    )
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    compact.name = name.strip()
    compact.area = area.strip()
    compact.summary = summary.strip()
    compact.contact_email = contact_email.strip()
    compact.contact_details = contact_details.strip()
    welsh = {
        "name_cy": name_cy,
        "area_cy": area_cy,
        "summary_cy": summary_cy,
        "contact_details_cy": contact_details_cy,
    }
    for field, value in welsh.items():
        if value is not None:
            setattr(compact, field, value.strip())
    save_with_history(compact, actor=actor, reason="Description edited")
    return compact
