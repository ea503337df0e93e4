"""The scrutiny panel: who may sit on it, appointing it, and declarations of interest (which take
a member off it)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Person
from compact.platform.history import save_with_history, stamp_history
from disputes import permissions
from disputes.models import (
    Dispute,
    InterestDeclaration,
    PanelMember,
)
from disputes.procedure import Actor
from disputes.selectors import scrutiny_members


def panel_conflicts(*, dispute: Dispute, people: Sequence[Person]) -> list[str]:
    """Why each of these people may not sit on this dispute's panel (empty when all may)."""
    today = timezone.localdate()
    members = {m.person_id: m for m in scrutiny_members(on=today)}
    party_orgs = set(dispute.parties.values_list("organisation_id", flat=True))
    declared = set(dispute.interests.values_list("person_id", flat=True))
    problems = []
    for person in people:
        membership = members.get(person.pk)
        if membership is None:
            problems.append(
                _("%(person)s is not a current member of the scrutiny body.") % {"person": person}
            )
            continue
        organisations = {person.organisation_id, membership.organisation_id} - {None}
        if organisations & party_orgs:
            problems.append(
                _(
                    "%(person)s belongs to %(org)s, a party to this dispute, and cannot sit on "
                    "its panel."
                )
                % {
                    "person": person,
                    "org": person.organisation
                    if person.organisation_id in party_orgs
                    else membership.organisation,
                }
            )
        if person.pk in declared:
            problems.append(
                _(
                    "%(person)s has declared an interest in this dispute, so cannot sit on "
                    "its panel."
                )
                % {"person": person}
            )
    return problems


def set_panel(
    dispute: Dispute, people: Sequence[Person], *, on: datetime.date, actor: Any, reason: str
) -> None:
    """Make the panel exactly these people, each checked for conflicts; the ones leaving and
    joining are recorded with the reason."""
    if not people:
        raise ValidationError(
            {"panel": _("Choose at least one member of the scrutiny body for the panel.")}
        )
    problems = panel_conflicts(dispute=dispute, people=people)
    if problems:
        raise ValidationError({"panel": problems})
    wanted = {person.pk for person in people}
    for member in list(dispute.panel.all()):
        if member.person_id not in wanted:
            stamp_history(member, actor=actor, reason=reason)
            member.delete()
    existing = set(dispute.panel.values_list("person_id", flat=True))
    for person in people:
        if person.pk not in existing:
            save_with_history(
                PanelMember(dispute=dispute, person=person, appointed_on=on),
                actor=actor,
                reason=reason,
            )


@transaction.atomic
def dispute_panel_assign(
    *, dispute: Dispute, people: Sequence[Person], actor: Any, reason: str = ""
) -> Dispute:
    """Appoint the scrutiny panel: current members of the scrutiny body only, none from a party
    organisation, none with a declared interest."""
    if not permissions.can_manage_dispute.test(actor):
        raise PermissionDenied(_("Only a disputes officer can appoint the panel."))
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    set_panel(
        dispute,
        people,
        on=timezone.localdate(),
        actor=actor,
        reason=reason or "Panel appointed",
    )
    return dispute


@transaction.atomic
def interest_declare(
    *, dispute: Dispute, person: Person, interest: str, actor: Any
) -> InterestDeclaration:
    """Record someone's interest in a dispute; if they sit on its panel they leave it."""
    roles = permissions.dispute_roles(actor, dispute)
    own = getattr(person, "user_id", None) == actor.pk
    if Actor.OFFICER not in roles and not (own and Actor.PANEL in roles):
        raise PermissionDenied(_("Only a disputes officer can record someone else's interest."))
    if not interest.strip():
        raise ValidationError({"interest": _("Describe the interest.")})
    declaration = InterestDeclaration(dispute=dispute, person=person, interest=interest.strip())
    save_with_history(declaration, actor=actor, reason="Interest declared")
    for member in dispute.panel.filter(person=person):
        stamp_history(member, actor=actor, reason="Left the panel after declaring an interest")
        member.delete()
    return declaration
